import { sql, type Kysely } from "kysely";
import { onPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
//
// PostgreSQL, the second database (issue 21): what SQLite gets from the connection
// (db/sqlite.ts registers fold() on each one) PostgreSQL keeps in the schema. Nothing to
// do on SQLite. Raw SQL: functions, full-text columns and GIN indexes are not the query builder's.
export async function up(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  // db/text.ts fold(), the same steps: canonical decomposition, combining accents dropped,
  // lower case (Unicode's, on a C.UTF-8 database; db/postgres.ts checks it at start).
  await sql`
    CREATE FUNCTION fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(regexp_replace(normalize(value, NFD), '[\u0300-\u036f]', '', 'g'))`.execute(db);
  await searchColumns(db);
}

/**
 * Search on PostgreSQL's full text (db/search/postgres/): search_doc holds the
 * index itself. `fts` is the stems of title (weight A) and text (D) made by
 * db/search/text.ts, as FTS5 holds them (README, decision 90: one pipeline for
 * both engines and for the query); `title_fts` the indexed titles alone, for
 * the suggestions as one types (a short GIN list per start of word, as
 * search_title is on SQLite); `access_words` the access and filter words, for
 * `&&` on a GIN index. Rows indexed before these columns are indexed again by
 * the background job.
 */
async function searchColumns(db: Kysely<any>) {
  await sql`ALTER TABLE search_doc
    ADD COLUMN fts tsvector NOT NULL DEFAULT '',
    ADD COLUMN title_fts tsvector NOT NULL DEFAULT '',
    ADD COLUMN access_words text[] NOT NULL DEFAULT '{}'`.execute(db);
  await sql`CREATE INDEX search_doc_fts ON search_doc USING gin (fts)`.execute(db);
  await sql`CREATE INDEX search_doc_title_fts ON search_doc USING gin (title_fts)`.execute(db);
  await sql`CREATE INDEX search_doc_access ON search_doc USING gin (access_words)`.execute(db);
  await sql`INSERT INTO search_dirty (kind, ref_id) SELECT kind, ref_id FROM search_doc ON CONFLICT (kind, ref_id) DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  for (const index of ["search_doc_fts", "search_doc_title_fts", "search_doc_access"]) await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
  await sql`ALTER TABLE search_doc DROP COLUMN IF EXISTS fts, DROP COLUMN IF EXISTS title_fts, DROP COLUMN IF EXISTS access_words`.execute(db);
  await sql`DROP FUNCTION IF EXISTS fold(text)`.execute(db);
}
