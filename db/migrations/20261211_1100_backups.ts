import { type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Each backup taken (npm run backup, or the primary's scheduled one; issue 20): its end, where it
  // went and what it held, so /healthz and the network admin can say when the last good one was.
  // job_run alone does not: the command-line backups are no job, and a run's row says nothing of its size.
  await db.schema
    .createTable("backup_run")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("started_at", "integer", (c) => c.notNull())
    .addColumn("finished_at", "integer", (c) => c.notNull())
    .addColumn("ok", "integer", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("database_bytes", "integer")
    .addColumn("object_count", "integer")
    .addColumn("object_bytes", "integer")
    .addColumn("error", "text")
    .execute();
  await db.schema.createIndex("backup_run_finished").on("backup_run").columns(["ok", "finished_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("backup_run").execute();
}
