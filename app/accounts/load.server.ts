import type { Executor } from "#db/client.ts";
import { isSetUp, isValidSetupSecret } from "#db/queries/network.ts";
import { countRecentResets, MAX_RESETS_PER_HOUR } from "#db/queries/password-resets.ts";
import { findByEmail } from "#db/queries/users.ts";

/** What the account pages read before acting. */

/** Whether a first-run setup link still opens the setup: the network has no one yet, and the secret is the current one. */
export async function setupTokenIsValid(db: Executor, token: string | null): Promise<boolean> {
  return token !== null && !(await isSetUp(db)) && (await isValidSetupSecret(db, token));
}

/**
 * The account a reset link is to be mailed to, or null: no account has this
 * address, or it asked too often this hour. The page says the same either
 * way, so nobody learns which addresses have an account.
 */
export async function resetCandidate(db: Executor, email: string, now: number) {
  const user = await findByEmail(db, email);
  if (!user || (await countRecentResets(db, user.id, now)) >= MAX_RESETS_PER_HOUR) return null;
  return user;
}
