import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import * as files from "#db/queries/files.ts";
import { transact } from "#db/transact.ts";
import type { StorageDriver } from "#storage/types.ts";
import { purgeFromTrash } from "./commands.server.ts";
import { finishUpload, storedProgress } from "./upload-finish.server.ts";

/**
 * The files trash's housekeeping — purge after the retention period, and the
 * sweep of uploads nobody finished — and the deletion of a purge's stored
 * objects. Restoring and purging are commands (commands.server.ts), the
 * same for a person and for the sweep. Purging deletes the rows in one
 * transaction first and the stored objects after it commits: a crash in
 * between leaves orphans for `npm run storage:check`, never a listed file
 * whose bytes are gone.
 */

/** How long deleted files and folders wait in the trash. */
export const TRASH_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * After a purge has committed, its objects. Best effort: what fails here is
 * an orphan storage:check reports, and the next purge is not held up by it.
 */
export async function deletePurgedObjects(storage: StorageDriver, objects: files.PurgedObjects) {
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
      const done = await transact(db, (trx) => purgeFromTrash(trx, { space: { id: entry.space_id }, actor: null, ip: "", now }, { kind: entry.kind, id: entry.id }));
      if (!done.ok) continue;
      await deletePurgedObjects(storage, done);
      purged++;
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
