import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { dialectOf } from "../dialect.ts";

/**
 * Index housekeeping, per engine (raw SQL: FTS5's commands are inserts into
 * the table's own name, and PostgreSQL's are functions and catalogue reads,
 * none of which Kysely has words for).
 */

/**
 * After a reindex. FTS5: merges the index's segments into one, so queries
 * read one b-tree per term. PostgreSQL: moves the GIN indexes' pending lists
 * (fast update) into the indexes themselves, which a query would otherwise
 * read through in full, and refreshes the planner's statistics of search_doc.
 */
export async function optimizeIndex(db: Executor): Promise<void> {
  if (dialectOf(db) === "postgres") {
    for (const index of ["search_doc_fts", "search_doc_title_fts", "search_doc_access"]) await sql`SELECT gin_clean_pending_list(${index}::regclass)`.execute(db);
    await sql`ANALYZE search_doc`.execute(db);
    return;
  }
  await sql`INSERT INTO search_fts (search_fts) VALUES ('optimize')`.execute(db);
  await sql`INSERT INTO search_title (search_title) VALUES ('optimize')`.execute(db);
}

/**
 * The bytes the search's tables take (search_*, with their indexes and, on
 * PostgreSQL, their TOAST), and the whole database's: SQLite's dbstat table,
 * PostgreSQL's size functions.
 */
export async function indexSize(db: Executor): Promise<{ searchBytes: number; databaseBytes: number }> {
  if (dialectOf(db) === "postgres") {
    const row = (
      await sql<{ search: string; total: string }>`
        SELECT (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
                WHERE c.relkind = 'r' AND c.relname LIKE 'search\\_%' AND c.relnamespace = current_schema()::regnamespace) AS search,
               pg_database_size(current_database()) AS total`.execute(db)
    ).rows[0];
    return { searchBytes: Number(row.search), databaseBytes: Number(row.total) };
  }
  const rows = await sql<{ name: string; bytes: number }>`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name`.execute(db);
  let searchBytes = 0;
  let databaseBytes = 0;
  for (const row of rows.rows) {
    databaseBytes += Number(row.bytes);
    if (row.name.startsWith("search_") || row.name.startsWith("sqlite_autoindex_search_")) searchBytes += Number(row.bytes);
  }
  return { searchBytes, databaseBytes };
}
