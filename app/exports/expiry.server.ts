import type { Executor } from "#db/client.ts";
import { deleteExport, deleteFailedBefore, listExpired, listForUser } from "#db/queries/data-exports.ts";
import type { StorageDriver } from "#storage/types.ts";

const BATCH = 100;
/** A failed export is only a record; a week is long enough to see what happened. */
const FAILED_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Housekeeping's part (app/utils/housekeeping.server.ts): exports past their
 * 7 days go, their zip first — a zip left behind by a crash between the two
 * deletes is only an orphan storage:check finds; a row without its zip would
 * offer a download that fails.
 */
export async function purgeExpiredExports(db: Executor, storage: StorageDriver, now: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const expired = await listExpired(db, now, BATCH);
    for (const exp of expired) {
      if (exp.storage_key) await storage.delete(exp.storage_key);
      await deleteExport(db, exp.id);
      purged++;
    }
    if (expired.length < BATCH) break;
  }
  await deleteFailedBefore(db, now - FAILED_KEPT_MS);
  return purged;
}

/**
 * Every export of one member, zips first: for the deletion of an account
 * (the rows would go with the user by cascade, leaving their zips behind).
 */
export async function deleteExportsOf(db: Executor, storage: StorageDriver, userId: string): Promise<number> {
  const rows = await listForUser(db, userId, 1000);
  for (const exp of rows) {
    if (exp.storage_key) await storage.delete(exp.storage_key);
    await deleteExport(db, exp.id);
  }
  return rows.length;
}
