import "./load-env.ts";
import { existsSync } from "node:fs";
import path from "node:path";
import { s3CopyDriver } from "#app/backup/copy-target.server.ts";
import { restoreSnapshot, RestoreRefused } from "#app/backup/restore.server.ts";
import { readManifest, SnapshotError, verifySnapshot, type Manifest } from "#app/backup/snapshot.server.ts";
import { formatSize } from "#app/i18n/index.ts";
import { EnvError, getEnv } from "#app/utils/env.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { StorageConfigError, type StorageDriver } from "#storage/types.ts";
import { flagsOf, UsageError } from "./cli.ts";

/**
 * `npm run restore -- --from DIR`: a snapshot written by `npm run backup`
 * back into the configured DATA_DIR and storage (app/backup/restore.server.ts).
 * Stop Cercle first. Refuses a DATA_DIR (or, for S3, a bucket) that is not
 * empty unless --force.
 *
 * Exit code: 0 restored and checked, 1 the snapshot is damaged or the result
 * failed its check, 2 it could not run (usage, configuration, a target not
 * empty without --force, a snapshot of a newer Cercle).
 */

const USAGE = `Usage: npm run restore -- --from DIR [--force] [--verify-hashes]
       npm run restore -- --from DIR --verify-only

  --from DIR         the snapshot folder (DIR/manifest.json), as npm run backup printed it
  --force            restore even though DATA_DIR (or the S3 bucket) is not empty: its database
                     is replaced, objects of the same key overwritten, others left (orphans)
  --verify-hashes    also check every restored file's SHA-256 against the recorded one
  --verify-only      restore nothing: check the snapshot as it lies (integrity check, every file
                     present with its size and SHA-256), e.g. on the machine the backups are kept on

Stop Cercle before restoring. Exit code: 0 restored and checked, 1 the snapshot is damaged
or the restored copy failed its check, 2 it could not run (or the target is not empty).`;

function readFlags(argv: string[]) {
  const v = flagsOf(argv, {
    from: { type: "string" },
    force: { type: "boolean", default: false },
    "verify-hashes": { type: "boolean", default: false },
    "verify-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (v.help) return { help: true as const };
  if (!v.from) throw new UsageError("--from DIR is required: the snapshot folder to restore.");
  return { help: false as const, from: v.from, force: Boolean(v.force), verifyHashes: Boolean(v["verify-hashes"]), verifyOnly: Boolean(v["verify-only"]) };
}

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const env = getEnv();
  if (env.database.kind === "postgres") {
    throw new RestoreRefused(
      "npm run restore puts a snapshot's SQLite file back into DATA_DIR, which Cercle does not read while DATABASE_URL is set. Restore without DATABASE_URL, then move the network up with npm run db:copy -- --to <url>.",
    );
  }
  if (!existsSync(path.join(flags.from, "manifest.json"))) {
    throw new RestoreRefused(`${path.resolve(flags.from)} is not a Cercle snapshot (no manifest.json): give the folder npm run backup printed, e.g. DIR/cercle-20261206-031500.`);
  }
  const manifest = await readManifest(flags.from);
  const copy = manifest.storage.copy;
  if (flags.verifyOnly) return verifyOnly(flags.from, manifest, env);
  if (copy.kind === "snapshot" && env.storage.driver === "s3") {
    // Allowed: the files go up into the bucket. Said, as it is rarely what people mean by accident.
    console.error(`Restoring a local-storage snapshot into S3 bucket "${env.storage.bucket}".`);
  }
  if (copy.kind !== "snapshot" && env.storage.driver !== "s3") {
    throw new RestoreRefused(`This snapshot's files are in S3 (${copy.kind === "bucket" ? `s3://${copy.bucket}/${copy.prefix}/` : `bucket "${copy.bucket}"`}): configure STORAGE_DRIVER=s3 and its settings to restore it.`);
  }
  const storage = getStorage();
  const copyDriver = copy.kind === "bucket" && env.storage.driver === "s3" ? s3CopyDriver(env.storage, copy.bucket, copy.prefix).driver : null;
  try {
    await storage.check();
    let lastStage = "";
    const result = await restoreSnapshot({
      from: flags.from,
      dataDir: env.dataDir,
      storage,
      copyDriver,
      force: flags.force,
      verifyHashes: flags.verifyHashes,
      onProgress: (p) => {
        if (p.stage !== lastStage) {
          lastStage = p.stage;
          process.stderr.write(`${STAGES[p.stage]}\n`);
        } else if (p.stage === "objects") process.stderr.write(`  ${p.objectsDone} / ${p.objectsTotal} files, ${formatSize("en", p.bytesDone)}\n`);
      },
    });
    const m = result.manifest;
    const lines = [
      `Restored the snapshot of ${m.databaseAt} (Cercle ${m.cercleVersion}) into ${path.resolve(env.dataDir)}, and checked it.`,
      `  files copied  ${result.objectsCopied} (${formatSize("en", result.bytesCopied)})${copy.kind === "none" ? ` — none: they stay in bucket "${copy.bucket}", checked there` : ""}`,
      `  counts        ${Object.entries(m.counts).map(([k, n]) => `${k} ${n}`).join(", ")}`,
    ];
    for (const w of result.warnings.slice(0, 10)) lines.push(`  warning: ${w}`);
    lines.push("Start Cercle: it applies any newer migrations at boot.");
    console.log(lines.join("\n"));
    return 0;
  } finally {
    (storage as StorageDriver & { destroy?: () => void }).destroy?.();
    (copyDriver as (StorageDriver & { destroy?: () => void }) | null)?.destroy?.();
  }
}

/** --verify-only: the snapshot checked where it lies; S3 copies need the S3 settings to be read. */
async function verifyOnly(dir: string, manifest: Manifest, env: ReturnType<typeof getEnv>): Promise<number> {
  const copy = manifest.storage.copy;
  const s3 = env.storage.driver === "s3" ? env.storage : null;
  const live = copy.kind === "none" && s3 ? getStorage() : null;
  const copyDriver = copy.kind === "bucket" && s3 ? s3CopyDriver(s3, copy.bucket, copy.prefix).driver : null;
  try {
    const result = await verifySnapshot(dir, { liveStorage: live, copyDriver, verifyHashes: true });
    for (const w of result.warnings.slice(0, 10)) console.log(`  warning: ${w}`);
    if (result.problems.length > 0) {
      console.error(`Snapshot DAMAGED: ${path.resolve(dir)}\n${result.problems.slice(0, 20).map((p) => `  - ${p}`).join("\n")}`);
      return 1;
    }
    console.log(`Snapshot OK: ${path.resolve(dir)} (${manifest.databaseAt}; ${manifest.objects.count} files, SHA-256 verified).`);
    return 0;
  } finally {
    (live as (StorageDriver & { destroy?: () => void }) | null)?.destroy?.();
    (copyDriver as (StorageDriver & { destroy?: () => void }) | null)?.destroy?.();
  }
}

const STAGES: Record<string, string> = {
  "verifying-snapshot": "Verifying the snapshot…",
  objects: "Copying the stored files…",
  database: "Putting the database in place…",
  checking: "Checking the result (integrity check, every file present with its size)…",
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof SnapshotError) {
      console.error(`Restore FAILED: ${error.message}`);
      process.exit(1);
    } else if (error instanceof EnvError || error instanceof RestoreRefused || error instanceof StorageConfigError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
