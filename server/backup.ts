import "./load-env.ts";
import path from "node:path";
import { recordBackup } from "#db/queries/backups.ts";
import { copyDeleter, isKeySegments, s3CopyDriver } from "#app/backup/copy-target.server.ts";
import { cercleVersion } from "#app/backup/job.server.ts";
import { BackupError, pruneSnapshots, takeBackup, type BackupProgress, type CopyTarget } from "#app/backup/snapshot.server.ts";
import { formatSize } from "#app/i18n/index.ts";
import { closeDb, getDb } from "#app/utils/db.server.ts";
import { EnvError, getEnv } from "#app/utils/env.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { StorageConfigError, type StorageDriver } from "#storage/types.ts";
import { existingDatabase, flagsOf, requireMigrated, SetupError, sqliteOnly, UsageError } from "./cli.ts";

/**
 * `npm run backup -- --to DIR`: one snapshot of the running Cercle in a new
 * folder of DIR (app/backup/snapshot.server.ts says what it holds and why it
 * is consistent). Reads the configuration as the server does (.env, then the
 * environment), so it must be run with the server's settings.
 *
 * Exit code: 0 the snapshot is written and verified, 1 the backup failed or
 * the snapshot failed its verification (nothing is left under the snapshot's
 * name; a `.failed` folder shows what was written), 2 it could not run.
 */

const USAGE = `Usage: npm run backup -- --to DIR [--keep N] [--copy-to-bucket BUCKET] [--copy-to-prefix PREFIX]

  --to DIR                  folder the snapshot goes in (as DIR/cercle-YYYYMMDD-HHMMSS; created if needed)
  --keep N                  afterwards, delete all but the newest N snapshots in DIR (and their S3 copies)
  --copy-to-bucket BUCKET   S3 storage: also copy every object the database names to this bucket
                            (same endpoint and credentials); without it the snapshot lists them with
                            size and SHA-256 but they stay only in the live bucket
  --copy-to-prefix PREFIX   with --copy-to-bucket: under this prefix (default: the snapshot's name)

Exit code: 0 written and verified, 1 the backup or its verification failed, 2 it could not run.`;

function readFlags(argv: string[]) {
  const v = flagsOf(argv, {
    to: { type: "string" },
    keep: { type: "string" },
    "copy-to-bucket": { type: "string" },
    "copy-to-prefix": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (v.help) return { help: true as const };
  if (!v.to) throw new UsageError("--to DIR is required: the folder the snapshot goes in.");
  let keep: number | null = null;
  if (v.keep !== undefined) {
    if (!/^\d+$/.test(v.keep) || Number(v.keep) < 1) throw new UsageError(`--keep must be a whole number above 0 (got "${v.keep}").`);
    keep = Number(v.keep);
  }
  const prefix = v["copy-to-prefix"] ?? null;
  if (prefix !== null && !isKeySegments(prefix)) {
    throw new UsageError(`--copy-to-prefix must be lower-case letters, digits, ".", "-" or "_", in segments joined by "/" (got "${prefix}").`);
  }
  return { help: false as const, to: v.to, keep, copyBucket: v["copy-to-bucket"] ?? null, copyPrefix: prefix };
}

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const env = getEnv();
  sqliteOnly(env, "npm run backup");
  const dbFile = existingDatabase(env.dataDir);
  const to = path.resolve(flags.to);
  if (isInside(to, path.resolve(env.dataDir))) throw new SetupError(`--to ${to} is inside DATA_DIR: put backups elsewhere (another disk, ideally).`);
  if ((flags.copyBucket || flags.copyPrefix) && env.storage.driver !== "s3") {
    throw new UsageError("--copy-to-bucket and --copy-to-prefix are for S3 storage; with local storage the snapshot holds a copy of the files already.");
  }
  if (flags.copyPrefix && !flags.copyBucket) {
    throw new UsageError(
      "--copy-to-prefix needs --copy-to-bucket: a copy under a prefix of the live bucket would look like orphans to storage:check, and --delete-orphans would delete it.",
    );
  }
  const db = getDb();
  await requireMigrated(db, dbFile);
  const storage = getStorage();
  let copy: CopyTarget | null = null;
  const startedAt = Date.now();
  try {
    await storage.check();
    if (flags.copyBucket && env.storage.driver === "s3") {
      if (flags.copyBucket === env.storage.bucket) {
        throw new UsageError(`--copy-to-bucket ${flags.copyBucket} is the live bucket: copy to another one (storage:check --delete-orphans would take the copy for orphans).`);
      }
      // Reached and writable before anything is copied (the prefix does not matter to the check).
      const probe = s3CopyDriver(env.storage, flags.copyBucket, "probe");
      try {
        await probe.driver.check();
      } finally {
        (probe.driver as StorageDriver & { destroy?: () => void }).destroy?.();
      }
    }
    const live = env.storage.driver === "s3" ? env.storage : null;
    const copyBucket = flags.copyBucket;
    const progress = progressPrinter();
    const result = await takeBackup({
      databaseFile: dbFile,
      storage,
      parentDir: to,
      // Under the given prefix, or under the snapshot's own name.
      copyTo: live && copyBucket ? (name) => (copy = s3CopyDriver(live, copyBucket, flags.copyPrefix ?? name)) : null,
      cercleVersion: cercleVersion(),
      onProgress: progress,
    });
    const m = result.manifest;
    await recordBackup(db, {
      trigger: "cli",
      started_at: startedAt,
      finished_at: Date.now(),
      ok: true,
      location: m.storage.copy.kind === "bucket" ? `${result.dir} (objects in s3://${m.storage.copy.bucket}/${m.storage.copy.prefix}/)` : result.dir,
      database_bytes: m.database.bytes,
      object_count: m.objects.count,
      object_bytes: m.objects.bytes,
      error: null,
    });
    const pruned = flags.keep ? await pruneSnapshots(to, flags.keep, live ? copyDeleter(live) : undefined) : [];
    const lines = [
      `Backup written and verified: ${result.dir}`,
      `  database      ${formatSize("en", m.database.bytes)}, as of ${m.databaseAt} (${m.migrations.count} migrations, last ${m.migrations.last})`,
      `  stored files  ${m.objects.count} (${formatSize("en", m.objects.bytes)})${describeCopy(m.storage.copy)}`,
      `  counts        ${Object.entries(m.counts).map(([k, n]) => `${k} ${n}`).join(", ")}`,
    ];
    for (const w of result.warnings.slice(0, 10)) lines.push(`  warning: ${w}`);
    if (result.warnings.length > 10) lines.push(`  … and ${result.warnings.length - 10} more warnings`);
    if (pruned.length) lines.push(`  deleted older snapshots: ${pruned.join(", ")}`);
    console.log(lines.join("\n"));
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    await recordBackup(db, {
      trigger: "cli",
      started_at: startedAt,
      finished_at: Date.now(),
      ok: false,
      location: error.dir ?? to,
      database_bytes: null,
      object_count: null,
      object_bytes: null,
      error: error.message,
    }).catch(() => {});
    console.error(`Backup FAILED: ${error.message}${error.dir ? `\nWhat was written is in ${error.dir}` : ""}`);
    return 1;
  } finally {
    (storage as StorageDriver & { destroy?: () => void }).destroy?.();
    ((copy as CopyTarget | null)?.driver as (StorageDriver & { destroy?: () => void }) | undefined)?.destroy?.();
  }
}

function describeCopy(copy: { kind: string; bucket?: string; prefix?: string }): string {
  if (copy.kind === "snapshot") return ", copied into the snapshot";
  if (copy.kind === "bucket") return `, copied to s3://${copy.bucket}/${copy.prefix}/`;
  return `, listed with their SHA-256; they stay only in bucket "${copy.bucket}" (--copy-to-bucket copies them)`;
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** A line on stderr at each stage and every few seconds while copying: long runs show they move. */
function progressPrinter() {
  const out = process.stderr;
  const words: Record<BackupProgress["stage"], string> = {
    database: "Copying the database (SQLite online backup)…",
    references: "Reading which files the copy names…",
    objects: "Copying the stored files…",
    verifying: "Verifying the snapshot (integrity check, sizes, SHA-256)…",
    done: "",
  };
  let stage: BackupProgress["stage"] | null = null;
  return (p: BackupProgress) => {
    if (p.stage !== stage) {
      stage = p.stage;
      if (words[p.stage]) out.write(`${words[p.stage]}\n`);
      return;
    }
    if (p.stage === "objects") out.write(`  ${p.objectsDone} / ${p.objectsTotal} files, ${formatSize("en", p.bytesDone)}\n`);
  };
}

main().then(
  (code) => closeDb().then(() => process.exit(code)),
  async (error: unknown) => {
    await closeDb().catch(() => {});
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof EnvError || error instanceof SetupError || error instanceof StorageConfigError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
