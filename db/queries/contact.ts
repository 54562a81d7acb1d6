import type { Executor } from "../client.ts";
import type { ContactPolicy } from "../schema.ts";

/** Who may write to a member (app/policies/contact.ts reads it), and whom they block. */

export async function setContactPolicy(db: Executor, userId: string, policy: ContactPolicy, now: number) {
  await db.updateTable("user").set({ contact_policy: policy, updated_at: now }).where("id", "=", userId).execute();
}

/** Blocks once: blocking again changes nothing (not even the date). */
export async function addBlock(db: Executor, blockerId: string, blockedId: string, now: number) {
  await db
    .insertInto("user_block")
    .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: now })
    .onConflict((oc) => oc.columns(["blocker_id", "blocked_id"]).doNothing())
    .execute();
}

/** Whether there was a block to lift. */
export async function removeBlock(db: Executor, blockerId: string, blockedId: string): Promise<boolean> {
  const result = await db.deleteFrom("user_block").where("blocker_id", "=", blockerId).where("blocked_id", "=", blockedId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function hasBlocked(db: Executor, blockerId: string, blockedId: string): Promise<boolean> {
  const row = await db.selectFrom("user_block").select("blocked_id").where("blocker_id", "=", blockerId).where("blocked_id", "=", blockedId).executeTakeFirst();
  return row !== undefined;
}

/** Whether either of the two blocks the other: the policy's `blocked`. */
export async function blockedEither(db: Executor, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom("user_block")
    .select("blocker_id")
    .where((eb) => eb.or([eb.and([eb("blocker_id", "=", a), eb("blocked_id", "=", b)]), eb.and([eb("blocker_id", "=", b), eb("blocked_id", "=", a)])]))
    .executeTakeFirst();
  return row !== undefined;
}

/** The members this one blocks, most recent first, with the name to show. */
export function listBlocked(db: Executor, blockerId: string) {
  return db
    .selectFrom("user_block")
    .innerJoin("user", "user.id", "user_block.blocked_id")
    .select(["user.id as id", "user.display_name as name", "user_block.created_at as blockedAt"])
    .where("user_block.blocker_id", "=", blockerId)
    .orderBy("user_block.created_at", "desc")
    .orderBy("user.id")
    .execute();
}
