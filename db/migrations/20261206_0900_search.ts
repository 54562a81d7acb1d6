import { sql, type Kysely } from "kysely";
import { createTrigger, dropTrigger, onPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
//
// Search (issue 17). One full-text index over everything a member may read, in the
// application's database, kept right by the writer's own transaction:
//
// - search_dirty: what changed. Triggers on every table that holds searchable text add a row,
//   whichever code path writes, in the writer's transaction; the writer's transaction then
//   indexes what it changed before it commits (db/search/indexer.ts, called by transact()).
//   A backlog (this migration, a reindex) is worked through by a background job.
// - search_doc: one row per indexed thing: what results show (title, text for the snippet)
//   and what filters need (kind, space, author, date).
// - search_fts: SQLite FTS5, contentless (the text lives in search_doc), holding the stems
//   (db/search/text.ts) of title and text, and a third column of access tokens saying who may
//   read the row (db/search/access.ts): trimming to what the viewer may read is part of the
//   MATCH, so counts and pages are of readable results only.
// - file_text: the text extracted from each file version, in the background.
//
// Raw SQL: Kysely's schema builder has no virtual tables and no triggers. PostgreSQL gets its
// own (issue 21): a tsvector column with a GIN index in search_doc, and plpgsql triggers.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("file_text")
    .addColumn("version_id", "text", (c) => c.primaryKey().references("file_version.id").onDelete("cascade"))
    .addColumn("file_id", "text", (c) => c.notNull().references("file.id").onDelete("cascade"))
    // pending → done | unsupported | failed (with its reason: too_large, timeout, memory, malformed)
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("truncated", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("reason", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    // A worker holds it until then; past it, another may take it (a crash mid-extraction).
    .addColumn("claimed_by", "text")
    .addColumn("claimed_until", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("finished_at", "integer")
    .execute();
  await db.schema.createIndex("file_text_pending").on("file_text").columns(["state", "created_at"]).execute();
  await db.schema.createIndex("file_text_file").on("file_text").column("file_id").execute();
  // Every new version waits for its text; the ones already there too.
  const newText = "INSERT INTO file_text (version_id, file_id, state, created_at) VALUES (NEW.id, NEW.file_id, 'pending', NEW.created_at);";
  if (onPostgres(db)) await createTrigger(db, "file_text_new_version", "AFTER INSERT ON file_version", newText);
  else
    await sql`CREATE TRIGGER file_text_new_version AFTER INSERT ON file_version BEGIN
    ${sql.raw(newText)}
  END`.execute(db);
  await sql`INSERT INTO file_text (version_id, file_id, state, created_at) SELECT id, file_id, 'pending', created_at FROM file_version`.execute(db);

  await db.schema
    .createTable("search_doc")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ref_id", "text", (c) => c.notNull())
    // null for a conversation's messages, which belong to no space
    .addColumn("space_id", "text")
    .addColumn("author_id", "text")
    .addColumn("at", "integer", (c) => c.notNull())
    // The access words as indexed, for a look and for the test that a reindex changes nothing.
    .addColumn("access", "text", (c) => c.notNull())
    // Title and text last: a ranking that reads `at` of thousands of rows must not walk
    // through each row's overflow pages of text to reach it.
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("search_doc_ref").on("search_doc").columns(["kind", "ref_id"]).unique().execute();
  await db.schema.createIndex("search_doc_space").on("search_doc").column("space_id").execute();

  // PostgreSQL searches with its own full text (db/search/postgres/): its columns come below.
  if (!onPostgres(db)) await sqliteIndexes(db);

  await db.schema
    .createTable("search_dirty")
    // PostgreSQL numbers the rows itself only when asked; SQLite does for an integer primary key.
    .addColumn("seq", "integer", (c) => (onPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ref_id", "text", (c) => c.notNull())
    .execute();
  // A change met again moves to the end: the writer's transaction indexes the newest rows first.
  await db.schema.createIndex("search_dirty_ref").on("search_dirty").columns(["kind", "ref_id"]).unique().execute();

  const dirty = (kind: string, id: string) => `${markDirty(db)} (kind, ref_id) VALUES ('${kind}', ${id})${movedToEnd(db)};`;
  const commentsOf = (column: string, id: string) => `${markDirty(db)} (kind, ref_id) SELECT 'comment', id FROM comment WHERE ${column} = ${id}${movedToEnd(db)};`;
  const watch = async (table: string, kind: string, columns: string[], comments?: { column: string; when: string[] }) => {
    await createTrigger(db, `search_${table}_insert`, `AFTER INSERT ON ${table}`, dirty(kind, "NEW.id"));
    await createTrigger(db, `search_${table}_delete`, `AFTER DELETE ON ${table}`, dirty(kind, "OLD.id"));
    await createTrigger(db, `search_${table}_update`, `AFTER UPDATE OF ${columns.join(", ")} ON ${table}`, dirty(kind, "NEW.id"));
    // Who may read a comment is who may read what it is on: their access changes with it.
    if (comments) await createTrigger(db, `search_${table}_comments`, `AFTER UPDATE OF ${comments.when.join(", ")} ON ${table}`, commentsOf(comments.column, "NEW.id"));
  };
  await watch("page", "page", ["title", "content_text", "deleted_at", "space_id"], { column: "page_id", when: ["deleted_at", "space_id"] });
  await watch("post", "post", ["title", "excerpt", "content_text", "state", "visibility", "deleted_at", "author_id", "published_at", "space_id"], {
    column: "post_id",
    when: ["state", "deleted_at", "author_id", "space_id"],
  });
  await watch("workshop", "workshop", ["title", "description_text", "state", "visibility", "deleted_at", "proposed_by", "place", "outside_speaker", "starts_at", "space_id"], {
    column: "workshop_id",
    when: ["state", "deleted_at", "proposed_by", "space_id"],
  });
  await watch("ask", "ask", ["title", "body_text", "audience", "deleted_at", "author_id", "space_id"], { column: "ask_id", when: ["audience", "deleted_at", "space_id"] });
  await watch("comment", "comment", ["body_text", "deleted_at"]);
  await watch("file", "file", ["name", "deleted_at", "version", "space_id"]);
  await watch("message", "message", ["body_text", "deleted_at"]);
  // A file's text arrives after it.
  await createTrigger(db, "search_file_text_update", "AFTER UPDATE OF state, text ON file_text", dirty("file", "NEW.file_id"));

  // Everything there is, to be indexed by the background job.
  for (const [table, kind] of [
    ["page", "page"],
    ["post", "post"],
    ["workshop", "workshop"],
    ["ask", "ask"],
    ["comment", "comment"],
    ["file", "file"],
    ["message", "message"],
  ])
    await sql.raw(`${markDirty(db)} (kind, ref_id) SELECT '${kind}', id FROM ${table} WHERE deleted_at IS NULL${movedToEnd(db)}`).execute(db);
}

/**
 * Marking a thing changed, again or not: SQLite's INSERT OR REPLACE gives
 * the row a new, last number; PostgreSQL's upsert asks its sequence for one.
 */
const markDirty = (db: Kysely<any>) => (onPostgres(db) ? "INSERT INTO search_dirty" : "INSERT OR REPLACE INTO search_dirty");
const movedToEnd = (db: Kysely<any>) => (onPostgres(db) ? " ON CONFLICT (kind, ref_id) DO UPDATE SET seq = DEFAULT" : "");

async function sqliteIndexes(db: Kysely<any>) {
  // unicode61 over stems that db/search/text.ts already folded; contentless_delete lets a row be
  // replaced by its rowid alone (SQLite 3.43+; better-sqlite3 12 bundles 3.51).
  await sql`CREATE VIRTUAL TABLE search_fts USING fts5(title, body, access, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  // The titles again, alone, for suggestions as one types: a word being typed is looked for by
  // its start, and in search_fts its start would read the text's occurrences too (a common word's
  // list of 100,000 documents) to keep the few in titles. With prefix indexes of 2 and 3 letters.
  await sql`CREATE VIRTUAL TABLE search_title USING fts5(title, access, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0', prefix='2 3')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["page", "post", "workshop", "ask", "comment", "file", "message"])
    for (const what of ["insert", "delete", "update", "comments"]) await dropTrigger(db, `search_${table}_${what}`, table);
  await dropTrigger(db, "search_file_text_update", "file_text");
  await dropTrigger(db, "file_text_new_version", "file_version");
  if (!onPostgres(db)) {
    await sql`DROP TABLE search_title`.execute(db);
    await sql`DROP TABLE search_fts`.execute(db);
  }
  await db.schema.dropTable("search_dirty").execute();
  await db.schema.dropTable("search_doc").execute();
  await db.schema.dropTable("file_text").execute();
}
