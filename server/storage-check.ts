import "./load-env.ts";
import path from "node:path";
import { StorageConfigError, type StorageDriver } from "#storage/types.ts";
import { checkStorage, ORPHAN_GRACE_MS, type CheckStage, type ObjectProblem, type OrphanObject, type StorageReport } from "#app/files/integrity.server.ts";
import { formatSize } from "#app/i18n/index.ts";
import { closeDb, getDb } from "#app/utils/db.server.ts";
import { EnvError, getEnv } from "#app/utils/env.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { flagsOf, networkDatabase, requireMigrated, SetupError, UsageError } from "./cli.ts";

/**
 * `npm run storage:check`: every file version and wiki image has its object
 * of the recorded size (and SHA-256 with --verify-hashes); objects no row
 * names are listed as orphans (and deleted with --delete-orphans).
 *
 * Exit code: 0 when nothing is missing or damaged (orphans alone are not an
 * error), 1 when an object is missing, of the wrong size or hash, unreadable,
 * or an orphan could not be deleted, 2 when the check could not run.
 */

const USAGE = `Usage: npm run storage:check -- [--verify-hashes] [--delete-orphans] [--json]

  --verify-hashes, --sha256  read every object whole and compare its SHA-256 with the recorded one
  --delete-orphans           delete objects no row names (waits ${ORPHAN_GRACE_MS / 1000} s after the listing first)
  --json                     print the whole report as one JSON object instead of text

Exit code: 0 all files present and intact (orphans alone are fine), 1 missing or damaged
files (or an orphan that could not be deleted), 2 the check could not run.`;

/** Problems listed per section in the text report; --json lists them all. */
const LIST_LIMIT = 20;

function readFlags(argv: string[]) {
  const v = flagsOf(argv, {
    "verify-hashes": { type: "boolean", default: false },
    sha256: { type: "boolean", default: false },
    "delete-orphans": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  return {
    verifyHashes: Boolean(v["verify-hashes"] || v.sha256),
    deleteOrphans: Boolean(v["delete-orphans"]),
    json: Boolean(v.json),
    help: Boolean(v.help),
  };
}

async function main(): Promise<number> {
  const flags = readFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const env = getEnv();
  const dbFile = networkDatabase(env);
  const db = getDb();
  await requireMigrated(db, dbFile);
  const storage = getStorage();
  try {
    await storage.check();
    const progress = flags.json ? null : progressPrinter(flags.deleteOrphans);
    const report = await checkStorage(db, storage, {
      verifyHashes: flags.verifyHashes,
      deleteOrphans: flags.deleteOrphans,
      onStage: progress?.stage,
      onProgress: progress?.progress,
    });
    progress?.clear();
    const exitCode = report.ok ? 0 : 1;
    if (flags.json) console.log(JSON.stringify({ ...report, where: where(), exitCode }, null, 2));
    else console.log(formatReport(report, where(), flags));
    return exitCode;
  } finally {
    (storage as StorageDriver & { destroy?: () => void }).destroy?.();
  }
}


/** The storage in the words of the configuration (as getStorage() builds it). */
function where(): string {
  const settings = getEnv().storage;
  if (settings.driver === "s3") return `S3 bucket "${settings.bucket}" at ${settings.endpoint ?? `AWS (${settings.region})`}`;
  return `folder ${path.resolve(getEnv().dataDir, "files")}`;
}

/** Stages and a progress count on stderr, only when someone watches a terminal. */
function progressPrinter(deleting: boolean) {
  const out = process.stderr;
  if (!out.isTTY) return null;
  let lastDraw = 0;
  const words: Record<CheckStage, string> = {
    listing: "Listing stored objects…",
    "reading-database": "Reading the database…",
    checking: "Checking each file's object…",
    "waiting-grace": `Waiting until ${ORPHAN_GRACE_MS / 1000} s have passed since the listing before deleting orphans…`,
    "deleting-orphans": "Deleting orphans…",
    done: "",
  };
  return {
    stage(stage: CheckStage) {
      if (stage === "done" || (!deleting && (stage === "waiting-grace" || stage === "deleting-orphans"))) return;
      out.write(`\r\x1b[K${words[stage]}\n`);
    },
    progress(done: number, total: number) {
      const t = Date.now();
      if (done !== total && t - lastDraw < 200) return;
      lastDraw = t;
      out.write(`\r\x1b[K  ${done} / ${total}`);
      if (done === total) out.write("\n");
    },
    clear() {
      out.write("\r\x1b[K");
    },
  };
}

function size(bytes: number | null): string {
  return bytes === null ? "?" : formatSize("en", bytes);
}

/** Enough of a hex digest to tell two apart; --json has them whole. */
function short(hex: string | null | undefined): string {
  return hex ? `${hex.slice(0, 16)}…` : "?";
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function owner(p: ObjectProblem): string {
  const o = p.owner;
  const space = `space ${o.spaceSlug ?? o.spaceId}`;
  switch (p.kind) {
    case "file_version":
    case "thumbnail":
      return `file "${o.fileName}" version ${o.versionNumber} in ${space}${o.inTrash ? " (in the trash)" : ""}, file id ${o.fileId}`;
    case "wiki_image":
      return `wiki image ${o.rowId} in ${space}`;
    case "photo":
      return `profile photo of member ${o.rowId}`;
    case "logo":
      return "the network's logo";
    default:
      return `upload ${o.rowId} in ${space}`;
  }
}

function section<T>(lines: string[], title: string, items: T[], line: (item: T) => string, hint = "") {
  if (items.length === 0) return;
  lines.push("", `${title}: ${items.length}${hint ? ` — ${hint}` : ""}`);
  for (const item of items.slice(0, LIST_LIMIT)) lines.push(`  - ${line(item)}`);
  if (items.length > LIST_LIMIT) lines.push(`  … and ${items.length - LIST_LIMIT} more (--json lists them all)`);
}

function formatReport(r: StorageReport, place: string, flags: { verifyHashes: boolean; deleteOrphans: boolean }): string {
  const c = r.counts;
  const lines = [
    `Cercle storage check — ${place}`,
    `Done in ${((r.finishedAt - r.startedAt) / 1000).toFixed(1)} s.`,
    "",
    `  stored objects      ${c.objects} (${size(c.objectBytes)})`,
    `  file versions       ${c.fileVersions}`,
    `  thumbnails          ${c.thumbnails}`,
    `  wiki images         ${c.wikiImages}`,
    `  uploads under way   ${c.uploads}${c.expiredUploads ? ` (${c.expiredUploads} past expiry, removed by the next sweep)` : ""}`,
    `  SHA-256             ${r.verifiedHashes ? `verified for ${plural(c.hashed, "object")} (${size(c.hashedBytes)})` : "not verified (sizes only; --verify-hashes reads every object)"}`,
  ];

  section(lines, "MISSING — the object is not in storage", r.missing, (p) => `${owner(p)}: key ${p.key}, ${size(p.expectedSize)} expected`);
  section(lines, "WRONG SIZE", r.sizeMismatches, (p) => `${owner(p)}: key ${p.key}, ${size(p.actualSize)} stored, ${size(p.expectedSize)} recorded`);
  section(lines, "WRONG SHA-256 — the bytes changed since upload", r.hashMismatches, (p) => `${owner(p)}: key ${p.key}, SHA-256 ${short(p.actualSha256)} stored, ${short(p.expectedSha256)} recorded`);
  section(lines, "UNREADABLE", r.unreadable, (p) => `${owner(p)}: key ${p.key}: ${p.error}`);
  section(lines, "Missing thumbnails or profile photos (warning: the files are fine, only a preview or photo is gone)", r.missingThumbnails, (p) => `${owner(p)}: key ${p.key}`);

  const orphanLine = (o: OrphanObject) => `${o.key} (${size(o.size)})`;
  if (flags.deleteOrphans) {
    section(lines, "Orphans deleted", r.deletedOrphans, orphanLine, `${size(r.deletedOrphans.reduce((s, o) => s + o.size, 0))} freed`);
    section(lines, "ORPHANS NOT DELETED — the deletion failed", r.failedDeletions, (o) => `${orphanLine(o)}: ${o.error}`);
  } else {
    section(lines, "Orphans — objects no file, thumbnail, wiki image or upload names", r.orphans, orphanLine, `${size(r.orphanBytes)}; --delete-orphans removes them`);
  }
  if (r.adoptedDuringCheck.length > 0) {
    lines.push("", `${plural(r.adoptedDuringCheck.length, "object")} looked orphaned but a row named it during the check: kept.`);
  }

  lines.push("");
  if (r.ok) {
    const orphans = r.orphans.length - r.deletedOrphans.length;
    lines.push(
      orphans > 0
        ? `Result: OK — every file has its object. ${plural(orphans, "orphan")} left (not an error).`
        : "Result: OK — every file has its object" + (r.verifiedHashes ? ", with the recorded SHA-256." : " of the recorded size."),
    );
  } else {
    const parts = [
      r.missing.length && `${r.missing.length} missing`,
      r.sizeMismatches.length && `${r.sizeMismatches.length} of the wrong size`,
      r.hashMismatches.length && `${r.hashMismatches.length} with the wrong SHA-256`,
      r.unreadable.length && `${r.unreadable.length} unreadable`,
      r.failedDeletions.length && `${plural(r.failedDeletions.length, "orphan")} not deleted`,
    ].filter(Boolean);
    lines.push(`Result: PROBLEMS — ${parts.join(", ")}.`);
  }
  return lines.join("\n");
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
