import type { DB } from "#db/client.ts";
import { listUploadsInProgress } from "#db/queries/files.ts";
import type { StorageDriver } from "#storage/types.ts";
import { aliveSince } from "./reservations.server.ts";

/**
 * What a space's admins see of the uploads under way, and the storage side
 * of cancelling one: the row goes first, with its audit entry, in the
 * transaction of the command (cancelUpload, commands.server.ts), then its parts.
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

/** After a cancellation has committed: a failure leaves parts that no row names, which storage:check reports. */
export async function discardUploadParts(storage: StorageDriver, uploadId: string) {
  await storage.discardUpload(uploadId).catch((error: unknown) => console.error(`cancelled upload ${uploadId}: parts left behind`, error));
}
