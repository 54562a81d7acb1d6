import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // "Take my data with me" (issue 19): a member's export, built once in the background
  // (app/exports/job.server.ts). requested → building (claimed by one process, its claim
  // pushed forward as it writes) → ready (the zip in storage under storage_key, until
  // expires_at) or failed (with a reason). A builder that died leaves its claim to run out,
  // and the next sweep takes the export up again.
  await db.schema
    .createTable("data_export")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('requested', 'building', 'ready', 'failed')`))
    // Progress in bytes of what goes in the zip (the JSON documents, then the files).
    .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("claimed_by", "text")
    .addColumn("claimed_until", "integer")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("storage_key", "text")
    .addColumn("size", "integer")
    .addColumn("files", "integer")
    .addColumn("error", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("started_at", "integer")
    .addColumn("ready_at", "integer")
    .addColumn("expires_at", "integer")
    .addColumn("downloaded_at", "integer")
    .execute();
  // The settings page: a member's latest exports.
  await db.schema.createIndex("data_export_user").on("data_export").columns(["user_id", "created_at"]).execute();
  // One export under way per member at a time, whatever two requests racing each other do.
  await db.schema
    .createIndex("data_export_one_under_way")
    .on("data_export")
    .column("user_id")
    .unique()
    .where(sql.ref("state"), "in", sql`('requested', 'building')`)
    .execute();
  // The builder's sweep (what waits, or whose builder died) and housekeeping (what expired).
  await db.schema.createIndex("data_export_state").on("data_export").columns(["state", "claimed_until"]).execute();
  await db.schema.createIndex("data_export_expires").on("data_export").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("data_export").execute();
}
