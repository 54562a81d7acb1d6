import { sql, type Kysely } from "kysely";
import { onPostgres } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
//
// PostgreSQL only (README, decision 120): the changes a transaction makes to searchable
// things are noted where its serializable checks do not look. Every writer indexes its own
// changes before it commits (db/transact.ts); while it found them in the shared queue
// (search_dirty, read from its end), any two writers of the same instant refused each other
// once. transact() now calls search_own_begin(), and the triggers of 20261206_0900 note
// that transaction's changes in a temporary table of its own connection
// (pg_temp.search_own, never read by another); without it (a change made outside transact(),
// a backlog) they go to search_dirty as before, for the background job. Nothing to do on
// SQLite, where one writer at a time reads the queue's end safely.
// Raw SQL: functions and triggers are not the query builder's.

/** The triggers' functions, by name: which kind of thing changed, its id, and for comments where they are found. */
const TRIGGERS: { name: string; kind: string; ref: string; from?: string }[] = [
  ...["page", "post", "workshop", "ask", "comment", "file", "message"].flatMap((table) => [
    { name: `search_${table}_insert`, kind: table, ref: "NEW.id" },
    { name: `search_${table}_delete`, kind: table, ref: "OLD.id" },
    { name: `search_${table}_update`, kind: table, ref: "NEW.id" },
  ]),
  // Who may read a comment is who may read what it is on.
  ...["page", "post", "workshop", "ask"].map((table) => ({ name: `search_${table}_comments`, kind: "comment", ref: "id", from: ` FROM comment WHERE ${table}_id = NEW.id` })),
  { name: "search_file_text_update", kind: "file", ref: "NEW.file_id" },
];

export async function up(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  // Per connection, made by the first transaction that needs it (none is ever dropped: the
  // rows are taken by the indexer before each commit, or vanish with a rollback).
  await sql`
    CREATE FUNCTION search_own_begin() RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF to_regclass('pg_temp.search_own') IS NULL THEN
        CREATE TEMPORARY TABLE search_own (kind text NOT NULL, ref_id text NOT NULL, PRIMARY KEY (kind, ref_id));
      END IF;
      PERFORM set_config('cercle.search_own', 'on', true);
    END $$`.execute(db);
  // A mark in the shared queue moves to its end (a new number), as 20261206_0900's did.
  await sql`
    CREATE FUNCTION search_changed(change_kind text, change_ref text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('cercle.search_own', true) = 'on' THEN
        INSERT INTO pg_temp.search_own (kind, ref_id) VALUES (change_kind, change_ref) ON CONFLICT DO NOTHING;
      ELSE
        INSERT INTO search_dirty (kind, ref_id) VALUES (change_kind, change_ref) ON CONFLICT (kind, ref_id) DO UPDATE SET seq = DEFAULT;
      END IF;
    END $$`.execute(db);
  for (const t of TRIGGERS) await replaceBody(db, t.name, `PERFORM search_changed('${t.kind}', ${t.ref})${t.from ?? ""};`);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!onPostgres(db)) return;
  // The statements of 20261206_0900: straight into the shared queue.
  for (const t of TRIGGERS) {
    const insert = `INSERT INTO search_dirty (kind, ref_id) ${t.from ? `SELECT '${t.kind}', ${t.ref}${t.from}` : `VALUES ('${t.kind}', ${t.ref})`}`;
    await replaceBody(db, t.name, `${insert} ON CONFLICT (kind, ref_id) DO UPDATE SET seq = DEFAULT;`);
  }
  await sql`DROP FUNCTION search_changed(text, text)`.execute(db);
  await sql`DROP FUNCTION search_own_begin()`.execute(db);
}

/** The trigger stays; its function (db/migrations/postgres.ts createTrigger's shape) runs `statement`. */
async function replaceBody(db: Kysely<any>, name: string, statement: string) {
  await sql.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${statement} RETURN NULL; END $$`).execute(db);
}
