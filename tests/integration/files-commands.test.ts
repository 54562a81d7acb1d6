import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { Upload } from "@tus/utils";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import * as files from "#db/queries/files.ts";
import type { Space, StoredFile } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { createStorage } from "#storage/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import {
  cancelUpload,
  createFolder,
  moveFolder,
  purgeFromTrash,
  recordUpload,
  renameFile,
  reserveUpload,
  restoreFromTrash,
  trashFile,
  type AuditedFileActing,
} from "#app/files/commands.server.ts";
import { deletePurgedObjects } from "#app/files/trash.server.ts";
import { finishUpload } from "#app/files/upload-finish.server.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * The file commands called directly — no HTTP, no server: a real SQLite
 * file, the local storage driver in a temp folder, transactions opened as
 * the routes and jobs open them (transact). Refusals come back typed; two
 * commands in one transaction stand or fall together; an upload's bytes are
 * stored before its file row exists, and a purge's bytes go only after its
 * rows are gone.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
let root: string;
let storage: StorageDriver;
let admin: TestUser; // admin of both spaces
let alice: TestUser; // member of the club: uploads
let bob: TestUser; // member of the club
let club: Space;
let other: Space;

const QUOTA = 100_000;

async function acting(user: TestUser, space: Space): Promise<AuditedFileActing> {
  const membership = await store.db.selectFrom("space_member").selectAll().where("space_id", "=", space.id).where("user_id", "=", user.id).executeTakeFirst();
  return { space, actor: { id: user.id, isNetworkAdmin: user.is_network_admin === 1 }, membership, ip: "198.51.100.4", now: Date.now() };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const uploadRows = async () => (await store.db.selectFrom("upload").select("id").execute()).length;
const activityRows = async () => (await store.db.selectFrom("activity").select("id").execute()).length;

async function objectExists(key: string) {
  return (await storage.head(key)) !== null;
}

type ReserveInput = Parameters<typeof reserveUpload>[2];

const reserveInput = (name: string, size: number): ReserveInput => ({
  uploadId: newId(),
  name,
  size,
  folderId: null,
  fileId: null,
  onConflict: null,
  freeBytes: null,
  marginBytes: 0,
});

/** An upload as tus makes it: the reservation (a command), then every byte in storage — no file yet. */
async function storedUpload(user: TestUser, space: Space, name: string, bytes: Buffer) {
  const ctx = await acting(user, space);
  const input = reserveInput(name, bytes.length);
  const reserved = await transact(store.db, (trx) => reserveUpload(trx, ctx, input));
  if (!reserved.ok) throw new Error(`reservation refused: ${reserved.error}`);
  const tus = storage.uploadStore();
  await tus.create(new Upload({ id: input.uploadId, size: bytes.length, offset: 0 }));
  await tus.write(Readable.from([bytes]), input.uploadId, 0);
  return input.uploadId;
}

async function uploadedFile(user: TestUser, space: Space, name: string, bytes = Buffer.from(`bytes of ${name}`)): Promise<StoredFile> {
  const uploadId = await storedUpload(user, space, name, bytes);
  const finished = await finishUpload(store.db, storage, uploadId);
  if (!finished) throw new Error("upload not finished");
  return (await files.findLiveFile(store.db, space.id, finished.fileId))!;
}

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  root = await mkdtemp(path.join(os.tmpdir(), "cercle-files-cmd-"));
  storage = createStorage({ driver: "local", root });
  await createNetwork(store.db);
  admin = await createUser(store.db, { displayName: "Adèle Admin" });
  alice = await createUser(store.db, { displayName: "Alice Membre" });
  bob = await createUser(store.db, { displayName: "Bob Membre" });
  club = await createSpace(store.db, { createdBy: admin.id, slug: "club-files-cmd", visibility: "secret", storageQuotaBytes: QUOTA });
  other = await createSpace(store.db, { createdBy: admin.id, slug: "autre-files-cmd", visibility: "secret" });
  await addMember(store.db, { space: club, user: alice });
  await addMember(store.db, { space: club, user: bob });
});

afterAll(async () => {
  await store?.remove();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("an upload becomes its file", () => {
  test("bytes first, then the row: listed only once recorded, with the bytes' hash; a second finisher gets the same file", async () => {
    const bytes = Buffer.from("Compte rendu de l’assemblée");
    const uploadId = await storedUpload(alice, club, "compte-rendu.txt", bytes);
    // Every byte is stored, and nothing is listed yet.
    expect(await objectExists(storage.uploadKey(uploadId))).toBe(true);
    expect((await files.listFolder(store.db, club.id, null, "name", "asc")).files.map((f) => f.name)).not.toContain("compte-rendu.txt");

    const finished = await finishUpload(store.db, storage, uploadId);
    expect(finished?.name).toBe("compte-rendu.txt");
    const version = await store.db.selectFrom("file_version").selectAll().where("file_id", "=", finished!.fileId).executeTakeFirstOrThrow();
    expect(version).toMatchObject({ storage_key: storage.uploadKey(uploadId), size: bytes.length, sha256: sha256(bytes), uploaded_by: alice.id });
    expect((await files.listFolder(store.db, club.id, null, "name", "asc")).files.map((f) => f.name)).toContain("compte-rendu.txt");

    // The start-up pass, a HEAD or the sweep coming second: the command refuses, naming the first's file.
    const object = { storageKey: storage.uploadKey(uploadId), size: bytes.length, contentType: "text/plain", sha256: sha256(bytes), thumbnailKey: null };
    expect(await transact(store.db, (trx) => recordUpload(trx, { now: Date.now() }, { uploadId, object, onConflict: null }))).toEqual({
      ok: false,
      error: "already_finished",
      fileId: finished!.fileId,
    });
    expect(await finishUpload(store.db, storage, uploadId)).toEqual(finished);
    expect(await store.db.selectFrom("file_version").select("id").where("file_id", "=", finished!.fileId).execute()).toHaveLength(1);
  });
});

describe("typed refusals, nothing written", () => {
  test("reserving an upload: name taken, someone else's file to version, the quota, the disk, a folder of another space", async () => {
    const file = await uploadedFile(alice, club, "budget.ods");
    const [bobCtx, aliceCtx, otherCtx] = [await acting(bob, club), await acting(alice, club), await acting(admin, other)];
    const foreign = await transact(store.db, (trx) => createFolder(trx, otherCtx, { parentId: null, name: "Ailleurs" }));
    if (!foreign.ok) throw new Error("folder refused");
    const before = await uploadRows();
    const reserve = (ctx: AuditedFileActing, input: Partial<ReserveInput>) =>
      transact(store.db, (trx) => reserveUpload(trx, ctx, { ...reserveInput("x.bin", 10), ...input }));

    expect(await reserve(bobCtx, { name: "budget.ods" })).toEqual({ ok: false, error: "name_taken", fileId: file.id, canVersion: false });
    expect(await reserve(aliceCtx, { name: "budget.ods" })).toEqual({ ok: false, error: "name_taken", fileId: file.id, canVersion: true });
    expect(await reserve(bobCtx, { name: "budget.ods", onConflict: "version" })).toEqual({ ok: false, error: "forbidden" });
    expect(await reserve(bobCtx, { fileId: file.id })).toEqual({ ok: false, error: "forbidden" });
    expect(await reserve(bobCtx, { size: QUOTA + 1 })).toMatchObject({ ok: false, error: "quota_exceeded", quotaBytes: QUOTA });
    expect(await reserve(bobCtx, { size: 1000, freeBytes: 1500, marginBytes: 1000 })).toEqual({ ok: false, error: "disk_full" });
    expect(await reserve(bobCtx, { folderId: foreign.folder.id })).toEqual({ ok: false, error: "folder_not_found" });
    expect(await reserve(bobCtx, { fileId: newId() })).toEqual({ ok: false, error: "file_not_found" });
    expect(await uploadRows()).toBe(before);
  });

  test("the quota and one member's share: refusals say how much room is left, and reserve nothing", async () => {
    const small = await createSpace(store.db, { createdBy: admin.id, slug: "petit-files-cmd", visibility: "secret", storageQuotaBytes: 10_000 });
    await addMember(store.db, { space: small, user: alice });
    await addMember(store.db, { space: small, user: bob });
    await uploadedFile(alice, small, "gros.bin", Buffer.alloc(3000, 7));
    const bobCtx = await acting(bob, small);
    const reserve = (size: number) => transact(store.db, (trx) => reserveUpload(trx, bobCtx, reserveInput(`b-${size}.bin`, size)));
    expect(await reserve(8000)).toEqual({ ok: false, error: "quota_exceeded", remainingBytes: 7000, quotaBytes: 10_000 });
    expect(await reserve(4000)).toEqual({ ok: true });
    // 3000 left in the quota, but Bob already holds 4000 of his 5000 share.
    expect(await reserve(2000)).toEqual({ ok: false, error: "uploads_pending", heldBytes: 4000, shareBytes: 5000 });
    expect(await store.db.selectFrom("upload").select("size").where("space_id", "=", small.id).where("finished_file_id", "is", null).execute()).toEqual([{ size: 4000 }]);
  });

  test("files and folders: another space's ids are not_found, someone else's file forbidden, a bad name or destination invalid", async () => {
    const mine = await uploadedFile(alice, club, "photo.jpg");
    const theirs = await uploadedFile(admin, other, "secret.pdf");
    const [aliceCtx, bobCtx, adminCtx] = [await acting(alice, club), await acting(bob, club), await acting(admin, club)];
    const before = { activity: await activityRows(), folders: (await files.listLiveFolders(store.db, club.id)).length };

    expect(await transact(store.db, (trx) => renameFile(trx, aliceCtx, { fileId: theirs.id, name: "à moi.pdf" }))).toEqual({ ok: false, error: "not_found" });
    expect(await transact(store.db, (trx) => renameFile(trx, bobCtx, { fileId: mine.id, name: "à Bob.jpg" }))).toEqual({ ok: false, error: "forbidden" });
    expect(await transact(store.db, (trx) => trashFile(trx, bobCtx, { fileId: mine.id }))).toEqual({ ok: false, error: "forbidden" });
    expect(await transact(store.db, (trx) => renameFile(trx, aliceCtx, { fileId: mine.id, name: " \u202e " }))).toEqual({
      ok: false,
      error: "invalid",
      field: "name",
      message: "v.required",
    });
    const folder = await transact(store.db, (trx) => createFolder(trx, adminCtx, { parentId: null, name: "Réunions" }));
    if (!folder.ok) throw new Error("folder refused");
    expect(await transact(store.db, (trx) => moveFolder(trx, adminCtx, { folderId: folder.folder.id, destination: folder.folder.id }))).toEqual({
      ok: false,
      error: "invalid",
      field: "target",
      message: "files.moveIntoItself",
    });
    expect(await transact(store.db, (trx) => moveFolder(trx, adminCtx, { folderId: folder.folder.id, destination: undefined }))).toMatchObject({ message: "files.badTarget" });
    const foreignFolder = (await files.listLiveFolders(store.db, other.id))[0];
    expect(await transact(store.db, (trx) => createFolder(trx, adminCtx, { parentId: foreignFolder.id, name: "Dedans" }))).toEqual({ ok: false, error: "not_found" });
    expect(await transact(store.db, (trx) => restoreFromTrash(trx, adminCtx, { kind: "file", id: mine.id }))).toEqual({ ok: false, error: "not_found" });

    expect(await files.findLiveFile(store.db, club.id, mine.id)).toMatchObject({ name: "photo.jpg" });
    expect((await files.listLiveFolders(store.db, club.id)).length).toBe(before.folders + 1);
    // Only the folder that was made left a trace.
    expect(await activityRows()).toBe(before.activity);
  });

  test("the trash and uploads under way: another space's entries and uploads are not_found; so is a finished upload", async () => {
    const theirs = await uploadedFile(admin, other, "rapport.pdf");
    const otherCtx = await acting(admin, other);
    expect(await transact(store.db, (trx) => trashFile(trx, otherCtx, { fileId: theirs.id }))).toMatchObject({ ok: true });
    const adminCtx = await acting(admin, club);
    expect(await transact(store.db, (trx) => purgeFromTrash(trx, adminCtx, { kind: "file", id: theirs.id }))).toEqual({ ok: false, error: "not_found" });
    expect(await transact(store.db, (trx) => restoreFromTrash(trx, adminCtx, { kind: "file", id: theirs.id }))).toEqual({ ok: false, error: "not_found" });
    expect(await files.findTrashedFile(store.db, other.id, theirs.id)).toBeDefined();

    const running = await storedUpload(admin, other, "en-cours.bin", Buffer.from("pas fini"));
    expect(await transact(store.db, (trx) => cancelUpload(trx, adminCtx, { uploadId: running }))).toEqual({ ok: false, error: "not_found" });
    const finished = await storedUpload(alice, club, "fini.bin", Buffer.from("fini"));
    await finishUpload(store.db, storage, finished);
    expect(await transact(store.db, (trx) => cancelUpload(trx, adminCtx, { uploadId: finished }))).toEqual({ ok: false, error: "not_found" });
    expect(await files.findUpload(store.db, running)).toBeDefined();
    expect(await files.findUpload(store.db, finished)).toBeDefined();
  });
});

describe("one transaction for two commands", () => {
  test("a folder made, then a second of the same name refused: the first is rolled back too", async () => {
    const ctx = await acting(admin, club);
    const outcome = await transact(store.db, async (trx) => {
      const first = await createFolder(trx, ctx, { parentId: null, name: "Archives 2026" });
      if (!first.ok) return first;
      expect(await files.findLiveFolder(trx, club.id, first.folder.id)).toBeDefined();
      return createFolder(trx, ctx, { parentId: null, name: "archives 2026" });
    });
    expect(outcome).toEqual({ ok: false, error: "invalid", field: "name", message: "files.nameTaken" });
    expect((await files.listLiveFolders(store.db, club.id)).map((f) => f.name)).not.toContain("Archives 2026");
  });

  test("a file trashed, then a purge refused (an entry of another space): the file is live again, no activity, its bytes untouched", async () => {
    const file = await uploadedFile(alice, club, "plan.pdf");
    const theirs = await uploadedFile(admin, other, "plan-secret.pdf");
    const [aliceCtx, otherCtx] = [await acting(alice, club), await acting(admin, other)];
    await transact(store.db, (trx) => trashFile(trx, otherCtx, { fileId: theirs.id }));
    const activity = await activityRows();
    const outcome = await transact(store.db, async (trx) => {
      const first = await trashFile(trx, aliceCtx, { fileId: file.id });
      if (!first.ok) return first;
      return purgeFromTrash(trx, aliceCtx, { kind: "file", id: theirs.id });
    });
    expect(outcome).toEqual({ ok: false, error: "not_found" });
    expect(await files.findLiveFile(store.db, club.id, file.id)).toMatchObject({ deleted_at: null });
    expect(await activityRows()).toBe(activity);
    const version = await files.findVersion(store.db, file);
    expect(await objectExists(version!.storage_key)).toBe(true);
  });

  test("a purge accepted: its rows go in the transaction, its bytes only after it, by the caller", async () => {
    const file = await uploadedFile(alice, club, "vieux.txt");
    const key = (await files.findVersion(store.db, file))!.storage_key;
    const ctx = await acting(admin, club);
    await transact(store.db, (trx) => trashFile(trx, ctx, { fileId: file.id }));
    const purged = await transact(store.db, (trx) => purgeFromTrash(trx, ctx, { kind: "file", id: file.id }));
    if (!purged.ok) throw new Error("purge refused");
    expect(purged).toMatchObject({ name: "vieux.txt", files: 1, keys: [key] });
    expect(await files.findFileInSpace(store.db, club.id, file.id)).toBeUndefined();
    // Committed, and the bytes still there: a crash now leaves an orphan, never a file without bytes.
    expect(await objectExists(key)).toBe(true);
    await deletePurgedObjects(storage, purged);
    expect(await objectExists(key)).toBe(false);
    const entry = await store.db.selectFrom("audit_log").selectAll().where("event", "=", "file_purged").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: admin.id, space_id: club.id, ip: "198.51.100.4" });
    expect(JSON.parse(entry.data)).toMatchObject({ name: "vieux.txt", automatic: false });
  });
});
