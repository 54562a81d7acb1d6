import { sql, type Kysely } from "kysely";
import { onPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.

/**
 * The migrator runs SQLite migrations outside a transaction (no transactional
 * DDL): this one runs in one of its own, so a crash halfway leaves nothing
 * half made. Raw BEGIN/COMMIT as in 20261204_1100 (the app's connection
 * refuses db.transaction() before its disk reserve exists, on a first boot).
 */
async function atomically(db: Kysely<any>, work: () => Promise<void>) {
  if (onPostgres(db)) return work();
  await sql`BEGIN IMMEDIATE`.execute(db);
  try {
    await work();
    await sql`COMMIT`.execute(db);
  } catch (error) {
    await sql`ROLLBACK`.execute(db);
    throw error;
  }
}

/** Each old yes/no column, the kinds it governed, and what its "no" becomes. */
const CARRIED: Array<[string, string[], string]> = [
  ["mail_on_mention", ["mention"], "app"],
  ["mail_on_reply", ["reply", "askAnswer", "askThanks"], "app"],
  ["mail_on_workshop", ["workshopAnnounced", "workshopNotes"], "app"],
  ["mail_workshop_reminders", ["workshopReminder"], "off"],
  ["mail_on_message", ["message"], "app"],
];

export async function up(db: Kysely<any>): Promise<void> {
  await atomically(db, () => upInside(db));
}

async function upInside(db: Kysely<any>): Promise<void> {
  // What a member chose for each kind of notification (issue 18): "app" (in the app only),
  // "mail" (in the app and by mail at once), "digest" (in the app and in the next digest) or
  // "off". A kind without a row has its default (app/notifications/choices.ts).
  await db.schema
    .createTable("notification_choice")
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("delivery", "text", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_choice_pk", ["user_id", "kind"])
    .execute();
  // How much of one club a member hears: "all", "mine" (only what concerns them) or "muted".
  // A club without a row is "all".
  await db.schema
    .createTable("club_notification_level")
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("club_notification_level_pk", ["user_id", "space_id"])
    .execute();
  // The yes/no mail choices of before become choices of their kinds: a "no" keeps the
  // notification in the app (reminders, mail-only until now, are turned off). Raw SQL: one
  // INSERT … SELECT per old column, frozen with this migration.
  const now = Date.now();
  for (const [column, kinds, delivery] of CARRIED) {
    for (const kind of kinds) {
      await sql`INSERT INTO notification_choice (user_id, kind, delivery, updated_at) SELECT id, ${kind}, ${delivery}, ${now} FROM "user" WHERE ${sql.ref(column)} = 0`.execute(db);
    }
  }
  for (const [column] of CARRIED) await db.schema.alterTable("user").dropColumn(column).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await atomically(db, async () => {
    // Back to yes/no: a column is "no" for whoever takes its first kind otherwise than by mail.
    for (const [column, [kind]] of CARRIED) {
      await db.schema.alterTable("user").addColumn(column, "integer", (c) => c.notNull().defaultTo(1)).execute();
      await sql`UPDATE "user" SET ${sql.ref(column)} = 0 WHERE id IN (SELECT user_id FROM notification_choice WHERE kind = ${kind} AND delivery <> 'mail')`.execute(db);
    }
    await db.schema.dropTable("club_notification_level").execute();
    await db.schema.dropTable("notification_choice").execute();
  });
}
