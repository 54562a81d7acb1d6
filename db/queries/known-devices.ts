import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import { hashSecret, newSecret } from "../tokens.ts";

/** A known device is forgotten after this long without signing in to its account. */
export const KNOWN_DEVICE_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/** The secret a device cookie holds: the same shape as every link secret (db/tokens.ts). */
export function newDeviceToken(): string {
  return newSecret();
}

export function isDeviceToken(token: unknown): token is string {
  return typeof token === "string" && /^[a-z2-7]{32}$/.test(token);
}

/** The id of this browser's device row for this account, if it has signed in to it before (and not since been forgotten). */
export async function findKnownDevice(db: Executor, input: { token: string; userId: string; now: number }): Promise<string | null> {
  if (!isDeviceToken(input.token)) return null;
  const row = await db
    .selectFrom("known_device")
    .select("id")
    .where("token_hash", "=", hashSecret(input.token))
    .where("user_id", "=", input.userId)
    .where("last_used_at", ">", input.now - KNOWN_DEVICE_LIFETIME_MS)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Records that this browser signed in to this account (or refreshes the record). */
export async function rememberDevice(db: Executor, input: { token: string; userId: string; now: number }) {
  await db
    .insertInto("known_device")
    .values({ id: newId(), user_id: input.userId, token_hash: hashSecret(input.token), created_at: input.now, last_used_at: input.now })
    .onConflict((oc) => oc.columns(["token_hash", "user_id"]).doUpdateSet({ last_used_at: input.now }))
    .execute();
}

/**
 * Forgets an account's known devices — all of them, or all but the one the
 * owner is using (`keepToken`): after a reset or a change of password, a
 * browser that an intruder signed in with is a stranger again.
 */
export async function forgetDevices(db: Executor, userId: string, keepToken: string | null = null) {
  let query = db.deleteFrom("known_device").where("user_id", "=", userId);
  if (keepToken !== null && isDeviceToken(keepToken)) query = query.where("token_hash", "!=", hashSecret(keepToken));
  await query.execute();
}

/** Devices unused for a year; returns how many went. */
export async function deleteStaleDevices(db: Executor, now: number): Promise<number> {
  const result = await db.deleteFrom("known_device").where("last_used_at", "<=", now - KNOWN_DEVICE_LIFETIME_MS).executeTakeFirst();
  return Number(result.numDeletedRows);
}
