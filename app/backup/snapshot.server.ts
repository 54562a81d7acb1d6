import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { Kysely, SqliteDialect } from "kysely";
import SQLite from "better-sqlite3";
import { copyDatabase, integrityProblems, settleCopy } from "#db/backup.ts";
import type { DB } from "#db/client.ts";
import type { Database } from "#db/schema.ts";
import { forEachLimited, hashObject } from "#storage/hash.ts";
import { LocalDriver } from "#storage/index.ts";
import { ObjectNotFoundError, type StorageDriver } from "#storage/types.ts";
import { checkStorage, collectReferences, type Reference, type StorageReport } from "#app/files/integrity.server.ts";

/**
 * One backup: a folder holding the database as of one instant (SQLite's
 * online backup, never a file copy), the stored objects that database
 * names, and `manifest.json` saying what was taken and when. Takes paths,
 * a database and drivers; reads no environment, so the command line
 * (server/backup.ts), the primary's schedule (./job.server.ts) and the
 * tests run the same code.
 *
 * Why the files can be copied while people keep uploading: objects are
 * immutable (a new version is a new key) and an object is always stored
 * before the row naming it is committed. So every object the database copy
 * names was in storage when the copy was taken, and copying them after it
 * gives a consistent pair. An object deleted between the two (a trash purge
 * that very minute) is reported missing and the backup fails: run it again.
 *
 * A snapshot folder is written as `<name>.partial` and renamed once it has
 * verified itself, so a folder named `cercle-…` without suffix is whole.
 */

export const MANIFEST = "manifest.json";
export const OBJECTS = "objects.jsonl";
export const DATABASE = "cercle.db";
/** Local copies of the objects, laid out as DATA_DIR/files is (a LocalDriver root). */
export const FILES = "files";
export const SNAPSHOT_NAME = /^cercle-\d{8}-\d{6}(-\d+)?$/;

/** Objects copied or hashed at once: hides S3 latency; memory stays at a few stream buffers. */
const CONCURRENCY = 4;

export interface Manifest {
  format: "cercle-backup";
  formatVersion: 1;
  cercleVersion: string;
  startedAt: string;
  /** When the database copy was taken: the instant the snapshot shows. */
  databaseAt: string;
  finishedAt: string;
  /** Applied migrations, the last one naming the schema's level. */
  migrations: { count: number; last: string | null };
  database: { file: typeof DATABASE; bytes: number; sha256: string };
  storage: {
    /** The live storage's driver when the backup was taken. */
    driver: "local" | "s3";
    /**
     * Where the copies of the objects are: "snapshot" (the files/ folder here), an S3 bucket and
     * prefix, or "none" (S3, manifest only: the objects stay in the live bucket, listed with hashes).
     */
    copy: { kind: "snapshot" } | { kind: "bucket"; bucket: string; prefix: string } | { kind: "none"; bucket: string };
  };
  counts: Record<string, number>;
  objects: { count: number; bytes: number; file: typeof OBJECTS; sha256: string; skipped: number };
}

/** One line of objects.jsonl. */
export interface ManifestObject {
  key: string;
  kind: Reference["kind"];
  size: number;
  sha256: string;
}

export type BackupStage = "database" | "references" | "objects" | "verifying" | "done";

export interface BackupProgress {
  stage: BackupStage;
  objectsDone: number;
  objectsTotal: number;
  bytesDone: number;
}

export interface BackupOptions {
  /** The live database file (DATA_DIR/cercle.db). */
  databaseFile: string;
  /** The live storage. */
  storage: StorageDriver;
  /** The folder snapshots go in (each one a folder of its own). */
  parentDir: string;
  /**
   * S3 only: where the objects are copied — a driver on the bucket and prefix, or a function
   * giving it from the snapshot's folder name (its prefix then names the snapshot). None: manifest only.
   */
  copyTo?: CopyTarget | ((snapshotName: string) => CopyTarget) | null;
  cercleVersion: string;
  onProgress?: (progress: BackupProgress) => void;
  now?: () => number;
}

export interface CopyTarget {
  driver: StorageDriver;
  bucket: string;
  prefix: string;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
  /** Referenced objects that were not there (thumbnails, photos, optional ones), left out with a warning. */
  warnings: string[];
}

export class BackupError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
    /** The folder left behind (renamed `.failed`), if any. */
    readonly dir: string | null = null,
  ) {
    super(problems.length ? `${message}\n${problems.slice(0, 20).map((p) => `  - ${p}`).join("\n")}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ""}` : message);
    this.name = "BackupError";
  }
}

function stamp(t: number): string {
  const iso = new Date(t).toISOString();
  return `cercle-${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}`;
}

/** A fresh snapshot folder name in `parentDir` (a second backup in the same second gets -2, -3 …). */
function freshName(parentDir: string, t: number): string {
  const base = stamp(t);
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (![name, `${name}.partial`, `${name}.failed`].some((f) => existsSync(path.join(parentDir, f)))) return name;
  }
}

/** A read-only Kysely on a database file (a snapshot's: nothing may change it). */
export function openReadOnly(file: string): DB {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(file, { readonly: true, fileMustExist: true }) }) });
}

export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  await mkdir(options.parentDir, { recursive: true });
  const name = freshName(options.parentDir, startedAt);
  const work = path.join(options.parentDir, `${name}.partial`);
  await mkdir(work);
  try {
    return await writeSnapshot(options, { name, work, startedAt, now });
  } catch (error) {
    if (error instanceof BackupError) throw error;
    // Anything else (storage unreachable, disk full, a damaged database): the same answer.
    const failed = path.join(options.parentDir, `${name}.failed`);
    await rename(work, failed).catch(() => {});
    throw new BackupError(`The backup failed: ${error instanceof Error ? error.message : String(error)}`, [], failed);
  }
}

async function writeSnapshot(
  options: BackupOptions,
  { name, work, startedAt, now }: { name: string; work: string; startedAt: number; now: () => number },
): Promise<BackupResult> {
  const copyTo = typeof options.copyTo === "function" ? options.copyTo(name) : (options.copyTo ?? null);
  const progress: BackupProgress = { stage: "database", objectsDone: 0, objectsTotal: 0, bytesDone: 0 };
  const report = (stage?: BackupStage) => {
    if (stage) progress.stage = stage;
    options.onProgress?.({ ...progress });
  };

  const fail = async (message: string, problems: string[] = []): Promise<never> => {
    const failed = path.join(options.parentDir, `${name}.failed`);
    await rename(work, failed).catch(() => {});
    throw new BackupError(message, problems, failed);
  };

  // 1. The database, as of one instant.
  report("database");
  const dbFile = path.join(work, DATABASE);
  await copyDatabase(options.databaseFile, dbFile);
  const databaseAt = now();
  settleCopy(dbFile);
  // The integrity check comes once, with the verification (step 4): on a large database it is
  // the slowest step, and it blocks the process that runs it.

  const snap = openReadOnly(dbFile);
  let manifest: Manifest;
  const warnings: string[] = [];
  try {
    // 2. What it names.
    report("references");
    const refs = dedupe(await collectReferences(snap, options.storage, databaseAt));
    const migrations = await appliedMigrations(snap);
    const counts = await countRows(snap);

    // 3. Each object, copied (or only hashed: S3 without a copy), its hash taken on the way.
    report("objects");
    progress.objectsTotal = refs.length;
    const target: StorageDriver | null =
      options.storage.kind === "local" ? new LocalDriver({ root: path.join(work, FILES) }) : (copyTo?.driver ?? null);
    const problems: string[] = [];
    const lines = createWriteStream(path.join(work, OBJECTS));
    const linesHash = createHash("sha256");
    let objectBytes = 0;
    let objectCount = 0;
    let lastReport = 0;
    await forEachLimited(refs, CONCURRENCY, async (ref) => {
      const got = await copyObject(options.storage, target, ref.key).catch((error: unknown) => {
        if (error instanceof ObjectNotFoundError) return null;
        problems.push(`${ref.key} (${ref.kind}): ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      if (got === null) {
        // Purged after the database copy, or never there (a thumbnail not made yet, an upload under way).
        if (ref.presence === "required") problems.push(`${ref.key} (${ref.kind}): missing from storage — deleted since the database copy? Run the backup again.`);
        else if (ref.presence === "expected") warnings.push(`${ref.key} (${ref.kind}) is not in storage: left out`);
      } else if (got) {
        if (ref.size !== null && got.size !== ref.size) problems.push(`${ref.key} (${ref.kind}): ${got.size} bytes in storage, ${ref.size} recorded`);
        else if (ref.sha256 !== null && got.sha256 !== ref.sha256.toLowerCase()) problems.push(`${ref.key} (${ref.kind}): SHA-256 in storage differs from the recorded one`);
        const line = `${JSON.stringify({ key: ref.key, kind: ref.kind, size: got.size, sha256: got.sha256 } satisfies ManifestObject)}\n`;
        linesHash.update(line);
        if (!lines.write(line)) await new Promise<void>((resolve) => lines.once("drain", () => resolve()));
        objectCount++;
        objectBytes += got.size;
      }
      progress.objectsDone++;
      progress.bytesDone = objectBytes;
      const t = Date.now();
      if (t - lastReport >= 2000 || progress.objectsDone % 500 === 0) {
        lastReport = t;
        report();
      }
    });
    lines.end();
    await finished(lines);
    if (problems.length > 0) await fail("Some stored files could not be backed up:", problems);

    const dbStat = await stat(dbFile);
    const copy: Manifest["storage"]["copy"] =
      options.storage.kind === "local"
        ? { kind: "snapshot" }
        : copyTo
          ? { kind: "bucket", bucket: copyTo.bucket, prefix: copyTo.prefix }
          : { kind: "none", bucket: (options.storage as StorageDriver & { bucket?: string }).bucket ?? "" };
    manifest = {
      format: "cercle-backup",
      formatVersion: 1,
      cercleVersion: options.cercleVersion,
      startedAt: new Date(startedAt).toISOString(),
      databaseAt: new Date(databaseAt).toISOString(),
      finishedAt: "",
      migrations: { count: migrations.length, last: migrations.at(-1) ?? null },
      database: { file: DATABASE, bytes: dbStat.size, sha256: await hashFile(dbFile) },
      storage: { driver: options.storage.kind, copy },
      counts,
      objects: { count: objectCount, bytes: objectBytes, file: OBJECTS, sha256: linesHash.digest("hex"), skipped: refs.length - objectCount },
    };
  } finally {
    await snap.destroy();
  }

  // 4. The snapshot checks itself as a restore would.
  report("verifying");
  manifest.finishedAt = new Date(now()).toISOString();
  await writeFile(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const verified = await verifySnapshot(work, { liveStorage: options.storage, copyDriver: copyTo?.driver ?? null, verifyHashes: true });
  if (verified.problems.length > 0) await fail("The snapshot failed its own verification:", verified.problems);
  manifest.finishedAt = new Date(now()).toISOString();
  await writeFile(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);

  const dir = path.join(options.parentDir, name);
  await rename(work, dir);
  report("done");
  return { dir, manifest, warnings: [...warnings, ...verified.warnings] };
}

/** Copies one object into `target` (or only reads it when there is none), hashing on the way. */
async function copyObject(source: StorageDriver, target: StorageDriver | null, key: string): Promise<{ size: number; sha256: string }> {
  if (!target) return hashObject(source, key);
  const { body } = await source.get(key);
  const hash = createHash("sha256");
  let size = 0;
  await target.put(key, hashing(body, (chunk) => {
    hash.update(chunk);
    size += chunk.length;
  }));
  return { size, sha256: hash.digest("hex") };
}

/** `body` passed through, each chunk seen by `see`; an error in `body` ends the copy with it. */
function hashing(body: Readable, see: (chunk: Buffer) => void): Readable {
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      see(chunk);
      callback(null, chunk);
    },
  });
  body.on("error", (error) => tap.destroy(error));
  tap.on("close", () => body.destroy());
  return body.pipe(tap);
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest("hex");
}

function dedupe(refs: Reference[]): Reference[] {
  const seen = new Map<string, Reference>();
  for (const ref of refs) {
    const had = seen.get(ref.key);
    // The stricter presence wins (a key named twice is required if either row requires it).
    if (!had || rank(ref) > rank(had)) seen.set(ref.key, ref);
  }
  return [...seen.values()];
}
const rank = (r: Reference) => (r.presence === "required" ? 2 : r.presence === "expected" ? 1 : 0);

export async function appliedMigrations(db: DB): Promise<string[]> {
  // Kysely's own bookkeeping table, outside the Database interface.
  const rows = await (db as unknown as Kysely<{ kysely_migration: { name: string } }>).selectFrom("kysely_migration").select("name").orderBy("name").execute();
  return rows.map((r) => r.name);
}

/** What people would look for in a snapshot, counted. */
async function countRows(db: DB): Promise<Record<string, number>> {
  const tables = ["user", "space", "page", "post", "comment", "file", "file_version", "wiki_image", "workshop", "message"] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

// ---------------------------------------------------------------------------
// Reading and verifying a snapshot
// ---------------------------------------------------------------------------

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotError";
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path.join(dir, MANIFEST), "utf8");
  } catch {
    throw new SnapshotError(`${path.resolve(dir)} is not a Cercle backup: it has no ${MANIFEST}.`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new SnapshotError(`${path.join(path.resolve(dir), MANIFEST)} is not valid JSON: the snapshot is damaged.`);
  }
  if (manifest?.format !== "cercle-backup") throw new SnapshotError(`${path.resolve(dir)} is not a Cercle backup (its ${MANIFEST} says otherwise).`);
  if (manifest.formatVersion !== 1) throw new SnapshotError(`${path.resolve(dir)} was written by a newer Cercle (backup format ${manifest.formatVersion}); use that version to restore it.`);
  return manifest;
}

/** The manifest's objects, one at a time (the list may be long). */
export async function* readObjects(dir: string): AsyncIterable<ManifestObject> {
  const { createInterface } = await import("node:readline");
  const lines = createInterface({ input: createReadStream(path.join(dir, OBJECTS)), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim()) yield JSON.parse(line) as ManifestObject;
}

export interface Verification {
  problems: string[];
  warnings: string[];
  report: StorageReport | null;
}

/**
 * A snapshot, checked as it lies: its files whole (the database's and the
 * object list's SHA-256 as the manifest says), the database through
 * `PRAGMA integrity_check`, and every object the database names present in
 * the copy with the recorded size (and SHA-256 where the database or the
 * manifest knows it, with `verifyHashes`). For S3 snapshots the copy is the
 * other bucket (`copyDriver`) or, manifest only, the live bucket.
 */
export async function verifySnapshot(
  dir: string,
  options: { liveStorage?: StorageDriver | null; copyDriver?: StorageDriver | null; verifyHashes: boolean },
): Promise<Verification> {
  const manifest = await readManifest(dir);
  const problems: string[] = [];
  const warnings: string[] = [];
  const dbFile = path.join(dir, DATABASE);
  if (!existsSync(dbFile)) return { problems: [`${DATABASE} is missing`], warnings, report: null };
  if ((await hashFile(dbFile)) !== manifest.database.sha256) problems.push(`${DATABASE} is not the file the backup wrote (its SHA-256 differs)`);
  const damaged = integrityProblems(dbFile);
  if (damaged.length > 0) return { problems: [...problems, ...damaged.map((d) => `${DATABASE}: ${d}`)], warnings, report: null };
  if (existsSync(path.join(dir, OBJECTS))) {
    if ((await hashFile(path.join(dir, OBJECTS))) !== manifest.objects.sha256) problems.push(`${OBJECTS} is not the list the backup wrote (its SHA-256 differs)`);
  } else problems.push(`${OBJECTS} is missing`);

  const store = snapshotStore(dir, manifest, options);
  if (!store) return { problems: [...problems, "the snapshot's objects are in an S3 bucket: give the S3 settings to verify them"], warnings, report: null };
  const db = openReadOnly(dbFile);
  try {
    const report = await checkStorage(db, store, { verifyHashes: options.verifyHashes, deleteOrphans: false });
    problems.push(...storageProblems(report));
    for (const p of report.missingThumbnails) warnings.push(`${p.key} (${p.kind}) is not in the snapshot`);
    // Thumbnails, photos and the logo have no recorded size: the manifest's is checked instead.
    if (existsSync(path.join(dir, OBJECTS))) {
      for await (const object of readObjects(dir)) {
        if (object.kind !== "thumbnail" && object.kind !== "photo" && object.kind !== "logo") continue;
        const head = await store.head(object.key);
        if (head && head.size !== object.size) problems.push(`${object.key}: ${head.size} bytes in the copy, ${object.size} when backed up`);
      }
    }
    return { problems, warnings, report };
  } finally {
    await db.destroy();
  }
}

/** Where a snapshot's objects are to be read from. */
export function snapshotStore(
  dir: string,
  manifest: Manifest,
  options: { liveStorage?: StorageDriver | null; copyDriver?: StorageDriver | null },
): StorageDriver | null {
  switch (manifest.storage.copy.kind) {
    case "snapshot":
      return new LocalDriver({ root: path.join(dir, FILES) });
    case "bucket":
      return options.copyDriver ?? null;
    case "none":
      return options.liveStorage ?? null;
  }
}

export function storageProblems(report: StorageReport): string[] {
  return [
    ...report.missing.map((p) => `${p.key} (${p.kind}) is missing`),
    ...report.sizeMismatches.map((p) => `${p.key} (${p.kind}) has ${p.actualSize} bytes, ${p.expectedSize} recorded`),
    ...report.hashMismatches.map((p) => `${p.key} (${p.kind}) has the wrong SHA-256`),
    ...report.unreadable.map((p) => `${p.key} (${p.kind}) cannot be read: ${p.error}`),
  ];
}

// ---------------------------------------------------------------------------
// Keeping the last N
// ---------------------------------------------------------------------------

/**
 * Deletes the oldest whole snapshots in `parentDir` beyond the newest
 * `keep`, and failed or unfinished ones older than the newest whole one
 * (what a crash or a failure left). Only folders named as takeBackup names
 * them and holding a manifest are touched. Returns the folders deleted.
 */
export async function pruneSnapshots(
  parentDir: string,
  keep: number,
  /** Deletes an S3 copy of a snapshot deleted (its objects under bucket/prefix); without it, copies stay. */
  deleteCopy?: (copy: { bucket: string; prefix: string }) => Promise<void>,
): Promise<string[]> {
  const entries = await readdir(parentDir, { withFileTypes: true }).catch(() => []);
  const whole = entries
    .filter((e) => e.isDirectory() && SNAPSHOT_NAME.test(e.name) && existsSync(path.join(parentDir, e.name, MANIFEST)))
    .map((e) => e.name)
    .sort();
  const doomed = whole.slice(0, Math.max(0, whole.length - keep));
  const newest = whole.at(-1);
  if (newest) {
    for (const e of entries) {
      const m = /^(.*)\.(partial|failed)$/.exec(e.name);
      if (e.isDirectory() && m && SNAPSHOT_NAME.test(m[1]) && m[1] < newest) doomed.push(e.name);
    }
  }
  for (const name of doomed) {
    const dir = path.join(parentDir, name);
    const copy = deleteCopy ? await readManifest(dir).then((m) => m.storage.copy, () => null) : null;
    // The copy first: a failure leaves the folder, which names it, for the next prune.
    if (copy?.kind === "bucket") await deleteCopy!(copy);
    await rm(dir, { recursive: true, force: true });
  }
  return doomed;
}
