import { sql, type Kysely } from "kysely";
import { onPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
//
// The search index's row numbers count down from the year 2223 instead of up from 1970
// (db/search/indexer.ts, rowAt): "newest first" is then FTS5's forward order, which reads
// its delta-coded lists two to three times faster than backwards. The numbers of rows
// already indexed mean the opposite order, so the index is emptied and everything is
// marked changed, for the background job to index again (its page says so meanwhile).
//
// Raw SQL: Kysely has no words for FTS5's commands.
export async function up(db: Kysely<any>): Promise<void> {
  // PostgreSQL's index (db/search/postgres/) came later, and has no order of its own to undo.
  if (onPostgres(db)) return;
  await sql`INSERT INTO search_fts (search_fts) VALUES ('delete-all')`.execute(db);
  await sql`INSERT INTO search_title (search_title) VALUES ('delete-all')`.execute(db);
  await db.deleteFrom("search_doc").execute();
  for (const [table, kind] of [
    ["page", "page"],
    ["post", "post"],
    ["workshop", "workshop"],
    ["ask", "ask"],
    ["comment", "comment"],
    ["file", "file"],
    ["message", "message"],
  ])
    await sql.raw(`INSERT OR REPLACE INTO search_dirty (kind, ref_id) SELECT '${kind}', id FROM ${table} WHERE deleted_at IS NULL`).execute(db);
}

// Going back leaves the index to be rebuilt the same way, in the old order.
export async function down(db: Kysely<any>): Promise<void> {
  await up(db);
}
