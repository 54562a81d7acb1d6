import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Issue 20: a second factor at sign-in. The network may require one of its admins (network and space).
  await db.schema.alterTable("network").addColumn("second_factor_required", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // A failed authenticator or recovery code counts in the sign-in throttle like a wrong password, and
  // also against its own per-account limit ("second_factor"), which a known device does not escape.
  await db.schema
    .alterTable("sign_in_attempt")
    .addColumn("factor", "text", (c) => c.notNull().defaultTo("password").check(sql`factor in ('password', 'second_factor')`))
    .execute();
  // The authenticator (TOTP, RFC 6238) of an account: one at most. The secret has to be kept readable
  // (the server computes the codes); confirmed_at is null while its setup waits for a first code.
  // last_step is the last time step accepted, so a code is not accepted twice.
  await db.schema
    .createTable("totp_factor")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("user.id").onDelete("cascade"))
    .addColumn("secret", "blob", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("confirmed_at", "integer")
    .addColumn("last_step", "integer")
    .execute();
  // Single-use recovery codes, stored as SHA-256 (they are long random strings, as link secrets).
  await db.schema
    .createTable("recovery_code")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("used_at", "integer")
    .execute();
  await db.schema.createIndex("recovery_code_user").on("recovery_code").columns(["user_id", "code_hash"]).execute();
  // Between a right password and the second factor (or the setup of one the network requires): no
  // session yet, only this short-lived, single-use state, named by a cookie holding its secret.
  await db.schema
    .createTable("sign_in_challenge")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('verify', 'enroll')`))
    .addColumn("redirect_to", "text", (c) => c.notNull().defaultTo("/"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sign_in_challenge_user").on("sign_in_challenge").column("user_id").execute();
  await db.schema.createIndex("sign_in_challenge_expires").on("sign_in_challenge").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("sign_in_challenge").execute();
  await db.schema.dropTable("recovery_code").execute();
  await db.schema.dropTable("totp_factor").execute();
  await db.schema.alterTable("sign_in_attempt").dropColumn("factor").execute();
  await db.schema.alterTable("network").dropColumn("second_factor_required").execute();
}
