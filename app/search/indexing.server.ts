import type { DB } from "#db/client.ts";
import { indexChanges, markAllChanged, pendingChanges } from "#db/search/indexer.ts";
import { optimizeIndex } from "#db/search/maintenance.ts";
import { inTransaction, transact } from "#db/transact.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import { getDb } from "#app/utils/db.server.ts";

/**
 * The index's backlog: what a writer's transaction leaves to others (the
 * migration's first indexing, a reindex, writes made outside transact()).
 * Worked through in batches, one short transaction each, so writers wait a
 * few milliseconds at most between two; a batch indexed twice (two
 * processes, a restart) is indexed the same, so nothing needs claiming.
 */

const EVERY_MS = 5_000;
/** A run stops after this long, and the next slot goes on: the job never holds the primary for long. */
const RUN_BUDGET_MS = 4_000;
const BATCH = 500;

/** Indexes the backlog; answers how many changes it took and how many are left. */
export async function workThroughBacklog(db: DB, options: { budgetMs?: number; onBatch?: (done: number, left: number) => void } = {}) {
  const until = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let done = 0;
  while (performance.now() < until) {
    const { n } = await transact(db, async (trx) => ({ ok: true as const, n: await indexChanges(trx, { limit: BATCH }) }));
    if (n === 0) break;
    done += n;
    options.onBatch?.(done, await pendingChanges(db));
  }
  return { done, left: await pendingChanges(db) };
}

/**
 * Rebuilds the index in place, online: every thing is marked changed, then
 * indexed again batch by batch while the server answers, searches finding
 * the old rows until the new ones replace them; rows of things gone are
 * dropped on the way. Then FTS5 merges its segments into one.
 */
export async function reindex(db: DB, onBatch?: (done: number, left: number) => void) {
  // A plain transaction, not transact(): that one would index the whole list before committing, in one long write.
  await inTransaction(db, (trx) => markAllChanged(trx));
  const result = await workThroughBacklog(db, { onBatch });
  await optimizeIndex(db);
  return result;
}

export const searchIndexJob: Job = {
  name: "search-index",
  everyMs: EVERY_MS,
  run: async () => {
    const db = getDb();
    if ((await pendingChanges(db)) === 0) return { done: 0, left: 0 };
    return workThroughBacklog(db, { budgetMs: RUN_BUDGET_MS });
  },
};
