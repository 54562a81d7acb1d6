import type { DB } from "../client.ts";
import type { BackupRunTable } from "../schema.ts";
import { newId } from "../ids.ts";

/**
 * Backups taken (app/backup/), for /healthz and the network admin's
 * console: when the last good one ended and what it held.
 */

export type BackupRun = Omit<BackupRunTable, "ok"> & { ok: boolean };

export async function recordBackup(db: DB, run: Omit<BackupRun, "id">): Promise<string> {
  const id = newId();
  await db
    .insertInto("backup_run")
    .values({ ...run, id, ok: run.ok ? 1 : 0, error: run.error?.slice(0, 1000) ?? null })
    .execute();
  return id;
}

export interface LastBackup {
  /** The last backup written and verified, or null if none ever was. */
  lastSuccess: BackupRun | null;
  /** The last attempt that failed, when it came after the last success (else null). */
  failedSince: BackupRun | null;
}

/** The last good backup, and a failure that came after it if any. */
export async function lastBackup(db: DB): Promise<LastBackup> {
  const row = (ok: 0 | 1) => db.selectFrom("backup_run").selectAll().where("ok", "=", ok).orderBy("finished_at", "desc").limit(1).executeTakeFirst();
  const [success, failure] = await Promise.all([row(1), row(0)]);
  const lastSuccess = success ? { ...success, ok: true } : null;
  const failedSince = failure && (!success || failure.finished_at > success.finished_at) ? { ...failure, ok: false } : null;
  return { lastSuccess, failedSince };
}

/** Runs beyond the last `keep` are only a record. */
export async function deleteBackupRunsBefore(db: DB, finishedBefore: number) {
  await db.deleteFrom("backup_run").where("finished_at", "<", finishedBefore).execute();
}
