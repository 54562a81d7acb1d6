import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // When the upload last received a byte (or was created): its reservation in the quota
  // lapses after a while without one (app/files/uploads.server.ts, UPLOAD_IDLE_MS).
  await db.schema.alterTable("upload").addColumn("active_at", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // Bytes received so far, as last recorded (for the admins' view and the free-space check).
  await db.schema.alterTable("upload").addColumn("received", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // Set once the upload has become this file: finishing is claimed once, and HEAD can still
  // name the file to a client that lost the answer. No foreign key: the row is swept a day
  // later whatever becomes of the file.
  await db.schema.alterTable("upload").addColumn("finished_file_id", "text").execute();
  await db.updateTable("upload").set({ active_at: sql`created_at` }).execute();
  await db.schema.createIndex("upload_space_user").on("upload").columns(["space_id", "user_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("upload_space_user").execute();
  await db.schema.alterTable("upload").dropColumn("finished_file_id").execute();
  await db.schema.alterTable("upload").dropColumn("received").execute();
  await db.schema.alterTable("upload").dropColumn("active_at").execute();
}
