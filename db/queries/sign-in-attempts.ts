import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";

/**
 * Throttling that hands attackers no lockout (OWASP's device-cookie scheme,
 * ASVS V2.2.1): failures count per account *and address*, so guessing from
 * one place does not shut the owner out from another; per address, across
 * accounts; and per account across all addresses, for browsers unknown to it
 * only. A browser that has signed in to the account before (a known device)
 * escapes all three and is throttled on its own failures alone; a reset link
 * always lets the owner in.
 */
export interface ThrottleRules {
  windowMs: number;
  /** Failures for one account from one address, by browsers unknown to the account. */
  maxFailuresPerAccountAndAddress: number;
  /** Failures from one address, whatever the account. */
  maxFailuresPerAddress: number;
  /** Failures for one account from every address together, by browsers unknown to it (a spread-out attack). */
  maxFailuresPerAccount: number;
  /** Failures of one known device: its cookie is no key to guessing. */
  maxFailuresPerDevice: number;
}

export const DEFAULT_THROTTLE: ThrottleRules = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerAccountAndAddress: 5,
  maxFailuresPerAddress: 20,
  maxFailuresPerAccount: 50,
  maxFailuresPerDevice: 5,
};

export async function recordAttempt(
  db: Executor,
  input: { email: string; ip: string; succeeded: boolean; now: number; deviceId?: string | null },
) {
  await db
    .insertInto("sign_in_attempt")
    .values({
      id: newId(),
      email: input.email,
      ip: input.ip,
      succeeded: input.succeeded ? 1 : 0,
      created_at: input.now,
      device_id: input.deviceId ?? null,
    })
    .execute();
}

/**
 * When the attempt is to be refused, the time at which the oldest failure
 * that counts leaves the window; otherwise null. `deviceId` is the known
 * device of this account the attempt comes from, if any.
 */
export async function throttledUntil(
  db: Executor,
  input: { email: string; ip: string; deviceId?: string | null; now: number },
  rules: ThrottleRules = DEFAULT_THROTTLE,
): Promise<number | null> {
  const since = input.now - rules.windowMs;
  const failures = () =>
    db.selectFrom("sign_in_attempt").select("created_at").where("succeeded", "=", 0).where("created_at", ">", since).orderBy("created_at", "desc");
  const limit = async (query: ReturnType<typeof failures>, max: number) => {
    const rows = await query.limit(max).execute();
    return rows.length >= max ? rows[rows.length - 1].created_at + rules.windowMs : null;
  };
  const found: Array<number | null> = input.deviceId
    ? [await limit(failures().where("device_id", "=", input.deviceId), rules.maxFailuresPerDevice)]
    : [
        await limit(failures().where("email", "=", input.email).where("ip", "=", input.ip).where("device_id", "is", null), rules.maxFailuresPerAccountAndAddress),
        await limit(failures().where("ip", "=", input.ip), rules.maxFailuresPerAddress),
        await limit(failures().where("email", "=", input.email).where("device_id", "is", null), rules.maxFailuresPerAccount),
      ];
  const until = found.filter((t): t is number => t !== null);
  return until.length > 0 ? Math.max(...until) : null;
}

/**
 * A success clears the failures it was counted against, so a member who got
 * in is not locked out by old typos: a known device's own, or else the
 * account's from this address by unknown browsers. Others' failures stay
 * counted — the owner's device getting in from an attacker's address does not
 * give the attacker five more guesses.
 */
export async function clearFailures(db: Executor, input: { email: string; ip: string; deviceId?: string | null }) {
  let query = db.deleteFrom("sign_in_attempt").where("email", "=", input.email).where("succeeded", "=", 0);
  query = input.deviceId ? query.where("device_id", "=", input.deviceId) : query.where("ip", "=", input.ip).where("device_id", "is", null);
  await query.execute();
}

/**
 * Attempts older than `before`: throttling looks back one window only, and
 * the audit log keeps its own record of failures. Returns how many went.
 */
export async function deleteAttemptsBefore(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom("sign_in_attempt").where("created_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
