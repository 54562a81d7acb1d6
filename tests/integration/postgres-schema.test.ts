import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase, type OpenedDatabase } from "#db/client.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { freshPostgres } from "#tests/helpers/postgres.ts";

/**
 * "The same migrations build an equivalent schema on both" (issue 21): the
 * tables, their columns (type, null or not), indexes, foreign keys and
 * triggers that the migrations make on a new SQLite file and on a new
 * PostgreSQL database, compared. What differs on purpose is listed here, each
 * with its reason; anything else that differs fails.
 */

/** SQLite's full-text index (FTS5 virtual tables and their shadow tables); PostgreSQL's lives in search_doc. */
const SQLITE_ONLY_TABLES = /^search_(fts|title)(_(config|data|docsize|idx|content))?$/;
/** PostgreSQL's full text in search_doc (db/search/): vectors and access words FTS5 keeps in its own tables. */
const POSTGRES_ONLY_COLUMNS = /^search_doc\.(fts|title_fts|access_words|vector|title_vector|words)$/;
/** The engines' own spellings of one type. */
const SAME_TYPE: Record<string, string> = { integer: "int8", text: "text", blob: "bytea" };

let dir: string;
let sqlite: OpenedDatabase;
let postgres: OpenedDatabase;
let dropPostgres: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "cercle-schema-"));
  sqlite = openDatabase(path.join(dir, "cercle.db"));
  await migrateToLatest(sqlite.db);
  const fresh = await freshPostgres();
  dropPostgres = fresh.drop;
  postgres = openDatabase(fresh.url);
});

afterAll(async () => {
  await sqlite?.close();
  await postgres?.close();
  await dropPostgres?.();
  await rm(dir, { recursive: true, force: true });
});

async function columns(opened: OpenedDatabase) {
  const tables = await opened.db.introspection.getTables();
  const out = new Map<string, string>();
  for (const table of tables) {
    if (table.name.startsWith("kysely_") || (opened.dialect === "sqlite" && SQLITE_ONLY_TABLES.test(table.name))) continue;
    for (const column of table.columns) {
      const type = opened.dialect === "sqlite" ? (SAME_TYPE[column.dataType.toLowerCase()] ?? column.dataType) : column.dataType;
      out.set(`${table.name}.${column.name}`, type);
    }
  }
  return out;
}

test("the same tables and columns, of the same types", async () => {
  const [onSqlite, onPostgres] = [await columns(sqlite), await columns(postgres)];
  const missing = [...onSqlite.keys()].filter((c) => !onPostgres.has(c));
  const extra = [...onPostgres.keys()].filter((c) => !onSqlite.has(c) && !POSTGRES_ONLY_COLUMNS.test(c));
  expect(missing, "columns SQLite has and PostgreSQL lacks").toEqual([]);
  expect(extra, "columns only PostgreSQL has (not a declared difference)").toEqual([]);
  const typed = [...onSqlite].filter(([c, type]) => onPostgres.get(c) !== type).map(([c, type]) => `${c}: ${type} / ${onPostgres.get(c)}`);
  expect(typed, "columns whose types differ").toEqual([]);
  expect(onSqlite.size).toBeGreaterThan(400);
});

test("the same columns may be null (SQLite's primary keys aside, which its rowid tables let be null)", async () => {
  const nullable = async (opened: OpenedDatabase) => {
    const set = new Set<string>();
    for (const table of await opened.db.introspection.getTables()) {
      for (const column of table.columns) if (column.isNullable) set.add(`${table.name}.${column.name}`);
    }
    return set;
  };
  const keys = new Set(
    (
      await sql<{ key: string }>`SELECT m.name || '.' || p.name AS key FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.pk > 0`.execute(sqlite.db)
    ).rows.map((r) => r.key),
  );
  const onSqlite = [...(await nullable(sqlite))].filter((c) => !keys.has(c) && !SQLITE_ONLY_TABLES.test(c.split(".")[0]));
  const onPostgres = [...(await nullable(postgres))].filter((c) => !POSTGRES_ONLY_COLUMNS.test(c));
  expect(onPostgres.sort()).toEqual(onSqlite.sort());
});

test("the same indexes, unique where they are, and the same foreign keys", async () => {
  const sqliteIndexes = (
    await sql<{ name: string; unique: number }>`
      SELECT i.name AS name, i."unique" AS "unique" FROM sqlite_master m, pragma_index_list(m.name) i
      WHERE m.type = 'table' AND i.origin = 'c'`.execute(sqlite.db)
  ).rows.map((r) => `${r.name}${r.unique ? " unique" : ""}`);
  const postgresIndexes = (
    await sql<{ name: string; unique: number }>`
      SELECT c.relname AS name, x.indisunique AS "unique" FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
        AND c.relname NOT LIKE 'kysely%' AND c.relname NOT LIKE 'search_doc_fts%'`.execute(postgres.db)
  ).rows.map((r) => `${r.name}${r.unique ? " unique" : ""}`);
  expect(postgresIndexes.filter((i) => !/^search_doc_(fts|title|access|vector|words)/.test(i)).sort()).toEqual(sqliteIndexes.sort());
  expect(sqliteIndexes.length).toBeGreaterThan(50);

  const sqliteKeys = (
    await sql<{ key: string }>`
      SELECT m.name || '.' || f."from" || ' -> ' || f."table" || ' ' || f.on_delete AS key
      FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`.execute(sqlite.db)
  ).rows.map((r) => r.key);
  const postgresKeys = (
    await sql<{ key: string }>`
      SELECT cl.relname || '.' || a.attname || ' -> ' || rf.relname || ' ' ||
             CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT' WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END AS key
      FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rf ON rf.oid = c.confrelid
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'f'`.execute(postgres.db)
  ).rows.map((r) => r.key);
  expect(postgresKeys.sort()).toEqual(sqliteKeys.sort());
  expect(sqliteKeys.length).toBeGreaterThan(80);
});

test("the same triggers, under the same names", async () => {
  const onSqlite = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'trigger'`.execute(sqlite.db)).rows.map((r) => r.name);
  const onPostgres = (await sql<{ name: string }>`SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal`.execute(postgres.db)).rows.map((r) => r.name);
  expect(onPostgres.sort()).toEqual(onSqlite.sort());
  expect(onSqlite.length).toBeGreaterThan(30);
});
