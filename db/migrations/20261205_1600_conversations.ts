import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
//
// Private conversations (issue 16): two to twenty members, plain text with light formatting.
// Nobody outside a conversation reads it, lists it or learns it exists — network admins
// included — unless one of its members reports it: the report then carries a copy of the
// messages it was about, and nothing else.
export async function up(db: Kysely<any>): Promise<void> {
  // 1: a mail when a conversation has unread messages (one per conversation until read).
  await db.schema.alterTable("user").addColumn("mail_on_message", "integer", (c) => c.notNull().defaultTo(1)).execute();

  await db.schema
    .createTable("conversation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("last_message_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("conversation_member")
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversation.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("joined_at", "integer", (c) => c.notNull())
    // Left (or declined a contact request): the conversation is no longer theirs to read.
    .addColumn("left_at", "integer")
    .addColumn("muted", "integer", (c) => c.notNull().defaultTo(0))
    // Messages after this moment are unread for them.
    .addColumn("last_read_at", "integer", (c) => c.notNull().defaultTo(0))
    // The last mail about unread messages here: none again until they have read since.
    .addColumn("mailed_at", "integer")
    .addPrimaryKeyConstraint("conversation_member_pk", ["conversation_id", "user_id"])
    .execute();
  // "My conversations", newest first.
  await db.schema.createIndex("conversation_member_user").on("conversation_member").columns(["user_id", "left_at"]).execute();

  await db.schema
    .createTable("message")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversation.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    // Lexical JSON (the comment editor's node list), its allow-listed HTML, its plain text; emptied when deleted.
    .addColumn("body_json", "text", (c) => c.notNull())
    .addColumn("body_html", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "integer")
    .execute();
  await db.schema.createIndex("message_conversation").on("message").columns(["conversation_id", "created_at"]).execute();

  // A first message to a member one shares no club with: they accept or decline (silently).
  await db.schema
    .createTable("contact_request")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("from_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("to_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversation.id").onDelete("cascade"))
    // pending | accepted | declined
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("decided_at", "integer")
    .execute();
  // One request between two members, whichever asked: a second would be a way around a silent decline.
  await db.schema.createIndex("contact_request_pair").on("contact_request").columns(["from_id", "to_id"]).unique().execute();
  await db.schema.createIndex("contact_request_to").on("contact_request").columns(["to_id", "from_id"]).execute();
  // The daily limit counts a member's requests of the last day.
  await db.schema.createIndex("contact_request_from_time").on("contact_request").columns(["from_id", "created_at"]).execute();

  // A conversation reported to the network admins, with a copy of its messages at that moment.
  await db.schema
    .createTable("conversation_report")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.references("conversation.id").onDelete("set null"))
    .addColumn("reporter_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("handled_at", "integer")
    .addColumn("handled_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .execute();
  await db.schema
    .createTable("report_message")
    .addColumn("report_id", "text", (c) => c.notNull().references("conversation_report.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("author_name", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("report_message_pk", ["report_id", "position"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("report_message").execute();
  await db.schema.dropTable("conversation_report").execute();
  await db.schema.dropTable("contact_request").execute();
  await db.schema.dropTable("message").execute();
  await db.schema.dropTable("conversation_member").execute();
  await db.schema.dropTable("conversation").execute();
  await db.schema.alterTable("user").dropColumn("mail_on_message").execute();
}
