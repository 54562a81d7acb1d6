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
import { secondFactorStepOf, type SecondFactorStep } from "#app/second-factor/load.server.ts";

export type SignInCheck =
  /** `secondFactor`: the password was right, but the sign-in waits for a code (or the setup the network requires); nothing of it is recorded yet. */
  | { ok: true; user: User; deletionCancelled: boolean; secondFactor?: SecondFactorStep }
  | { ok: false; reason: "invalid" }
  /** The right password for an account a network admin deactivated (app/admin/): told so, since they know the password. */
  | { ok: false; reason: "deactivated" }
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
  // Deactivated by a network admin: said plainly (only to whoever typed the right password), audited, never counted as a failure.
  if (user.deactivated_at !== null && !options.reauthentication) {
    await essentialWrites(() => audit(db, { event: "sign_in_deactivated", actorId: null, targetUserId: user.id, ip, data: { email }, now }));
    return { ok: false, reason: "deactivated" };
  }
  // A second factor to come (app/second-factor/): not signed in yet, so nothing of a sign-in is recorded —
  // not even the failures cleared, or each right password would buy its holder more code guesses.
  const secondFactor = options.reauthentication ? null : await secondFactorStepOf(db, user);
  if (secondFactor) return { ok: true, user, deletionCancelled: false, secondFactor };
  return finishSignIn({ user, ip, now, deviceId }, options);
}

/**
 * What a successful sign-in records (the attempt, the failures it clears, the
 * audit line, a deletion due cancelled): after the password, or after the
 * second factor when the account has one (app/second-factor/).
 */
export async function finishSignIn(
  input: { user: User; ip: string; now: number; deviceId: string | null },
  options: { reauthentication?: boolean } = {},
): Promise<{ ok: true; user: User; deletionCancelled: boolean }> {
  const db = getDb();
  const { user, ip, now, deviceId } = input;
  const moment = { ip, now };
  const email = user.email;
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
