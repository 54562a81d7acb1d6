import { sql } from "kysely";
import type { Executor } from "../client.ts";

/**
 * FTS5 housekeeping (raw SQL: these are FTS5 commands, written as inserts
 * into the table's own name, which Kysely has no words for).
 */

/** Merges the index's segments into one: after a reindex, queries read one b-tree per term. */
export async function optimizeIndex(db: Executor): Promise<void> {
  await sql`INSERT INTO search_fts (search_fts) VALUES ('optimize')`.execute(db);
  await sql`INSERT INTO search_title (search_title) VALUES ('optimize')`.execute(db);
}

/** The bytes the search's tables take, and the whole database's, from SQLite's dbstat table. */
export async function indexSize(db: Executor): Promise<{ searchBytes: number; databaseBytes: number }> {
  const rows = await sql<{ name: string; bytes: number }>`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name`.execute(db);
  let searchBytes = 0;
  let databaseBytes = 0;
  for (const row of rows.rows) {
    databaseBytes += Number(row.bytes);
    if (row.name.startsWith("search_") || row.name.startsWith("sqlite_autoindex_search_")) searchBytes += Number(row.bytes);
  }
  return { searchBytes, databaseBytes };
}
