import { sql, type Kysely } from "kysely";
import { onPostgres, rebuildOnPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
//
// Asks (issue 16): a question, a search for an expert, an introduction wanted or an
// opportunity passed on, answered through the comments. A comment so far named a post or
// a page, and a CHECK said exactly one; it now may name an ask, or a workshop (whose page
// showed a comment form since 20261204_1800 that had no column to write to); SQLite cannot change a CHECK, so the comment table
// is rebuilt the way SQLite's documentation prescribes, as 20261204_1100_notification_owner
// did (it carries its own copy of the procedure, as frozen migrations do): foreign keys
// off (dropping the old table with them on would first delete its rows, and with them
// every mention and notification by ON DELETE CASCADE), a new table, copy, drop, rename,
// indexes again, check, foreign keys back on. The migrator runs SQLite migrations outside
// a transaction and on one connection, which lets the pragma take effect.

async function rebuild(db: Kysely<any>, work: (db: Kysely<any>) => Promise<void>) {
  if (onPostgres(db)) return rebuildOnPostgres(db, "comment", work);
  // Raw SQL here: pragmas and transaction control, which the query builder does not express.
  const [{ foreign_keys: before }] = (await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db)).rows;
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN IMMEDIATE`.execute(db);
    try {
      await work(db);
      const broken = (await sql`PRAGMA foreign_key_check`.execute(db)).rows;
      if (broken.length > 0) throw new Error(`comment rebuild left ${broken.length} broken foreign key(s)`);
      await sql`COMMIT`.execute(db);
    } catch (error) {
      await sql`ROLLBACK`.execute(db);
      throw error;
    }
  } finally {
    if (before) await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function commentTable(db: Kysely<any>, name: string, withAsk: boolean) {
  let table = db.schema
    .createTable(name)
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("post_id", "text", (c) => c.references("post.id").onDelete("cascade"))
    .addColumn("page_id", "text", (c) => c.references("page.id").onDelete("cascade"));
  if (withAsk) {
    table = table
      .addColumn("ask_id", "text", (c) => c.references("ask.id").onDelete("cascade"))
      .addColumn("workshop_id", "text", (c) => c.references("workshop.id").onDelete("cascade"));
  }
  await table
    .addColumn("parent_id", "text", (c) => c.references("comment.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("body_json", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("edited_at", "integer")
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addCheckConstraint(
      "comment_one_target",
      withAsk
        ? onPostgres(db)
          ? sql`num_nonnulls(post_id, page_id, ask_id, workshop_id) = 1`
          : sql`(post_id IS NOT NULL) + (page_id IS NOT NULL) + (ask_id IS NOT NULL) + (workshop_id IS NOT NULL) = 1`
        : sql`(post_id IS NULL) <> (page_id IS NULL)`,
    )
    .execute();
}

async function commentIndexes(db: Kysely<any>, withAsk: boolean) {
  await db.schema.createIndex("comment_post").on("comment").columns(["post_id", "created_at"]).execute();
  await db.schema.createIndex("comment_page").on("comment").columns(["page_id", "created_at"]).execute();
  if (withAsk) {
    await db.schema.createIndex("comment_ask").on("comment").columns(["ask_id", "created_at"]).execute();
    await db.schema.createIndex("comment_workshop").on("comment").columns(["workshop_id", "created_at"]).execute();
  }
  await db.schema.createIndex("comment_parent").on("comment").column("parent_id").execute();
}

const COMMENT_COLUMNS = sql`id, space_id, post_id, page_id, parent_id, author_id, body_json, body_html, body_text, created_at, edited_at, deleted_at, deleted_by`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("ask")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    // question | expert | introduction | opportunity
    .addColumn("kind", "text", (c) => c.notNull())
    // space | network
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body_json", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("deadline", "text")
    .addColumn("closes_at", "integer")
    .addColumn("resolved_at", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addCheckConstraint("ask_kind", sql`kind IN ('question', 'expert', 'introduction', 'opportunity')`)
    .addCheckConstraint("ask_audience", sql`audience IN ('space', 'network')`)
    .execute();
  // A club's asks, newest first; the network's asks across clubs.
  await db.schema.createIndex("ask_space").on("ask").columns(["space_id", "created_at"]).execute();
  await db.schema.createIndex("ask_audience").on("ask").columns(["audience", "created_at"]).execute();

  await db.schema
    .createTable("ask_skill")
    .addColumn("ask_id", "text", (c) => c.notNull().references("ask.id").onDelete("cascade"))
    .addColumn("skill_key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("ask_skill_pk", ["ask_id", "skill_key"])
    .execute();
  await db.schema.createIndex("ask_skill_key").on("ask_skill").columns(["skill_key", "ask_id"]).execute();

  await db.schema
    .createTable("ask_thanks")
    .addColumn("ask_id", "text", (c) => c.notNull().references("ask.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("ask_thanks_pk", ["ask_id", "user_id"])
    .execute();
  // "Helped N times" on a profile.
  await db.schema.createIndex("ask_thanks_user").on("ask_thanks").column("user_id").execute();

  await rebuild(db, async (trx) => {
    await commentTable(trx, "comment_new", true);
    // Raw SQL: an INSERT … SELECT of every row, run once, in the migration only.
    await sql`INSERT INTO comment_new (${COMMENT_COLUMNS}) SELECT ${COMMENT_COLUMNS} FROM comment`.execute(trx);
    await trx.schema.dropTable("comment").execute();
    await trx.schema.alterTable("comment_new").renameTo("comment").execute();
    await commentIndexes(trx, true);
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await rebuild(db, async (trx) => {
    // A comment on an ask or a workshop has no place in the old table; nor have its
    // mentions and notifications, nor an ask's notifications at all.
    const gone = trx.selectFrom("comment").select("id").where((eb) => eb.or([eb("ask_id", "is not", null), eb("workshop_id", "is not", null)]));
    const goneNotifications = trx
      .selectFrom("notification")
      .select("id")
      .where((eb) => eb.or([eb("owner_kind", "=", "ask"), eb("comment_id", "in", gone)]));
    await trx.deleteFrom("mail_outbox").where("notification_id", "in", goneNotifications).execute();
    await trx.deleteFrom("notification").where("id", "in", goneNotifications).execute();
    await trx.deleteFrom("comment_mention").where("comment_id", "in", gone).execute();
    await commentTable(trx, "comment_old", false);
    await sql`INSERT INTO comment_old (${COMMENT_COLUMNS}) SELECT ${COMMENT_COLUMNS} FROM comment WHERE ask_id IS NULL AND workshop_id IS NULL`.execute(trx);
    await trx.schema.dropTable("comment").execute();
    await trx.schema.alterTable("comment_old").renameTo("comment").execute();
    await commentIndexes(trx, false);
  });
  await db.schema.dropTable("ask_thanks").execute();
  await db.schema.dropTable("ask_skill").execute();
  await db.schema.dropTable("ask").execute();
}
