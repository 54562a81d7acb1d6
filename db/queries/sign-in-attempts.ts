import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";

export interface ThrottleRules {
  windowMs: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
}

export const DEFAULT_THROTTLE: ThrottleRules = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
};

export async function recordAttempt(db: Executor, input: { email: string; ip: string; succeeded: boolean; now: number }) {
  await db
    .insertInto("sign_in_attempt")
    .values({ id: newId(), email: input.email, ip: input.ip, succeeded: input.succeeded ? 1 : 0, created_at: input.now })
    .execute();
}

/**
 * When the account or the address has failed too often within the window,
 * the time at which the oldest counted failure leaves it; otherwise null.
 */
export async function throttledUntil(
  db: Executor,
  input: { email: string; ip: string; now: number },
  rules: ThrottleRules = DEFAULT_THROTTLE,
): Promise<number | null> {
  const since = input.now - rules.windowMs;
  const check = async (column: "email" | "ip", value: string, max: number) => {
    const rows = await db
      .selectFrom("sign_in_attempt")
      .select("created_at")
      .where(column, "=", value)
      .where("succeeded", "=", 0)
      .where("created_at", ">", since)
      .orderBy("created_at", "desc")
      .limit(max)
      .execute();
    return rows.length >= max ? rows[rows.length - 1].created_at + rules.windowMs : null;
  };
  const byAccount = await check("email", input.email, rules.maxFailuresPerAccount);
  const byAddress = await check("ip", input.ip, rules.maxFailuresPerAddress);
  if (byAccount === null && byAddress === null) return null;
  return Math.max(byAccount ?? 0, byAddress ?? 0);
}

/** A success clears the account's failures, so a member who got in is not locked out by old typos. */
export async function clearFailures(db: Executor, email: string) {
  await db.deleteFrom("sign_in_attempt").where("email", "=", email).where("succeeded", "=", 0).execute();
}

/**
 * Attempts older than `before`: throttling looks back one window only, and
 * the audit log keeps its own record of failures. Returns how many went.
 */
export async function deleteAttemptsBefore(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom("sign_in_attempt").where("created_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
