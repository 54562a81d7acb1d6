import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import { hashSecret, newSecret } from "../tokens.ts";

export const RESET_LIFETIME_MS = 60 * 60 * 1000;

/** Reset mails one address may receive per hour, so nobody can flood a member's inbox. */
export const MAX_RESETS_PER_HOUR = 3;

/** A new reset link secret; any earlier unused link of that user stops working (its row stays, so requests can be counted). */
export async function createPasswordReset(db: Executor, userId: string, now: number): Promise<string> {
  const secret = newSecret();
  await supersedePendingResets(db, userId, now);
  await db
    .insertInto("password_reset")
    .values({
      id: newId(),
      user_id: userId,
      token_hash: hashSecret(secret),
      created_at: now,
      expires_at: now + RESET_LIFETIME_MS,
      used_at: null,
      superseded_at: null,
    })
    .execute();
  return secret;
}

export type ResetLookup =
  | { state: "valid"; id: string; userId: string }
  | { state: "expired" | "used" | "superseded" | "unknown" };

export async function findPasswordReset(db: Executor, secret: string, now: number): Promise<ResetLookup> {
  const row = await db
    .selectFrom("password_reset")
    .selectAll()
    .where("token_hash", "=", hashSecret(secret))
    .executeTakeFirst();
  if (!row) return { state: "unknown" };
  if (row.used_at !== null) return { state: "used" };
  if (row.superseded_at !== null) return { state: "superseded" };
  if (row.expires_at <= now) return { state: "expired" };
  return { state: "valid", id: row.id, userId: row.user_id };
}

/** Marks the link used; false when another request used it first. */
export async function consumePasswordReset(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("password_reset")
    .set({ used_at: now })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("superseded_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countRecentResets(db: Executor, userId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom("password_reset")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("created_at", ">", now - 60 * 60 * 1000)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every unused reset link of that user stops working (its row stays, so requests can be counted). */
export async function supersedePendingResets(db: Executor, userId: string, now: number): Promise<void> {
  await db
    .updateTable("password_reset")
    .set({ superseded_at: now })
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .where("superseded_at", "is", null)
    .execute();
}
