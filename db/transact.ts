import type { Transaction } from "kysely";
import type { DB } from "./client.ts";
import type { Database } from "./schema.ts";
import { indexChanges, lastChange } from "./search/indexer.ts";

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
    return await db.transaction().execute(async (trx) => {
      const since = await lastChange(trx);
      const outcome = await work(trx);
      if (!outcome.ok) throw new Refused(outcome);
      // A save touches a handful of rows; a bulk change (a folder's thousand files) is indexed whole, in batches.
      while ((await indexChanges(trx, { after: since })) > 0);
      return outcome;
    });
  } catch (error) {
    if (error instanceof Refused) return error.outcome as R;
    throw error;
  }
}
