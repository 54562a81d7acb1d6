import type { Kysely } from "kysely";
import type { Executor } from "#db/client.ts";
import type { Database } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import * as files from "#db/queries/files.ts";
import type { StorageDriver } from "#storage/types.ts";
import { finishUpload, storedProgress } from "./upload-finish.server.ts";

/**
 * The files trash: restore, purge by hand, purge after the retention period,
 * and the sweep of uploads nobody finished. Purging deletes the rows in one
 * transaction first and the stored objects after it commits: a crash in
 * between leaves orphans for `npm run storage:check`, never a listed file
 * whose bytes are gone.
 */

/** How long deleted files and folders wait in the trash. */
export const TRASH_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export type TrashKind = "file" | "folder";

export interface Who {
  /** Null for the server's own housekeeping. */
  actorId: string | null;
  ip: string;
}

export async function restoreEntry(db: Kysely<Database>, spaceId: string, kind: TrashKind, id: string, who: { actorId: string }, now: number) {
  return db.transaction().execute(async (trx) => {
    let restored: files.Restored;
    let previousName: string;
    if (kind === "file") {
      const file = await files.findTrashedFile(trx, spaceId, id);
      if (!file) return null;
      restored = await files.restoreFile(trx, file, now);
      previousName = file.name;
    } else {
      const folder = await files.findTrashedFolder(trx, spaceId, id);
      if (!folder) return null;
      restored = await files.restoreFolder(trx, folder, now);
      previousName = folder.name;
    }
    await recordActivity(trx, {
      spaceId,
      actorId: who.actorId,
      verb: "file_restored",
      data: kind === "file" ? { fileId: id, name: restored.name } : { folder: restored.name },
      now,
    });
    return { ...restored, previousName };
  });
}

/** Deletes for good, with an audit entry; the objects go once the rows are gone. Null if `id` is not a trash entry of this space. */
export async function purgeEntry(db: Kysely<Database>, storage: StorageDriver, spaceId: string, kind: TrashKind, id: string, who: Who, now: number) {
  const purged = await db.transaction().execute(async (trx) => {
    const entry = kind === "file" ? await files.findTrashedFile(trx, spaceId, id) : await files.findTrashedFolder(trx, spaceId, id);
    if (!entry) return null;
    const objects = kind === "file" ? await files.purgeFile(trx, id) : await files.purgeFolder(trx, id);
    await recordPurge(trx, spaceId, kind, entry, objects, who, now);
    return { name: entry.name, ...objects };
  });
  if (purged) await deleteObjects(storage, purged);
  return purged;
}

async function recordPurge(
  db: Executor,
  spaceId: string,
  kind: TrashKind,
  entry: { id: string; name: string; deleted_at: number | null },
  objects: files.PurgedObjects,
  who: Who,
  now: number,
) {
  await audit(db, {
    event: kind === "file" ? "file_purged" : "folder_purged",
    actorId: who.actorId,
    ip: who.ip,
    spaceId,
    data: { name: entry.name, files: objects.files, bytes: objects.bytes, deletedAt: entry.deleted_at, automatic: who.actorId === null },
    now,
  });
}

/** Best effort: what fails here is an orphan storage:check reports, and the next purge is not held up by it. */
async function deleteObjects(storage: StorageDriver, objects: files.PurgedObjects) {
  for (const key of objects.keys) {
    await storage.delete(key).catch((error: unknown) => console.error(`purge: object ${key} left behind`, error));
  }
  for (const id of objects.uploadIds) {
    await storage.discardUpload(id).catch((error: unknown) => console.error(`purge: upload ${id} left behind`, error));
  }
}

/** Everything deleted more than the retention period ago, in every space. Returns how many entries went. */
export async function purgeExpiredTrash(db: Kysely<Database>, storage: StorageDriver, now: number, retentionMs = TRASH_RETENTION_MS) {
  const before = now - retentionMs;
  let purged = 0;
  for (;;) {
    const due = await files.listTrashDeletedBefore(db, before, 100);
    const entries = [...due.folders.map((f) => ({ kind: "folder" as const, ...f })), ...due.files.map((f) => ({ kind: "file" as const, ...f }))];
    if (entries.length === 0) return purged;
    for (const entry of entries) {
      // Each entry is checked again in its own transaction: one restored meanwhile is skipped,
      // and a purged one is never listed again, so the loop ends.
      if (await purgeEntry(db, storage, entry.space_id, entry.kind, entry.id, { actorId: null, ip: "" }, now)) purged++;
    }
  }
}

/**
 * Uploads whose day is over. One nobody finished: its parts go first, then
 * its row (its room in the quota lapsed long before) — unless every byte is
 * there (the server died before making it a file, and stayed down): then it
 * becomes its file. One finished: only its row and tus's bookkeeping go, the
 * bytes are its file's. A failure leaves the row, so the next sweep tries again.
 */
export async function sweepExpiredUploads(db: Kysely<Database>, storage: StorageDriver, now: number) {
  const expired = await files.listExpiredUploads(db, now);
  let swept = 0;
  for (const upload of expired) {
    try {
      let finished = upload.finished_file_id !== null;
      if (!finished) {
        const progress = await storedProgress(storage, upload.id);
        finished = progress !== null && progress.offset === progress.size && (await finishUpload(db, storage, upload.id)) !== undefined;
        if (finished) continue;
      }
      await storage.discardUpload(upload.id, { keepObject: finished });
      await files.deleteUpload(db, upload.id);
      swept++;
    } catch (error) {
      console.error(`upload ${upload.id}: parts not removed, will retry`, error);
    }
  }
  return swept;
}
