import path from "node:path";
import type { DB } from "#db/client.ts";
import { recordBackup } from "#db/queries/backups.ts";
import { cercleVersion } from "#app/backup/job.server.ts";
import { takeBackup } from "#app/backup/snapshot.server.ts";
import type { StorageDriver } from "#storage/types.ts";

/**
 * The demo's last step (issue 20): one real backup, taken and recorded as
 * `npm run backup` does (app/backup/snapshot.server.ts writes and verifies
 * it, backup_run records it), so the console's "last backup" and
 * /healthz?details show a success rather than "never".
 *
 * It goes in DATA_DIR/backups, which `npm run backup` refuses (a real backup
 * belongs on another disk than what it protects): the demo's data folder is
 * a throwaway, and one folder holding all of it is what deleting it expects.
 * Nothing reads that folder at start. An S3 demo lists its objects in the
 * manifest without copying them, as the command does without
 * --copy-to-bucket.
 */
export async function seedDemoBackup(db: DB, input: { dataDir: string; storage: StorageDriver }) {
  const startedAt = Date.now();
  const result = await takeBackup({
    databaseFile: path.join(input.dataDir, "cercle.db"),
    storage: input.storage,
    parentDir: path.join(input.dataDir, "backups"),
    copyTo: null,
    cercleVersion: cercleVersion(),
  });
  const m = result.manifest;
  await recordBackup(db, {
    trigger: "cli",
    started_at: startedAt,
    finished_at: Date.now(),
    ok: true,
    location: result.dir,
    database_bytes: m.database.bytes,
    object_count: m.objects.count,
    object_bytes: m.objects.bytes,
    error: null,
  });
  return { dir: result.dir };
}
