import type { Executor } from "#db/client.ts";
import type { Locale, User } from "#db/schema.ts";
import { audit } from "#db/queries/audit.ts";
import { endCredentials } from "#db/queries/credentials.ts";
import { consumeSetupSecrets, createNetwork, isSetUp } from "#db/queries/network.ts";
import { consumePasswordReset, createPasswordReset } from "#db/queries/password-resets.ts";
import { clearFailures, recordAttempt } from "#db/queries/sign-in-attempts.ts";
import { resetCalendarToken } from "#db/queries/workshop-calendar.ts";
import { deleteOtherSessions, deleteUserSession } from "#db/queries/sessions.ts";
import { createUser, findByEmail, resetFeedToken, setPasswordHash } from "#db/queries/users.ts";
import { setPhoto, writeProfile, type ProfileInput } from "#db/queries/people.ts";
import { isLocale } from "#app/i18n/index.ts";
import { passwordResetMail } from "#app/mail/messages.ts";
import { queueMails } from "#app/mail/outbox.server.ts";
import type { Acting, Letterhead, Moment } from "#app/utils/acting.server.ts";
import { cancelAccountDeletion } from "./deletion.server.ts";

/**
 * The account use cases: the first-run setup, a newcomer's account, password
 * recovery and change, and what a sign-in attempt records. Same shape as
 * app/members/commands.server.ts: (executor, acting context, input) → result
 * or typed refusal, inside the caller's transaction. Passwords arrive hashed:
 * argon2 takes ~50 ms and must not hold the transaction (the one connection).
 * Sessions and their cookies stay in app/utils/auth.server.ts, as the Lucia
 * guide has them; ending sessions from the settings page is a use case here,
 * as are the other settings a person keeps for themselves.
 */

/** Names the network and makes its first admin. Two tabs submitting at once make one network: the second is "already-set-up". */
export async function setUpNetwork(
  trx: Executor,
  ctx: Moment,
  input: { networkName: string; defaultLocale: Locale; displayName: string; email: string; passwordHash: string },
): Promise<{ ok: true; user: User } | { ok: false; error: "already-set-up" }> {
  if (await isSetUp(trx)) return { ok: false, error: "already-set-up" };
  await createNetwork(trx, { name: input.networkName, defaultLocale: input.defaultLocale, now: ctx.now });
  const admin = await createUser(trx, {
    email: input.email,
    displayName: input.displayName,
    passwordHash: input.passwordHash,
    isNetworkAdmin: true,
    locale: input.defaultLocale,
    now: ctx.now,
  });
  await consumeSetupSecrets(trx);
  await audit(trx, { event: "network_created", actorId: admin.id, ip: ctx.ip, data: { name: input.networkName }, now: ctx.now });
  return { ok: true, user: admin };
}

/**
 * A newcomer's account (an invitation's addressee). "email-taken" when the
 * address has an account by now, made elsewhere meanwhile.
 */
export async function createAccount(
  trx: Executor,
  ctx: Moment,
  input: { email: string; displayName: string; passwordHash: string; sponsorId: string | null; locale: Locale },
): Promise<{ ok: true; user: User } | { ok: false; error: "email-taken" }> {
  if (await findByEmail(trx, input.email)) return { ok: false, error: "email-taken" };
  const user = await createUser(trx, { ...input, now: ctx.now });
  return { ok: true, user };
}

/**
 * Mails a single-use reset link to an account's owner, in their language (or
 * the one the request asked for). Whether the address has an account and is
 * under the hourly limit is the caller's to check first (app/accounts/load.server.ts
 * resetCandidate), so that the page answers the same either way.
 */
export async function requestPasswordReset(
  trx: Executor,
  ctx: Moment & { letterhead: Letterhead },
  input: { user: Pick<User, "id" | "email" | "locale">; fallbackLocale: Locale },
): Promise<{ ok: true; mailIds: string[] }> {
  const { user } = input;
  const secret = await createPasswordReset(trx, user.id, ctx.now);
  await audit(trx, { event: "password_reset_requested", actorId: null, targetUserId: user.id, ip: ctx.ip, now: ctx.now });
  const mail = passwordResetMail({
    to: user.email,
    locale: isLocale(user.locale) ? user.locale : input.fallbackLocale,
    network: ctx.letterhead.network.name,
    url: new URL(`/reset-password/${secret}`, ctx.letterhead.baseUrl).toString(),
  });
  return { ok: true, mailIds: await queueMails(trx, [{ mail }], ctx.now) };
}

/**
 * Sets a new password from a reset link. Whoever had taken the account over
 * keeps nothing: sessions, feed addresses, other links, known devices.
 * "used" when the link was used (or superseded) meanwhile.
 */
export async function resetPassword(
  trx: Executor,
  ctx: Moment,
  input: { resetId: string; userId: string; passwordHash: string },
): Promise<{ ok: true } | { ok: false; error: "used" }> {
  if (!(await consumePasswordReset(trx, input.resetId, ctx.now))) return { ok: false, error: "used" };
  await setPasswordHash(trx, input.userId, input.passwordHash, ctx.now);
  await endCredentials(trx, input.userId, { sessionId: null, deviceToken: null }, ctx.now);
  await audit(trx, { event: "password_reset", actorId: input.userId, ip: ctx.ip, now: ctx.now });
  return { ok: true };
}

/**
 * Changes the signed-in user's password (the current one checked by the
 * caller, through the sign-in throttle). Anyone else holding a session, a feed
 * address, a reset link or a known device loses it; `keep` (this browser's
 * session and device) stays in.
 */
export async function changePassword(
  trx: Executor,
  ctx: Acting,
  input: { passwordHash: string; keep: { sessionId: string; deviceToken: string | null } },
): Promise<{ ok: true }> {
  const { user, now } = ctx;
  await setPasswordHash(trx, user.id, input.passwordHash, now);
  await endCredentials(trx, user.id, input.keep, now);
  await audit(trx, { event: "password_changed", actorId: user.id, targetUserId: user.id, ip: ctx.ip, now });
  return { ok: true };
}

type Attempt = { email: string; deviceId: string | null };

/** A wrong address or password: the failure counts (for the throttle) and is audited together, or neither. */
export async function recordFailedSignIn(trx: Executor, ctx: Moment, input: Attempt & { userId: string | null }): Promise<{ ok: true }> {
  const { email, deviceId } = input;
  await recordAttempt(trx, { email, ip: ctx.ip, succeeded: false, now: ctx.now, deviceId });
  await audit(trx, { event: "sign_in_failed", actorId: null, targetUserId: input.userId, ip: ctx.ip, data: { email }, now: ctx.now });
  return { ok: true };
}

/**
 * A right password: the success clears the failures that counted against
 * this address, place and device, and a sign-in cancels a deletion due. A signed-in user confirming their password
 * (`reauthentication`) is not a new sign-in and is not audited as one.
 */
export async function recordSignIn(
  trx: Executor,
  ctx: Moment & { letterhead?: Letterhead },
  input: Attempt & { userId: string; reauthentication: boolean; user?: Pick<User, "id" | "email" | "locale"> },
): Promise<{ ok: true; deletionCancelled: boolean; mailIds: string[] }> {
  const { email, deviceId } = input;
  await recordAttempt(trx, { email, ip: ctx.ip, succeeded: true, now: ctx.now, deviceId });
  await clearFailures(trx, { email, ip: ctx.ip, deviceId });
  if (input.reauthentication) return { ok: true, deletionCancelled: false, mailIds: [] };
  await audit(trx, { event: "sign_in", actorId: input.userId, ip: ctx.ip, now: ctx.now });
  // Signing in during the 14 days cancels the account's deletion (the caller passes the letterhead when one is due).
  if (!ctx.letterhead || !input.user) return { ok: true, deletionCancelled: false, mailIds: [] };
  const cancelled = await cancelAccountDeletion(trx, { ip: ctx.ip, now: ctx.now, letterhead: ctx.letterhead }, { user: input.user });
  return { ok: true, deletionCancelled: cancelled.cancelled, mailIds: cancelled.mailIds };
}

/** The signed-in user's own profile, as their settings form gives it. */
export async function saveProfile(trx: Executor, ctx: Acting, input: ProfileInput): Promise<{ ok: true }> {
  await writeProfile(trx, ctx.user.id, input, ctx.now);
  return { ok: true };
}

/** Points the signed-in member's profile at a new photo (already stored), or at none; returns the one it replaces. */
export async function changePhoto(trx: Executor, ctx: Acting, photoId: string | null): Promise<{ ok: true; previous: string | null }> {
  const row = await trx.selectFrom("user").select("photo_id").where("id", "=", ctx.user.id).executeTakeFirstOrThrow();
  await setPhoto(trx, ctx.user.id, photoId, ctx.now);
  return { ok: true, previous: row.photo_id };
}

/**
 * A new private feed token for the signed-in user: only its hash is kept, so
 * the token is answered this once and the old addresses stop working now.
 */
export async function renewFeedToken(trx: Executor, ctx: Acting): Promise<{ ok: true; token: string }> {
  return { ok: true, token: await resetFeedToken(trx, ctx.user.id, ctx.now) };
}

/**
 * A new personal calendar token (the workshops subscription), as for the
 * feeds: answered this once, the old address dead now.
 */
export async function renewCalendarToken(trx: Executor, ctx: Acting): Promise<{ ok: true; token: string }> {
  return { ok: true, token: await resetCalendarToken(trx, ctx.user.id, ctx.now) };
}

/**
 * Ends the signed-in user's sessions, all but `allBut` (this browser's) or
 * only `sessionId`, audited in the same transaction. Only their own: another
 * person's session id ends nothing and is "not-found".
 */
export async function endSessions(
  trx: Executor,
  ctx: Acting,
  input: { allBut: string } | { sessionId: string },
): Promise<{ ok: true; count: number } | { ok: false; error: "not-found" }> {
  const { user, now } = ctx;
  let count = 1;
  if ("allBut" in input) count = await deleteOtherSessions(trx, user.id, input.allBut);
  else if (!(await deleteUserSession(trx, user.id, input.sessionId))) return { ok: false, error: "not-found" };
  await audit(trx, { event: "session_revoked", actorId: user.id, targetUserId: user.id, ip: ctx.ip, data: { count }, now });
  return { ok: true, count };
}
