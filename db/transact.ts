import type { Transaction } from "kysely";
import type { DB } from "./client.ts";
import type { Database } from "./schema.ts";
import { isConcurrentConflict } from "./errors.ts";
import { beginOwnChanges, indexOwnChanges } from "./search/indexer.ts";

/** What a command answers: done (with what it made), or a typed refusal. */
export type Outcome = { ok: true } | { ok: false; error: string };

class Refused<R> extends Error {
  constructor(readonly outcome: R) {
    super("refused");
  }
}

/**
 * Runs one use case, one or several commands, in one transaction, and answers
 * what the work answered. A refusal (`ok: false`) rolls back everything done
 * before it in that transaction, as an exception would: a command that says no
 * after another command wrote leaves no half-done change behind. Commands
 * return their refusals instead of throwing them, so the same commands serve a
 * route, a background job and a test, and the caller decides what a refusal
 * becomes (a flash, a 400 with the field's error, a 409).
 *
 * Before it commits, the work's changes to searchable text are indexed in
 * the same transaction (db/search/indexer.ts): a save is found at once, and
 * the index never disagrees with what was committed.
 */
export async function transact<R extends { ok: boolean }>(db: DB, work: (trx: Transaction<Database>) => Promise<R>): Promise<R> {
  try {
    return await inTransaction(db, async (trx) => {
      const own = await beginOwnChanges(trx);
      const outcome = await work(trx);
      if (!outcome.ok) throw new Refused(outcome);
      // A save touches a handful of rows; a bulk change (a folder's thousand files) is indexed whole, in batches.
      while ((await indexOwnChanges(trx, own)) > 0);
      return outcome;
    });
  } catch (error) {
    if (error instanceof Refused) return error.outcome as R;
    throw error;
  }
}

/**
 * Tries of one transaction that PostgreSQL keeps refusing for running beside
 * others. A burst of writers (ten saves at the same instant) can take one
 * round each to pass: with the pause below, 25 tries span a few seconds.
 */
const ATTEMPTS = 25;

/**
 * `work` in a transaction, run again from the start when PostgreSQL refuses
 * it for a conflict with a concurrent one (db/postgres.ts: every transaction
 * is serializable). Nothing of a refused try was kept, so `work` must only
 * write through `trx` (mail goes through the outbox table for that reason).
 * On SQLite a transaction waits for the write lock instead and is never
 * refused this way.
 */
export async function inTransaction<T>(db: DB, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isConcurrentConflict(error)) throw error;
      // A short random pause, growing with each try up to a quarter second, so the conflicting
      // transactions do not meet again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));
    }
  }
}
