import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { integrityProblems } from "#db/backup.ts";
import { openDatabase } from "#db/client.ts";
import { migrations as knownMigrations } from "#db/migrations/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import { checkStorage } from "#app/files/integrity.server.ts";
import { appliedMigrations, DATABASE, hashFile, openReadOnly, readManifest, readObjects, snapshotStore, SnapshotError, storageProblems, verifySnapshot, type Manifest } from "./snapshot.server.ts";

/**
 * `npm run restore`: a snapshot (./snapshot.server.ts) back into a data
 * directory and a storage. The snapshot is verified first; the objects are
 * copied before the database, so a restore cut short never leaves a
 * database naming files that are not there; then the result is checked as
 * the snapshot was (integrity check; every file present with its size).
 * Cercle must be stopped meanwhile: the database file is replaced.
 */

export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefused";
  }
}

export interface RestoreOptions {
  from: string;
  dataDir: string;
  /** The configured storage the objects go to. */
  storage: StorageDriver;
  /** S3 snapshots whose objects were copied to another bucket: a driver on that copy. */
  copyDriver?: StorageDriver | null;
  /** Restore over a data directory (or bucket) that is not empty. */
  force: boolean;
  /** Also compare every restored object's SHA-256 with the recorded one. */
  verifyHashes?: boolean;
  onProgress?: (progress: { stage: "verifying-snapshot" | "objects" | "database" | "checking"; objectsDone: number; objectsTotal: number; bytesDone: number }) => void;
}

export interface RestoreResult {
  manifest: Manifest;
  objectsCopied: number;
  bytesCopied: number;
  warnings: string[];
}

export async function restoreSnapshot(options: RestoreOptions): Promise<RestoreResult> {
  const manifest = await readManifest(options.from);
  const unknown = (await snapshotMigrations(options.from)).filter((name) => !(name in knownMigrations));
  if (unknown.length > 0) {
    throw new RestoreRefused(`This snapshot was taken by a newer Cercle (migration ${unknown.at(-1)} is unknown here; Cercle ${manifest.cercleVersion}). Restore it with that version.`);
  }

  // The target: empty, unless told.
  // (The local driver's empty files/ folder, made by its check, does not count: its objects do.)
  const dataEntries = (await readdir(options.dataDir).catch(() => [] as string[])).filter((e) => e !== ".gitkeep" && !(e === "files" && options.storage.kind === "local"));
  if (dataEntries.length > 0 && !options.force) {
    throw new RestoreRefused(`${path.resolve(options.dataDir)} is not empty (${dataEntries.slice(0, 3).join(", ")}${dataEntries.length > 3 ? ", …" : ""}). Restore into an empty DATA_DIR, or add --force to replace its database.`);
  }
  const copying = manifest.storage.copy.kind !== "none";
  if (copying && !options.force) {
    for await (const _object of options.storage.list()) {
      throw new RestoreRefused(
        options.storage.kind === "s3"
          ? "The configured S3 bucket is not empty. Restore into an empty bucket, or add --force to write the snapshot's objects among those there."
          : `${path.resolve(options.dataDir)} is not empty (files holds stored objects). Restore into an empty DATA_DIR, or add --force.`,
      );
    }
  }

  // The snapshot itself first: a damaged one is refused before anything is touched.
  options.onProgress?.({ stage: "verifying-snapshot", objectsDone: 0, objectsTotal: manifest.objects.count, bytesDone: 0 });
  const source = snapshotStore(options.from, manifest, { liveStorage: options.storage, copyDriver: options.copyDriver });
  if (!source) throw new SnapshotError("This snapshot's objects were copied to an S3 bucket: configure S3 (STORAGE_DRIVER=s3 and its settings) to restore it.");
  const checked = await verifySnapshot(options.from, { liveStorage: options.storage, copyDriver: options.copyDriver, verifyHashes: false });
  if (checked.problems.length > 0) {
    throw new SnapshotError(`The snapshot is damaged; nothing was restored:\n${checked.problems.slice(0, 20).map((p) => `  - ${p}`).join("\n")}`);
  }
  const warnings = [...checked.warnings];

  // Objects, each hashed on the way and compared with what the backup saw.
  let objectsCopied = 0;
  let bytesCopied = 0;
  if (copying) {
    await mkdir(options.dataDir, { recursive: true });
    let last = 0;
    const report = (stage: "objects") => options.onProgress?.({ stage, objectsDone: objectsCopied, objectsTotal: manifest.objects.count, bytesDone: bytesCopied });
    for await (const object of readObjects(options.from)) {
      const { body } = await source.get(object.key);
      const hash = createHash("sha256");
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      body.on("error", (error) => tap.destroy(error));
      await options.storage.put(object.key, body.pipe(tap));
      if (size !== object.size || hash.digest("hex") !== object.sha256) {
        throw new SnapshotError(`${object.key} in the snapshot is not what was backed up (${size} bytes, ${object.size} when backed up); the restore stopped before the database.`);
      }
      objectsCopied++;
      bytesCopied += size;
      if (Date.now() - last > 2000 || objectsCopied % 500 === 0) {
        last = Date.now();
        report("objects");
      }
    }
    report("objects");
  }

  // Then the database, whole or not at all.
  options.onProgress?.({ stage: "database", objectsDone: objectsCopied, objectsTotal: manifest.objects.count, bytesDone: bytesCopied });
  await mkdir(options.dataDir, { recursive: true });
  const target = path.join(options.dataDir, "cercle.db");
  const temporary = path.join(options.dataDir, `.cercle.db.restoring`);
  await copyFile(path.join(options.from, DATABASE), temporary);
  if ((await hashFile(temporary)) !== manifest.database.sha256) {
    await rm(temporary, { force: true });
    throw new SnapshotError(`${DATABASE} changed while it was copied; nothing was restored.`);
  }
  // The old database's WAL and shared memory belong to it, not to the one restored.
  for (const suffix of ["-wal", "-shm", "-journal"]) await rm(`${target}${suffix}`, { force: true });
  await rename(temporary, target);

  // The result, checked as the snapshot was.
  options.onProgress?.({ stage: "checking", objectsDone: objectsCopied, objectsTotal: manifest.objects.count, bytesDone: bytesCopied });
  const damaged = integrityProblems(target);
  if (damaged.length > 0) throw new SnapshotError(`The restored database fails SQLite's integrity check:\n${damaged.map((d) => `  - ${d}`).join("\n")}`);
  const opened = openDatabase(target);
  try {
    const report = await checkStorage(opened.db, options.storage, { verifyHashes: options.verifyHashes ?? false, deleteOrphans: false });
    const problems = storageProblems(report);
    if (problems.length > 0) throw new SnapshotError(`The restored files do not match the database:\n${problems.slice(0, 20).map((p) => `  - ${p}`).join("\n")}`);
    for (const p of report.missingThumbnails) warnings.push(`${p.key} (${p.kind}) is not in storage`);
  } finally {
    await opened.close();
  }
  return { manifest, objectsCopied, bytesCopied, warnings };
}

/** The migrations the snapshot's database has applied. */
async function snapshotMigrations(dir: string): Promise<string[]> {
  const file = path.join(dir, DATABASE);
  if (!existsSync(file)) throw new SnapshotError(`${path.resolve(dir)} has no ${DATABASE}: the snapshot is incomplete.`);
  const db = openReadOnly(file);
  try {
    return await appliedMigrations(db);
  } catch {
    throw new SnapshotError(`${path.resolve(file)} cannot be read as a Cercle database: the snapshot is damaged.`);
  } finally {
    await db.destroy();
  }
}
