import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // A browser that has signed in to an account (OWASP's "device cookie"): the
  // cookie holds a random secret, the row only its SHA-256. Failures by others
  // never lock a known device out of its own account; its own failures are
  // counted on it. A browser used for several accounts has one row per account.
  await db.schema
    .createTable("known_device")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("last_used_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("known_device_token_user").unique().on("known_device").columns(["token_hash", "user_id"]).execute();
  await db.schema.createIndex("known_device_user").on("known_device").column("user_id").execute();
  await db.schema.createIndex("known_device_last_used").on("known_device").column("last_used_at").execute();

  // Which known device made an attempt (null: a browser unknown to that account).
  // No foreign key: attempts outlive the devices a password change forgets.
  await db.schema.alterTable("sign_in_attempt").addColumn("device_id", "text").execute();
  await db.schema.createIndex("sign_in_attempt_device").on("sign_in_attempt").columns(["device_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("sign_in_attempt_device").execute();
  await db.schema.alterTable("sign_in_attempt").dropColumn("device_id").execute();
  await db.schema.dropTable("known_device").execute();
}
