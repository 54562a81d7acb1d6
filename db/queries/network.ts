import type { Executor } from "../client.ts";
import { preparedFirst } from "../prepared.ts";
import type { Locale } from "../schema.ts";
import { hashSecret, newSecret } from "../tokens.ts";

const NETWORK_ID = "network";

/** Compiled once (db/prepared.ts): every page runs it. */
export const getNetwork = preparedFirst((db) => db.selectFrom("network").selectAll().where("id", "=", NETWORK_ID));

export async function createNetwork(db: Executor, input: { name: string; defaultLocale: Locale; now: number }) {
  await db
    .insertInto("network")
    .values({ id: NETWORK_ID, name: input.name, default_locale: input.defaultLocale, created_at: input.now })
    .execute();
}

export async function isSetUp(db: Executor): Promise<boolean> {
  const row = await db.selectFrom("user").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * A new one-time setup secret; earlier ones stop working. Only made while no
 * account exists, and printed on the console by the server.
 */
export async function issueSetupSecret(db: Executor, now: number): Promise<string> {
  const secret = newSecret();
  await db.deleteFrom("setup_token").execute();
  await db.insertInto("setup_token").values({ token_hash: hashSecret(secret), created_at: now }).execute();
  return secret;
}

export async function isValidSetupSecret(db: Executor, secret: string): Promise<boolean> {
  const row = await db
    .selectFrom("setup_token")
    .select("token_hash")
    .where("token_hash", "=", hashSecret(secret))
    .executeTakeFirst();
  return row !== undefined;
}

export async function consumeSetupSecrets(db: Executor) {
  await db.deleteFrom("setup_token").execute();
}
