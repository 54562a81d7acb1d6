import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per run of a periodic job (app/jobs/scheduler.server.ts): a job's time is cut
  // into slots of its interval, and whoever inserts (name, slot) first runs that slot. The
  // primary key is the claim, so two processes, or a restart within a slot, never run a
  // slot twice.
  await db.schema
    .createTable("job_run")
    .addColumn("name", "text", (c) => c.notNull())
    // floor(time / interval): the slot's number
    .addColumn("slot", "integer", (c) => c.notNull())
    // Which process claimed it (host, pid and a random part: a restarted pid is another process).
    .addColumn("claimed_by", "text", (c) => c.notNull())
    .addColumn("claimed_at", "integer", (c) => c.notNull())
    // Null while running, or for ever if its process died during the run.
    .addColumn("finished_at", "integer")
    // Why the run failed; null when it did not.
    .addColumn("error", "text")
    .addPrimaryKeyConstraint("job_run_pk", ["name", "slot"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_run").execute();
}
