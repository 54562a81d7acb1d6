import { readFileSync } from "node:fs";
import path from "node:path";
import { deleteBackupRunsBefore, recordBackup } from "#db/queries/backups.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { logRecord } from "#app/utils/log.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import type { StorageDriver } from "#storage/types.ts";
import { copyDeleter, s3CopyDriver } from "./copy-target.server.ts";
import { BackupError, pruneSnapshots, takeBackup, type CopyTarget } from "./snapshot.server.ts";

/**
 * Scheduled backups (BACKUP_DIR, BACKUP_INTERVAL_HOURS, BACKUP_KEEP): the
 * primary's scheduler claims each interval's slot once across processes
 * and restarts, takes a snapshot as `npm run backup` does, keeps the newest
 * BACKUP_KEEP and records the run (backup_run) for /healthz and the console.
 * A failure is recorded too, then thrown so job_run and the log say it.
 */

/** Runs older than this are only a record: a year of daily backups. */
const RUNS_KEPT_MS = 400 * 24 * 60 * 60 * 1000;

/**
 * Cercle's version for the manifest: that of the package.json in the folder
 * Cercle runs from (npm scripts and `node build/server.js` run there; the
 * bundle has no copy of its own).
 */
export function cercleVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.resolve("package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export async function runScheduledBackup(now = Date.now()) {
  const env = getEnv();
  const settings = env.backup;
  if (!settings) return null;
  const db = getDb();
  const startedAt = Date.now();
  try {
    const s3 = env.storage.driver === "s3" ? env.storage : null;
    let copy: CopyTarget | null = null;
    let result;
    try {
      result = await takeBackup({
        databaseFile: path.join(env.dataDir, "cercle.db"),
        storage: getStorage(),
        parentDir: settings.dir,
        // On S3 with BACKUP_COPY_BUCKET, the objects go there under the snapshot's own name.
        copyTo: s3 && settings.copyBucket ? (name) => (copy = s3CopyDriver(s3, settings.copyBucket!, name)) : null,
        cercleVersion: cercleVersion(),
      });
    } finally {
      ((copy as CopyTarget | null)?.driver as (StorageDriver & { destroy?: () => void }) | undefined)?.destroy?.();
    }
    const pruned = await pruneSnapshots(settings.dir, settings.keep, s3 ? copyDeleter(s3) : undefined);
    await recordBackup(db, {
      trigger: "schedule",
      started_at: startedAt,
      finished_at: Date.now(),
      ok: true,
      location: result.manifest.storage.copy.kind === "bucket" ? `${path.resolve(result.dir)} (objects in s3://${result.manifest.storage.copy.bucket}/${result.manifest.storage.copy.prefix}/)` : path.resolve(result.dir),
      database_bytes: result.manifest.database.bytes,
      object_count: result.manifest.objects.count,
      object_bytes: result.manifest.objects.bytes,
      error: null,
    });
    await deleteBackupRunsBefore(db, now - RUNS_KEPT_MS);
    console.log(
      logRecord("backup.done", { dir: result.dir, objects: result.manifest.objects.count, bytes: result.manifest.objects.bytes, pruned: pruned.length, warnings: result.warnings.length }),
    );
    return result;
  } catch (error) {
    await recordBackup(db, {
      trigger: "schedule",
      started_at: startedAt,
      finished_at: Date.now(),
      ok: false,
      location: path.resolve(error instanceof BackupError && error.dir ? error.dir : settings.dir),
      database_bytes: null,
      object_count: null,
      object_bytes: null,
      error: error instanceof Error ? error.message : String(error),
    }).catch(() => {});
    throw error;
  }
}

/** The job when BACKUP_DIR is set, else null (app/jobs/primary.server.ts registers it then). */
export function backupJob(): Job | null {
  const settings = getEnv().backup;
  if (!settings) return null;
  return { name: "backup", everyMs: settings.intervalMs, run: ({ now }) => runScheduledBackup(now) };
}
