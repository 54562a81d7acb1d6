import type { Executor } from "../client.ts";
import { forgetDevices } from "./known-devices.ts";
import { supersedePendingResets } from "./password-resets.ts";
import { deleteOtherSessions } from "./sessions.ts";

/**
 * Everything that opens an account or reads as it, besides its password:
 * sessions, the private feed and calendar tokens, reset links not yet used, known devices.
 * Recovering an account (a reset from the mailed link, a change of password)
 * ends them all, so whoever had taken it over keeps nothing — except what the
 * owner is using right now (`keep`). Run inside the transaction that changes
 * the password. A new credential type must be ended here too.
 */
export async function endCredentials(
  db: Executor,
  userId: string,
  keep: { sessionId: string | null; deviceToken: string | null },
  now: number,
) {
  await deleteOtherSessions(db, userId, keep.sessionId);
  // The feed and calendar addresses stop at once; the owner makes new ones when they want them.
  await db.updateTable("user").set({ feed_token_hash: null, calendar_token_hash: null, updated_at: now }).where("id", "=", userId).execute();
  await supersedePendingResets(db, userId, now);
  await forgetDevices(db, userId, keep.deviceToken);
}
