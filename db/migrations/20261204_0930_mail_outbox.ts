import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Every mail the app sends, written in the transaction of the action that
  // causes it and sent after commit; the primary retries what could not go out.
  await db.schema
    .createTable("mail_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("recipient", "text", (c) => c.notNull())
    // The composed mail (JSON: subject, text, html, link). Null for a notification's mail,
    // composed when sent (its comment may be deleted meanwhile), and once delivered over SMTP:
    // a link secret is kept only while its mail has not reached the mailbox.
    .addColumn("payload", "text")
    .addColumn("notification_id", "text", (c) => c.references("notification.id").onDelete("cascade"))
    // Set on the mail that carries an invitation's link: what the inviter may be shown when it fails.
    .addColumn("invitation_id", "text", (c) => c.references("invitation.id").onDelete("cascade"))
    // pending | sending (claimed by one sender) | sent | failed (gave up) | cancelled (nothing left to say)
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("claimed_at", "integer")
    .addColumn("sent_at", "integer")
    .addColumn("last_error", "text")
    .execute();
  await db.schema.createIndex("mail_outbox_state").on("mail_outbox").columns(["state", "created_at"]).execute();
  await db.schema.createIndex("mail_outbox_invitation").on("mail_outbox").column("invitation_id").execute();
  await db.schema.createIndex("mail_outbox_notification").on("mail_outbox").column("notification_id").execute();

  // When the inviter was shown the link (mail failed or not configured): accepting must then prove the mailbox.
  await db.schema.alterTable("invitation").addColumn("link_revealed_at", "integer").execute();

  // Notification mails not yet sent move to the outbox with their attempts, so none is lost.
  // Raw SQL: an INSERT … SELECT across tables, run once, in the migration only.
  await sql`
    INSERT INTO mail_outbox (id, recipient, payload, notification_id, invitation_id, state, attempts, created_at)
    SELECT n.id, u.email, NULL, n.id, NULL, 'pending', n.mail_attempts, n.created_at
    FROM notification n JOIN "user" u ON u.id = n.user_id
    WHERE n.mail_state = 'pending'
  `.execute(db);
  await db.schema.dropIndex("notification_mail").execute();
  await db.schema.alterTable("notification").dropColumn("mail_state").execute();
  await db.schema.alterTable("notification").dropColumn("mail_attempts").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notification").addColumn("mail_state", "text", (c) => c.notNull().defaultTo("none")).execute();
  await db.schema.alterTable("notification").addColumn("mail_attempts", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // Raw SQL: an UPDATE from another table, run once, in the migration only.
  await sql`
    UPDATE notification SET
      mail_state = (SELECT CASE o.state WHEN 'sending' THEN 'pending' WHEN 'cancelled' THEN 'failed' ELSE o.state END FROM mail_outbox o WHERE o.notification_id = notification.id),
      mail_attempts = (SELECT o.attempts FROM mail_outbox o WHERE o.notification_id = notification.id)
    WHERE id IN (SELECT notification_id FROM mail_outbox WHERE notification_id IS NOT NULL)
  `.execute(db);
  await db.schema.createIndex("notification_mail").on("notification").column("mail_state").execute();
  await db.schema.alterTable("invitation").dropColumn("link_revealed_at").execute();
  await db.schema.dropTable("mail_outbox").execute();
}
