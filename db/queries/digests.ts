import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { DigestFrequency } from "../schema.ts";

/**
 * What the digests (app/digests) read and write. The claim is the row: a
 * (member, period) pair is inserted once, in the transaction that queues
 * the digest's mail and moves the member's `digest_until` on — so a period
 * is sent at most once however many processes sweep, and a sweep that fails
 * before its commit leaves the period to the next one.
 */

/**
 * Members who take a digest and whose last one ended before `endedBefore`
 * (none can be due sooner), a page at a time in id order: the caller skips
 * those not due yet, so paging must not depend on what it does.
 */
export function membersDue(db: Executor, endedBefore: number, page: { after: string | null; limit: number }) {
  return db
    .selectFrom("user")
    // Whole rows: the digest is composed from the member as read here, with no second read each.
    .selectAll()
    .where("digest_frequency", "!=", "off")
    .where((eb) => eb.or([eb("digest_until", "is", null), eb("digest_until", "<", endedBefore)]))
    .where((eb) => (page.after === null ? eb.lit(true) : eb("id", ">", page.after)))
    .orderBy("id")
    .limit(page.limit)
    .execute();
}

export interface NewDigest {
  userId: string;
  period: string;
  frequency: Exclude<DigestFrequency, "off">;
  since: number;
  until: number;
  items: number;
  now: number;
}

/** The claim: the digest's id when this call took the period, null when someone already had. */
export async function claimDigest(db: Executor, d: NewDigest): Promise<string | null> {
  const id = newId();
  const result = await db
    .insertInto("digest")
    .values({ id, user_id: d.userId, period: d.period, frequency: d.frequency, since: d.since, until: d.until, items: d.items, created_at: d.now })
    .onConflict((oc) => oc.columns(["user_id", "period"]).doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) !== 1) return null;
  await db.updateTable("user").set({ digest_until: d.until }).where("id", "=", d.userId).execute();
  return id;
}

export function digestOf(db: Executor, id: string) {
  return db.selectFrom("digest").selectAll().where("id", "=", id).executeTakeFirst();
}

export function digestsOf(db: Executor, userId: string) {
  return db.selectFrom("digest").selectAll().where("user_id", "=", userId).orderBy("period").execute();
}

/** The member's choice of how often; "off" stops them. */
export async function setDigestFrequency(db: Executor, userId: string, frequency: DigestFrequency) {
  await db.updateTable("user").set({ digest_frequency: frequency }).where("id", "=", userId).execute();
}
