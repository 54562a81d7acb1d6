import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
//
// Several application servers on one PostgreSQL database (issue 21): a server
// sees the others only through the database, so the process of each server that
// runs the periodic jobs (its primary) keeps a row here while it lives
// (app/servers/presence.server.ts). At start a server reads the rows of the
// others to refuse a set-up that cannot work (files on one machine's disk that
// the other servers cannot read). Made on both engines so the schema is one,
// though only PostgreSQL servers write it: SQLite's worker processes on one
// machine are one server.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("app_server")
    // The same id as the scheduler's claims in job_run.claimed_by (host, pid and a random part).
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("pid", "integer", (c) => c.notNull())
    // STORAGE_DRIVER: 'local' or 's3'.
    .addColumn("storage_driver", "text", (c) => c.notNull())
    .addColumn("started_at", "integer", (c) => c.notNull())
    // Pushed forward on a timer; a server not seen for a while is taken for dead.
    .addColumn("seen_at", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("app_server").execute();
}
