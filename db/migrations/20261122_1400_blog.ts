import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // What each person chose: the time zone their dates are typed in, mail for
  // mentions and replies; and the hash of the token in their private feed
  // addresses (like every link secret: a leaked backup opens no feed).
  await db.schema.alterTable("user").addColumn("time_zone", "text", (c) => c.notNull().defaultTo("Europe/Paris")).execute();
  await db.schema.alterTable("user").addColumn("mail_on_mention", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable("user").addColumn("mail_on_reply", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable("user").addColumn("feed_token_hash", "text").execute();
  await db.schema.createIndex("user_feed_token").on("user").column("feed_token_hash").unique().execute();

  await db.schema
    .createTable("post")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("excerpt", "text", (c) => c.notNull())
    // 1 while the excerpt is the content's opening words, kept in step with it; 0 once the author wrote one.
    .addColumn("excerpt_auto", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("cover_file_id", "text", (c) => c.references("file.id").onDelete("set null"))
    .addColumn("content_json", "text", (c) => c.notNull())
    .addColumn("content_html", "text", (c) => c.notNull())
    .addColumn("content_text", "text", (c) => c.notNull())
    // draft | scheduled | published | unpublished
    .addColumn("state", "text", (c) => c.notNull())
    // space | network
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("space"))
    // When a scheduled post goes out (UTC ms); the publisher flips state in one statement, so once.
    .addColumn("publish_at", "integer")
    .addColumn("published_at", "integer")
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("post_space_slug").on("post").columns(["space_id", "slug"]).unique().execute();
  await db.schema.createIndex("post_space_published").on("post").columns(["space_id", "state", "published_at"]).execute();
  await db.schema.createIndex("post_network_published").on("post").columns(["visibility", "state", "published_at"]).execute();
  await db.schema.createIndex("post_due").on("post").columns(["state", "publish_at"]).execute();

  await db.schema
    .createTable("post_revision")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("post_id", "text", (c) => c.notNull().references("post.id").onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("excerpt", "text", (c) => c.notNull())
    .addColumn("content_json", "text", (c) => c.notNull())
    .addColumn("content_text", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("post_revision_number").on("post_revision").columns(["post_id", "number"]).unique().execute();

  await db.schema
    .createTable("post_tag")
    .addColumn("post_id", "text", (c) => c.notNull().references("post.id").onDelete("cascade"))
    // The tag as it appears in addresses ("supply-chain"); label is how the author wrote it.
    .addColumn("tag", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("post_tag_pk", ["post_id", "tag"])
    .execute();
  await db.schema.createIndex("post_tag_tag").on("post_tag").column("tag").execute();

  // Files a post shows or links to (its cover included), so deleting one warns first.
  await db.schema
    .createTable("post_file")
    .addColumn("post_id", "text", (c) => c.notNull().references("post.id").onDelete("cascade"))
    .addColumn("file_id", "text", (c) => c.notNull().references("file.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("post_file_pk", ["post_id", "file_id"])
    .execute();
  await db.schema.createIndex("post_file_file").on("post_file").column("file_id").execute();

  // Comments on a post or on a wiki page, one level of replies.
  await db.schema
    .createTable("comment")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("post_id", "text", (c) => c.references("post.id").onDelete("cascade"))
    .addColumn("page_id", "text", (c) => c.references("page.id").onDelete("cascade"))
    .addColumn("parent_id", "text", (c) => c.references("comment.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("body_json", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("edited_at", "integer")
    // A deleted comment with replies stays as "comment deleted"; its body is emptied.
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addCheckConstraint("comment_one_target", sql`(post_id IS NULL) <> (page_id IS NULL)`)
    .execute();
  await db.schema.createIndex("comment_post").on("comment").columns(["post_id", "created_at"]).execute();
  await db.schema.createIndex("comment_page").on("comment").columns(["page_id", "created_at"]).execute();
  await db.schema.createIndex("comment_parent").on("comment").column("parent_id").execute();

  await db.schema
    .createTable("comment_mention")
    .addColumn("comment_id", "text", (c) => c.notNull().references("comment.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("comment_mention_pk", ["comment_id", "user_id"])
    .execute();

  // In-app notifications; mail_state carries the mail through failures (retried by housekeeping).
  await db.schema
    .createTable("notification")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    // mention | reply
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("comment_id", "text", (c) => c.notNull().references("comment.id").onDelete("cascade"))
    .addColumn("actor_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("read_at", "integer")
    // none (not wanted) | pending | sent | failed (gave up)
    .addColumn("mail_state", "text", (c) => c.notNull())
    .addColumn("mail_attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("notification_user").on("notification").columns(["user_id", "created_at"]).execute();
  await db.schema.createIndex("notification_unread").on("notification").columns(["user_id", "read_at"]).execute();
  await db.schema.createIndex("notification_mail").on("notification").column("mail_state").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notification").execute();
  await db.schema.dropTable("comment_mention").execute();
  await db.schema.dropTable("comment").execute();
  await db.schema.dropTable("post_file").execute();
  await db.schema.dropTable("post_tag").execute();
  await db.schema.dropTable("post_revision").execute();
  await db.schema.dropTable("post").execute();
  await db.schema.dropIndex("user_feed_token").execute();
  await db.schema.alterTable("user").dropColumn("feed_token_hash").execute();
  await db.schema.alterTable("user").dropColumn("mail_on_reply").execute();
  await db.schema.alterTable("user").dropColumn("mail_on_mention").execute();
  await db.schema.alterTable("user").dropColumn("time_zone").execute();
}
