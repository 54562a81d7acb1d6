import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Who may write to a member (issue 16): "clubs", "network" (club members directly, anyone else
  // after a contact request the member accepts) or "nobody". Strangers may only ask by default.
  await db.schema.alterTable("user").addColumn("contact_policy", "text", (c) => c.notNull().defaultTo("network")).execute();

  // Blocks, one way: the blocker no longer hears from the blocked member, who is not told. Gone
  // with either account.
  await db.schema
    .createTable("user_block")
    .addColumn("blocker_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("blocked_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_block_pk", ["blocker_id", "blocked_id"])
    .execute();
  // "Has either blocked the other" is asked from both sides.
  await db.schema.createIndex("user_block_blocked").on("user_block").columns(["blocked_id", "blocker_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_block").execute();
  await db.schema.alterTable("user").dropColumn("contact_policy").execute();
}
