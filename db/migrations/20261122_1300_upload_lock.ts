import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // tus's lock on an upload, shared by every worker process (app/files/upload-locker.server.ts):
  // a row while a request works on the upload. Its holder pushes expires_at forward while alive;
  // past it the holder is presumed dead and the lock is free. No foreign key: tus locks an id
  // before and after the upload row exists.
  await db.schema
    .createTable("upload_lock")
    .addColumn("upload_id", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("acquired_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    // Set by a request waiting for the lock: the holder then winds its own request down.
    .addColumn("release_requested_at", "integer")
    .execute();
  await db.schema.createIndex("upload_lock_expiry").on("upload_lock").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("upload_lock").execute();
}
