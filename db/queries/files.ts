import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import { larger, orEmpty, positionOf } from "../dialect.ts";
import { fold } from "../text.ts";
import type { FileVersion, Folder, StoredFile } from "../schema.ts";

/**
 * A space's shared drive: folders, files and their versions, uploads under
 * way, and the trash. Names are for display only — storage keys are ids — so
 * any Unicode name is kept; two live names in one folder may not fold alike.
 */

/** "Rapport Été.PDF" and "rapport été.pdf" are the same name in a folder. */
export function nameKey(name: string): string {
  return name.normalize("NFC").toLowerCase();
}

export type SortKey = "name" | "size" | "type" | "uploader" | "date";
export type SortDirection = "asc" | "desc";

// ---------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------

/** A folder of this space (trashed or not): ids from a request never reach another space. */
export function findFolderInSpace(db: Executor, spaceId: string, folderId: string) {
  return db.selectFrom("folder").selectAll().where("space_id", "=", spaceId).where("id", "=", folderId).executeTakeFirst();
}

/** The live folder, or undefined if it is unknown, of another space, or in the trash. */
export function findLiveFolder(db: Executor, spaceId: string, folderId: string) {
  return db
    .selectFrom("folder")
    .selectAll()
    .where("space_id", "=", spaceId)
    .where("id", "=", folderId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** Folders from the top down to this one's parent, for the breadcrumb. */
export async function folderAncestors(db: Executor, folder: Pick<Folder, "parent_id">) {
  if (!folder.parent_id) return [];
  const result = await sql<{ id: string; name: string; depth: number }>`
    WITH RECURSIVE up(id, name, parent_id, depth) AS (
      SELECT id, name, parent_id, 0 FROM folder WHERE id = ${folder.parent_id}
      UNION
      SELECT f.id, f.name, f.parent_id, up.depth + 1 FROM folder f JOIN up ON f.id = up.parent_id
    )
    SELECT id, name, depth FROM up ORDER BY depth DESC`.execute(db);
  return result.rows.map(({ id, name }) => ({ id, name }));
}

/**
 * Whether `candidateId` is the folder itself or one below it (a move there would make a loop).
 * (The walks below start from a bare parameter: CAST gives it the type PostgreSQL cannot guess.)
 */
export async function isFolderSelfOrDescendant(db: Executor, folderId: string, candidateId: string): Promise<boolean> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT CAST(${folderId} AS text)
      UNION
      SELECT f.id FROM folder f JOIN down ON f.parent_id = down.id
    )
    SELECT id FROM down WHERE id = ${candidateId}`.execute(db);
  return result.rows.length > 0;
}

/** Every folder of the space that is live, for "move to" pickers: id, name and parent. */
export function listLiveFolders(db: Executor, spaceId: string) {
  return db
    .selectFrom("folder")
    .select(["id", "name", "parent_id"])
    .where("space_id", "=", spaceId)
    .where("deleted_at", "is", null)
    .orderBy("name_key")
    .execute();
}

export function folderNameTaken(db: Executor, spaceId: string, parentId: string | null, name: string, exceptId?: string) {
  return db
    .selectFrom("folder")
    .select("id")
    .where("space_id", "=", spaceId)
    .where(orEmpty(db, sql.ref("parent_id")), "=", parentId ?? "")
    .where("name_key", "=", nameKey(name))
    .where("deleted_at", "is", null)
    .$if(exceptId !== undefined, (q) => q.where("id", "!=", exceptId!))
    .executeTakeFirst()
    .then((row) => row !== undefined);
}

export async function createFolder(
  db: Executor,
  input: { spaceId: string; parentId: string | null; name: string; userId: string; now: number },
): Promise<Folder> {
  const folder: Folder = {
    id: newId(),
    space_id: input.spaceId,
    parent_id: input.parentId,
    name: input.name,
    name_key: nameKey(input.name),
    created_by: input.userId,
    created_at: input.now,
    updated_at: input.now,
    deleted_at: null,
    deleted_by: null,
    trashed_with: null,
  };
  await db.insertInto("folder").values(folder).execute();
  return folder;
}

export async function renameFolder(db: Executor, folderId: string, name: string, now: number) {
  await db.updateTable("folder").set({ name, name_key: nameKey(name), updated_at: now }).where("id", "=", folderId).execute();
}

export async function moveFolder(db: Executor, folderId: string, parentId: string | null, now: number) {
  await db.updateTable("folder").set({ parent_id: parentId, updated_at: now }).where("id", "=", folderId).execute();
}

/** Live folders strictly below this one. */
async function liveDescendantFolderIds(db: Executor, folderId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT id FROM folder WHERE parent_id = ${folderId} AND deleted_at IS NULL
      UNION
      SELECT f.id FROM folder f JOIN down ON f.parent_id = down.id WHERE f.deleted_at IS NULL
    )
    SELECT id FROM down`.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * To the trash with everything still live below it; what was already in the
 * trash stays a separate entry. Returns how many files went along.
 */
export async function trashFolder(db: Executor, folderId: string, by: string, now: number) {
  const below = await liveDescendantFolderIds(db, folderId);
  const all = [folderId, ...below];
  await db.updateTable("folder").set({ deleted_at: now, deleted_by: by, trashed_with: null }).where("id", "=", folderId).execute();
  if (below.length > 0) {
    await db.updateTable("folder").set({ deleted_at: now, deleted_by: by, trashed_with: folderId }).where("id", "in", below).execute();
  }
  const files = await db
    .updateTable("file")
    .set({ deleted_at: now, deleted_by: by, trashed_with: folderId })
    .where("folder_id", "in", all)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(files.numUpdatedRows);
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

export function findFileInSpace(db: Executor, spaceId: string, fileId: string) {
  return db.selectFrom("file").selectAll().where("space_id", "=", spaceId).where("id", "=", fileId).executeTakeFirst();
}

export function findLiveFile(db: Executor, spaceId: string, fileId: string) {
  return db
    .selectFrom("file")
    .selectAll()
    .where("space_id", "=", spaceId)
    .where("id", "=", fileId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** The live file of that name in that folder, if any. */
export function findFileByName(db: Executor, spaceId: string, folderId: string | null, name: string) {
  return db
    .selectFrom("file")
    .selectAll()
    .where("space_id", "=", spaceId)
    .where(orEmpty(db, sql.ref("folder_id")), "=", folderId ?? "")
    .where("name_key", "=", nameKey(name))
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/** "Rapport.pdf" → "Rapport (2).pdf", or the first number free in the folder. */
export async function freeFileName(db: Executor, spaceId: string, folderId: string | null, name: string): Promise<string> {
  if (!(await findFileByName(db, spaceId, folderId, name))) return name;
  const dot = name.lastIndexOf(".");
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${extension}`;
    if (!(await findFileByName(db, spaceId, folderId, candidate))) return candidate;
  }
}

export interface StoredObjectFacts {
  storageKey: string;
  size: number;
  contentType: string;
  sha256: string;
  thumbnailKey: string | null;
}

/** A new file with its first version. */
export async function createFile(
  db: Executor,
  input: { spaceId: string; folderId: string | null; name: string; userId: string; now: number; object: StoredObjectFacts; originalName: string },
): Promise<{ file: StoredFile; version: FileVersion }> {
  const file: StoredFile = {
    id: newId(),
    space_id: input.spaceId,
    folder_id: input.folderId,
    name: input.name,
    name_key: nameKey(input.name),
    version: 1,
    size: input.object.size,
    content_type: input.object.contentType,
    has_thumbnail: input.object.thumbnailKey ? 1 : 0,
    created_by: input.userId,
    created_at: input.now,
    updated_by: input.userId,
    updated_at: input.now,
    deleted_at: null,
    deleted_by: null,
    trashed_with: null,
  };
  await db.insertInto("file").values(file).execute();
  const version = await insertVersion(db, file, 1, input);
  return { file, version };
}

/** A new current version of an existing file; earlier versions stay downloadable. */
export async function addVersion(
  db: Executor,
  file: StoredFile,
  input: { userId: string; now: number; object: StoredObjectFacts; originalName: string },
): Promise<FileVersion> {
  const latest = await db
    .selectFrom("file_version")
    .select((eb) => eb.fn.max("number").as("n"))
    .where("file_id", "=", file.id)
    .executeTakeFirst();
  const number = (latest?.n ?? 0) + 1;
  const version = await insertVersion(db, file, number, input);
  await db
    .updateTable("file")
    .set({
      version: number,
      size: input.object.size,
      content_type: input.object.contentType,
      has_thumbnail: input.object.thumbnailKey ? 1 : 0,
      updated_by: input.userId,
      updated_at: input.now,
    })
    .where("id", "=", file.id)
    .execute();
  return version;
}

async function insertVersion(
  db: Executor,
  file: Pick<StoredFile, "id" | "space_id">,
  number: number,
  input: { userId: string; now: number; object: StoredObjectFacts; originalName: string },
): Promise<FileVersion> {
  const version: FileVersion = {
    id: newId(),
    file_id: file.id,
    space_id: file.space_id,
    number,
    storage_key: input.object.storageKey,
    size: input.object.size,
    content_type: input.object.contentType,
    sha256: input.object.sha256,
    thumbnail_key: input.object.thumbnailKey,
    original_name: input.originalName,
    uploaded_by: input.userId,
    created_at: input.now,
  };
  await db.insertInto("file_version").values(version).execute();
  return version;
}

export function listVersions(db: Executor, fileId: string) {
  return db
    .selectFrom("file_version as v")
    .leftJoin("user as u", "u.id", "v.uploaded_by")
    .select(["v.id", "v.number", "v.size", "v.content_type", "v.original_name", "v.created_at", "v.thumbnail_key", "u.display_name as uploader_name"])
    .where("v.file_id", "=", fileId)
    .orderBy("v.number", "desc")
    .execute();
}

/** One version of a file; the current one when `number` is undefined. */
export function findVersion(db: Executor, file: Pick<StoredFile, "id" | "version">, number?: number) {
  return db
    .selectFrom("file_version")
    .selectAll()
    .where("file_id", "=", file.id)
    .where("number", "=", number ?? file.version)
    .executeTakeFirst();
}

export async function renameFile(db: Executor, fileId: string, name: string, userId: string, now: number) {
  await db.updateTable("file").set({ name, name_key: nameKey(name), updated_by: userId, updated_at: now }).where("id", "=", fileId).execute();
}

export async function moveFile(db: Executor, fileId: string, folderId: string | null, userId: string, now: number) {
  await db.updateTable("file").set({ folder_id: folderId, updated_by: userId, updated_at: now }).where("id", "=", fileId).execute();
}

export async function trashFile(db: Executor, fileId: string, by: string, now: number) {
  await db.updateTable("file").set({ deleted_at: now, deleted_by: by, trashed_with: null }).where("id", "=", fileId).execute();
}

// ---------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------

export interface FolderListing {
  folders: Array<{ id: string; name: string; updated_at: number; created_by_name: string | null }>;
  files: Array<{
    id: string;
    name: string;
    size: number;
    content_type: string;
    version: number;
    has_thumbnail: number;
    created_by: string | null;
    updated_at: number;
    uploader_name: string | null;
  }>;
}

/** What one folder (or the top, for null) holds, live items only, folders first. */
export async function listFolder(
  db: Executor,
  spaceId: string,
  folderId: string | null,
  sort: SortKey = "name",
  direction: SortDirection = "asc",
): Promise<FolderListing> {
  const folders = await db
    .selectFrom("folder as f")
    .leftJoin("user as u", "u.id", "f.created_by")
    .select(["f.id", "f.name", "f.updated_at", "u.display_name as created_by_name"])
    .where("f.space_id", "=", spaceId)
    .where(orEmpty(db, sql.ref("f.parent_id")), "=", folderId ?? "")
    .where("f.deleted_at", "is", null)
    .orderBy(sort === "date" ? "f.updated_at" : "f.name_key", sort === "date" || sort === "name" ? direction : "asc")
    .execute();
  const order = {
    name: "f.name_key",
    size: "f.size",
    type: "f.content_type",
    uploader: "u.display_name",
    date: "f.updated_at",
  } as const;
  const files = await db
    .selectFrom("file as f")
    .leftJoin("user as u", "u.id", "f.updated_by")
    .select(["f.id", "f.name", "f.size", "f.content_type", "f.version", "f.has_thumbnail", "f.created_by", "f.updated_at", "u.display_name as uploader_name"])
    .where("f.space_id", "=", spaceId)
    .where(orEmpty(db, sql.ref("f.folder_id")), "=", folderId ?? "")
    .where("f.deleted_at", "is", null)
    .orderBy(order[sort], direction)
    .orderBy("f.name_key", "asc")
    .execute();
  return { folders, files };
}

// ---------------------------------------------------------------------------
// Quota and uploads
// ---------------------------------------------------------------------------

// An upload holds room while it is alive: not finished, and a byte (or its
// creation) seen since `aliveSince`. A lapsed one takes room again when it
// resumes, if there is still some (app/files/uploads.server.ts).

/** Bytes the space holds: every stored version (the trash too, until purged) plus uploads alive. */
export async function spaceUsage(db: Executor, spaceId: string, aliveSince: number, exceptUploadId?: string): Promise<{ stored: number; reserved: number }> {
  const stored = await db
    .selectFrom("file_version")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("size"), sql<number>`0`).as("bytes"))
    .where("space_id", "=", spaceId)
    .executeTakeFirstOrThrow();
  const reserved = await db
    .selectFrom("upload")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("size"), sql<number>`0`).as("bytes"))
    .where("space_id", "=", spaceId)
    .where("finished_file_id", "is", null)
    .where("active_at", ">", aliveSince)
    .$if(exceptUploadId !== undefined, (qb) => qb.where("id", "!=", exceptUploadId!))
    .executeTakeFirstOrThrow();
  return { stored: Number(stored.bytes), reserved: Number(reserved.bytes) };
}

/** Room one member's uploads alive hold in a space. */
export async function memberReserved(db: Executor, spaceId: string, userId: string, aliveSince: number): Promise<{ bytes: number; uploads: number }> {
  const row = await db
    .selectFrom("upload")
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>("size"), sql<number>`0`).as("bytes"), eb.fn.countAll<number>().as("uploads")])
    .where("space_id", "=", spaceId)
    .where("user_id", "=", userId)
    .where("finished_file_id", "is", null)
    .where("active_at", ">", aliveSince)
    .executeTakeFirstOrThrow();
  return { bytes: Number(row.bytes), uploads: Number(row.uploads) };
}

/** Bytes the uploads alive, in every space, have still to send: what the disk must keep room for. */
export async function bytesStillExpected(db: Executor, aliveSince: number): Promise<number> {
  const row = await db
    .selectFrom("upload")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>(larger(db, sql<number>`size - received`, sql<number>`0`)), sql<number>`0`).as("bytes"))
    .where("finished_file_id", "is", null)
    .where("active_at", ">", aliveSince)
    .executeTakeFirstOrThrow();
  return Number(row.bytes);
}

export async function createUpload(
  db: Executor,
  input: { id: string; spaceId: string; folderId: string | null; userId: string; fileId: string | null; name: string; size: number; now: number; expiresAt: number },
) {
  await db
    .insertInto("upload")
    .values({
      id: input.id,
      space_id: input.spaceId,
      folder_id: input.folderId,
      user_id: input.userId,
      file_id: input.fileId,
      name: input.name,
      size: input.size,
      created_at: input.now,
      active_at: input.now,
      expires_at: input.expiresAt,
    })
    .execute();
}

export function findUpload(db: Executor, id: string) {
  return db.selectFrom("upload").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Bytes arrived: the upload is alive as of `now`, and its parts kept until `expiresAt`. */
export async function touchUpload(db: Executor, id: string, input: { received?: number; now: number; expiresAt: number }) {
  await db
    .updateTable("upload")
    .set({ active_at: input.now, expires_at: input.expiresAt, ...(input.received === undefined ? {} : { received: input.received }) })
    .where("id", "=", id)
    .where("finished_file_id", "is", null)
    .execute();
}

/** Claims the finishing of an upload for `fileId`: true for the one caller whose update took. */
export async function markUploadFinished(db: Executor, id: string, input: { fileId: string; received: number; expiresAt: number }) {
  const result = await db
    .updateTable("upload")
    .set({ finished_file_id: input.fileId, received: input.received, expires_at: input.expiresAt })
    .where("id", "=", id)
    .where("finished_file_id", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteUpload(db: Executor, id: string) {
  await db.deleteFrom("upload").where("id", "=", id).execute();
}

/** Uploads not finished, oldest first: the ones to look at after a restart. */
export function listUnfinishedUploads(db: Executor) {
  return db.selectFrom("upload").select(["id", "space_id"]).where("finished_file_id", "is", null).orderBy("created_at").execute();
}

/** What a space's admins see of the uploads under way (lapsed ones too, until swept). */
export function listUploadsInProgress(db: Executor, spaceId: string) {
  return db
    .selectFrom("upload as up")
    .leftJoin("user as u", "u.id", "up.user_id")
    .select(["up.id", "up.name", "up.size", "up.received", "up.created_at", "up.active_at", "up.user_id", "u.display_name as uploader_name"])
    .where("up.space_id", "=", spaceId)
    .where("up.finished_file_id", "is", null)
    .orderBy("up.active_at", "desc")
    .execute();
}

/**
 * Uploads whose time is up: unfinished ones nobody continued (their parts are
 * to be removed with their rows), and finished ones kept a day so that HEAD
 * could still name their file (only their row and bookkeeping go).
 */
export function listExpiredUploads(db: Executor, now: number) {
  return db.selectFrom("upload").select(["id", "space_id", "finished_file_id"]).where("expires_at", "<=", now).execute();
}

// ---------------------------------------------------------------------------
// Trash
// ---------------------------------------------------------------------------

export interface TrashEntry {
  kind: "folder" | "file";
  id: string;
  name: string;
  deleted_at: number;
  deleted_by_name: string | null;
  /** Where it was: the folder it sat in, if that folder is still live (null: the top, or a folder gone too). */
  place_id: string | null;
  place_name: string | null;
  /** A file's bytes over all its versions; a folder's over every file that went to the trash with it. */
  bytes: number;
  /** Files that went to the trash with a folder (0 for a file). */
  files: number;
  /** A file's type ("" for a folder). */
  content_type: string;
}

/**
 * What a space's trash shows: each thing somebody deleted, newest first.
 * What went along with a deleted folder is inside that entry, not beside it.
 */
export async function listTrash(db: Executor, spaceId: string): Promise<TrashEntry[]> {
  const result = await sql<TrashEntry>`
    SELECT 'folder' AS kind, f.id AS id, f.name AS name, f.deleted_at AS deleted_at, u.display_name AS deleted_by_name,
           p.id AS place_id, p.name AS place_name,
           (SELECT coalesce(sum(v.size), 0) FROM file x JOIN file_version v ON v.file_id = x.id
             WHERE x.space_id = f.space_id AND (x.trashed_with = f.id)) AS bytes,
           (SELECT count(*) FROM file x WHERE x.space_id = f.space_id AND x.trashed_with = f.id) AS files,
           '' AS content_type
      FROM folder f
      LEFT JOIN "user" u ON u.id = f.deleted_by
      LEFT JOIN folder p ON p.id = f.parent_id AND p.deleted_at IS NULL
     WHERE f.space_id = ${spaceId} AND f.deleted_at IS NOT NULL AND f.trashed_with IS NULL
    UNION ALL
    SELECT 'file' AS kind, f.id AS id, f.name AS name, f.deleted_at AS deleted_at, u.display_name AS deleted_by_name,
           p.id AS place_id, p.name AS place_name,
           (SELECT coalesce(sum(v.size), 0) FROM file_version v WHERE v.file_id = f.id) AS bytes,
           0 AS files,
           f.content_type AS content_type
      FROM file f
      LEFT JOIN "user" u ON u.id = f.deleted_by
      LEFT JOIN folder p ON p.id = f.folder_id AND p.deleted_at IS NULL
     WHERE f.space_id = ${spaceId} AND f.deleted_at IS NOT NULL AND f.trashed_with IS NULL
    ORDER BY deleted_at DESC, id`.execute(db);
  return result.rows.map((r) => ({ ...r, bytes: Number(r.bytes), files: Number(r.files) }));
}

/** A trash entry of this space: a folder or file deleted on its own (not along with a folder). */
export function findTrashedFolder(db: Executor, spaceId: string, folderId: string) {
  return db
    .selectFrom("folder")
    .selectAll()
    .where("space_id", "=", spaceId)
    .where("id", "=", folderId)
    .where("deleted_at", "is not", null)
    .where("trashed_with", "is", null)
    .executeTakeFirst();
}

export function findTrashedFile(db: Executor, spaceId: string, fileId: string) {
  return db
    .selectFrom("file")
    .selectAll()
    .where("space_id", "=", spaceId)
    .where("id", "=", fileId)
    .where("deleted_at", "is not", null)
    .where("trashed_with", "is", null)
    .executeTakeFirst();
}

/** "Atelier" → "Atelier (2)", or the first number free among the live folders there. */
async function freeFolderName(db: Executor, spaceId: string, parentId: string | null, name: string): Promise<string> {
  if (!(await folderNameTaken(db, spaceId, parentId, name))) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!(await folderNameTaken(db, spaceId, parentId, candidate))) return candidate;
  }
}

export interface Restored {
  name: string;
  /** Where it went back to: its old folder, or the top when that folder is gone. */
  folderId: string | null;
  /** True when a live item had taken its name meanwhile and it came back as "name (2)". */
  renamed: boolean;
}

/**
 * Back where it was, or at the top if its folder is in the trash too; under
 * a free name if its own was taken meanwhile. Nothing that is live moves.
 */
export async function restoreFile(db: Executor, file: StoredFile, now: number): Promise<Restored> {
  const folderId = file.folder_id && (await findLiveFolder(db, file.space_id, file.folder_id)) ? file.folder_id : null;
  const name = await freeFileName(db, file.space_id, folderId, file.name);
  await db
    .updateTable("file")
    .set({ folder_id: folderId, name, name_key: nameKey(name), deleted_at: null, deleted_by: null, trashed_with: null, updated_at: now })
    .where("id", "=", file.id)
    .execute();
  return { name, folderId, renamed: name !== file.name };
}

/** The folder comes back with everything that went to the trash with it. */
export async function restoreFolder(db: Executor, folder: Folder, now: number): Promise<Restored> {
  const parentId = folder.parent_id && (await findLiveFolder(db, folder.space_id, folder.parent_id)) ? folder.parent_id : null;
  const name = await freeFolderName(db, folder.space_id, parentId, folder.name);
  await db
    .updateTable("folder")
    .set({ parent_id: parentId, name, name_key: nameKey(name), deleted_at: null, deleted_by: null, trashed_with: null, updated_at: now })
    .where("id", "=", folder.id)
    .execute();
  // Only what it took along: what was deleted on its own before stays a trash entry of its own.
  await db.updateTable("folder").set({ deleted_at: null, deleted_by: null, trashed_with: null }).where("trashed_with", "=", folder.id).execute();
  await db.updateTable("file").set({ deleted_at: null, deleted_by: null, trashed_with: null }).where("trashed_with", "=", folder.id).execute();
  return { name, folderId: parentId, renamed: name !== folder.name };
}

/** What purging leaves to delete in storage once the rows are gone. */
export interface PurgedObjects {
  keys: string[];
  uploadIds: string[];
  files: number;
  bytes: number;
}

async function objectsOfFiles(db: Executor, fileIds: string[]): Promise<PurgedObjects> {
  if (fileIds.length === 0) return { keys: [], uploadIds: [], files: 0, bytes: 0 };
  const versions = await db.selectFrom("file_version").select(["storage_key", "thumbnail_key", "size"]).where("file_id", "in", fileIds).execute();
  const keys = versions.flatMap((v) => (v.thumbnail_key ? [v.storage_key, v.thumbnail_key] : [v.storage_key]));
  return { keys, uploadIds: [], files: fileIds.length, bytes: versions.reduce((sum, v) => sum + v.size, 0) };
}

/**
 * Deletes the file's rows (versions, page links) for good and says which
 * objects to delete. Rows go first, in the caller's transaction: an object
 * left behind by a crash is an orphan storage:check finds, never a file
 * whose bytes are gone.
 */
export async function purgeFile(db: Executor, fileId: string): Promise<PurgedObjects> {
  const purged = await objectsOfFiles(db, [fileId]);
  // A new version still uploading to it would otherwise finish as a file of its own. A finished
  // upload's bytes are a version's (collected above, if this file's): only its row goes.
  const uploads = await db.selectFrom("upload").select("id").where("file_id", "=", fileId).where("finished_file_id", "is", null).execute();
  await db.deleteFrom("upload").where("file_id", "=", fileId).execute();
  await db.deleteFrom("file").where("id", "=", fileId).execute();
  return { ...purged, uploadIds: uploads.map((u) => u.id) };
}

/** The folder and everything below it, whatever its state: the rows cascade, so every object below is collected first. */
export async function purgeFolder(db: Executor, folderId: string): Promise<PurgedObjects> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT CAST(${folderId} AS text)
      UNION
      SELECT f.id FROM folder f JOIN down ON f.parent_id = down.id
    )
    SELECT id FROM down`.execute(db);
  const folderIds = result.rows.map((r) => r.id);
  const fileIds = (await db.selectFrom("file").select("id").where("folder_id", "in", folderIds).execute()).map((f) => f.id);
  const purged = await objectsOfFiles(db, fileIds);
  const uploads = await db
    .selectFrom("upload")
    .select(["id", "finished_file_id"])
    .where((eb) => eb.or([eb("folder_id", "in", folderIds), ...(fileIds.length > 0 ? [eb("file_id", "in", fileIds)] : [])]))
    .execute();
  if (uploads.length > 0) await db.deleteFrom("upload").where("id", "in", uploads.map((u) => u.id)).execute();
  await db.deleteFrom("folder").where("id", "=", folderId).execute();
  // Only unfinished uploads' parts go: a finished one's bytes are its file's, which may have
  // landed elsewhere (at the top, its folder trashed while it came in) and lives on.
  return { ...purged, uploadIds: uploads.filter((u) => u.finished_file_id === null).map((u) => u.id) };
}

/** Trash entries deleted at or before `before`, every space: the 30-day purge. */
export async function listTrashDeletedBefore(db: Executor, before: number, limit: number) {
  const folders = await db
    .selectFrom("folder")
    .select(["id", "space_id", "name", "deleted_at"])
    .where("deleted_at", "<=", before)
    .where("trashed_with", "is", null)
    .limit(limit)
    .execute();
  const files = await db
    .selectFrom("file")
    .select(["id", "space_id", "name", "deleted_at"])
    .where("deleted_at", "<=", before)
    .where("trashed_with", "is", null)
    .limit(limit)
    .execute();
  return { folders, files };
}

// ---------------------------------------------------------------------------
// Files in wiki pages
// ---------------------------------------------------------------------------

/**
 * Replaces the files a page shows or links to. Ids of files outside its
 * space are ignored: content may name anything, the links only this space's.
 */
export async function setPageFiles(db: Executor, page: { id: string; space_id: string }, fileIds: string[]) {
  await db.deleteFrom("page_file").where("page_id", "=", page.id).execute();
  const wanted = [...new Set(fileIds)];
  if (wanted.length === 0) return;
  const found = await db.selectFrom("file").select("id").where("space_id", "=", page.space_id).where("id", "in", wanted).execute();
  if (found.length === 0) return;
  await db
    .insertInto("page_file")
    .values(found.map((f) => ({ page_id: page.id, file_id: f.id })))
    .execute();
}

/**
 * Live files in this folder and every live folder below it: those whose
 * users trashing the folder would break (db/queries/file-usage.ts says who).
 * Raw SQL for the recursive walk down the folders, which the builder cannot say.
 */
export async function liveFilesBelow(db: Executor, folderId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT CAST(${folderId} AS text)
      UNION
      SELECT f.id FROM folder f JOIN down ON f.parent_id = down.id WHERE f.deleted_at IS NULL
    )
    SELECT x.id FROM file x WHERE x.folder_id IN (SELECT id FROM down) AND x.deleted_at IS NULL`.execute(db);
  return result.rows.map((r) => r.id);
}

export interface PickableFile {
  id: string;
  name: string;
  size: number;
  content_type: string;
  version: number;
  has_thumbnail: number;
  updated_at: number;
  folder_name: string | null;
}

/** Live files of a space for the editor's picker: newest first, optionally of some types only, names containing `query`. */
export function searchFiles(db: Executor, spaceId: string, options: { query: string; contentTypes?: readonly string[]; limit: number }) {
  // A NUL is in no name (names.ts removes control characters), and PostgreSQL cannot take one as a parameter.
  const needle = fold(options.query.replaceAll("\u0000", "").trim().normalize("NFC"));
  return db
    .selectFrom("file as f")
    .leftJoin("folder as d", "d.id", "f.folder_id")
    .select(["f.id", "f.name", "f.size", "f.content_type", "f.version", "f.has_thumbnail", "f.updated_at", "d.name as folder_name"])
    .where("f.space_id", "=", spaceId)
    .where("f.deleted_at", "is", null)
    .$if(needle !== "", (q) => q.where(positionOf(db, sql<string>`fold(f.name)`, needle), ">", 0))
    .$if(options.contentTypes !== undefined, (q) => q.where("f.content_type", "in", options.contentTypes!))
    .orderBy("f.updated_at", "desc")
    .orderBy("f.id")
    .limit(options.limit)
    .execute() as Promise<PickableFile[]>;
}

/** A file and the slug of its space, for the addresses by id alone (/files/:id). */
export function findFileWithSpaceSlug(db: Executor, fileId: string) {
  return db
    .selectFrom("file")
    .innerJoin("space", "space.id", "file.space_id")
    .selectAll("file")
    .select("space.slug as space_slug")
    .where("file.id", "=", fileId)
    .executeTakeFirst();
}
