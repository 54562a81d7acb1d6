import type { Executor } from "#db/client.ts";
import { revokeLinksOfTrashed } from "#db/queries/share-links.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import * as files from "#db/queries/files.ts";
import { findMembership } from "#db/queries/members.ts";
import { findById as findSpace } from "#db/queries/spaces.ts";
import { findById as findUser } from "#db/queries/users.ts";
import type { Folder, StoredFile, Upload } from "#db/schema.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { actorOf } from "#app/policies/actor.ts";
import { canEditFile } from "#app/policies/file.ts";
import type { ActingParts, Housekeeping } from "#app/utils/acting.server.ts";
import { cleanName, MAX_NAME_LENGTH } from "./names.ts";
import { diskRoom, roomForNewUpload, roomToResume, UPLOAD_TTL_MS, type RoomRefusal } from "./reservations.server.ts";

/**
 * The file use cases that change the database: folders (create, rename,
 * move, trash), files (rename, move, trash), the trash (restore, purge),
 * uploads (reserve, resume, record as a file, cancel). Each is a function of
 * the executor (the transaction its caller opened), who acts and the input,
 * and answers a result or a typed refusal; none opens a transaction, fetches
 * the database or throws an HTTP answer, so a route, the housekeeping sweep
 * and the start-up pass call the same ones.
 *
 * Each id is looked up within the acting space ("not_found" otherwise). The
 * space-wide rules (who manages folders, the trash, uploads) are the
 * route's to check before it calls; a command checks the rules that depend
 * on what it reads (may this person edit this file?), in the order the
 * answers have always come in.
 *
 * Bytes are never touched here: storage is not transactional, and a
 * transaction must not wait on it (the SQLite connection is single). So the
 * callers keep the order that never shows a file without its bytes: an
 * upload's bytes are stored and described first, then its file row is
 * recorded (recordUpload) in a transaction — a file is listed only once
 * complete; purging deletes the rows in a transaction and returns the
 * objects, which the caller deletes after the commit — a crash in between
 * leaves an orphan for `npm run storage:check`, never a listed file whose
 * bytes are gone. Deleting a file by hand only moves it to the trash.
 */

/** What these commands read of the acting context (ActingInSpace): a route passes it whole; a job or a test builds these parts. */
export type FileActing = ActingParts<"space" | "actor" | "membership" | "now">;

/** The same, with the address the audit log records. */
export type AuditedFileActing = ActingParts<"space" | "actor" | "membership" | "ip" | "now">;

export type NotFound = { ok: false; error: "not_found" };
export type Forbidden = { ok: false; error: "forbidden" };
/** A value of the form the user can correct: which field, and the message beside it. */
export type Invalid = { ok: false; error: "invalid"; field: "name" | "target"; message: MessageKey };

const notFound: NotFound = { ok: false, error: "not_found" };
const forbidden: Forbidden = { ok: false, error: "forbidden" };
const invalid = (field: Invalid["field"], message: MessageKey): Invalid => ({ ok: false, error: "invalid", field, message });

function readName(raw: string): { name: string } | Invalid {
  const name = cleanName(raw);
  if (!name) return invalid("name", "v.required");
  if ([...name].length > MAX_NAME_LENGTH) return invalid("name", "files.nameTooLong");
  return { name };
}

/**
 * Where to move something: null is the top of the space's files, a string
 * must be a live folder of the space, undefined (nothing sent) is refused.
 */
export type Destination = string | null | undefined;

async function readDestination(db: Executor, spaceId: string, destination: Destination): Promise<{ id: string | null } | Invalid> {
  if (destination === null) return { id: null };
  const folder = destination === undefined ? undefined : await files.findLiveFolder(db, spaceId, destination);
  return folder ? { id: folder.id } : invalid("target", "files.badTarget");
}

// ---------------------------------------------------------------------------
// Folders
// ---------------------------------------------------------------------------

/** A new folder in `parentId` (null: the top), under a name free there. */
export async function createFolder(
  trx: Executor,
  ctx: FileActing,
  input: { parentId: string | null; name: string },
): Promise<{ ok: true; folder: Folder } | NotFound | Invalid> {
  const { space, actor, now } = ctx;
  if (input.parentId !== null && !(await files.findLiveFolder(trx, space.id, input.parentId))) return notFound;
  const read = readName(input.name);
  if ("error" in read) return read;
  if (await files.folderNameTaken(trx, space.id, input.parentId, read.name)) return invalid("name", "files.nameTaken");
  const folder = await files.createFolder(trx, { spaceId: space.id, parentId: input.parentId, name: read.name, userId: actor.id, now });
  return { ok: true, folder };
}

export async function renameFolder(
  trx: Executor,
  ctx: FileActing,
  input: { folderId: string; name: string },
): Promise<{ ok: true; folder: Folder; name: string } | NotFound | Invalid> {
  const { space, now } = ctx;
  const folder = await files.findLiveFolder(trx, space.id, input.folderId);
  if (!folder) return notFound;
  const read = readName(input.name);
  if ("error" in read) return read;
  if (await files.folderNameTaken(trx, space.id, folder.parent_id, read.name, folder.id)) return invalid("name", "files.nameTaken");
  await files.renameFolder(trx, folder.id, read.name, now);
  return { ok: true, folder, name: read.name };
}

/** Elsewhere in the space, never into itself or below itself, never beside a folder of the same name. */
export async function moveFolder(
  trx: Executor,
  ctx: FileActing,
  input: { folderId: string; destination: Destination },
): Promise<{ ok: true; folder: Folder } | NotFound | Invalid> {
  const { space, now } = ctx;
  const folder = await files.findLiveFolder(trx, space.id, input.folderId);
  if (!folder) return notFound;
  const target = await readDestination(trx, space.id, input.destination);
  if ("error" in target) return target;
  if (target.id && (await files.isFolderSelfOrDescendant(trx, folder.id, target.id))) return invalid("target", "files.moveIntoItself");
  if (await files.folderNameTaken(trx, space.id, target.id, folder.name, folder.id)) return invalid("target", "files.nameTakenThere");
  await files.moveFolder(trx, folder.id, target.id, now);
  return { ok: true, folder };
}

/** To the trash with everything live below it, and a line in the space's activity. */
export async function trashFolder(trx: Executor, ctx: FileActing, input: { folderId: string }): Promise<{ ok: true; folder: Folder; files: number } | NotFound> {
  const { space, actor, now } = ctx;
  const folder = await files.findLiveFolder(trx, space.id, input.folderId);
  if (!folder) return notFound;
  const count = await files.trashFolder(trx, folder.id, actor.id, now);
  // The share links of the files that went with it stop for good.
  await revokeLinksOfTrashed(trx, space.id, actor.id, now);
  await recordActivity(trx, { spaceId: space.id, actorId: actor.id, verb: "file_deleted", data: { folder: folder.name, files: count }, now });
  return { ok: true, folder, files: count };
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

/** A live file of the space that the actor may edit. */
async function editableFile(db: Executor, ctx: FileActing, fileId: string): Promise<{ ok: true; file: StoredFile } | NotFound | Forbidden> {
  const file = await files.findLiveFile(db, ctx.space.id, fileId);
  if (!file) return notFound;
  if (!canEditFile(ctx.actor, ctx.membership, ctx.space, file)) return forbidden;
  return { ok: true, file };
}

export async function renameFile(
  trx: Executor,
  ctx: FileActing,
  input: { fileId: string; name: string },
): Promise<{ ok: true; file: StoredFile; name: string } | NotFound | Forbidden | Invalid> {
  const found = await editableFile(trx, ctx, input.fileId);
  if (!found.ok) return found;
  const { file } = found;
  const read = readName(input.name);
  if ("error" in read) return read;
  const clash = await files.findFileByName(trx, ctx.space.id, file.folder_id, read.name);
  if (clash && clash.id !== file.id) return invalid("name", "files.nameTaken");
  await files.renameFile(trx, file.id, read.name, ctx.actor.id, ctx.now);
  return { ok: true, file, name: read.name };
}

export async function moveFile(
  trx: Executor,
  ctx: FileActing,
  input: { fileId: string; destination: Destination },
): Promise<{ ok: true; file: StoredFile } | NotFound | Forbidden | Invalid> {
  const found = await editableFile(trx, ctx, input.fileId);
  if (!found.ok) return found;
  const { file } = found;
  const target = await readDestination(trx, ctx.space.id, input.destination);
  if ("error" in target) return target;
  const clash = await files.findFileByName(trx, ctx.space.id, target.id, file.name);
  if (clash && clash.id !== file.id) return invalid("target", "files.nameTakenThere");
  await files.moveFile(trx, file.id, target.id, ctx.actor.id, ctx.now);
  return { ok: true, file };
}

/** To the trash (its bytes stay until it is purged), and a line in the space's activity. */
export async function trashFile(trx: Executor, ctx: FileActing, input: { fileId: string }): Promise<{ ok: true; file: StoredFile } | NotFound | Forbidden> {
  const found = await editableFile(trx, ctx, input.fileId);
  if (!found.ok) return found;
  const { file } = found;
  const { space, actor, now } = ctx;
  await files.trashFile(trx, file.id, actor.id, now);
  await revokeLinksOfTrashed(trx, space.id, actor.id, now);
  await recordActivity(trx, { spaceId: space.id, actorId: actor.id, verb: "file_deleted", data: { fileId: file.id, name: file.name }, now });
  return { ok: true, file };
}

// ---------------------------------------------------------------------------
// Trash
// ---------------------------------------------------------------------------

export type TrashKind = "file" | "folder";

/** Back where it was (or at the top, its folder gone), under a free name; "not_found" unless `id` is a trash entry of the space. */
export async function restoreFromTrash(
  trx: Executor,
  ctx: FileActing,
  input: { kind: TrashKind; id: string },
): Promise<({ ok: true; previousName: string } & files.Restored) | NotFound> {
  const { space, actor, now } = ctx;
  let restored: files.Restored;
  let previousName: string;
  if (input.kind === "file") {
    const file = await files.findTrashedFile(trx, space.id, input.id);
    if (!file) return notFound;
    restored = await files.restoreFile(trx, file, now);
    previousName = file.name;
  } else {
    const folder = await files.findTrashedFolder(trx, space.id, input.id);
    if (!folder) return notFound;
    restored = await files.restoreFolder(trx, folder, now);
    previousName = folder.name;
  }
  await recordActivity(trx, {
    spaceId: space.id,
    actorId: actor.id,
    verb: "file_restored",
    data: input.kind === "file" ? { fileId: input.id, name: restored.name } : { folder: restored.name },
    now,
  });
  return { ok: true, ...restored, previousName };
}

/** Who purges: a person, or the server's own housekeeping (no actor; its audit entries say "automatic"). */
export type Purger = ActingParts<"space" | "actor" | "ip" | "now"> | Housekeeping;

/**
 * Deletes a trash entry's rows for good, with an audit entry, and answers the
 * objects to delete from storage — the caller's to do once this transaction
 * has committed. "not_found" unless `id` is a trash entry of the space.
 */
export async function purgeFromTrash(
  trx: Executor,
  ctx: Purger,
  input: { kind: TrashKind; id: string },
): Promise<({ ok: true; name: string } & files.PurgedObjects) | NotFound> {
  const { space, now } = ctx;
  const entry = input.kind === "file" ? await files.findTrashedFile(trx, space.id, input.id) : await files.findTrashedFolder(trx, space.id, input.id);
  if (!entry) return notFound;
  const objects = input.kind === "file" ? await files.purgeFile(trx, input.id) : await files.purgeFolder(trx, input.id);
  const actorId = ctx.actor?.id ?? null;
  await audit(trx, {
    event: input.kind === "file" ? "file_purged" : "folder_purged",
    actorId,
    ip: ctx.ip,
    spaceId: space.id,
    data: { name: entry.name, files: objects.files, bytes: objects.bytes, deletedAt: entry.deleted_at, automatic: actorId === null },
    now,
  });
  return { ok: true, name: entry.name, ...objects };
}

// ---------------------------------------------------------------------------
// Uploads
// ---------------------------------------------------------------------------

export type ConflictChoice = "version" | "copy";

export type ReserveRefusal =
  | { ok: false; error: "folder_not_found" }
  | { ok: false; error: "file_not_found" }
  | Forbidden
  | { ok: false; error: "name_taken"; fileId: string; canVersion: boolean }
  | RoomRefusal;

/**
 * A new upload (tus's creation), before any byte: where it goes, whether the
 * name is free or may take a new version, and its room — in the space's
 * quota and on the disk — reserved in the same write transaction, so two
 * uploads racing for the last gigabyte cannot both get it. `freeBytes` is
 * the disk's free space as the caller measured it before opening the
 * transaction (null for S3, which has no such limit).
 */
export async function reserveUpload(
  trx: Executor,
  ctx: FileActing,
  input: {
    uploadId: string;
    name: string;
    size: number;
    folderId: string | null;
    fileId: string | null;
    onConflict: ConflictChoice | null;
    freeBytes: number | null;
    marginBytes: number;
  },
): Promise<{ ok: true } | ReserveRefusal> {
  const { space, actor, membership, now } = ctx;
  if (input.folderId && !(await files.findLiveFolder(trx, space.id, input.folderId))) return { ok: false, error: "folder_not_found" };
  if (input.fileId) {
    const target = await files.findLiveFile(trx, space.id, input.fileId);
    if (!target) return { ok: false, error: "file_not_found" };
    if (!canEditFile(actor, membership, space, target)) return forbidden;
  } else {
    const existing = await files.findFileByName(trx, space.id, input.folderId, input.name);
    if (existing) {
      const canVersion = canEditFile(actor, membership, space, existing);
      if (input.onConflict === null) return { ok: false, error: "name_taken", fileId: existing.id, canVersion };
      if (input.onConflict === "version" && !canVersion) return forbidden;
    }
  }
  const refused =
    (await roomForNewUpload(trx, space, actor.id, input.size, now)) ?? (await diskRoom(trx, input.freeBytes, input.size, input.marginBytes, now));
  if (refused) return refused;
  await files.createUpload(trx, {
    id: input.uploadId,
    spaceId: space.id,
    folderId: input.folderId,
    userId: actor.id,
    fileId: input.fileId,
    name: input.name,
    size: input.size,
    now,
    expiresAt: now + UPLOAD_TTL_MS,
  });
  return { ok: true };
}

/**
 * A PATCH on one's own upload, before tus takes its bytes: the upload is
 * alive again, and one that had lapsed takes room in the quota again if
 * there is some. The caller has checked that the upload is the actor's, in
 * this space.
 */
export async function resumeUpload(
  trx: Executor,
  ctx: Pick<FileActing, "space" | "now">,
  input: { upload: Pick<Upload, "id" | "size" | "active_at" | "finished_file_id"> },
): Promise<{ ok: true } | RoomRefusal> {
  const { upload } = input;
  if (upload.finished_file_id !== null) return { ok: true };
  const refused = await roomToResume(trx, ctx.space, upload, ctx.now);
  if (refused) return refused;
  await files.touchUpload(trx, upload.id, { now: ctx.now, expiresAt: ctx.now + UPLOAD_TTL_MS });
  return { ok: true };
}

/**
 * Records the file (or new version) a complete upload makes, once, whoever
 * gets there first (the last PATCH, a HEAD, the start-up pass, the sweep).
 * The caller has stored and described every byte (`object`) before opening
 * the transaction. The person acting is the uploader, with their rights as
 * they are now: one who lost the right to edit the file gets a copy, not a
 * new version. Refusals roll everything back: "already_finished" names the
 * file another finisher recorded; "not_found" means there is no such upload
 * (cancelled, swept), its space or uploader is gone, or another finisher
 * claimed it meanwhile.
 */
export async function recordUpload(
  trx: Executor,
  ctx: { now: number },
  input: { uploadId: string; object: files.StoredObjectFacts; onConflict: ConflictChoice | null },
): Promise<{ ok: true; fileId: string; name: string } | { ok: false; error: "already_finished"; fileId: string } | NotFound> {
  const { now } = ctx;
  const current = await files.findUpload(trx, input.uploadId);
  if (!current) return notFound;
  if (current.finished_file_id) return { ok: false, error: "already_finished", fileId: current.finished_file_id };
  const space = await findSpace(trx, current.space_id);
  const user = await findUser(trx, current.user_id);
  if (!space || !user) return notFound;
  const actor = actorOf(user);
  const membership = await findMembership(trx, space.id, user.id);
  // Things may have moved while the bytes came in: a folder trashed means the top level, not a lost file.
  const folderId = current.folder_id && (await files.findLiveFolder(trx, space.id, current.folder_id)) ? current.folder_id : null;
  let target: StoredFile | undefined = current.file_id ? await files.findLiveFile(trx, space.id, current.file_id) : undefined;
  let name = current.name;
  if (!target) {
    const existing = await files.findFileByName(trx, space.id, folderId, name);
    if (existing && input.onConflict === "version" && canEditFile(actor, membership, space, existing)) target = existing;
    else if (existing) name = await files.freeFileName(trx, space.id, folderId, name);
  }
  const facts = { userId: actor.id, now, object: input.object, originalName: current.name };
  let file: Pick<StoredFile, "id" | "name">;
  if (target) {
    await files.addVersion(trx, target, facts);
    file = target;
  } else {
    file = (await files.createFile(trx, { ...facts, spaceId: space.id, folderId, name })).file;
  }
  // The claim: only one finisher's update takes; the others' refusals roll back what they wrote.
  if (!(await files.markUploadFinished(trx, input.uploadId, { fileId: file.id, received: current.size, expiresAt: now + UPLOAD_TTL_MS }))) {
    return notFound;
  }
  await recordActivity(trx, {
    spaceId: space.id,
    actorId: actor.id,
    verb: target ? "file_versioned" : "file_added",
    data: { fileId: file.id, name: file.name },
    now,
  });
  return { ok: true, fileId: file.id, name: file.name };
}

/**
 * An admin cancels an upload under way: the row goes with an audit entry
 * (its room in the quota is free at once, and the uploader's next request
 * answers 404). Its parts are the caller's to discard after the commit. An
 * upload that finished meanwhile is a file: "not_found" here.
 */
export async function cancelUpload(trx: Executor, ctx: AuditedFileActing, input: { uploadId: string }): Promise<{ ok: true; upload: Upload } | NotFound> {
  const { space, actor, now } = ctx;
  const row = await files.findUpload(trx, input.uploadId);
  if (!row || row.space_id !== space.id || row.finished_file_id !== null) return notFound;
  await files.deleteUpload(trx, input.uploadId);
  await audit(trx, {
    event: "upload_cancelled",
    actorId: actor.id,
    ip: ctx.ip,
    spaceId: space.id,
    targetUserId: row.user_id,
    data: { uploadId: input.uploadId, name: row.name, size: row.size, received: row.received },
    now,
  });
  return { ok: true, upload: row };
}
