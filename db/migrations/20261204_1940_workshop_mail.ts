import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // What each member chose: a mail when a workshop is scheduled in one of their clubs, and
  // reminders before those they are going to. Changes, cancellations and promotions from the
  // waitlist always go: they change a commitment the member made.
  await db.schema.alterTable("user").addColumn("mail_on_workshop", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable("user").addColumn("mail_workshop_reminders", "integer", (c) => c.notNull().defaultTo(1)).execute();

  // One row per reminder sent: (workshop, which, the start it announced). Inserting it is the
  // claim, in the transaction that queues its mails, so a reminder goes out exactly once across
  // restarts and processes; a workshop moved to another start is reminded again.
  await db.schema
    .createTable("workshop_reminder")
    .addColumn("workshop_id", "text", (c) => c.notNull().references("workshop.id").onDelete("cascade"))
    // early | late
    .addColumn("which", "text", (c) => c.notNull())
    .addColumn("starts_at", "integer", (c) => c.notNull())
    .addColumn("sent_at", "integer", (c) => c.notNull())
    // How many mails it queued; 0 when it was passed over (the server was down through its moment).
    .addColumn("mails", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("workshop_reminder_pk", ["workshop_id", "which", "starts_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("workshop_reminder").execute();
  await db.schema.alterTable("user").dropColumn("mail_workshop_reminders").execute();
  await db.schema.alterTable("user").dropColumn("mail_on_workshop").execute();
}
