import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { SignInChallengeTable } from "../schema.ts";
import { hashSecret, newSecret } from "../tokens.ts";

/**
 * The second factor of an account (issue 20): its authenticator (TOTP), its
 * recovery codes, and the short-lived state between a right password and
 * the code. Codes are computed and checked in app/second-factor/; here are
 * the rows, written so that two requests racing cannot both use one code.
 */

/** How long the step between password and code may take. */
export const CHALLENGE_LIFETIME_MS = 10 * 60 * 1000;

export function findTotp(db: Executor, userId: string) {
  return db.selectFrom("totp_factor").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

/** Whether the account has a second factor in use (an authenticator whose setup was confirmed). */
export async function hasSecondFactor(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom("totp_factor").select("user_id").where("user_id", "=", userId).where("confirmed_at", "is not", null).executeTakeFirst();
  return row !== undefined;
}

/** A new authenticator secret waiting for its first code; replaces a setup left unfinished (never a confirmed one). */
export async function startTotp(db: Executor, input: { userId: string; secret: Uint8Array; now: number }): Promise<boolean> {
  await db.deleteFrom("totp_factor").where("user_id", "=", input.userId).where("confirmed_at", "is", null).execute();
  const result = await db
    .insertInto("totp_factor")
    .values({ user_id: input.userId, secret: input.secret, created_at: input.now, confirmed_at: null, last_step: null })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * Takes time step `step` for the account: true only if no code of this step
 * or a later one was accepted before. One conditional UPDATE, so two requests
 * carrying the same code cannot both pass.
 */
export async function claimStep(db: Executor, input: { userId: string; step: number; confirm?: number }): Promise<boolean> {
  let query = db
    .updateTable("totp_factor")
    .set(input.confirm !== undefined ? { last_step: input.step, confirmed_at: input.confirm } : { last_step: input.step })
    .where("user_id", "=", input.userId)
    .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", input.step)]));
  query = input.confirm !== undefined ? query.where("confirmed_at", "is", null) : query.where("confirmed_at", "is not", null);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteTotp(db: Executor, userId: string): Promise<number> {
  const result = await db.deleteFrom("totp_factor").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Replaces the account's recovery codes with these (hashed here); the old ones stop working. */
export async function replaceRecoveryCodes(db: Executor, input: { userId: string; codes: string[]; now: number }) {
  await db.deleteFrom("recovery_code").where("user_id", "=", input.userId).execute();
  if (input.codes.length === 0) return;
  await db
    .insertInto("recovery_code")
    .values(input.codes.map((code) => ({ id: newId(), user_id: input.userId, code_hash: hashSecret(code), created_at: input.now, used_at: null })))
    .execute();
}

/** Uses one recovery code: true if it was the account's and unused, and now is used. */
export async function useRecoveryCode(db: Executor, input: { userId: string; code: string; now: number }): Promise<boolean> {
  const result = await db
    .updateTable("recovery_code")
    .set({ used_at: input.now })
    .where("user_id", "=", input.userId)
    .where("code_hash", "=", hashSecret(input.code))
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countRecoveryCodesLeft(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("recovery_code")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A new pending sign-in; answers the token its cookie holds (`id.secret`, as
 * sessions). Others of the account stay: someone else holding the password
 * must not be able to cancel the owner's sign-in by starting one.
 */
export async function createChallenge(
  db: Executor,
  input: { userId: string; purpose: SignInChallengeTable["purpose"]; redirectTo: string; now: number },
): Promise<string> {
  const id = newId();
  const secret = newSecret();
  await db
    .insertInto("sign_in_challenge")
    .values({
      id,
      secret_hash: hashSecret(secret),
      user_id: input.userId,
      purpose: input.purpose,
      redirect_to: input.redirectTo,
      created_at: input.now,
      expires_at: input.now + CHALLENGE_LIFETIME_MS,
    })
    .execute();
  return `${id}.${secret}`;
}

/** The pending sign-in a token names, if it is still alive. The hash is compared in SQL: it is of 160 random bits, so timing tells nothing. */
export async function findChallenge(db: Executor, token: string, now: number) {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined) return undefined;
  return db
    .selectFrom("sign_in_challenge")
    .innerJoin("user", "user.id", "sign_in_challenge.user_id")
    .select(["sign_in_challenge.id", "sign_in_challenge.user_id", "sign_in_challenge.purpose", "sign_in_challenge.redirect_to", "sign_in_challenge.expires_at", "user.email"])
    .where("sign_in_challenge.id", "=", id)
    .where("sign_in_challenge.secret_hash", "=", hashSecret(secret))
    .where("sign_in_challenge.expires_at", ">", now)
    .executeTakeFirst();
}

/** Ends a pending sign-in; true if this call ended it (single use: a second request with it gets false). */
export async function consumeChallenge(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db.deleteFrom("sign_in_challenge").where("id", "=", id).where("expires_at", ">", now).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteChallengesOf(db: Executor, userId: string) {
  await db.deleteFrom("sign_in_challenge").where("user_id", "=", userId).execute();
}

/** Failed codes count in the sign-in throttle as failed passwords (db/queries/sign-in-attempts.ts), marked as codes. */
export async function recordFailedCode(db: Executor, input: { email: string; ip: string; deviceId: string | null; now: number }) {
  await db
    .insertInto("sign_in_attempt")
    .values({ id: newId(), email: input.email, ip: input.ip, succeeded: 0, created_at: input.now, device_id: input.deviceId, factor: "second_factor" })
    .execute();
}

/**
 * When the account's failed codes alone refuse a new one: more than `max`
 * in the window, from anywhere and any device — a known device escapes the
 * password throttle's shared counts, but someone holding the password should
 * not get a million guesses by bringing a known device's cookie. Null if not.
 */
export async function codesThrottledUntil(db: Executor, input: { email: string; now: number; windowMs: number; max: number }): Promise<number | null> {
  const rows = await db
    .selectFrom("sign_in_attempt")
    .select("created_at")
    .where("email", "=", input.email)
    .where("factor", "=", "second_factor")
    .where("succeeded", "=", 0)
    .where("created_at", ">", input.now - input.windowMs)
    .orderBy("created_at", "desc")
    .limit(input.max)
    .execute();
  return rows.length >= input.max ? rows[rows.length - 1].created_at + input.windowMs : null;
}

/**
 * Whether the network requires a second factor of this person: the network
 * says so, and they are a network admin or an admin of a space not archived.
 */
export async function secondFactorRequiredOf(db: Executor, user: { id: string; is_network_admin: number }): Promise<boolean> {
  const network = await db.selectFrom("network").select("second_factor_required").executeTakeFirst();
  if (!network || network.second_factor_required !== 1) return false;
  if (user.is_network_admin === 1) return true;
  const admin = await db
    .selectFrom("space_member")
    .innerJoin("space", "space.id", "space_member.space_id")
    .select("space_member.space_id")
    .where("space_member.user_id", "=", user.id)
    .where("space_member.role", "=", "admin")
    .where("space.archived_at", "is", null)
    .executeTakeFirst();
  return admin !== undefined;
}

export async function setSecondFactorRequired(db: Executor, required: boolean) {
  await db.updateTable("network").set({ second_factor_required: required ? 1 : 0 }).execute();
}

/** Pending sign-ins past their time; returns how many went. */
export async function deleteExpiredChallenges(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom("sign_in_challenge").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How many of those the requirement concerns (network admins, admins of a space not archived) have no second factor yet. */
export async function countAdminsWithoutSecondFactor(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("user")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("user.is_network_admin", "=", 1),
        eb.exists(
          eb
            .selectFrom("space_member")
            .innerJoin("space", "space.id", "space_member.space_id")
            .select("space_member.user_id")
            .whereRef("space_member.user_id", "=", "user.id")
            .where("space_member.role", "=", "admin")
            .where("space.archived_at", "is", null),
        ),
      ]),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom("totp_factor").select("totp_factor.user_id").whereRef("totp_factor.user_id", "=", "user.id").where("totp_factor.confirmed_at", "is not", null))),
    )
    // A passkey is a second factor too (issue 20).
    .where((eb) => eb.not(eb.exists(eb.selectFrom("passkey").select("passkey.user_id").whereRef("passkey.user_id", "=", "user.id"))))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function isSecondFactorRequired(db: Executor): Promise<boolean> {
  const network = await db.selectFrom("network").select("second_factor_required").executeTakeFirst();
  return network?.second_factor_required === 1;
}
