import type { Kysely } from "kysely";

// Frozen once landed: later changes come as new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("page")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("parent_id", "text", (c) => c.references("page.id").onDelete("set null"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    // The title folded (lower case, no accents) for accent-insensitive search.
    .addColumn("title_search", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    // The current revision's content, kept on the page so a view reads one row.
    .addColumn("content_json", "text", (c) => c.notNull())
    .addColumn("content_html", "text", (c) => c.notNull())
    .addColumn("content_text", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("deleted_at", "integer")
    .addColumn("deleted_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .execute();
  await db.schema.createIndex("page_space_slug").on("page").columns(["space_id", "slug"]).unique().execute();
  await db.schema.createIndex("page_tree").on("page").columns(["space_id", "parent_id", "position"]).execute();
  await db.schema.createIndex("page_recent").on("page").columns(["space_id", "updated_at"]).execute();

  await db.schema
    .createTable("page_revision")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("page_id", "text", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("content_json", "text", (c) => c.notNull())
    .addColumn("content_text", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("author_id", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("page_revision_number").on("page_revision").columns(["page_id", "number"]).unique().execute();

  await db.schema
    .createTable("page_link")
    .addColumn("from_page_id", "text", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addColumn("to_page_id", "text", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("page_link_pk", ["from_page_id", "to_page_id"])
    .execute();
  await db.schema.createIndex("page_link_to").on("page_link").column("to_page_id").execute();

  // Former addresses of renamed pages, so bookmarks and open editors still reach them.
  await db.schema
    .createTable("page_alias")
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("page_id", "text", (c) => c.notNull().references("page.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("page_alias_pk", ["space_id", "slug"])
    .execute();

  // Images inserted in pages, until the space's files take over.
  await db.schema
    .createTable("wiki_image")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("space_id", "text", (c) => c.notNull().references("space.id").onDelete("cascade"))
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.references("user.id").onDelete("set null"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("wiki_image").execute();
  await db.schema.dropTable("page_alias").execute();
  await db.schema.dropTable("page_link").execute();
  await db.schema.dropTable("page_revision").execute();
  await db.schema.dropTable("page").execute();
}
