import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Digests (issue 18): each member chooses daily, weekly (the default) or none; digest_until is
  // the end of what their last digest covered (null until the first), so the next starts there.
  await db.schema
    .alterTable("user")
    .addColumn("digest_frequency", "text", (c) => c.notNull().defaultTo("weekly").check(sql`digest_frequency in ('daily', 'weekly', 'off')`))
    .execute();
  await db.schema.alterTable("user").addColumn("digest_until", "integer").execute();
  // A notification its person takes "in the digest": shown in the app, gathered in the next digest.
  await db.schema.alterTable("notification").addColumn("in_digest", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("notification_digest").on("notification").columns(["user_id", "created_at"]).where(sql.ref("in_digest"), "=", 1).execute();
  // One row per member and period: inserting it is the claim, in the transaction that queues the
  // mail, so however many processes sweep, and across restarts, a period is sent at most once.
  await db.schema
    .createTable("digest")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    // The local day of its 8:00 (YYYY-MM-DD in the member's zone).
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("frequency", "text", (c) => c.notNull().check(sql`frequency in ('daily', 'weekly')`))
    .addColumn("since", "integer", (c) => c.notNull())
    .addColumn("until", "integer", (c) => c.notNull())
    // How many things it held when queued; 0: nothing to say, no mail.
    .addColumn("items", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addUniqueConstraint("digest_once", ["user_id", "period"])
    .execute();
  // A digest's mail is composed when sent, like a notification's: what became unreadable meanwhile
  // is left out. No foreign key: SQLite cannot drop a column that has one (down), and a digest
  // gone (its member deleted) simply composes to nothing, which cancels the mail.
  await db.schema.alterTable("mail_outbox").addColumn("digest_id", "text").execute();
  // Keys that sign the links mails carry (one-click unsubscribe, replies): made once, shared by every server.
  await db.schema
    .createTable("signing_key")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("signing_key").execute();
  await db.schema.alterTable("mail_outbox").dropColumn("digest_id").execute();
  await db.schema.dropTable("digest").execute();
  await db.schema.dropIndex("notification_digest").execute();
  await db.schema.alterTable("notification").dropColumn("in_digest").execute();
  await db.schema.alterTable("user").dropColumn("digest_until").execute();
  await db.schema.alterTable("user").dropColumn("digest_frequency").execute();
}
