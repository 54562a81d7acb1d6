import { sql, type Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  // Links that show one file or one wiki page to an outsider for a while (issue 19). Off until a
  // space's admins allow them. The token itself is never stored, only its SHA-256 (as sessions).
  await db.schema.alterTable("space").addColumn("share_links", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable("share_link")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('file', 'page')`))
    .addColumn("item_id", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .addColumn("revoked_at", "integer")
    .addColumn("revoked_by", "text")
    .addColumn("open_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_opened_at", "integer")
    .execute();
  // The links of one item (its page lists them) and of one space (its admins' list).
  await db.schema.createIndex("share_link_item").on("share_link").columns(["space_id", "kind", "item_id"]).execute();
  await db.schema.createIndex("share_link_expires").on("share_link").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("share_link").execute();
  await db.schema.alterTable("space").dropColumn("share_links").execute();
}
