import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("network")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("default_locale", "text", (c) => c.notNull().defaultTo("fr"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("setup_token")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("user")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("is_network_admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("headline", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("bio", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("skills", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("region", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("professional_status", "text")
    .addColumn("locale", "text")
    .addColumn("sponsor_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("session")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("secret_hash", "blob", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("last_seen_at", "integer", (c) => c.notNull())
    .addColumn("user_agent", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("ip", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("session_user").on("session").column("user_id").execute();

  await db.schema
    .createTable("password_reset")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("used_at", "integer")
    .addColumn("superseded_at", "integer")
    .execute();

  await db.schema
    .createTable("sign_in_attempt")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("ip", "text", (c) => c.notNull())
    .addColumn("succeeded", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sign_in_attempt_email").on("sign_in_attempt").columns(["email", "created_at"]).execute();
  await db.schema.createIndex("sign_in_attempt_ip").on("sign_in_attempt").columns(["ip", "created_at"]).execute();

  await db.schema
    .createTable("space")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("visibility", "text", (c) => c.notNull())
    .addColumn("join_policy", "text", (c) => c.notNull())
    .addColumn("storage_quota_bytes", "integer", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("archived_at", "integer")
    .execute();

  await db.schema
    .createTable("space_member")
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("sponsor_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("joined_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("space_member_pk", ["space_id", "user_id"])
    .execute();
  await db.schema.createIndex("space_member_user").on("space_member").column("user_id").execute();

  await db.schema
    .createTable("invitation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("sponsor_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.unique())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer")
    .addColumn("decided_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("decided_at", "integer")
    .addColumn("refusal_reason", "text")
    .addColumn("accepted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("accepted_at", "integer")
    .execute();
  await db.schema.createIndex("invitation_space").on("invitation").columns(["space_id", "status"]).execute();

  await db.schema
    .createTable("join_request")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("decided_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("decided_at", "integer")
    .addColumn("refusal_reason", "text")
    .execute();
  await db.schema.createIndex("join_request_space").on("join_request").columns(["space_id", "status"]).execute();
  // One pending request per person and space.
  await sql`CREATE UNIQUE INDEX join_request_pending ON join_request (space_id, user_id) WHERE status = 'pending'`.execute(db);

  await db.schema
    .createTable("activity")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("actor_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("verb", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("activity_space_time").on("activity").columns(["space_id", "created_at"]).execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("actor_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("space_id", "text", (c) => c.references("space.id").onDelete("set null"))
    .addColumn("target_user_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("data", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("ip", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_log_time").on("audit_log").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "audit_log",
    "activity",
    "join_request",
    "invitation",
    "space_member",
    "space",
    "sign_in_attempt",
    "password_reset",
    "session",
    "user",
    "setup_token",
    "network",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
