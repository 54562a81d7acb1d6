import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Upload } from "@tus/utils";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { openDatabase, type DB } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { createFile, createUpload, deleteUpload } from "#db/queries/files.ts";
import type { Space, User } from "#db/schema.ts";
import { createStorage } from "#storage/index.ts";
import { photoKey, thumbnailKey, wikiImageKey } from "#storage/keys.ts";
import type { S3Driver } from "#storage/s3.ts";
import type { StorageDriver } from "#storage/types.ts";
import { checkStorage, type CheckOptions, type CheckStage } from "#app/files/integrity.server.ts";
import { logoKey } from "#app/admin/logo.ts";
import { createNetwork, createSpace, createUser } from "#tests/factories.ts";
import { DAY_MS, tempDatabase } from "#tests/helpers/db.ts";
import { s3Config, startS3rver } from "#tests/helpers/s3rver.ts";

/**
 * `npm run storage:check` (app/files/integrity.server.ts and its CLI,
 * server/storage-check.ts) on both drivers: local disk in a temp folder and
 * S3 on s3rver. Rows are made with the app's query functions and objects
 * with storage.put / the driver's tus store, exactly as uploads leave them.
 */

interface DriverCase {
  name: "local" | "s3";
  setup(): Promise<{ storage: StorageDriver; close(): Promise<void> }>;
}

const driverCases: DriverCase[] = [
  {
    name: "local",
    async setup() {
      const root = await mkdtemp(path.join(os.tmpdir(), "cercle-check-"));
      return { storage: createStorage({ driver: "local", root }), close: () => rm(root, { recursive: true, force: true }) };
    },
  },
  {
    name: "s3",
    async setup() {
      const server = await startS3rver();
      const storage = createStorage({ driver: "s3", ...s3Config(server) });
      return {
        storage,
        async close() {
          (storage as S3Driver).destroy();
          await server.close();
        },
      };
    },
  },
];

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Checks with nothing deleted and no grace wait, unless a test says otherwise. */
const plain: CheckOptions = { verifyHashes: false, deleteOrphans: false, orphanGraceMs: 0 };

describe.each(driverCases)("storage check on the $name driver", ({ setup }) => {
  let database: Awaited<ReturnType<typeof tempDatabase>>;
  let db: DB;
  let storage: StorageDriver;
  let closeStorage: () => Promise<void>;
  let user: User;
  let space: Space;

  beforeEach(async () => {
    database = await tempDatabase();
    db = database.db;
    await migrateToLatest(db);
    await createNetwork(db);
    user = await createUser(db);
    space = await createSpace(db, { createdBy: user.id });
    ({ storage, close: closeStorage } = await setup());
  });

  afterEach(async () => {
    await closeStorage();
    await database.remove();
  });

  /** A file whose version's object is `bytes`, as a finished upload leaves it (key = the upload id). */
  async function addFile(bytes: Buffer, options: { thumbnail?: boolean; name?: string } = {}) {
    const key = storage.uploadKey(newId());
    await storage.put(key, bytes);
    const thumb = options.thumbnail ? thumbnailKey(space.id, key) : null;
    if (thumb) await storage.put(thumb, Buffer.from("RIFF-webp-thumbnail"));
    const { file, version } = await createFile(db, {
      spaceId: space.id,
      folderId: null,
      name: options.name ?? `file-${key}.bin`,
      userId: user.id,
      now: Date.now(),
      object: { storageKey: key, size: bytes.length, contentType: "application/octet-stream", sha256: sha256(bytes), thumbnailKey: thumb },
      originalName: options.name ?? `file-${key}.bin`,
    });
    return { key, thumb, file, version };
  }

  /** A wiki image: stored first, then its row, as the image route does. */
  async function addWikiImage(bytes: Buffer) {
    const id = newId();
    const key = wikiImageKey(space.id, id);
    await storage.put(key, bytes);
    await insertWikiImageRow(id, bytes);
    return { id, key };
  }

  async function insertWikiImageRow(id: string, bytes: Buffer) {
    await db
      .insertInto("wiki_image")
      .values({ id, space_id: space.id, content_type: "image/png", size: bytes.length, sha256: sha256(bytes), uploaded_by: user.id, created_at: Date.now() })
      .execute();
  }

  async function addUploadRow(id: string, size: number) {
    const now = Date.now();
    await createUpload(db, { id, spaceId: space.id, folderId: null, userId: user.id, fileId: null, name: `upload-${id}.bin`, size, now, expiresAt: now + DAY_MS });
  }

  /** An upload half done: its row, and 4 of its 10 bytes in the tus store (no object yet). */
  async function addUnfinishedUpload() {
    const id = newId();
    await addUploadRow(id, 10);
    const store = storage.uploadStore();
    await store.create(new Upload({ id, size: 10, offset: 0 }));
    await store.write(Readable.from([Buffer.from("half")]), id, 0);
    return id;
  }

  /**
   * An upload whose last byte is in and whose thumbnail is made, a moment
   * before onUploadFinish swaps its row for a file version: its object and
   * thumbnail exist, and only the upload row names them.
   */
  async function addFinishingUpload(bytes: Buffer) {
    const id = newId();
    await addUploadRow(id, bytes.length);
    const store = storage.uploadStore();
    await store.create(new Upload({ id, size: bytes.length, offset: 0 }));
    await store.write(Readable.from([bytes]), id, 0);
    const thumb = thumbnailKey(space.id, id);
    await storage.put(thumb, Buffer.from("RIFF-upload-thumbnail"));
    return { id, key: storage.uploadKey(id), thumb };
  }

  /** What onUploadFinish does in its transaction: the version row in, the upload row out. */
  async function finishUpload(upload: { id: string; key: string; thumb: string }, bytes: Buffer) {
    await db.transaction().execute(async (trx) => {
      await createFile(trx, {
        spaceId: space.id,
        folderId: null,
        name: `finished-${upload.id}.bin`,
        userId: user.id,
        now: Date.now(),
        object: { storageKey: upload.key, size: bytes.length, contentType: "image/png", sha256: sha256(bytes), thumbnailKey: upload.thumb },
        originalName: `finished-${upload.id}.bin`,
      });
      await deleteUpload(trx, upload.id);
    });
    await storage.discardUpload(upload.id, { keepObject: true });
  }

  async function keys(): Promise<string[]> {
    const out: string[] = [];
    for await (const object of storage.list()) out.push(object.key);
    return out.sort();
  }

  async function bytesOf(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of (await storage.get(key)).body) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }

  test("a clean state reports nothing, with or without hashes", async () => {
    const a = await addFile(Buffer.from("first file"), { thumbnail: true });
    const b = await addFile(Buffer.alloc(0));
    const image = await addWikiImage(Buffer.from("png bytes"));
    await addUnfinishedUpload();
    const finishing = await addFinishingUpload(Buffer.from("all bytes are in"));

    for (const verifyHashes of [false, true]) {
      const progress: [number, number][] = [];
      const report = await checkStorage(db, storage, { ...plain, verifyHashes, onProgress: (done, total) => progress.push([done, total]) });
      expect(report.ok).toBe(true);
      expect(report.missing).toEqual([]);
      expect(report.sizeMismatches).toEqual([]);
      expect(report.hashMismatches).toEqual([]);
      expect(report.unreadable).toEqual([]);
      expect(report.missingThumbnails).toEqual([]);
      expect(report.orphans).toEqual([]);
      expect(report.driver).toBe(storage.kind);
      expect(report.counts).toMatchObject({ fileVersions: 2, thumbnails: 1, wikiImages: 1, uploads: 2, expiredUploads: 0 });
      // Two versions, their thumbnail and the image; the unfinished upload is no object.
      expect(report.counts.objects).toBe(6);
      expect((await keys()).sort()).toEqual([a.key, a.thumb, b.key, image.key, finishing.key, finishing.thumb].sort());
      // Hashes are read only when asked: two versions and one image.
      expect(report.counts.hashed).toBe(verifyHashes ? 3 : 0);
      expect(progress.at(-1)).toEqual([4, 4]);
    }
  });

  test("a deleted object is reported missing; a deleted thumbnail is only a warning", async () => {
    const kept = await addFile(Buffer.from("still here"));
    const lost = await addFile(Buffer.from("going away"), { thumbnail: true, name: "Rapport été.pdf" });
    const thumbless = await addFile(Buffer.from("lost its preview"), { thumbnail: true });
    const image = await addWikiImage(Buffer.from("image bytes"));

    await storage.delete(lost.key);
    await storage.delete(image.key);
    await storage.delete(thumbless.thumb!);

    const report = await checkStorage(db, storage, plain);
    expect(report.ok).toBe(false);
    expect(report.missing.map((p) => [p.kind, p.key]).sort()).toEqual(
      [
        ["file_version", lost.key],
        ["wiki_image", image.key],
      ].sort(),
    );
    const missingFile = report.missing.find((p) => p.kind === "file_version")!;
    expect(missingFile.owner).toMatchObject({ fileId: lost.file.id, fileName: "Rapport été.pdf", versionNumber: 1, spaceSlug: space.slug, inTrash: false });
    expect(missingFile).toMatchObject({ expectedSize: 10, actualSize: null });
    expect(report.missingThumbnails.map((p) => p.key)).toEqual([thumbless.thumb]);
    expect(report.orphans).toEqual([]);
    expect(report.missing.some((p) => p.key === kept.key)).toBe(false);

    // A missing thumbnail alone leaves the check OK.
    await storage.put(lost.key, Buffer.from("going away"));
    await storage.put(image.key, Buffer.from("image bytes"));
    const after = await checkStorage(db, storage, plain);
    expect(after.ok).toBe(true);
    expect(after.missing).toEqual([]);
    expect(after.missingThumbnails.map((p) => p.key)).toEqual([thumbless.thumb]);
  });

  test("a corrupted object of the same size is caught only with verifyHashes; another size always", async () => {
    const good = await addFile(Buffer.from("good bytes"));
    const flipped = await addFile(Buffer.from("original bytes"));
    const image = await addWikiImage(Buffer.from("image original"));
    const grown = await addFile(Buffer.from("short"));

    const corrupt = Buffer.from("0riginal bytes");
    expect(corrupt.length).toBe("original bytes".length);
    await storage.put(flipped.key, corrupt);
    await storage.put(image.key, Buffer.from("image 0riginal"));
    await storage.put(grown.key, Buffer.from("short, then longer"));

    const quick = await checkStorage(db, storage, plain);
    expect(quick.hashMismatches).toEqual([]);
    expect(quick.sizeMismatches.map((p) => [p.key, p.expectedSize, p.actualSize])).toEqual([[grown.key, 5, 18]]);
    expect(quick.ok).toBe(false);

    const full = await checkStorage(db, storage, { ...plain, verifyHashes: true });
    expect(full.ok).toBe(false);
    expect(full.hashMismatches.map((p) => p.key).sort()).toEqual([flipped.key, image.key].sort());
    const mismatch = full.hashMismatches.find((p) => p.key === flipped.key)!;
    expect(mismatch).toMatchObject({ kind: "file_version", expectedSha256: sha256(Buffer.from("original bytes")), actualSha256: sha256(corrupt) });
    expect(full.sizeMismatches.map((p) => p.key)).toEqual([grown.key]);
    expect(full.hashMismatches.some((p) => p.key === good.key)).toBe(false);
    expect(full.missing).toEqual([]);
  });

  test("orphans are reported, and deleted only when asked; everything a row names survives", async () => {
    const file = await addFile(Buffer.from("a real file"), { thumbnail: true });
    const image = await addWikiImage(Buffer.from("a real image"));
    const unfinished = await addUnfinishedUpload();
    const finishing = await addFinishingUpload(Buffer.from("complete upload"));
    // What a crash or a purge can leave: bytes of a vanished upload, a thumbnail, an image.
    const orphans = [storage.uploadKey(newId()), thumbnailKey(space.id, newId()), wikiImageKey(space.id, newId())].sort();
    for (const [i, key] of orphans.entries()) await storage.put(key, Buffer.from(`orphan ${i}`));

    const reported = await checkStorage(db, storage, plain);
    expect(reported.ok).toBe(true);
    expect(reported.orphans.map((o) => o.key)).toEqual(orphans);
    expect(reported.orphanBytes).toBe(3 * "orphan 0".length);
    expect(reported.deletedOrphans).toEqual([]);
    for (const key of orphans) expect(await storage.head(key)).not.toBeNull();

    const cleaned = await checkStorage(db, storage, { ...plain, deleteOrphans: true, verifyHashes: true });
    expect(cleaned.ok).toBe(true);
    expect(cleaned.deletedOrphans.map((o) => o.key)).toEqual(orphans);
    expect(cleaned.failedDeletions).toEqual([]);
    for (const key of orphans) expect(await storage.head(key)).toBeNull();
    expect(await keys()).toEqual([file.key, file.thumb, image.key, finishing.key, finishing.thumb].sort());
    expect(await bytesOf(file.key)).toEqual(Buffer.from("a real file"));
    // The upload still under way can go on where it was.
    const store = storage.uploadStore();
    expect((await store.getUpload(unfinished)).offset).toBe(4);
    await store.write(Readable.from([Buffer.from("-done!")]), unfinished, 4);
    expect(await bytesOf(storage.uploadKey(unfinished))).toEqual(Buffer.from("half-done!"));

    const again = await checkStorage(db, storage, { ...plain, deleteOrphans: true });
    expect(again.orphans).toEqual([]);
    expect(again.deletedOrphans).toEqual([]);
  });

  test("a member's profile photo is no orphan: --delete-orphans keeps both sizes; a missing one is only a warning", async () => {
    const photoId = newId();
    await db.updateTable("user").set({ photo_id: photoId }).where("id", "=", user.id).execute();
    const [small, large] = [photoKey(user.id, photoId, "s"), photoKey(user.id, photoId, "l")];
    await storage.put(small, Buffer.from("small photo"));
    await storage.put(large, Buffer.from("large photo"));
    // The photo replaced before it: its objects are orphans.
    const old = photoKey(user.id, newId(), "l");
    await storage.put(old, Buffer.from("old photo"));

    const cleaned = await checkStorage(db, storage, { ...plain, deleteOrphans: true });
    expect(cleaned.ok).toBe(true);
    expect(cleaned.deletedOrphans.map((o) => o.key)).toEqual([old]);
    expect(await keys()).toEqual([large, small].sort());

    await storage.delete(small);
    const report = await checkStorage(db, storage, plain);
    expect(report.ok).toBe(true);
    expect(report.missingThumbnails.map((p) => [p.key, p.kind])).toEqual([[small, "photo"]]);
  });

  test("the network's logo is no orphan: --delete-orphans keeps it and deletes the one it replaced", async () => {
    const logo = logoKey(newId());
    const replaced = logoKey(newId());
    expect((await db.updateTable("network").set({ logo_key: logo }).executeTakeFirst()).numUpdatedRows).toBe(1n);
    await storage.put(logo, Buffer.from("webp logo"));
    await storage.put(replaced, Buffer.from("older logo"));

    const cleaned = await checkStorage(db, storage, { ...plain, deleteOrphans: true });
    expect(cleaned.ok).toBe(true);
    expect(cleaned.deletedOrphans.map((o) => o.key)).toEqual([replaced]);
    expect(await keys()).toEqual([logo]);
  });

  test("an object whose row is written during the grace period is not deleted", async () => {
    const id = newId();
    const bytes = Buffer.from("image stored, row coming");
    const key = wikiImageKey(space.id, id);
    // The image route stores first and writes the row after: caught in between.
    await storage.put(key, bytes);
    const report = await checkStorage(db, storage, {
      ...plain,
      deleteOrphans: true,
      onStage: async (stage) => {
        if (stage === "waiting-grace") await insertWikiImageRow(id, bytes);
      },
    });
    expect(report.deletedOrphans).toEqual([]);
    expect(report.orphans).toEqual([]);
    expect(report.adoptedDuringCheck).toEqual([{ key, size: bytes.length }]);
    expect(await bytesOf(key)).toEqual(bytes);
  });

  test("nothing is deleted before the grace period has passed since the listing", async () => {
    await storage.put(storage.uploadKey(newId()), Buffer.from("orphan"));
    const at: Partial<Record<CheckStage, number>> = {};
    const report = await checkStorage(db, storage, {
      ...plain,
      deleteOrphans: true,
      orphanGraceMs: 400,
      onStage: (stage) => {
        at[stage] = Date.now();
      },
    });
    expect(report.deletedOrphans).toHaveLength(1);
    expect(at["deleting-orphans"]! - at.listing!).toBeGreaterThanOrEqual(400);
  });

  test("an upload that finishes, and a file added, while the check runs are neither orphans nor missing", async () => {
    const finishing = await addFinishingUpload(Buffer.from("finishes mid-check"));
    let added: Awaited<ReturnType<typeof addFile>> | undefined;
    const report = await checkStorage(db, storage, {
      ...plain,
      deleteOrphans: true,
      verifyHashes: true,
      onStage: async (stage) => {
        // After the listing, before the database is read.
        if (stage !== "reading-database") return;
        await finishUpload(finishing, Buffer.from("finishes mid-check"));
        added = await addFile(Buffer.from("stored after the listing"));
      },
    });
    expect(report.ok).toBe(true);
    expect(report.missing).toEqual([]);
    expect(report.orphans).toEqual([]);
    expect(report.deletedOrphans).toEqual([]);
    expect(report.counts).toMatchObject({ fileVersions: 2, thumbnails: 1, uploads: 0, hashed: 2 });
    expect(await keys()).toEqual([finishing.key, finishing.thumb, added!.key].sort());
  });

  test("a file purged while the check runs is not reported missing", async () => {
    await addFile(Buffer.from("stays"));
    const purged = await addFile(Buffer.from("purged mid-check"));
    const report = await checkStorage(db, storage, {
      ...plain,
      // The object was listed, so only reading it finds it gone.
      verifyHashes: true,
      onStage: async (stage) => {
        // References are read; the purge deletes the rows, then the object.
        if (stage !== "checking") return;
        await db.deleteFrom("file").where("id", "=", purged.file.id).execute();
        await storage.delete(purged.key);
      },
    });
    expect(report.missing).toEqual([]);
    expect(report.unreadable).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.counts.hashed).toBe(1);
  });
});

describe("npm run storage:check (the CLI)", () => {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "cercle-check-cli-"));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // What `npm run storage:check` runs (tsx), in one node process: not through
      // npx and tsx's launcher, which start two more processes for nothing.
      const child = spawn(process.execPath, ["--import", "tsx", "server/storage-check.ts", ...args], {
        cwd: repoRoot,
        // A clean environment (Vitest sets BASE_URL="/" in its own); STORAGE_DRIVER
        // set so a developer's .env cannot point the run at a bucket.
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.tmpdir(), NODE_ENV: "production", DATA_DIR: dataDir, STORAGE_DRIVER: "local" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  test("prints the report as JSON; exit 0 with orphans only, 1 once a file's object is gone", { timeout: 90_000 }, async () => {
    const opened = openDatabase(path.join(dataDir, "cercle.db"));
    const storage = createStorage({ driver: "local", root: path.join(dataDir, "files") });
    const bytes = Buffer.from("the one file");
    const key = storage.uploadKey(newId());
    const orphan = storage.uploadKey(newId());
    try {
      await migrateToLatest(opened.db);
      await createNetwork(opened.db);
      const user = await createUser(opened.db);
      const space = await createSpace(opened.db, { createdBy: user.id, slug: "club-cli" });
      await storage.put(key, bytes);
      await storage.put(orphan, Buffer.from("nobody's"));
      await createFile(opened.db, {
        spaceId: space.id,
        folderId: null,
        name: "Compte rendu.pdf",
        userId: user.id,
        now: Date.now(),
        object: { storageKey: key, size: bytes.length, contentType: "application/pdf", sha256: sha256(bytes), thumbnailKey: null },
        originalName: "Compte rendu.pdf",
      });
    } finally {
      await opened.close();
    }

    const fine = await run(["--json", "--sha256"]);
    expect(fine.code, fine.stderr).toBe(0);
    const report = JSON.parse(fine.stdout);
    expect(report).toMatchObject({
      ok: true,
      exitCode: 0,
      driver: "local",
      verifiedHashes: true,
      missing: [],
      hashMismatches: [],
      orphans: [{ key: orphan, size: "nobody's".length }],
      deletedOrphans: [],
    });
    expect(report.counts).toMatchObject({ objects: 2, fileVersions: 1, hashed: 1 });
    expect(await storage.head(orphan)).not.toBeNull();

    await storage.delete(key);
    // The three runs only read: side by side, not one after the other.
    const [broken, text, wrong] = await Promise.all([run(["--json"]), run([]), run(["--delete-everything"])]);
    expect(broken.code, broken.stderr).toBe(1);
    const brokenReport = JSON.parse(broken.stdout);
    expect(brokenReport.ok).toBe(false);
    expect(brokenReport.missing).toHaveLength(1);
    expect(brokenReport.missing[0]).toMatchObject({ key, kind: "file_version", owner: { fileName: "Compte rendu.pdf", spaceSlug: "club-cli" } });

    // The text report names the file for people, and refuses flags it does not know.
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("MISSING");
    expect(text.stdout).toContain('file "Compte rendu.pdf" version 1 in space club-cli');
    expect(text.stdout).toContain("Result: PROBLEMS — 1 missing.");
    expect(wrong.code).toBe(2);
  });
});
