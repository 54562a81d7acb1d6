import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Issue 20, passkeys (WebAuthn): an account's registered credentials. credential_id is the
  // authenticator's own id (base64url), unique across accounts: a sign-in without an email finds
  // the account by it. counter is the authenticator's signature counter (a regression means a
  // cloned key: refused); backed_up / device_type say whether it is synced (a "multi-device" key).
  await db.schema
    .createTable("passkey")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("credential_id", "text", (c) => c.notNull().unique())
    .addColumn("public_key", "blob", (c) => c.notNull())
    .addColumn("counter", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("transports", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("device_type", "text", (c) => c.notNull())
    .addColumn("backed_up", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("last_used_at", "integer")
    .execute();
  await db.schema.createIndex("passkey_user").on("passkey").column("user_id").execute();
  // A WebAuthn challenge the server made, until the browser's answer uses it (once: it is deleted
  // then) or it expires. Its id travels in an httpOnly cookie of the browser that asked, so an
  // answer is only checked against the challenge that browser was given, never one it sends.
  await db.schema
    .createTable("webauthn_challenge")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("challenge", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.references("user.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('register', 'sign_in', 'second_factor', 'enroll')`))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("webauthn_challenge_expires").on("webauthn_challenge").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("webauthn_challenge").execute();
  await db.schema.dropTable("passkey").execute();
}
