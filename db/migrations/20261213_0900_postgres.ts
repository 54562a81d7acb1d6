import { sql, type Kysely } from "kysely";
import { onPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
//
// PostgreSQL, the second database (issue 21): what SQLite gets from the connection
// (db/sqlite.ts registers fold() on each one) PostgreSQL keeps in the schema. Nothing to
// do on SQLite. Raw SQL: functions and extensions are not the query builder's.
export async function up(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  // db/text.ts fold(), the same steps: canonical decomposition, combining accents dropped,
  // lower case (Unicode's, on a C.UTF-8 database; db/postgres.ts checks it at start).
  await sql`
    CREATE FUNCTION fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(regexp_replace(normalize(value, NFD), '[\u0300-\u036f]', '', 'g'))`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  await sql`DROP FUNCTION IF EXISTS fold(text)`.execute(db);
}
