import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { PasskeyTable, WebauthnChallengeTable } from "../schema.ts";

/**
 * Passkeys (WebAuthn credentials, issue 20) and the challenges the server
 * hands out for them. The verification itself is app/second-factor/
 * webauthn.server.ts's; here are the rows, written so that a challenge is
 * used once and a counter never goes back.
 */

/** How long a browser has to answer a challenge (the authenticator's prompt included). */
export const WEBAUTHN_CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

export type ChallengePurpose = WebauthnChallengeTable["purpose"];

export async function createWebauthnChallenge(
  db: Executor,
  input: { challenge: string; userId: string | null; purpose: ChallengePurpose; now: number },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("webauthn_challenge")
    .values({
      id,
      challenge: input.challenge,
      user_id: input.userId,
      purpose: input.purpose,
      created_at: input.now,
      expires_at: input.now + WEBAUTHN_CHALLENGE_LIFETIME_MS,
    })
    .execute();
  return id;
}

/**
 * Takes a challenge for its one use: one DELETE … RETURNING, so of two
 * requests naming it only one gets it. Only alive, of this purpose and (when
 * given) of this account; expired or not, the row is gone afterwards.
 */
export async function takeWebauthnChallenge(
  db: Executor,
  input: { id: string; purpose: ChallengePurpose; userId: string | null; now: number },
): Promise<string | null> {
  let query = db.deleteFrom("webauthn_challenge").where("id", "=", input.id).where("purpose", "=", input.purpose);
  query = input.userId === null ? query.where("user_id", "is", null) : query.where("user_id", "=", input.userId);
  const row = await query.returning(["challenge", "expires_at"]).executeTakeFirst();
  return row && row.expires_at > input.now ? row.challenge : null;
}

/** Challenges past their time; returns how many went (housekeeping). */
export async function deleteExpiredWebauthnChallenges(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom("webauthn_challenge").where("expires_at", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function passkeysOf(db: Executor, userId: string) {
  return db.selectFrom("passkey").selectAll().where("user_id", "=", userId).orderBy("created_at", "asc").orderBy("id", "asc").execute();
}

export async function countPasskeys(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom("passkey").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findPasskeyByCredential(db: Executor, credentialId: string) {
  return db.selectFrom("passkey").selectAll().where("credential_id", "=", credentialId).executeTakeFirst();
}

export function findPasskey(db: Executor, input: { id: string; userId: string }) {
  return db.selectFrom("passkey").selectAll().where("id", "=", input.id).where("user_id", "=", input.userId).executeTakeFirst();
}

/** A new passkey; false if its credential is registered already (to this account or another). */
export async function insertPasskey(
  db: Executor,
  input: Omit<PasskeyTable, "id" | "last_used_at">,
): Promise<string | null> {
  const id = newId();
  const result = await db
    .insertInto("passkey")
    .values({ id, ...input, last_used_at: null })
    .onConflict((oc) => oc.column("credential_id").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? id : null;
}

/**
 * Records a use: the new counter and the time. Conditional on the counter
 * read before the check, so two requests racing with one assertion cannot
 * both pass (the loser updates nothing). An authenticator that keeps no
 * counter (always 0) passes each time, as WebAuthn allows.
 */
export async function recordPasskeyUse(db: Executor, input: { id: string; before: number; counter: number; now: number }): Promise<boolean> {
  const result = await db
    .updateTable("passkey")
    .set({ counter: input.counter, last_used_at: input.now })
    .where("id", "=", input.id)
    .where("counter", "=", input.before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function renamePasskey(db: Executor, input: { id: string; userId: string; name: string }): Promise<boolean> {
  const result = await db.updateTable("passkey").set({ name: input.name }).where("id", "=", input.id).where("user_id", "=", input.userId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deletePasskey(db: Executor, input: { id: string; userId: string }): Promise<boolean> {
  const result = await db.deleteFrom("passkey").where("id", "=", input.id).where("user_id", "=", input.userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deletePasskeysOf(db: Executor, userId: string): Promise<number> {
  const result = await db.deleteFrom("passkey").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
