import type { DB } from "#db/client.ts";
import { dueDeletions } from "#db/queries/account-deletion.ts";
import { transact } from "#db/transact.ts";
import type { StorageDriver } from "#storage/types.ts";
import { deletePurgedObjects } from "#app/files/trash.server.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import { deletePhoto } from "#app/people/photo.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { carryOutDeletion } from "./deletion.server.ts";

/**
 * Carries out the deletions whose 14 days are over, each in a transaction of
 * its own that starts with its claim (carryOutDeletion): however many
 * processes sweep, and whatever restarts, an account is deleted once, whole
 * or not at all. Storage objects go after commit, best effort: one left
 * behind is an orphan storage:check finds, never a row whose bytes are gone.
 */
export async function carryOutDueDeletions(db: DB, storage: StorageDriver, now: number): Promise<number> {
  let done = 0;
  for (;;) {
    const due = await dueDeletions(db, now, 20);
    if (due.length === 0) return done;
    let progressed = false;
    for (const userId of due) {
      const outcome = await transact(db, (trx) => carryOutDeletion(trx, { ip: "", now }, { userId }));
      if (!outcome.ok) continue;
      progressed = true;
      done++;
      await deletePurgedObjects(storage, outcome.objects);
      if (outcome.photo) {
        const { userId: owner, photoId } = outcome.photo;
        await deletePhoto(storage, owner, photoId).catch((error: unknown) => console.error(`account deletion: photo ${photoId} left behind`, error));
      }
    }
    // Each one either went or was taken meanwhile (cancelled, or by another process): nothing loops forever.
    if (!progressed) return done;
  }
}

/** Every ten minutes: a deletion is due at the minute its request was made, 14 days later. */
export const accountDeletionJob: Job = { name: "account-deletions", everyMs: 10 * 60_000, run: ({ now }) => carryOutDueDeletions(getDb(), getStorage(), now) };
