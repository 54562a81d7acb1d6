import { sql, type Kysely } from "kysely";
import { orEmpty } from "../dialect.ts";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("folder")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("parent_id", "text", (c) => c.references("folder.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    // The name folded (NFC, lower case): two live names in a folder may not fold alike.
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    // Set on what went to the trash because a folder above it did: restoring that folder brings it back.
    .addColumn("trashed_with", "text")
    .execute();
  await sql`CREATE UNIQUE INDEX folder_live_name ON folder (space_id, ${orEmpty(db, sql.raw("parent_id"))}, name_key) WHERE deleted_at IS NULL`.execute(db);
  await db.schema.createIndex("folder_trash").on("folder").columns(["space_id", "deleted_at"]).execute();

  await db.schema
    .createTable("file")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("folder_id", "text", (c) => c.references("folder.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull())
    // The current version's facts, kept on the file so a listing reads one row per file.
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("has_thumbnail", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("trashed_with", "text")
    .execute();
  await sql`CREATE UNIQUE INDEX file_live_name ON file (space_id, ${orEmpty(db, sql.raw("folder_id"))}, name_key) WHERE deleted_at IS NULL`.execute(db);
  await db.schema.createIndex("file_folder").on("file").columns(["space_id", "folder_id"]).execute();
  await db.schema.createIndex("file_trash").on("file").columns(["space_id", "deleted_at"]).execute();

  await db.schema
    .createTable("file_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("file_id", "text", (c) => c.notNull().references("file.id").onDelete("cascade"))
    // Repeated from the file so a space's usage is one indexed sum.
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    // Sniffed from the bytes on the server, never taken from the client.
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("thumbnail_key", "text")
    .addColumn("original_name", "text", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("file_version_number").on("file_version").columns(["file_id", "number"]).unique().execute();
  await db.schema.createIndex("file_version_space").on("file_version").column("space_id").execute();
  await db.schema.createIndex("file_version_key").on("file_version").column("storage_key").unique().execute();

  // Resumable uploads under way: who may continue them, where they go, and
  // the room they hold in the quota until they finish or expire.
  await db.schema
    .createTable("upload")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("folder_id", "text", (c) => c.references("folder.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    // Set when the upload is a new version of this file.
    .addColumn("file_id", "text", (c) => c.references("file.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("upload_space").on("upload").column("space_id").execute();
  await db.schema.createIndex("upload_expiry").on("upload").column("expires_at").execute();

  // Files that wiki pages show or link to, so deleting one warns first.
  await db.schema
    .createTable("page_file")
    .addColumn("page_id", "text", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("file_id", "text", (c) => c.notNull().references("file.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("page_file_pk", ["page_id", "file_id"])
    .execute();
  await db.schema.createIndex("page_file_file").on("page_file").column("file_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("page_file").execute();
  await db.schema.dropTable("upload").execute();
  await db.schema.dropTable("file_version").execute();
  await db.schema.dropTable("file").execute();
  await db.schema.dropTable("folder").execute();
}
