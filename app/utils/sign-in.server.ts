import type { User } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import { throttledUntil } from "#db/queries/sign-in-attempts.ts";
import { findByEmail } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { recordFailedSignIn, recordSignIn } from "#app/accounts/commands.server.ts";
import { send } from "#app/mail/outbox.server.ts";
import { letterhead } from "./acting.server.ts";
import { getDb } from "./db.server.ts";
import { essentialWrites } from "./disk.server.ts";
import { knownDeviceOf } from "./device.server.ts";
import { verifyAgainstNothing, verifyPassword } from "./password.server.ts";

export type SignInCheck =
  | { ok: true; user: User; deletionCancelled: boolean }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; minutes: number; retryAfterSeconds: number };

/**
 * Checks an email and password the same way wherever a password is typed
 * (sign-in page, invitation page, password change): throttling first, then
 * argon2, then the attempt recorded and audited. Throttling looks at the
 * browser too: a known device of the account (device.server.ts) is throttled
 * on its own failures only. Starting the session is the caller's.
 */
export async function checkPassword(
  input: { email: string; password: string; ip: string; request: Request },
  /** A signed-in user confirming their password: a success is not a new sign-in. */
  options: { reauthentication?: boolean } = {},
): Promise<SignInCheck> {
  const db = getDb();
  const { email, password, ip } = input;
  const now = Date.now();
  const user = await findByEmail(db, email);
  const deviceId = user ? await knownDeviceOf(db, input.request, user.id, now) : null;
  const until = await throttledUntil(db, { email, ip, deviceId, now });
  if (until !== null) {
    await audit(db, { event: "sign_in_throttled", actorId: null, ip, data: { email }, now });
    return {
      ok: false,
      reason: "throttled",
      minutes: Math.max(1, Math.ceil((until - now) / 60_000)),
      retryAfterSeconds: Math.ceil((until - now) / 1000),
    };
  }
  const valid = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstNothing(password);
  const moment = { ip, now };
  if (!user || !valid) {
    // The failure counts and is audited together, or neither.
    await essentialWrites(() =>
      transact(db, (trx) => recordFailedSignIn(trx, moment, { email, deviceId, userId: user?.id ?? null })),
    );
    return { ok: false, reason: "invalid" };
  }
  // Signing in works on a full disk too (app/utils/disk.server.ts), so the admins can still get in.
  // An account whose deletion is due: this sign-in cancels it, and mails so (the letterhead is read before the transaction).
  const leaving = user.deletion_due_at !== null && !options.reauthentication ? { letterhead: await letterhead() } : {};
  const signedIn = await essentialWrites(() =>
    transact(db, (trx) => recordSignIn(trx, { ...moment, ...leaving }, { email, deviceId, userId: user.id, user, reauthentication: options.reauthentication ?? false })),
  );
  send(signedIn.mailIds);
  return { ok: true, user, deletionCancelled: signedIn.deletionCancelled };
}

/** Remix keeps only Set-Cookie from an action's headers unless the route passes the others on. */
export function retryAfterHeaders({ actionHeaders }: { actionHeaders: Headers }) {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
}
