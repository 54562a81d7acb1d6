import { randomBytes } from "node:crypto";
import type { Executor } from "../client.ts";

/**
 * Secrets that sign the links mails carry (app/mail/links.server.ts). Made
 * at first use and kept in the database, so every server of one network
 * signs and checks alike, and nothing needs configuring: the first of two
 * processes to insert wins, and both read back the one kept.
 */
export async function signingSecret(db: Executor, name: string, now: number): Promise<Buffer> {
  await db
    .insertInto("signing_key")
    .values({ name, secret: randomBytes(32).toString("base64"), created_at: now })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db.selectFrom("signing_key").select("secret").where("name", "=", name).executeTakeFirstOrThrow();
  return Buffer.from(row.secret, "base64");
}
