import type { Executor } from "../client.ts";
import type { UploadLock } from "../schema.ts";

/**
 * tus's lock on an upload, as rows every worker process sees (the Locker is
 * app/files/upload-locker.server.ts). Each function is one short statement,
 * never a transaction: the write lock of the database is held for
 * microseconds, and every statement is atomic on its own.
 *
 * A row is a held lock. It is free again when its holder deletes it, or when
 * its `expires_at` has passed (the holder stopped beating: a dead process).
 */

/**
 * Takes the lock if nobody holds it or its holder is presumed dead — one
 * statement, so two processes racing for it cannot both win. True if taken.
 */
export async function tryAcquireUploadLock(
  db: Executor,
  input: { uploadId: string; holder: string; now: number; expiresAt: number },
): Promise<boolean> {
  const result = await db
    .insertInto("upload_lock")
    .values({ upload_id: input.uploadId, holder: input.holder, acquired_at: input.now, expires_at: input.expiresAt, release_requested_at: null })
    .onConflict((oc) =>
      oc
        .column("upload_id")
        .doUpdateSet((eb) => ({
          holder: eb.ref("excluded.holder"),
          acquired_at: eb.ref("excluded.acquired_at"),
          expires_at: eb.ref("excluded.expires_at"),
          release_requested_at: null,
        }))
        .where("upload_lock.expires_at", "<=", input.now),
    )
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** The lock's row as it stands (a read: waiters poll with this, not with writes). */
export async function findUploadLock(db: Executor, uploadId: string): Promise<Pick<UploadLock, "holder" | "expires_at" | "release_requested_at"> | undefined> {
  return db.selectFrom("upload_lock").select(["holder", "expires_at", "release_requested_at"]).where("upload_id", "=", uploadId).executeTakeFirst();
}

/** Asks the live holder to let go. False if already asked, or if nobody live holds it. */
export async function requestUploadLockRelease(db: Executor, input: { uploadId: string; now: number }): Promise<boolean> {
  const result = await db
    .updateTable("upload_lock")
    .set({ release_requested_at: input.now })
    .where("upload_id", "=", input.uploadId)
    .where("release_requested_at", "is", null)
    .where("expires_at", ">", input.now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The holder's heartbeat. False if the lock is no longer this holder's (taken over, or gone). */
export async function renewUploadLock(db: Executor, input: { uploadId: string; holder: string; expiresAt: number }): Promise<boolean> {
  const result = await db
    .updateTable("upload_lock")
    .set({ expires_at: input.expiresAt })
    .where("upload_id", "=", input.uploadId)
    .where("holder", "=", input.holder)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Lets go: deletes the row only if it is still this holder's. False if it was not. */
export async function releaseUploadLock(db: Executor, input: { uploadId: string; holder: string }): Promise<boolean> {
  const result = await db.deleteFrom("upload_lock").where("upload_id", "=", input.uploadId).where("holder", "=", input.holder).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Rows whose holder died and that nobody wanted since (an expired row is a
 * free lock already; this only keeps the table small). Returns how many went.
 */
export async function deleteDeadUploadLocks(db: Executor, expiredBefore: number): Promise<number> {
  const result = await db.deleteFrom("upload_lock").where("expires_at", "<", expiredBefore).executeTakeFirst();
  return Number(result.numDeletedRows);
}
