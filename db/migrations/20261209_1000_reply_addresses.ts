import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Answering by mail (issue 18): a mail that can be answered carries a reply address naming one of
  // these rows (with a MAC: app/mail/replies.server.ts). The row binds it to one member and one thread —
  // a comment's (its space, what it is about, the comment answered) or a conversation — until it expires.
  await db.schema
    .createTable("reply_address")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("thread", "text", (c) => c.notNull().check(sql`thread in ('comment', 'conversation')`))
    .addColumn("space_id", "text")
    .addColumn("owner_kind", "text")
    .addColumn("owner_id", "text")
    .addColumn("comment_id", "text")
    .addColumn("conversation_id", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .execute();
  // Housekeeping drops the expired ones.
  await db.schema.createIndex("reply_address_expires").on("reply_address").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("reply_address").execute();
}
