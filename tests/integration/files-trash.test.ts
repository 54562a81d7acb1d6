import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createFolder, findFileInSpace, listFolder, spaceUsage } from "#db/queries/files.ts";
import type { Space } from "#db/schema.ts";
import { createStorage } from "#storage/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import { aliveSince } from "#app/files/reservations.server.ts";
import { purgeExpiredTrash, sweepExpiredUploads, TRASH_RETENTION_MS } from "#app/files/trash.server.ts";
import { addMember, createSpace, type TestUser } from "#tests/factories.ts";
import { client, pageText, type Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { binaryBytes, fetchBytes, Tus } from "#tests/helpers/tus.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * The files trash over real HTTP with real session cookies, the real SQLite
 * file and the local driver: what the trash lists, restore (to the old
 * folder, to the top when that folder is gone, under a free name when its
 * own was taken), purge by hand and after 30 days (rows and objects gone,
 * an audit entry, quota given back), emptying the trash, who may do what,
 * ids from another space, and the sweep of uploads nobody finished.
 */

let server: TestServer;
let store: OpenedDatabase;
let filesRoot: string;
let storage: StorageDriver;

const roles = ["admin", "editor", "alice", "guest", "outsider"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
const tus = {} as Record<Who, Tus>;

let atelier: Space; // secret: admin, editor, alice (member), guest
let other: Space; // secret: outsider (member), editor (member)

let w: World<Who, "atelier" | "other">;

beforeAll(async () => {
  w = await world({
    domain: "files-trash.test",
    displayName: (who) => `${who} Trash`,
    people: named(roles),
    spaces: {
      atelier: { createdBy: "admin", slug: "atelier-trash", visibility: "secret", members: { editor: "editor", alice: "member", guest: "guest" } },
      other: { createdBy: "admin", slug: "autre-trash", visibility: "secret", members: { outsider: "member", editor: "member" } },
    },
  });
  ({ server, store } = w);
  filesRoot = path.join(server.dataDir, "files");
  storage = createStorage({ driver: "local", root: filesRoot });
  ({ atelier, other } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);
  Object.assign(tus, w.tus);
});

afterAll(() => w?.close());

let seq = 0;
const unique = (stem: string, ext = ".bin") => `${stem} ${(seq++).toString(36)}${ext}`;

const trashUrl = (space: Space) => `/spaces/${space.slug}/files/trash`;

async function upload(who: Who, space: Space, name: string, folderId: string | null = null, size = 2000) {
  const bytes = binaryBytes(size, name);
  const done = await tus[who].upload(space.slug, bytes, { filename: name, folderId });
  return { id: done.fileId, name, bytes };
}

async function versionsOf(fileId: string) {
  return store.db.selectFrom("file_version").select(["storage_key", "thumbnail_key", "size"]).where("file_id", "=", fileId).execute();
}

async function trashFile(who: Who, space: Space, id: string) {
  const res = await c[who].post(`/spaces/${space.slug}/files`, { intent: "trash-file", id });
  expect(res.status, res.text).toBe(302);
}

async function trashFolder(who: Who, space: Space, id: string) {
  const res = await c[who].post(`/spaces/${space.slug}/files`, { intent: "trash-folder", id });
  expect(res.status, res.text).toBe(302);
}

async function newFolder(space: Space, name: string, parentId: string | null = null) {
  return createFolder(store.db, { spaceId: space.id, parentId, name, userId: people.admin.id, now: Date.now() });
}

const objectPath = (key: string) => path.join(filesRoot, ...key.split("/"));

async function auditEvents(spaceId: string, event: string) {
  return store.db.selectFrom("audit_log").selectAll().where("space_id", "=", spaceId).where("event", "=", event).execute();
}

describe("what the trash shows, and to whom", () => {
  test("a deleted file leaves the listing and appears in the trash with who deleted it and when it will be purged", async () => {
    const file = await upload("alice", atelier, unique("compte-rendu", ".pdf"));
    await trashFile("alice", atelier, file.id);
    const listing = await listFolder(store.db, atelier.id, null);
    expect(listing.files.map((f) => f.id)).not.toContain(file.id);
    const page = await c.editor.get(trashUrl(atelier));
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain(file.name);
    expect(text).toContain("alice Trash");
    // Its bytes still count: the trash is not free room.
    const usage = await spaceUsage(store.db, atelier.id, Date.now());
    expect(usage.stored).toBeGreaterThanOrEqual(2000);
  });

  test("a deleted folder is one entry holding what went with it", async () => {
    const folder = await newFolder(atelier, unique("Dossier", ""));
    const inner = await upload("editor", atelier, unique("dedans"), folder.id, 1500);
    await trashFolder("editor", atelier, folder.id);
    const page = await c.admin.get(trashUrl(atelier));
    const text = pageText(page.text);
    expect(text).toContain(folder.name);
    // The file went along with its folder: it is inside the folder's entry, not an entry of its own.
    expect(text).not.toContain(inner.name);
    expect(text).toMatch(/1 (file|fichier)/);
  });

  test("members and guests may not see, restore or purge it; outsiders do not even learn the space exists", async () => {
    const file = await upload("alice", atelier, unique("secret"));
    await trashFile("alice", atelier, file.id);
    for (const who of ["alice", "guest"] as const) {
      expect((await c[who].get(trashUrl(atelier))).status).toBe(403);
      expect((await c[who].post(trashUrl(atelier), { intent: "restore", kind: "file", id: file.id })).status).toBe(403);
      expect((await c[who].post(trashUrl(atelier), { intent: "purge", kind: "file", id: file.id })).status).toBe(403);
      expect((await c[who].post(trashUrl(atelier), { intent: "empty" })).status).toBe(403);
    }
    expect((await c.outsider.get(trashUrl(atelier))).status).toBe(404);
    expect((await c.outsider.post(trashUrl(atelier), { intent: "purge", kind: "file", id: file.id })).status).toBe(404);
    const anonymous = client(server.url);
    expect((await anonymous.get(trashUrl(atelier))).status).toBe(302);
    const row = await findFileInSpace(store.db, atelier.id, file.id);
    expect(row?.deleted_at).not.toBeNull();
  });
});

describe("restore", () => {
  test("a file goes back to its folder, with its versions and its bytes", async () => {
    const folder = await newFolder(atelier, unique("Retour", ""));
    const file = await upload("alice", atelier, unique("retour"), folder.id);
    await trashFile("alice", atelier, file.id);
    const res = await c.editor.post(trashUrl(atelier), { intent: "restore", kind: "file", id: file.id });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/spaces/${atelier.slug}/files/${file.id}`);
    const row = await findFileInSpace(store.db, atelier.id, file.id);
    expect(row).toMatchObject({ deleted_at: null, folder_id: folder.id, name: file.name });
    const download = await fetchBytes(server.url, c.alice, `/spaces/${atelier.slug}/files/${file.id}/download`);
    expect(download.status).toBe(200);
    expect(Buffer.compare(download.body, file.bytes)).toBe(0);
  });

  test("a file whose name was taken meanwhile comes back as “name (2)”", async () => {
    const name = unique("doublon", ".txt");
    const first = await upload("alice", atelier, name);
    await trashFile("alice", atelier, first.id);
    await upload("alice", atelier, name);
    const res = await c.editor.post(trashUrl(atelier), { intent: "restore", kind: "file", id: first.id });
    expect(res.status).toBe(302);
    const row = await findFileInSpace(store.db, atelier.id, first.id);
    expect(row?.deleted_at).toBeNull();
    expect(row?.name).toBe(name.replace(/\.txt$/, " (2).txt"));
  });

  test("a file whose folder is in the trash too comes back at the top", async () => {
    const folder = await newFolder(atelier, unique("Parti", ""));
    const file = await upload("alice", atelier, unique("orphelin"), folder.id);
    await trashFile("alice", atelier, file.id);
    await trashFolder("editor", atelier, folder.id);
    expect((await c.editor.post(trashUrl(atelier), { intent: "restore", kind: "file", id: file.id })).status).toBe(302);
    const row = await findFileInSpace(store.db, atelier.id, file.id);
    expect(row).toMatchObject({ deleted_at: null, folder_id: null });
    // The folder stays in the trash.
    const folderRow = await store.db.selectFrom("folder").selectAll().where("id", "=", folder.id).executeTakeFirstOrThrow();
    expect(folderRow.deleted_at).not.toBeNull();
  });

  test("a folder comes back with what it took along, but not what had been deleted on its own before", async () => {
    const folder = await newFolder(atelier, unique("Ensemble", ""));
    const sub = await newFolder(atelier, "Sous-dossier", folder.id);
    const along = await upload("alice", atelier, unique("avec"), sub.id);
    const before = await upload("alice", atelier, unique("avant"), folder.id);
    await trashFile("alice", atelier, before.id);
    await trashFolder("editor", atelier, folder.id);
    expect((await c.admin.post(trashUrl(atelier), { intent: "restore", kind: "folder", id: folder.id })).status).toBe(302);
    const listing = await listFolder(store.db, atelier.id, sub.id);
    expect(listing.files.map((f) => f.id)).toEqual([along.id]);
    expect((await listFolder(store.db, atelier.id, folder.id)).folders.map((f) => f.id)).toEqual([sub.id]);
    const stillTrashed = await findFileInSpace(store.db, atelier.id, before.id);
    expect(stillTrashed?.deleted_at).not.toBeNull();
  });

  test("what went along with a folder is not an entry of its own: restoring it alone is refused", async () => {
    const folder = await newFolder(atelier, unique("Bloc", ""));
    const inner = await upload("alice", atelier, unique("bloc"), folder.id);
    await trashFolder("editor", atelier, folder.id);
    expect((await c.editor.post(trashUrl(atelier), { intent: "restore", kind: "file", id: inner.id })).status).toBe(404);
  });

  test("a live file, an unknown id, a bad kind or an id of another space are refused and change nothing", async () => {
    const live = await upload("alice", atelier, unique("vivant"));
    expect((await c.editor.post(trashUrl(atelier), { intent: "restore", kind: "file", id: live.id })).status).toBe(404);
    expect((await c.editor.post(trashUrl(atelier), { intent: "purge", kind: "file", id: live.id })).status).toBe(404);
    expect((await c.editor.post(trashUrl(atelier), { intent: "purge", kind: "file", id: "zzzzzzzzzzzzzzzz" })).status).toBe(404);
    expect((await c.editor.post(trashUrl(atelier), { intent: "purge", kind: "page", id: live.id })).status).toBe(400);
    expect((await findFileInSpace(store.db, atelier.id, live.id))?.deleted_at).toBeNull();

    const elsewhere = await upload("outsider", other, unique("ailleurs"));
    await trashFile("outsider", other, elsewhere.id);
    // The editor of atelier is a plain member of the other space: naming its file through atelier's trash reaches nothing.
    expect((await c.editor.post(trashUrl(atelier), { intent: "purge", kind: "file", id: elsewhere.id })).status).toBe(404);
    expect((await c.editor.post(trashUrl(atelier), { intent: "restore", kind: "file", id: elsewhere.id })).status).toBe(404);
    const row = await findFileInSpace(store.db, other.id, elsewhere.id);
    expect(row?.deleted_at).not.toBeNull();
  });
});

describe("purge", () => {
  test("deletes the file, every version and thumbnail object, gives the quota back and leaves an audit entry", async () => {
    const file = await upload("alice", atelier, unique("versions"));
    const second = binaryBytes(3000, "v2");
    const res = await tus.alice.upload(atelier.slug, second, { filename: file.name, fileId: file.id });
    expect(res.fileId).toBe(file.id);
    const versions = await versionsOf(file.id);
    expect(versions).toHaveLength(2);
    for (const v of versions) expect(existsSync(objectPath(v.storage_key))).toBe(true);
    await trashFile("alice", atelier, file.id);
    const usedBefore = (await spaceUsage(store.db, atelier.id, Date.now())).stored;

    const purge = await c.editor.post(trashUrl(atelier), { intent: "purge", kind: "file", id: file.id });
    expect(purge.status).toBe(302);
    expect(await findFileInSpace(store.db, atelier.id, file.id)).toBeUndefined();
    expect(await versionsOf(file.id)).toHaveLength(0);
    for (const v of versions) expect(existsSync(objectPath(v.storage_key))).toBe(false);
    expect((await spaceUsage(store.db, atelier.id, Date.now())).stored).toBe(usedBefore - 2000 - 3000);
    const entries = await auditEvents(atelier.id, "file_purged");
    const mine = entries.find((e) => JSON.parse(e.data).name === file.name);
    expect(mine).toMatchObject({ actor_id: people.editor.id });
    expect(JSON.parse(mine!.data)).toMatchObject({ files: 1, bytes: 5000, automatic: false });
    // Gone means gone: its address answers 404.
    expect((await fetchBytes(server.url, c.alice, `/spaces/${atelier.slug}/files/${file.id}/download`)).status).toBe(404);
  });

  test("an image's thumbnail goes with it", async () => {
    const sharp = (await import("sharp")).default;
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#3366cc" } }).png().toBuffer();
    const done = await tus.alice.upload(atelier.slug, png, { filename: unique("photo", ".png") });
    const [version] = await versionsOf(done.fileId);
    expect(version.thumbnail_key).not.toBeNull();
    expect(existsSync(objectPath(version.thumbnail_key!))).toBe(true);
    await trashFile("alice", atelier, done.fileId);
    expect((await c.admin.post(trashUrl(atelier), { intent: "purge", kind: "file", id: done.fileId })).status).toBe(302);
    expect(existsSync(objectPath(version.thumbnail_key!))).toBe(false);
    expect(existsSync(objectPath(version.storage_key))).toBe(false);
  });

  test("a folder takes everything below it: subfolders, files that went with it and files deleted on their own before", async () => {
    const folder = await newFolder(atelier, unique("Grand ménage", ""));
    const sub = await newFolder(atelier, "Archives", folder.id);
    const a = await upload("alice", atelier, unique("a"), folder.id);
    const b = await upload("alice", atelier, unique("b"), sub.id);
    const earlier = await upload("alice", atelier, unique("avant"), sub.id);
    await trashFile("alice", atelier, earlier.id);
    await trashFolder("editor", atelier, folder.id);
    const keys = [...(await versionsOf(a.id)), ...(await versionsOf(b.id)), ...(await versionsOf(earlier.id))].map((v) => v.storage_key);
    expect(keys).toHaveLength(3);

    expect((await c.editor.post(trashUrl(atelier), { intent: "purge", kind: "folder", id: folder.id })).status).toBe(302);
    for (const id of [a.id, b.id, earlier.id]) expect(await findFileInSpace(store.db, atelier.id, id)).toBeUndefined();
    const folders = await store.db.selectFrom("folder").select("id").where("id", "in", [folder.id, sub.id]).execute();
    expect(folders).toHaveLength(0);
    for (const key of keys) expect(existsSync(objectPath(key))).toBe(false);
    const entry = (await auditEvents(atelier.id, "folder_purged")).find((e) => JSON.parse(e.data).name === folder.name);
    expect(JSON.parse(entry!.data)).toMatchObject({ files: 3, bytes: 6000 });
  });

  test("a new version still uploading to a purged file is cancelled, its parts removed and its room freed", async () => {
    const file = await upload("alice", atelier, unique("en-cours"));
    const { location, uploadId } = await tus.alice.start(atelier.slug, 4000, { filename: file.name, fileId: file.id });
    expect((await tus.alice.patch(location, 0, binaryBytes(1000, "part"))).status).toBe(204);
    expect(existsSync(path.join(filesRoot, uploadId))).toBe(true);
    await trashFile("alice", atelier, file.id);
    expect((await c.editor.post(trashUrl(atelier), { intent: "purge", kind: "file", id: file.id })).status).toBe(302);
    expect(await store.db.selectFrom("upload").select("id").where("id", "=", uploadId).executeTakeFirst()).toBeUndefined();
    expect(existsSync(path.join(filesRoot, uploadId))).toBe(false);
    expect(existsSync(path.join(filesRoot, `${uploadId}.json`))).toBe(false);
    // Finishing it now leads nowhere: nothing appears.
    const rest = await tus.alice.patch(location, 1000, binaryBytes(3000, "rest"));
    expect(rest.status).toBeGreaterThanOrEqual(400);
    expect((await listFolder(store.db, atelier.id, null)).files.map((f) => f.name).filter((n) => n.startsWith(file.name.replace(/\.bin$/, "")))).toEqual([]);
  });

  test("emptying the trash purges every entry of this space and nothing of another", async () => {
    const space = await createSpace(store.db, { createdBy: people.admin.id, slug: `vider-${seq++}`, visibility: "secret" });
    await addMember(store.db, { space, user: people.alice, role: "member" });
    await addMember(store.db, { space, user: people.editor, role: "editor" });
    const x = await upload("alice", space, unique("x"));
    const y = await upload("alice", space, unique("y"));
    const folder = await newFolder(space, "À vider");
    await upload("alice", space, unique("z"), folder.id);
    await trashFile("alice", space, x.id);
    await trashFile("alice", space, y.id);
    await trashFolder("editor", space, folder.id);
    const elsewhere = await upload("outsider", other, unique("intact"));
    await trashFile("outsider", other, elsewhere.id);

    expect((await c.editor.post(trashUrl(space), { intent: "empty" })).status).toBe(302);
    const page = await c.editor.get(trashUrl(space));
    expect(pageText(page.text)).toMatch(/The trash is empty|La corbeille est vide/);
    expect((await spaceUsage(store.db, space.id, Date.now())).stored).toBe(0);
    expect(await findFileInSpace(store.db, other.id, elsewhere.id)).toBeDefined();
  });
});

describe("the server's own housekeeping", () => {
  test("trash older than 30 days is purged with its objects; younger trash and live files stay", async () => {
    const old = await upload("alice", atelier, unique("vieux"));
    const young = await upload("alice", atelier, unique("jeune"));
    const live = await upload("alice", atelier, unique("vivant"));
    await trashFile("alice", atelier, old.id);
    await trashFile("alice", atelier, young.id);
    const now = Date.now();
    await store.db.updateTable("file").set({ deleted_at: now - TRASH_RETENTION_MS - 1000 }).where("id", "=", old.id).execute();
    const [oldVersion] = await versionsOf(old.id);

    const purged = await purgeExpiredTrash(store.db, storage, now);
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await findFileInSpace(store.db, atelier.id, old.id)).toBeUndefined();
    expect(existsSync(objectPath(oldVersion.storage_key))).toBe(false);
    expect(await findFileInSpace(store.db, atelier.id, young.id)).toBeDefined();
    expect(await findFileInSpace(store.db, atelier.id, live.id)).toBeDefined();
    const entry = (await auditEvents(atelier.id, "file_purged")).find((e) => JSON.parse(e.data).name === old.name);
    expect(entry).toMatchObject({ actor_id: null });
    expect(JSON.parse(entry!.data)).toMatchObject({ automatic: true });
    // A second run finds nothing more to do.
    expect(await purgeExpiredTrash(store.db, storage, now)).toBe(0);
  });

  test("an old deleted folder goes with its contents", async () => {
    const folder = await newFolder(atelier, unique("Ancien", ""));
    const inner = await upload("alice", atelier, unique("ancien"), folder.id);
    await trashFolder("editor", atelier, folder.id);
    const now = Date.now();
    await store.db.updateTable("folder").set({ deleted_at: now - TRASH_RETENTION_MS - 1 }).where("id", "=", folder.id).execute();
    const [version] = await versionsOf(inner.id);
    await purgeExpiredTrash(store.db, storage, now);
    expect(await findFileInSpace(store.db, atelier.id, inner.id)).toBeUndefined();
    expect(existsSync(objectPath(version.storage_key))).toBe(false);
  });

  test("an upload nobody finished is removed once expired: its row, its parts, its room in the quota", async () => {
    const space = await createSpace(store.db, { createdBy: people.admin.id, slug: `abandon-${seq++}`, visibility: "secret" });
    await addMember(store.db, { space, user: people.alice, role: "member" });
    const running = await tus.alice.start(space.slug, 5000, { filename: unique("abandon") });
    expect((await tus.alice.patch(running.location, 0, binaryBytes(1200, "début"))).status).toBe(204);
    const fresh = await tus.alice.start(space.slug, 3000, { filename: unique("frais") });
    expect((await spaceUsage(store.db, space.id, aliveSince(Date.now()))).reserved).toBe(8000);
    const now = Date.now();
    // A day without a byte: long lapsed, and its parts due.
    await store.db.updateTable("upload").set({ active_at: now - 24 * 60 * 60 * 1000 - 1, expires_at: now - 1 }).where("id", "=", running.uploadId).execute();

    expect(await sweepExpiredUploads(store.db, storage, now)).toBe(1);
    expect(await store.db.selectFrom("upload").select("id").where("id", "=", running.uploadId).executeTakeFirst()).toBeUndefined();
    expect(existsSync(path.join(filesRoot, running.uploadId))).toBe(false);
    expect(existsSync(path.join(filesRoot, `${running.uploadId}.json`))).toBe(false);
    // The fresh one is untouched and can still finish.
    expect((await spaceUsage(store.db, space.id, aliveSince(Date.now()))).reserved).toBe(3000);
    expect((await tus.alice.patch(fresh.location, 0, binaryBytes(3000, "frais"))).status).toBe(204);
  });
});
