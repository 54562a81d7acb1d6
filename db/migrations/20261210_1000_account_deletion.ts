import { sql, type Kysely } from "kysely";
import { createTrigger, dropTrigger } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Leaving the network (issue 19). A member asks to delete their account: the request's time,
  // the day it is carried out (14 days later; signing in before then cancels it) and their choice
  // for what they wrote — "anonymise" (kept, under "Former member") or "remove" (what is theirs
  // alone goes). The row stays once carried out (deleted_at): co-optation records and the audit
  // name accounts by id, and invitations a member sent cascade from their sponsor.
  await db.schema.alterTable("user").addColumn("deletion_requested_at", "integer").execute();
  await db.schema.alterTable("user").addColumn("deletion_due_at", "integer").execute();
  await db.schema
    .alterTable("user")
    .addColumn("deletion_mode", "text", (c) => c.check(sql`deletion_mode in ('anonymise', 'remove')`))
    .execute();
  await db.schema.alterTable("user").addColumn("deleted_at", "integer").execute();
  // The job looks for what is due.
  await db.schema.createIndex("user_deletion_due").on("user").column("deletion_due_at").where(sql.ref("deletion_due_at"), "is not", null).execute();
  // What a member wrote, found without reading every revision, comment and version: the settings
  // page counts it, and a deletion removes or anonymises it.
  await db.schema.createIndex("page_revision_author").on("page_revision").column("author_id").execute();
  await db.schema.createIndex("comment_author").on("comment").column("author_id").execute();
  await db.schema.createIndex("file_version_uploader").on("file_version").column("uploaded_by").execute();
  await db.schema.createIndex("post_author").on("post").column("author_id").execute();

  // A profile leaves the directory the moment its deletion is asked for (and comes back if it is
  // cancelled): the directory's index (migration 20261205_0100) is read again when these change.
  // The new listing "hidden" (in no directory, no skill search) needs no column: `listing` is free
  // text read through db/profile-fields.ts LISTINGS, and its changes already raise the version.
  // Raw SQL: Kysely's schema builder has no triggers; PostgreSQL gets its own.
  await createTrigger(db, "directory_user_leaving", `AFTER UPDATE OF deletion_due_at, deleted_at ON "user"`, "UPDATE directory_version SET version = version + 1 WHERE id = 1;");
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropTrigger(db, "directory_user_leaving", `"user"`);
  for (const index of ["post_author", "file_version_uploader", "comment_author", "page_revision_author", "user_deletion_due"]) await db.schema.dropIndex(index).execute();
  await db.updateTable("user").set({ listing: "clubs" }).where("listing", "=", "hidden").execute();
  for (const column of ["deleted_at", "deletion_mode", "deletion_due_at", "deletion_requested_at"]) await db.schema.alterTable("user").dropColumn(column).execute();
}
