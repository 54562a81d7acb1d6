import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // The home (issue 18) marks what is new since the member's previous visit: home_visit_at is
  // the latest visit, home_seen_at the moment before which everything counts as seen. Both null
  // until the first visit.
  await db.schema.alterTable("user").addColumn("home_visit_at", "integer").execute();
  await db.schema.alterTable("user").addColumn("home_seen_at", "integer").execute();
  // The home's sources read each club newest first: files by their last change, members by
  // arrival; the mentions waiting for a member by person.
  await db.schema.createIndex("file_recent").on("file").columns(["space_id", "updated_at"]).execute();
  await db.schema.createIndex("space_member_joined").on("space_member").columns(["space_id", "joined_at"]).execute();
  await db.schema.createIndex("comment_mention_user").on("comment_mention").columns(["user_id", "comment_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("comment_mention_user").execute();
  await db.schema.dropIndex("space_member_joined").execute();
  await db.schema.dropIndex("file_recent").execute();
  await db.schema.alterTable("user").dropColumn("home_seen_at").execute();
  await db.schema.alterTable("user").dropColumn("home_visit_at").execute();
}
