import type { Executor } from "#db/client.ts";
import { isDiskFull as isStorageFull } from "#db/errors.ts";
import { bytesStillExpected, memberReserved, spaceUsage } from "#db/queries/files.ts";
import type { Space, Upload } from "#db/schema.ts";

/**
 * The room uploads hold in a space's quota, and on the server's disk.
 *
 * An upload reserves its declared length when it is created, so two uploads
 * cannot both take the last gigabyte — but only while it is alive: a byte
 * (or its creation) within UPLOAD_IDLE_MS. An upload left idle longer lapses:
 * its room is free for others; if it resumes, it takes room again when there
 * is still some (else 413), and its parts are swept UPLOAD_TTL_MS after its
 * last byte. One member's uploads alive hold at most MEMBER_SHARE of the
 * quota together, except a single upload on its own (one big file must stay
 * possible in a small space): three 5 GB creations can no longer shut
 * everyone else out. The space's admins see and cancel uploads under way.
 */

export const UPLOAD_IDLE_MS = 30 * 60 * 1000;
/** Parts of an upload nobody continued go this long after its last byte (and a finished upload's row, after it finished). */
export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
export const MEMBER_SHARE = 0.5;

/** Uploads with activity after this time are alive. */
export function aliveSince(now: number) {
  return now - UPLOAD_IDLE_MS;
}

/** A refusal tus sends as is: a status and a JSON body the browser turns into a message. */
export function refuse(status: number, error: string, extra: Record<string, unknown> = {}): never {
  throw { status_code: status, body: JSON.stringify({ error, ...extra }) };
}

/** Why an upload may not take (or take back) its room: tus answers 413, or 507 for the disk. */
export type RoomRefusal =
  | { ok: false; error: "quota_exceeded"; remainingBytes: number; quotaBytes: number }
  | { ok: false; error: "uploads_pending"; heldBytes: number; shareBytes: number }
  | { ok: false; error: "disk_full" };

/** The checks of a new reservation, inside the write transaction that records it; null when there is room. */
export async function roomForNewUpload(
  trx: Executor,
  space: Pick<Space, "id" | "storage_quota_bytes">,
  userId: string,
  size: number,
  now: number,
): Promise<RoomRefusal | null> {
  const usage = await spaceUsage(trx, space.id, aliveSince(now));
  const remaining = space.storage_quota_bytes - usage.stored - usage.reserved;
  if (size > remaining) return { ok: false, error: "quota_exceeded", remainingBytes: Math.max(0, remaining), quotaBytes: space.storage_quota_bytes };
  const own = await memberReserved(trx, space.id, userId, aliveSince(now));
  const share = Math.floor(space.storage_quota_bytes * MEMBER_SHARE);
  if (own.uploads > 0 && own.bytes + size > share) return { ok: false, error: "uploads_pending", heldBytes: own.bytes, shareBytes: share };
  return null;
}

/**
 * A PATCH on an upload: it is alive from now. One that had lapsed takes its
 * room again, if the quota still has it (checked in the caller's write
 * transaction); otherwise a refusal (413) and the bytes it has stay where they are.
 */
export async function roomToResume(
  trx: Executor,
  space: Pick<Space, "id" | "storage_quota_bytes">,
  upload: Pick<Upload, "id" | "size" | "active_at">,
  now: number,
): Promise<RoomRefusal | null> {
  if (upload.active_at > aliveSince(now)) return null;
  const usage = await spaceUsage(trx, space.id, aliveSince(now), upload.id);
  const remaining = space.storage_quota_bytes - usage.stored - usage.reserved;
  if (upload.size > remaining) return { ok: false, error: "quota_exceeded", remainingBytes: Math.max(0, remaining), quotaBytes: space.storage_quota_bytes };
  return null;
}

/**
 * Local storage: the disk must hold this upload beside what the uploads alive
 * still have to send, and keep `marginBytes` free. S3 has no such limit
 * (`freeBytes` null). The free space is measured by the caller before its
 * transaction (a file system call has no place inside one); what the uploads
 * alive still expect is read inside it, so two reservations cannot both
 * count on the same free bytes.
 */
export async function diskRoom(db: Executor, freeBytes: number | null, size: number, marginBytes: number, now: number): Promise<RoomRefusal | null> {
  if (freeBytes === null) return null;
  const expected = await bytesStillExpected(db, aliveSince(now));
  return size + expected + marginBytes > freeBytes ? { ok: false, error: "disk_full" } : null;
}

/**
 * ENOSPC from the disk or SQLITE_FULL from the database (db/errors.ts): the
 * server's disk is full. The database's connection (app/utils/db.server.ts) says it with its
 * own 507 answer in place of SQLITE_FULL, and refuses a transaction with it
 * once the disk counts as full: that is the same thing. (Left as itself, tus
 * took that Response for one of its refusals and failed on its body: 500.)
 */
export function isDiskFull(error: unknown): boolean {
  return (error instanceof Response && error.status === 507) || isStorageFull(error);
}

/** Runs `work`; a full disk becomes tus's 507 refusal, anything else is thrown as it was. */
export async function diskFullAs507<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDiskFull(error)) refuse(507, "disk_full");
    throw error;
  }
}
