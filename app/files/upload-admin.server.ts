import type { DB } from "#db/client.ts";
import { audit } from "#db/queries/audit.ts";
import { deleteUpload, findUpload, listUploadsInProgress } from "#db/queries/files.ts";
import type { StorageDriver } from "#storage/types.ts";
import { aliveSince } from "./reservations.server.ts";

/**
 * What a space's admins see of the uploads under way, and cancelling one:
 * the row goes with an audit entry in one transaction (its room in the quota
 * is free at once, and the uploader's next request answers 404), then its
 * parts. An upload that finished meanwhile is a file: not cancelled here.
 */

export async function uploadsInProgress(db: DB, spaceId: string, now: number) {
  const since = aliveSince(now);
  return (await listUploadsInProgress(db, spaceId)).map((u) => ({
    id: u.id,
    name: u.name,
    size: u.size,
    received: u.received,
    uploader: u.uploader_name,
    createdAt: u.created_at,
    activeAt: u.active_at,
    lapsed: u.active_at <= since,
  }));
}

/** Null when `uploadId` is not an unfinished upload of this space. */
export async function cancelUpload(db: DB, storage: StorageDriver, spaceId: string, uploadId: string, who: { actorId: string; ip: string }, now: number) {
  const cancelled = await db.transaction().execute(async (trx) => {
    const row = await findUpload(trx, uploadId);
    if (!row || row.space_id !== spaceId || row.finished_file_id !== null) return null;
    await deleteUpload(trx, uploadId);
    await audit(trx, {
      event: "upload_cancelled",
      actorId: who.actorId,
      ip: who.ip,
      spaceId,
      targetUserId: row.user_id,
      data: { uploadId, name: row.name, size: row.size, received: row.received },
      now,
    });
    return row;
  });
  // After the commit: a failure leaves parts that no row names, which storage:check reports.
  if (cancelled) await storage.discardUpload(uploadId).catch((error: unknown) => console.error(`cancelled upload ${uploadId}: parts left behind`, error));
  return cancelled;
}
