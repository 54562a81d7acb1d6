import { sql, type Kysely } from "kysely";
import { onPostgres, rebuildOnPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
//
// A notification was always about a comment; now it is about an owner (db/owners.ts: a
// page, a post, later a workshop or an ask), with a comment only when there is one.
// SQLite cannot drop NOT NULL from a column, so the table is rebuilt the way SQLite's
// documentation prescribes (ALTER TABLE, "other kinds of table schema changes"):
// foreign keys off, a new table, copy, drop, rename, indexes again, check, foreign keys
// back on. With foreign keys on, dropping the old table would delete its rows first,
// and their outbox mails with them (ON DELETE CASCADE). The migrator runs SQLite
// migrations outside a transaction (no transactional DDL) and on one connection, which
// is what lets the pragma take effect; the rebuild itself runs in a transaction of its
// own. Raw BEGIN/COMMIT rather than db.transaction(): the app's connection refuses
// transactions while its disk reserve is missing (app/utils/disk.server.ts), and on a
// first boot the reserve is made after migrating.

async function rebuild(db: Kysely<any>, work: (db: Kysely<any>) => Promise<void>) {
  if (onPostgres(db)) return rebuildOnPostgres(db, "notification", work);
  // Raw SQL here: pragmas and transaction control, which the query builder does not express.
  const [{ foreign_keys: before }] = (await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows;
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN IMMEDIATE`.execute(db);
    try {
      await work(db);
      // Nothing may point nowhere after the copy.
      const broken = (await sql`PRAGMA foreign_key_check`.execute(db)).rows;
      if (broken.length > 0) throw new Error(`notification rebuild left ${broken.length} broken foreign key(s)`);
      await sql`COMMIT`.execute(db);
    } catch (error) {
      await sql`ROLLBACK`.execute(db);
      throw error;
    }
  } finally {
    if (before) await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, async (trx) => {
    await trx.schema
      .createTable("notification_new")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
      // mention | reply | any kind app/notifications/kinds.ts names
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
      // What it is about (db/owners.ts). No foreign key: the id names a row of the table its kind says.
      .addColumn("owner_kind", "text", (c) => c.notNull())
      .addColumn("owner_id", "text", (c) => c.notNull())
      .addColumn("comment_id", "text", (c) => c.references("comment.id").onDelete("cascade"))
      .addColumn("actor_id", "text", (c) => c.references("user.id").onDelete("set null"))
      .addColumn("created_at", "integer", (c) => c.notNull())
      .addColumn("read_at", "integer")
      .execute();
    // Raw SQL: an INSERT … SELECT across tables, run once, in the migration only. Every
    // notification so far names a comment, whose target is its owner.
    await sql`
      INSERT INTO notification_new (id, user_id, kind, space_id, owner_kind, owner_id, comment_id, actor_id, created_at, read_at)
      SELECT n.id, n.user_id, n.kind, n.space_id,
             CASE WHEN c.post_id IS NOT NULL THEN 'post' ELSE 'page' END, coalesce(c.post_id, c.page_id),
             n.comment_id, n.actor_id, n.created_at, n.read_at
      FROM notification n JOIN comment c ON c.id = n.comment_id
    `.execute(trx);
    await trx.schema.dropTable("notification").execute();
    await trx.schema.alterTable("notification_new").renameTo("notification").execute();
    await trx.schema.createIndex("notification_user").on("notification").columns(["user_id", "created_at"]).execute();
    await trx.schema.createIndex("notification_unread").on("notification").columns(["user_id", "read_at"]).execute();
    // "Who was already told about this comment" (an edit never notifies twice).
    await trx.schema.createIndex("notification_comment").on("notification").column("comment_id").execute();
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, async (trx) => {
    // A notification without a comment has no place in the old table; nor has its mail.
    await trx.deleteFrom("mail_outbox").where("notification_id", "in", trx.selectFrom("notification").select("id").where("comment_id", "is", null)).execute();
    await trx.schema
      .createTable("notification_old")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
      .addColumn("comment_id", "text", (c) => c.notNull().references("comment.id").onDelete("cascade"))
      .addColumn("actor_id", "text", (c) => c.references("user.id").onDelete("set null"))
      .addColumn("created_at", "integer", (c) => c.notNull())
      .addColumn("read_at", "integer")
      .execute();
    // Raw SQL: an INSERT … SELECT, run once, in the migration only.
    await sql`
      INSERT INTO notification_old (id, user_id, kind, space_id, comment_id, actor_id, created_at, read_at)
      SELECT id, user_id, kind, space_id, comment_id, actor_id, created_at, read_at
      FROM notification WHERE comment_id IS NOT NULL
    `.execute(trx);
    await trx.schema.dropTable("notification").execute();
    await trx.schema.alterTable("notification_old").renameTo("notification").execute();
    await trx.schema.createIndex("notification_user").on("notification").columns(["user_id", "created_at"]).execute();
    await trx.schema.createIndex("notification_unread").on("notification").columns(["user_id", "read_at"]).execute();
  });
}
