import { existsSync } from "node:fs";
import { readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createFolder, listFolder, trashFolder } from "#db/queries/files.ts";
import type { Space } from "#db/schema.ts";
import { addMember, createSpace, type TestUser } from "#tests/factories.ts";
import type { Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { binaryBytes, fetchBytes, sha256Hex, sleep, Tus, type RawResponse } from "#tests/helpers/tus.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * Resumable uploads (tus 1.0) over real HTTP, with real session cookies, the
 * real SQLite file and the local storage driver under DATA_DIR/files: one
 * PATCH or several, an interrupted PATCH resumed, the size and quota limits,
 * hostile names, name conflicts and versions, who may upload what, and the
 * same-origin check. Every upload is followed by a look at the database and,
 * where it matters, at the disk. (Serving the bytes: files-download.test.ts.)
 */

const MAX_FILE_MB = 1;
const MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024;
const SMALL_QUOTA = 1000;

let server: TestServer;
let store: OpenedDatabase;
let filesRoot: string;

const roles = ["admin", "editor", "alice", "bob", "guest", "dave", "outsider"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
const tus = {} as Record<Who | "anonymous", Tus>;

let atelier: Space; // secret: admin, editor, alice & bob (members), guest, dave
let other: Space; // secret: dave and outsider
/** A fresh space with a 1000-byte quota (or `quota`) where alice and bob are members, so no test inherits another's usage. */
async function quotaSpace(quota = SMALL_QUOTA): Promise<Space> {
  const space = await createSpace(store.db, { createdBy: people.admin.id, slug: `petit-quota-${(seq++).toString(36)}`, storageQuotaBytes: quota });
  await addMember(store.db, { space, user: people.alice, role: "member" });
  await addMember(store.db, { space, user: people.bob, role: "member" });
  return space;
}

let w: World<Who, "atelier" | "other">;

beforeAll(async () => {
  w = await world({
    env: { MAX_FILE_MB: String(MAX_FILE_MB) },
    domain: "files-upload.test",
    displayName: (who) => `${who} Upload`,
    people: named(roles),
    spaces: {
      atelier: { createdBy: "admin", slug: "atelier-files", visibility: "secret", members: { editor: "editor", alice: "member", bob: "member", guest: "guest", dave: "member" } },
      other: { createdBy: "admin", slug: "autre-files", visibility: "secret", members: { dave: "member", outsider: "member" } },
    },
  });
  ({ server, store } = w);
  filesRoot = path.join(server.dataDir, "files");
  ({ atelier, other } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);
  Object.assign(tus, w.tus);
  tus.anonymous = new Tus(server.url, null);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

let seq = 0;
/** A file name no other test uses. */
const unique = (stem: string, ext: string) => `${stem} ${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}${ext}`;

const fileRow = (id: string) => store.db.selectFrom("file").selectAll().where("id", "=", id).executeTakeFirst();
const versionsOf = (fileId: string) => store.db.selectFrom("file_version").selectAll().where("file_id", "=", fileId).orderBy("number").execute();
const uploadRow = (id: string) => store.db.selectFrom("upload").selectAll().where("id", "=", id).executeTakeFirst();
const filesNamed = (space: Space, name: string) =>
  store.db.selectFrom("file").selectAll().where("space_id", "=", space.id).where("name", "=", name).execute();
const countRows = async (table: "file" | "file_version" | "upload") =>
  Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

/** The refusal's JSON body ({"error": …}); fails the test with what came back if it is not JSON. */
function refusal(res: RawResponse): Record<string, unknown> {
  const body = res.json();
  expect(body, `expected a JSON refusal, got ${res.status} ${JSON.stringify(res.text)}`).toBeTypeOf("object");
  return body!;
}

const download = (who: Who | null, space: Space, fileId: string, query = "") =>
  fetchBytes(server.url, who ? c[who] : null, `/spaces/${space.slug}/files/${fileId}/download${query}`);

/** Every file under a folder, as paths relative to it. */
async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else out.push(path.relative(base, full));
  }
  return out;
}

/** Size on disk of an upload under way (the local driver writes it under its id), or -1. */
const partSize = (uploadId: string) => stat(path.join(filesRoot, uploadId)).then((s) => s.size, () => -1);

/** HEAD until the reported offset is `expected` (an aborted PATCH may still be releasing its lock). */
async function offsetOnceSettled(t: Tus, location: string, expected: number): Promise<RawResponse> {
  const deadline = Date.now() + 8_000;
  let res: RawResponse;
  do {
    res = await t.head(location);
    if (res.status === 200 && Number(res.headers["upload-offset"]) === expected) return res;
    await sleep(50);
  } while (Date.now() < deadline);
  return res;
}

// ---------------------------------------------------------------------------
// 1. One PATCH
// ---------------------------------------------------------------------------

describe("an upload in one PATCH", () => {
  test("becomes a file and its version 1 (size, SHA-256, type sniffed from the bytes), the upload row is marked finished (kept a day so HEAD can name the file), the listing shows it, the bytes come back identical", async () => {
    const name = unique("Compte rendu réunion", ".pdf");
    const bytes = Buffer.from(`Compte rendu — ordre du jour\n${"Point à discuter; ".repeat(500)}\n`, "utf8");
    // The client claims a PDF; the bytes are plain text.
    const { location, uploadId } = await tus.alice.start(atelier.slug, bytes.length, { filename: name, filetype: "application/pdf" });
    expect(location).toBe(`/spaces/${atelier.slug}/files/uploads/${uploadId}`);
    expect(uploadId).toMatch(/^[a-z0-9]{10,40}$/);
    expect(await uploadRow(uploadId)).toMatchObject({ space_id: atelier.id, user_id: people.alice.id, name, size: bytes.length, folder_id: null, file_id: null });
    expect(await filesNamed(atelier, name)).toHaveLength(0);

    const res = await tus.alice.patch(location, 0, bytes);
    expect(res.status, res.text).toBe(204);
    expect(res.headers["upload-offset"]).toBe(String(bytes.length));
    const fileId = res.headers["upload-file-id"];
    expect(fileId).toMatch(/^[a-z0-9]+$/);

    const file = await fileRow(fileId as string);
    expect(file).toMatchObject({
      space_id: atelier.id,
      folder_id: null,
      name,
      version: 1,
      size: bytes.length,
      content_type: "text/plain",
      created_by: people.alice.id,
      updated_by: people.alice.id,
      deleted_at: null,
    });
    const versions = await versionsOf(file!.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({
      number: 1,
      space_id: atelier.id,
      size: bytes.length,
      sha256: sha256Hex(bytes),
      content_type: "text/plain",
      original_name: name,
      uploaded_by: people.alice.id,
    });
    expect(await uploadRow(uploadId)).toMatchObject({ finished_file_id: fileId, received: bytes.length });

    // The listing a folder view reads has it, with the current version's facts.
    const listing = await listFolder(store.db, atelier.id, null);
    expect(listing.files).toContainEqual(expect.objectContaining({ id: file!.id, name, size: bytes.length, content_type: "text/plain", version: 1 }));

    // The object is on disk under its key, and tus's bookkeeping is gone.
    const onDisk = path.join(filesRoot, ...versions[0].storage_key.split("/"));
    expect((await stat(onDisk)).size).toBe(bytes.length);
    expect(existsSync(path.join(filesRoot, `${uploadId}.json`))).toBe(false);

    const activity = await store.db.selectFrom("activity").selectAll().where("space_id", "=", atelier.id).where("verb", "=", "file_added").execute();
    expect(activity.map((a) => JSON.parse(a.data))).toContainEqual(expect.objectContaining({ fileId: file!.id, name }));

    const got = await download("bob", atelier, file!.id);
    expect(got.status).toBe(200);
    expect(got.body.equals(bytes)).toBe(true);
    expect(sha256Hex(got.body)).toBe(sha256Hex(bytes));
  });

  test("an upload finished: HEAD says complete and names its file (a client retrying after a lost answer finds it), PATCH answers 404, DELETE does not remove the file", async () => {
    const bytes = binaryBytes(2048, "finished");
    const up = await tus.alice.upload(atelier.slug, bytes, { filename: unique("fini", ".bin") });
    const head = await tus.alice.head(up.location);
    expect(head.status).toBe(200);
    expect(head.headers["upload-offset"]).toBe(String(bytes.length));
    expect(head.headers["upload-length"]).toBe(String(bytes.length));
    expect(head.headers["upload-file-id"]).toBe(up.fileId);
    expect((await tus.alice.patch(up.location, bytes.length, Buffer.from("more"))).status).toBe(404);
    expect([403, 404]).toContain((await tus.alice.delete(up.location)).status);
    const got = await download("alice", atelier, up.fileId);
    expect(got.status).toBe(200);
    expect(got.body.equals(bytes)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// 2. Several PATCHes, an interrupted one
// ---------------------------------------------------------------------------

describe("an upload in several PATCHes", () => {
  test("three PATCHes with a HEAD between: the offset is reported right, nothing is visible before the last byte", async () => {
    const name = unique("Trois morceaux", ".bin");
    const bytes = binaryBytes(300_000, "three");
    const filesBefore = await countRows("file");
    const { location, uploadId } = await tus.alice.start(atelier.slug, bytes.length, { filename: name });

    const head0 = await tus.alice.head(location);
    expect(head0.status).toBe(200);
    expect(head0.headers["upload-offset"]).toBe("0");
    expect(head0.headers["upload-length"]).toBe(String(bytes.length));
    expect(head0.headers["cache-control"]).toBe("no-store");

    const cuts = [0, 100_000, 200_000, bytes.length];
    let last: RawResponse | undefined;
    for (let i = 0; i < 3; i++) {
      last = await tus.alice.patch(location, cuts[i], bytes.subarray(cuts[i], cuts[i + 1]));
      expect(last.status, last.text).toBe(204);
      expect(last.headers["upload-offset"]).toBe(String(cuts[i + 1]));
      if (i < 2) {
        const head = await tus.alice.head(location);
        expect(head.status).toBe(200);
        expect(head.headers["upload-offset"]).toBe(String(cuts[i + 1]));
        // Not a file yet: no row, no listing entry, nothing to download under the upload's id.
        expect(await countRows("file")).toBe(filesBefore);
        expect(await filesNamed(atelier, name)).toHaveLength(0);
        expect((await listFolder(store.db, atelier.id, null)).files.map((f) => f.name)).not.toContain(name);
        expect(last.headers["upload-file-id"]).toBeUndefined();
        expect((await download("alice", atelier, uploadId)).status).toBe(404);
        expect(await uploadRow(uploadId)).toBeDefined();
      }
    }
    const fileId = last!.headers["upload-file-id"] as string;
    expect(fileId).toBeTruthy();
    const [version] = await versionsOf(fileId);
    expect(version).toMatchObject({ size: bytes.length, sha256: sha256Hex(bytes), content_type: "application/octet-stream" });
    const got = await download("alice", atelier, fileId);
    expect(got.status).toBe(200);
    expect(got.body.equals(bytes)).toBe(true);
  });

  test("a PATCH that breaks off halfway keeps what arrived; HEAD says how far; resuming from there finishes the same file", async () => {
    const name = unique("Interrompu", ".bin");
    const bytes = binaryBytes(240_000, "interrupted");
    const { location, uploadId } = await tus.alice.start(atelier.slug, bytes.length, { filename: name });

    // First chunk whole.
    const first = await tus.alice.patch(location, 0, bytes.subarray(0, 80_000));
    expect(first.status).toBe(204);

    // Second chunk announced as 80 000 bytes, but the connection dies after 40 000.
    const sent = 40_000;
    await tus.alice.interruptedPatch(location, 80_000, bytes.subarray(80_000, 160_000), sent, async () => (await partSize(uploadId)) >= 80_000 + sent);
    const head = await offsetOnceSettled(tus.alice, location, 80_000 + sent);
    expect(head.status).toBe(200);
    expect(Number(head.headers["upload-offset"])).toBe(80_000 + sent);

    // Not a file, not downloadable.
    expect(await filesNamed(atelier, name)).toHaveLength(0);
    expect((await download("alice", atelier, uploadId)).status).toBe(404);

    // A resume from a wrong offset is refused (409) without touching anything.
    const wrong = await tus.alice.patch(location, 80_000, bytes.subarray(80_000, 160_000));
    expect(wrong.status).toBe(409);
    expect((await tus.alice.head(location)).headers["upload-offset"]).toBe(String(80_000 + sent));

    // Resume from where it got to, in two PATCHes.
    const offset = 80_000 + sent;
    const second = await tus.alice.patch(location, offset, bytes.subarray(offset, 200_000));
    expect(second.status).toBe(204);
    expect(second.headers["upload-file-id"]).toBeUndefined();
    expect(await filesNamed(atelier, name)).toHaveLength(0);
    const third = await tus.alice.patch(location, 200_000, bytes.subarray(200_000));
    expect(third.status, third.text).toBe(204);
    const fileId = third.headers["upload-file-id"] as string;
    expect(fileId).toBeTruthy();

    const [version] = await versionsOf(fileId);
    expect(version).toMatchObject({ size: bytes.length, sha256: sha256Hex(bytes) });
    expect(await uploadRow(uploadId)).toMatchObject({ finished_file_id: fileId });
    const got = await download("alice", atelier, fileId);
    expect(got.status).toBe(200);
    expect(got.body.length).toBe(bytes.length);
    expect(got.body.equals(bytes)).toBe(true);
  });

  test("DELETE abandons an upload: its part and row go, and the room it held in the quota is free again", async () => {
    const small = await quotaSpace();
    const bytes = binaryBytes(600, "abandoned");
    const { location, uploadId } = await tus.alice.start(small.slug, bytes.length, { filename: unique("abandon", ".bin") });
    expect((await tus.alice.patch(location, 0, bytes.subarray(0, 300))).status).toBe(204);
    const res = await tus.alice.delete(location);
    expect(res.status).toBe(204);
    expect((await tus.alice.head(location)).status).toBe(404);
    expect(await partSize(uploadId)).toBe(-1);
    // Soft: both consequences of a row left behind are reported.
    expect.soft(await uploadRow(uploadId), "the upload row outlives DELETE").toBeUndefined();
    // The 600 bytes it reserved are free again.
    const again = await tus.alice.create(small.slug, { length: bytes.length, metadata: { filename: unique("abandon encore", ".bin") } });
    expect.soft(again.status, again.text).toBe(201);
  });
});

// ---------------------------------------------------------------------------
// 3. Limits
// ---------------------------------------------------------------------------

describe("limits", () => {
  test("an Upload-Length above MAX_FILE_MB → 413 file_too_large with maxBytes; nothing stored", async () => {
    const [files, uploads] = [await countRows("file"), await countRows("upload")];
    const diskBefore = await walk(filesRoot);
    const res = await tus.alice.create(atelier.slug, { length: MAX_FILE_BYTES + 1, metadata: { filename: unique("trop gros", ".iso") } });
    expect(res.status).toBe(413);
    // Soft, so that "nothing stored" is still checked when the body is not the app's JSON.
    expect.soft(res.json(), `the refusal's body: ${JSON.stringify(res.text)}`).toEqual({ error: "file_too_large", maxBytes: MAX_FILE_BYTES });
    expect(res.headers.location).toBeUndefined();
    expect(await countRows("file")).toBe(files);
    expect(await countRows("upload")).toBe(uploads);
    expect(await walk(filesRoot)).toEqual(diskBefore);
  });

  test("exactly MAX_FILE_MB is accepted", async () => {
    const res = await tus.alice.create(atelier.slug, { length: MAX_FILE_BYTES, metadata: { filename: unique("juste", ".bin") } });
    expect(res.status, res.text).toBe(201);
    expect((await tus.alice.delete(res.headers.location as string)).status).toBe(204);
  });

  test("the quota counts stored versions and uploads under way: the second upload that does not fit → 413 quota_exceeded with the room left", async () => {
    const small = await quotaSpace();
    // 300 bytes stored.
    const stored = binaryBytes(300, "quota-stored");
    await tus.alice.upload(small.slug, stored, { filename: unique("stocke", ".bin") });
    // 400 bytes reserved by an upload under way (100 of them sent).
    const first = await tus.alice.start(small.slug, 400, { filename: unique("en cours", ".bin") });
    expect((await tus.alice.patch(first.location, 0, binaryBytes(100, "q1"))).status).toBe(204);

    const uploads = await countRows("upload");
    const refused = await tus.alice.create(small.slug, { length: 301, metadata: { filename: unique("de trop", ".bin") } });
    expect(refused.status).toBe(413);
    expect(refusal(refused)).toEqual({ error: "quota_exceeded", remainingBytes: SMALL_QUOTA - 300 - 400, quotaBytes: SMALL_QUOTA });
    expect(await countRows("upload")).toBe(uploads);
    expect(refused.headers.location).toBeUndefined();

    // What is left fits exactly (for bob: alice's own uploads already hold her share); after it, nothing is left.
    const fits = await tus.bob.create(small.slug, { length: 300, metadata: { filename: unique("pile", ".bin") } });
    expect(fits.status, fits.text).toBe(201);
    const none = await tus.bob.create(small.slug, { length: 1, metadata: { filename: unique("un octet", ".bin") } });
    expect(none.status).toBe(413);
    expect(refusal(none)).toMatchObject({ error: "quota_exceeded", remainingBytes: 0, quotaBytes: SMALL_QUOTA });

    expect((await tus.alice.delete(first.location)).status).toBe(204);
    expect((await tus.bob.delete(fits.headers.location as string)).status).toBe(204);
  });

  test("uploads racing for the last room: exactly one gets it", async () => {
    const small = await quotaSpace();
    const answers = await Promise.all(
      [1, 2, 3, 4].map((i) => tus.alice.create(small.slug, { length: 600, metadata: { filename: unique(`course ${i}`, ".bin") } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 413, 413, 413]);
    for (const a of answers.filter((x) => x.status === 413)) expect(refusal(a)).toMatchObject({ error: "quota_exceeded", remainingBytes: 400 });
    const rows = await store.db.selectFrom("upload").select("size").where("space_id", "=", small.id).execute();
    expect(rows).toEqual([{ size: 600 }]);
  });

  test("an expired upload no longer holds room in the quota", async () => {
    const small = await quotaSpace();
    const { uploadId } = await tus.alice.start(small.slug, 900, { filename: unique("oublie", ".bin") });
    const blocked = await tus.alice.create(small.slug, { length: 200, metadata: { filename: unique("bloque", ".bin") } });
    expect(refusal(blocked)).toMatchObject({ error: "quota_exceeded", remainingBytes: 100 });
    // Idle past UPLOAD_IDLE_MS (30 min) and past its day: it holds nothing.
    await store.db.updateTable("upload").set({ active_at: Date.now() - 24 * 60 * 60 * 1000, expires_at: Date.now() - 1 }).where("id", "=", uploadId).execute();
    const fits = await tus.alice.create(small.slug, { length: 1000, metadata: { filename: unique("tout", ".bin") } });
    expect(fits.status, fits.text).toBe(201);
  });

  test("a PATCH carrying more bytes than Upload-Length is refused and nothing becomes visible", async () => {
    const name = unique("debordement", ".bin");
    const { location, uploadId } = await tus.alice.start(atelier.slug, 100, { filename: name });
    const res = await tus.alice.patch(location, 0, binaryBytes(150, "over"));
    expect(res.status).toBe(413);
    expect(res.headers["upload-file-id"]).toBeUndefined();
    expect(await filesNamed(atelier, name)).toHaveLength(0);
    expect((await download("alice", atelier, uploadId)).status).toBe(404);
    const head = await tus.alice.head(location);
    expect(Number(head.headers["upload-offset"])).toBeLessThan(100);
    expect((await tus.alice.delete(location)).status).toBe(204);
  });

  test("the same with a chunked body (no Content-Length to check up front): refused, nothing visible", async () => {
    const name = unique("debordement chunked", ".bin");
    const { location, uploadId } = await tus.alice.start(atelier.slug, 100, { filename: name });
    const res = await tus.alice.patch(location, 0, binaryBytes(150, "over-chunked"), { chunked: true });
    expect(res.status).toBe(413);
    expect(res.headers["upload-file-id"]).toBeUndefined();
    expect(await filesNamed(atelier, name)).toHaveLength(0);
    expect((await download("alice", atelier, uploadId)).status).toBe(404);
  });

  test("a deferred length (Upload-Defer-Length: 1) → 400 length_required, nothing stored", async () => {
    const uploads = await countRows("upload");
    const res = await tus.alice.create(atelier.slug, { length: null, deferLength: true, metadata: { filename: unique("sans taille", ".bin") } });
    expect(res.status).toBe(400);
    expect(refusal(res)).toMatchObject({ error: "length_required" });
    expect(await countRows("upload")).toBe(uploads);
  });

  test("no filename, or one with nothing left once cleaned → 400 name_missing; an unknown onConflict → 400 bad_conflict_choice", async () => {
    const uploads = await countRows("upload");
    for (const metadata of [{}, { filename: "" }, { filename: "  \u202e\u200f\t " }]) {
      const res = await tus.alice.create(atelier.slug, { length: 10, metadata });
      expect(res.status, JSON.stringify(metadata)).toBe(400);
      expect(refusal(res)).toMatchObject({ error: "name_missing" });
    }
    const bad = await tus.alice.create(atelier.slug, { length: 10, metadata: { filename: unique("x", ".txt"), onConflict: "overwrite" } });
    expect(bad.status).toBe(400);
    expect(refusal(bad)).toMatchObject({ error: "bad_conflict_choice" });
    expect(await countRows("upload")).toBe(uploads);
  });

  test("an unknown folder, or one of another space → 404 folder_not_found; a fileId of another space → 404 file_not_found", async () => {
    const otherFolder = await createFolder(store.db, { spaceId: other.id, parentId: null, name: unique("dossier ailleurs", ""), userId: people.dave.id, now: Date.now() });
    const otherFile = await tus.dave.upload(other.slug, binaryBytes(64, "other-space"), { filename: unique("ailleurs", ".bin") });
    const uploads = await countRows("upload");
    for (const folderId of ["nosuchfolder0000000000", otherFolder.id]) {
      const res = await tus.dave.create(atelier.slug, { length: 10, metadata: { filename: unique("x", ".bin"), folderId } });
      expect(res.status).toBe(404);
      expect(refusal(res)).toMatchObject({ error: "folder_not_found" });
    }
    for (const fileId of ["nosuchfile000000000000", otherFile.fileId]) {
      const res = await tus.dave.create(atelier.slug, { length: 10, metadata: { filename: unique("x", ".bin"), fileId } });
      expect(res.status).toBe(404);
      expect(refusal(res)).toMatchObject({ error: "file_not_found" });
    }
    expect(await countRows("upload")).toBe(uploads);
    expect(await versionsOf(otherFile.fileId)).toHaveLength(1);
  });

  test("an upload into a folder of the space lands in it", async () => {
    const folder = await createFolder(store.db, { spaceId: atelier.id, parentId: null, name: unique("Dossier", ""), userId: people.editor.id, now: Date.now() });
    const name = unique("dans le dossier", ".txt");
    const up = await tus.alice.upload(atelier.slug, Buffer.from("hello"), { filename: name, folderId: folder.id });
    expect(await fileRow(up.fileId)).toMatchObject({ folder_id: folder.id, name });
    expect((await listFolder(store.db, atelier.id, folder.id)).files.map((f) => f.id)).toEqual([up.fileId]);
    expect((await listFolder(store.db, atelier.id, null)).files.map((f) => f.id)).not.toContain(up.fileId);
  });

  test("a folder trashed while the bytes come in: the file lands at the top level, not lost", async () => {
    const folder = await createFolder(store.db, { spaceId: atelier.id, parentId: null, name: unique("Dossier jete", ""), userId: people.editor.id, now: Date.now() });
    const name = unique("orphelin", ".txt");
    const { location } = await tus.alice.start(atelier.slug, 5, { filename: name, folderId: folder.id });
    await trashFolder(store.db, folder.id, people.editor.id, Date.now());
    const res = await tus.alice.patch(location, 0, Buffer.from("hello"));
    expect(res.status, res.text).toBe(204);
    const file = await fileRow(res.headers["upload-file-id"] as string);
    expect(file).toMatchObject({ folder_id: null, name, deleted_at: null });
    // That folder purged for good afterwards: the file that escaped it keeps its bytes.
    const purged = await c.editor.post(`/spaces/${atelier.slug}/files/trash`, { intent: "purge", kind: "folder", id: folder.id });
    expect(purged.status).toBe(302);
    const got = await download("alice", atelier, file!.id);
    expect(got.status).toBe(200);
    expect(got.body.toString()).toBe("hello");
  });
});

// ---------------------------------------------------------------------------
// 4. Hostile names
// ---------------------------------------------------------------------------

describe("hostile names are kept for display, never used as a path", () => {
  const LONG = `${"é".repeat(200)}${"n".repeat(296)}.pdf`; // 500 characters

  const cases: Array<[label: string, sent: string, stored: (s: string) => void]> = [
    ["a path climbing out", "../../etc/passwd", (s) => expect(s).toBe("../../etc/passwd")],
    ["a Windows path", "..\\..\\Windows\\win.ini", (s) => expect(s).toBe("..\\..\\Windows\\win.ini")],
    ["semicolon, quote, equals", "a;b'c=.pdf", (s) => expect(s).toBe("a;b'c=.pdf")],
    ["a right-to-left override", "facture\u202Efdp.exe", (s) => expect(s).toBe("facturefdp.exe")],
    ["accents and quotes", 'Été « devis » "final" l\'an.pdf', (s) => expect(s).toBe('Été « devis » "final" l\'an.pdf')],
    ["decomposed accents (NFD)", "Re\u0301sume\u0301.txt", (s) => expect(s).toBe("Résumé.txt")],
    [
      "500 characters",
      LONG,
      (s) => {
        expect([...s].length).toBeLessThanOrEqual(255);
        expect(s.endsWith(".pdf")).toBe(true);
        expect(s.startsWith("éééé")).toBe(true);
      },
    ],
  ];

  const stored: Array<{ sent: string; name: string; fileId: string; key: string }> = [];

  test.each(cases)("%s: stored under a server-made key, the name kept as shown", async (_label, sent, check) => {
    const bytes = Buffer.from(`contenu de ${sent}`);
    const up = await tus.bob.upload(atelier.slug, bytes, { filename: sent });
    const file = (await fileRow(up.fileId))!;
    check(file.name);
    expect(file.name).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
    const [version] = await versionsOf(up.fileId);
    // The key is made of ids: nothing of the name is in it.
    expect(version.storage_key).toMatch(/^[a-z0-9]+(\/[a-z0-9._-]+)*$/);
    expect(version.storage_key).not.toContain("..");
    for (const word of sent.split(/[^A-Za-z]+/).filter((w) => w.length >= 5)) expect(version.storage_key.toLowerCase()).not.toContain(word.toLowerCase());
    const onDisk = path.join(filesRoot, ...version.storage_key.split("/"));
    expect(path.resolve(onDisk).startsWith(path.resolve(filesRoot) + path.sep)).toBe(true);
    expect((await stat(onDisk)).size).toBe(bytes.length);
    const got = await download("alice", atelier, up.fileId);
    expect(got.body.equals(bytes)).toBe(true);
    stored.push({ sent, name: file.name, fileId: up.fileId, key: version.storage_key });
  });

  test("nothing was written outside DATA_DIR/files, and no path on disk comes from a name", async () => {
    expect(stored.length).toBe(cases.length);
    // DATA_DIR holds the database, the files folder and the disk reserve (app/utils/disk.server.ts), nothing else.
    for (const entry of await readdir(server.dataDir)) expect(entry).toMatch(/^(files|disk-reserve\.bin|cercle\.db(-wal|-shm|-journal)?)$/);
    // Where "../../etc/passwd" would have landed from DATA_DIR/files (and from DATA_DIR).
    expect(existsSync(path.resolve(filesRoot, "../../etc/passwd"))).toBe(false);
    expect(existsSync(path.resolve(filesRoot, "../etc"))).toBe(false);
    for (const relative of await walk(filesRoot)) {
      for (const segment of relative.split(path.sep)) expect(segment).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(relative).not.toMatch(/passwd|facture|devis|win\.ini/i);
    }
  });
});

// ---------------------------------------------------------------------------
// 7. Name conflicts and versions
// ---------------------------------------------------------------------------

describe("name conflicts", () => {
  test("the same name again → 409 name_taken with the existing file; copy → “name (2).ext”; version → version 2, version 1 still downloadable; fileId → version 3", async () => {
    const name = unique("Budget", ".xlsx");
    const v1 = binaryBytes(1000, "budget-v1");
    const first = await tus.alice.upload(atelier.slug, v1, { filename: name });

    // Same name, and the same name folded differently: refused before any byte, nothing reserved.
    const uploads = await countRows("upload");
    for (const again of [name, name.toUpperCase(), name.normalize("NFD")]) {
      const res = await tus.alice.create(atelier.slug, { length: 10, metadata: { filename: again } });
      expect(res.status, again).toBe(409);
      expect(refusal(res)).toEqual({ error: "name_taken", fileId: first.fileId, canVersion: true });
    }
    expect(await countRows("upload")).toBe(uploads);

    // Keep both.
    const stem = name.slice(0, -".xlsx".length);
    const copy = await tus.alice.upload(atelier.slug, binaryBytes(500, "budget-copy"), { filename: name, onConflict: "copy" });
    expect(copy.fileId).not.toBe(first.fileId);
    expect((await fileRow(copy.fileId))!.name).toBe(`${stem} (2).xlsx`);
    const copy3 = await tus.alice.upload(atelier.slug, binaryBytes(500, "budget-copy3"), { filename: name, onConflict: "copy" });
    expect((await fileRow(copy3.fileId))!.name).toBe(`${stem} (3).xlsx`);

    // A new version of the same file.
    const v2 = binaryBytes(1200, "budget-v2");
    const second = await tus.alice.upload(atelier.slug, v2, { filename: name, onConflict: "version" });
    expect(second.fileId).toBe(first.fileId);
    expect(await fileRow(first.fileId)).toMatchObject({ name, version: 2, size: v2.length });
    expect((await versionsOf(first.fileId)).map((v) => [v.number, v.size, v.sha256])).toEqual([
      [1, v1.length, sha256Hex(v1)],
      [2, v2.length, sha256Hex(v2)],
    ]);
    expect((await filesNamed(atelier, name)).map((f) => f.id)).toEqual([first.fileId]);

    // Through fileId (the "new version" button): version 3, whatever name the file on disk had.
    const v3 = binaryBytes(800, "budget-v3");
    const third = await tus.alice.upload(atelier.slug, v3, { filename: "budget final (copie).xlsx", fileId: first.fileId });
    expect(third.fileId).toBe(first.fileId);
    expect(await fileRow(first.fileId)).toMatchObject({ name, version: 3, size: v3.length });
    const versions = await versionsOf(first.fileId);
    expect(versions.map((v) => v.number)).toEqual([1, 2, 3]);
    expect(versions[2]).toMatchObject({ original_name: "budget final (copie).xlsx", sha256: sha256Hex(v3) });
    expect(new Set(versions.map((v) => v.storage_key)).size).toBe(3);

    const activity = await store.db.selectFrom("activity").selectAll().where("verb", "=", "file_versioned").execute();
    expect(activity.filter((a) => JSON.parse(a.data).fileId === first.fileId)).toHaveLength(2);

    // Every version keeps its bytes.
    expect((await download("bob", atelier, first.fileId)).body.equals(v3)).toBe(true);
    expect((await download("bob", atelier, first.fileId, "?version=1")).body.equals(v1)).toBe(true);
    expect((await download("bob", atelier, first.fileId, "?version=2")).body.equals(v2)).toBe(true);
    expect((await download("bob", atelier, first.fileId, "?version=3")).body.equals(v3)).toBe(true);
    for (const q of ["?version=4", "?version=0", "?version=-1", "?version=abc", "?version=1.5"]) {
      expect((await download("bob", atelier, first.fileId, q)).status, q).toBe(404);
    }
  });
});

// ---------------------------------------------------------------------------
// 8. Who may upload what
// ---------------------------------------------------------------------------

describe("rights", () => {
  test("a guest may not start an upload (403), nothing reserved", async () => {
    const uploads = await countRows("upload");
    const res = await tus.guest.create(atelier.slug, { length: 10, metadata: { filename: unique("invite", ".txt") } });
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    expect(await countRows("upload")).toBe(uploads);
  });

  test("a member versions their own file, not another member's (403, also through onConflict=version); an editor and an admin may", async () => {
    const name = unique("Planning", ".txt");
    const mine = await tus.alice.upload(atelier.slug, Buffer.from("v1 alice"), { filename: name });

    // Alice's own: fine.
    await tus.alice.upload(atelier.slug, Buffer.from("v2 alice"), { filename: name, fileId: mine.fileId });
    expect((await fileRow(mine.fileId))!.version).toBe(2);

    // Bob, another member: refused at creation, whichever way he asks.
    const uploads = await countRows("upload");
    const byId = await tus.bob.create(atelier.slug, { length: 6, metadata: { filename: name, fileId: mine.fileId } });
    expect(byId.status).toBe(403);
    expect(refusal(byId)).toMatchObject({ error: "forbidden" });
    const byName = await tus.bob.create(atelier.slug, { length: 6, metadata: { filename: name, onConflict: "version" } });
    expect(byName.status).toBe(403);
    expect(refusal(byName)).toMatchObject({ error: "forbidden" });
    // Told so up front: the 409 says he cannot version it.
    const taken = await tus.bob.create(atelier.slug, { length: 6, metadata: { filename: name } });
    expect(taken.status).toBe(409);
    expect(refusal(taken)).toEqual({ error: "name_taken", fileId: mine.fileId, canVersion: false });
    expect(await countRows("upload")).toBe(uploads);
    expect((await fileRow(mine.fileId))!.version).toBe(2);
    // He may keep both.
    const copy = await tus.bob.upload(atelier.slug, Buffer.from("bob's"), { filename: name, onConflict: "copy" });
    expect(copy.fileId).not.toBe(mine.fileId);

    // The editor may.
    const edited = await tus.editor.upload(atelier.slug, Buffer.from("v3 editor"), { filename: "x.txt", fileId: mine.fileId });
    expect(edited.fileId).toBe(mine.fileId);
    const editorTaken = await tus.editor.create(atelier.slug, { length: 6, metadata: { filename: name } });
    expect(refusal(editorTaken)).toMatchObject({ error: "name_taken", canVersion: true });
    const byEditorName = await tus.editor.upload(atelier.slug, Buffer.from("v4 editor"), { filename: name, onConflict: "version" });
    expect(byEditorName.fileId).toBe(mine.fileId);
    // And the admin.
    await tus.admin.upload(atelier.slug, Buffer.from("v5 admin"), { filename: name, fileId: mine.fileId });
    const file = (await fileRow(mine.fileId))!;
    expect(file.version).toBe(5);
    expect((await versionsOf(mine.fileId)).map((v) => v.uploaded_by)).toEqual([people.alice.id, people.alice.id, people.editor.id, people.editor.id, people.admin.id]);
    // The file stays alice's.
    expect(file.created_by).toBe(people.alice.id);
  });

  test("an outsider of a secret space gets 404 on its upload URLs, like a space that does not exist", async () => {
    const uploads = await countRows("upload");
    const res = await tus.outsider.create(atelier.slug, { length: 10, metadata: { filename: unique("intrus", ".txt") } });
    expect(res.status).toBe(404);
    const nowhere = await tus.outsider.create("no-such-space-anywhere", { length: 10, metadata: { filename: "x.txt" } });
    expect(nowhere.status).toBe(404);
    expect(await countRows("upload")).toBe(uploads);

    const { location, uploadId } = await tus.alice.start(atelier.slug, 10, { filename: unique("a alice", ".txt") });
    expect((await tus.outsider.head(location)).status).toBe(404);
    expect((await tus.outsider.patch(location, 0, Buffer.from("0123456789"))).status).toBe(404);
    expect((await tus.outsider.delete(location)).status).toBe(404);
    expect(await uploadRow(uploadId)).toBeDefined();
    expect((await tus.alice.head(location)).headers["upload-offset"]).toBe("0");
    expect((await tus.alice.delete(location)).status).toBe(204);
  });

  test("someone else's upload id, even in the same space → 404 on HEAD, PATCH and DELETE; the upload is untouched", async () => {
    const name = unique("a alice seule", ".txt");
    const bytes = Buffer.from("0123456789");
    const { location, uploadId } = await tus.alice.start(atelier.slug, bytes.length, { filename: name });
    for (const who of ["bob", "editor", "admin"] as const) {
      expect((await tus[who].head(location)).status, who).toBe(404);
      expect((await tus[who].patch(location, 0, bytes)).status, who).toBe(404);
      expect((await tus[who].delete(location)).status, who).toBe(404);
    }
    expect(await uploadRow(uploadId)).toBeDefined();
    expect(await partSize(uploadId)).toBe(0);
    expect(await filesNamed(atelier, name)).toHaveLength(0);
    const mine = await tus.alice.patch(location, 0, bytes);
    expect(mine.status).toBe(204);
    expect((await fileRow(mine.headers["upload-file-id"] as string))!.created_by).toBe(people.alice.id);
  });

  test("an upload of another space addressed under this space's URL → 404, even for someone who is in both", async () => {
    const { location, uploadId } = await tus.dave.start(other.slug, 10, { filename: unique("dave ailleurs", ".txt") });
    const crossed = `/spaces/${atelier.slug}/files/uploads/${uploadId}`;
    expect(location).not.toBe(crossed);
    expect((await tus.dave.head(crossed)).status).toBe(404);
    expect((await tus.dave.patch(crossed, 0, Buffer.from("0123456789"))).status).toBe(404);
    expect((await tus.dave.delete(crossed)).status).toBe(404);
    expect((await tus.dave.head(location)).headers["upload-offset"]).toBe("0");
    expect(await uploadRow(uploadId)).toMatchObject({ space_id: other.id });
  });

  test("anonymous: sent to sign in (or 401/404), never let through", async () => {
    const uploads = await countRows("upload");
    const res = await tus.anonymous.create(atelier.slug, { length: 10, metadata: { filename: "anonyme.txt" } });
    expect([302, 303, 401, 404]).toContain(res.status);
    if (res.status === 302 || res.status === 303) expect(res.headers.location).toMatch(/^\/login/);
    expect(await countRows("upload")).toBe(uploads);

    const { location, uploadId } = await tus.alice.start(atelier.slug, 10, { filename: unique("a alice anonyme", ".txt") });
    for (const r of [await tus.anonymous.head(location), await tus.anonymous.patch(location, 0, Buffer.from("0123456789")), await tus.anonymous.delete(location)]) {
      expect(r.status).not.toBeLessThan(300);
      expect([302, 303, 401, 404]).toContain(r.status);
    }
    expect(await partSize(uploadId)).toBe(0);
    expect((await tus.alice.delete(location)).status).toBe(204);
  });
});

// ---------------------------------------------------------------------------
// 9. Same origin only
// ---------------------------------------------------------------------------

describe("the same-origin check covers the upload endpoint", () => {
  test("a POST without Origin nor Sec-Fetch-Site → 403, nothing reserved", async () => {
    const uploads = await countRows("upload");
    const res = await tus.alice.create(atelier.slug, { length: 10, metadata: { filename: unique("sans origine", ".txt") }, origin: null, secFetchSite: null });
    expect(res.status).toBe(403);
    expect(res.headers.location).toBeUndefined();
    const cross = await tus.alice.create(atelier.slug, { length: 10, metadata: { filename: unique("autre site", ".txt") }, origin: "https://evil.example", secFetchSite: "cross-site" });
    expect(cross.status).toBe(403);
    expect(await countRows("upload")).toBe(uploads);
  });

  test("a PATCH or DELETE without them → 403, the upload untouched", async () => {
    const name = unique("patch sans origine", ".txt");
    const { location, uploadId } = await tus.alice.start(atelier.slug, 10, { filename: name });
    const patch = await tus.alice.patch(location, 0, Buffer.from("0123456789"), { origin: null, secFetchSite: null });
    expect(patch.status).toBe(403);
    const del = await tus.alice.delete(location, { origin: null, secFetchSite: null });
    expect(del.status).toBe(403);
    expect(await partSize(uploadId)).toBe(0);
    expect(await uploadRow(uploadId)).toBeDefined();
    expect(await filesNamed(atelier, name)).toHaveLength(0);
    expect((await tus.alice.head(location)).headers["upload-offset"]).toBe("0");
    expect((await tus.alice.delete(location)).status).toBe(204);
  });
});

// ---------------------------------------------------------------------------
// 10. Reservations: room held only by uploads alive, a share per member, the admins' view
// ---------------------------------------------------------------------------

describe("reservations in the quota", () => {
  const IDLE_MS = 30 * 60 * 1000;
  const inProgressUrl = (space: Space) => `/spaces/${space.slug}/files/in-progress`;

  test("one member's uploads under way hold half the quota at most: three creations of the largest size do not block another member's small upload", async () => {
    const space = await quotaSpace(3 * MAX_FILE_BYTES);
    const answers = [];
    for (const i of [1, 2, 3]) answers.push(await tus.alice.create(space.slug, { length: MAX_FILE_BYTES, metadata: { filename: unique(`gros ${i}`, ".iso") } }));
    expect(answers.map((a) => a.status)).toEqual([201, 413, 413]);
    for (const a of answers.slice(1)) {
      expect(refusal(a)).toEqual({ error: "uploads_pending", heldBytes: MAX_FILE_BYTES, shareBytes: (3 * MAX_FILE_BYTES) / 2 });
    }
    const small = await tus.bob.create(space.slug, { length: 100_000, metadata: { filename: unique("petit", ".pdf") } });
    expect(small.status, small.text).toBe(201);
    // A single upload may still be as large as the room left: one big file must remain possible.
    expect(await store.db.selectFrom("upload").select("user_id").where("space_id", "=", space.id).orderBy("user_id").execute()).toHaveLength(2);
  });

  test("an upload with no byte for half an hour no longer holds room; resumed, it takes room again only if there is some", async () => {
    const space = await quotaSpace();
    const bytes = binaryBytes(900, "idle");
    const { location, uploadId } = await tus.alice.start(space.slug, bytes.length, { filename: unique("en sommeil", ".bin") });
    expect((await tus.alice.patch(location, 0, bytes.subarray(0, 100))).status).toBe(204);
    const blocked = await tus.bob.create(space.slug, { length: 200, metadata: { filename: unique("bloque", ".bin") } });
    expect(refusal(blocked)).toMatchObject({ error: "quota_exceeded", remainingBytes: 100 });

    // Half an hour and a second without a byte.
    await store.db.updateTable("upload").set({ active_at: Date.now() - IDLE_MS - 1000 }).where("id", "=", uploadId).execute();
    const bobs = await tus.bob.start(space.slug, 200, { filename: unique("passe", ".bin") });

    // alice comes back: her 900 bytes no longer fit beside bob's 200.
    const refused = await tus.alice.patch(location, 100, bytes.subarray(100, 200));
    expect(refused.status).toBe(413);
    expect(refusal(refused)).toEqual({ error: "quota_exceeded", remainingBytes: SMALL_QUOTA - 200, quotaBytes: SMALL_QUOTA });
    expect(await partSize(uploadId)).toBe(100);

    // Once bob gives up, she resumes where she was and finishes.
    expect((await tus.bob.delete(bobs.location)).status).toBe(204);
    const more = await tus.alice.patch(location, 100, bytes.subarray(100));
    expect(more.status, more.text).toBe(204);
    const fileId = more.headers["upload-file-id"] as string;
    expect((await versionsOf(fileId))[0]).toMatchObject({ size: 900, sha256: sha256Hex(bytes) });
  });

  test("a PATCH keeps the upload alive: its last activity and the bytes received are recorded", async () => {
    const space = await quotaSpace();
    const { location, uploadId } = await tus.alice.start(space.slug, 500, { filename: unique("vivant", ".bin") });
    await store.db.updateTable("upload").set({ active_at: 1 }).where("id", "=", uploadId).execute();
    const before = Date.now();
    expect((await tus.alice.patch(location, 0, binaryBytes(120, "alive"))).status).toBe(204);
    const row = await uploadRow(uploadId);
    expect(row?.received).toBe(120);
    expect(row?.active_at).toBeGreaterThanOrEqual(before);
    expect((await tus.alice.delete(location)).status).toBe(204);
  });

  test("the space's admins see the uploads under way and cancel one: its part and row go, its room comes back, the audit log says who; a member can do neither", async () => {
    const space = await quotaSpace();
    const name = unique("rapport en cours", ".bin");
    const { location, uploadId } = await tus.alice.start(space.slug, 800, { filename: name });
    expect((await tus.alice.patch(location, 0, binaryBytes(250, "cancel"))).status).toBe(204);

    const page = await c.admin.get(inProgressUrl(space));
    expect(page.status).toBe(200);
    expect(page.text).toContain(name);
    expect(page.text).toContain("alice Upload");
    expect(page.text).toContain(`value="${uploadId}"`);

    for (const who of ["alice", "bob"] as const) {
      expect((await c[who].get(inProgressUrl(space))).status).toBe(403);
      expect((await c[who].post(inProgressUrl(space), { intent: "cancel-upload", id: uploadId })).status).toBe(403);
    }
    expect(await uploadRow(uploadId)).toBeDefined();

    const cancelled = await c.admin.post(inProgressUrl(space), { intent: "cancel-upload", id: uploadId });
    expect(cancelled.status).toBe(302);
    expect(await uploadRow(uploadId)).toBeUndefined();
    expect(await partSize(uploadId)).toBe(-1);
    expect((await tus.alice.head(location)).status).toBe(404);
    const audit = await store.db.selectFrom("audit_log").selectAll().where("event", "=", "upload_cancelled").where("space_id", "=", space.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: people.admin.id, target_user_id: people.alice.id });
    expect(JSON.parse(audit[0].data)).toMatchObject({ uploadId, name, size: 800 });
    // The 800 bytes are free again.
    const fits = await tus.bob.create(space.slug, { length: SMALL_QUOTA, metadata: { filename: unique("toute la place", ".bin") } });
    expect(fits.status, fits.text).toBe(201);
    expect((await tus.bob.delete(fits.headers.location as string)).status).toBe(204);
  });

  test("an upload of another space cannot be cancelled through this one (404)", async () => {
    const space = await quotaSpace();
    const { uploadId } = await tus.dave.start(other.slug, 10, { filename: unique("ailleurs", ".bin") });
    expect((await c.admin.post(inProgressUrl(space), { intent: "cancel-upload", id: uploadId })).status).toBe(404);
    expect(await uploadRow(uploadId)).toBeDefined();
  });
});

// ---------------------------------------------------------------------------
// 11. Every byte stored but no file yet (a crash between the two)
// ---------------------------------------------------------------------------

describe("an upload complete on disk without its file", () => {
  test("becomes its file on HEAD, once however many HEADs race, with the right bytes; HEAD says complete and names it", async () => {
    const bytes = binaryBytes(40_000, "crash-head");
    const name = unique("apres la panne", ".bin");
    const { location, uploadId } = await tus.alice.start(atelier.slug, bytes.length, { filename: name });
    // What the disk holds when the process died after the last byte landed and before the file row:
    // the part complete, tus's bookkeeping beside it, the upload row, no file.
    await writeFile(path.join(filesRoot, uploadId), bytes);
    expect(await filesNamed(atelier, name)).toHaveLength(0);

    const heads = await Promise.all([1, 2, 3].map(() => tus.alice.head(location)));
    for (const h of heads) {
      expect(h.status).toBe(200);
      expect(h.headers["upload-offset"]).toBe(String(bytes.length));
      expect(h.headers["upload-length"]).toBe(String(bytes.length));
    }
    const ids = new Set(heads.map((h) => h.headers["upload-file-id"]));
    expect(ids.size).toBe(1);
    const files = await filesNamed(atelier, name);
    expect(files).toHaveLength(1);
    expect(ids.has(files[0].id)).toBe(true);
    expect(await versionsOf(files[0].id)).toMatchObject([{ size: bytes.length, sha256: sha256Hex(bytes) }]);
    const got = await download("alice", atelier, files[0].id);
    expect(got.body.equals(bytes)).toBe(true);
  });
});
