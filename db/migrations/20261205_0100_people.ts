import { sql, type Kysely } from "kysely";
import { createTrigger, dropTrigger } from "./postgres.ts";

// Frozen once landed: later changes come as new migrations. It carries its own copies of
// the region names and of text folding, so that changing them later cannot change what it did.

const AUDIENCE_DEFAULTS: Record<string, string> = {
  vis_photo: "network",
  vis_headline: "network",
  vis_bio: "clubs",
  vis_skills: "network",
  vis_sectors: "network",
  vis_region: "network",
  vis_city: "clubs",
  vis_status: "network",
  vis_languages: "network",
  vis_links: "clubs",
  vis_open_to: "network",
  vis_email: "me",
};

const REGION_NAMES: Record<string, string> = {
  "auvergne rhone alpes": "ara",
  "bourgogne franche comte": "bfc",
  bretagne: "bre",
  "centre val de loire": "cvl",
  corse: "cor",
  "grand est": "ges",
  "hauts de france": "hdf",
  "ile de france": "idf",
  normandie: "nor",
  "nouvelle aquitaine": "naq",
  occitanie: "occ",
  "pays de la loire": "pdl",
  "provence alpes cote d azur": "pac",
  guadeloupe: "gua",
  martinique: "mtq",
  guyane: "guf",
  "la reunion": "reu",
  reunion: "reu",
  mayotte: "myt",
};

const words = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
const searchable = (text: string) => (words(text) ? ` ${words(text)}` : "");
const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A plain-text bio as the comment editor's Lexical JSON: one paragraph per line. */
function bioDocument(text: string): { json: string; html: string } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const format = { direction: null, format: "", indent: 0, version: 1 };
  const paragraphs = lines.map((line) => ({
    type: "paragraph",
    ...format,
    textFormat: 0,
    textStyle: "",
    children: [{ type: "text", text: line, format: 0, style: "", mode: "normal", detail: 0, version: 1 }],
  }));
  return {
    json: JSON.stringify({ root: { type: "root", ...format, children: paragraphs } }),
    // As the comment profile renders a paragraph (app/editor/content.server.ts).
    html: lines.map((l) => `<p class="rt-p">${escapeHtml(l)}</p>`).join(""),
  };
}

export async function up(db: Kysely<any>): Promise<void> {
  const add = (column: string, type: "text" | "integer", build: (c: any) => any) => db.schema.alterTable("user").addColumn(column, type, build).execute();
  await add("bio_html", "text", (c) => c.notNull().defaultTo(""));
  await add("city", "text", (c) => c.notNull().defaultTo(""));
  await add("sectors", "text", (c) => c.notNull().defaultTo("[]"));
  await add("languages", "text", (c) => c.notNull().defaultTo("[]"));
  await add("website", "text", (c) => c.notNull().defaultTo(""));
  await add("linkedin", "text", (c) => c.notNull().defaultTo(""));
  await add("open_to", "integer", (c) => c.notNull().defaultTo(0));
  await add("available_from", "text", (c) => c);
  await add("photo_id", "text", (c) => c);
  await add("name_search", "text", (c) => c.notNull().defaultTo(""));
  await add("headline_search", "text", (c) => c.notNull().defaultTo(""));
  await add("skills_search", "text", (c) => c.notNull().defaultTo(""));
  await add("listing", "text", (c) => c.notNull().defaultTo("network"));
  for (const [column, audience] of Object.entries(AUDIENCE_DEFAULTS)) await add(column, "text", (c) => c.notNull().defaultTo(audience));

  // A member's skills, one row each, by folded key: the directory's skill filter and facet, and
  // the suggestions, read them through (skill_key, user_id).
  await db.schema
    .createTable("user_skill")
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("skill_key", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_skill_pk", ["user_id", "skill_key"])
    .execute();
  await db.schema.createIndex("user_skill_key").on("user_skill").columns(["skill_key", "user_id"]).execute();
  // The directory sorted by name or by arrival, a page at a time.
  await db.schema.createIndex("user_name_search").on("user").columns(["name_search", "id"]).execute();
  await db.schema.createIndex("user_created").on("user").columns(["created_at", "id"]).execute();

  // The directory is read from an index each server process keeps in memory
  // (app/people/directory-index.server.ts); this counter says when to read it again. Triggers
  // raise it with every change the index holds, whichever code path writes it, in the writer's
  // transaction. Raw SQL: Kysely's schema builder has no triggers; PostgreSQL gets its own.
  await db.schema
    .createTable("directory_version")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();
  await db.insertInto("directory_version").values({ id: 1, version: 0 }).execute();
  const bump = "UPDATE directory_version SET version = version + 1 WHERE id = 1;";
  const indexed = ["display_name", "name_search", "headline", "headline_search", "skills", "skills_search", "region", "city", "professional_status", "open_to", "available_from", "photo_id", "listing", "created_at", ...Object.keys(AUDIENCE_DEFAULTS)];
  await createTrigger(db, "directory_user_insert", `AFTER INSERT ON "user"`, bump);
  await createTrigger(db, "directory_user_delete", `AFTER DELETE ON "user"`, bump);
  await createTrigger(db, "directory_user_update", `AFTER UPDATE OF ${indexed.join(", ")} ON "user"`, bump);
  for (const table of ["space_member", "user_skill"]) {
    await createTrigger(db, `directory_${table}_insert`, `AFTER INSERT ON ${table}`, bump);
    await createTrigger(db, `directory_${table}_delete`, `AFTER DELETE ON ${table}`, bump);
  }

  // What was there: free-text regions become codes (or the city when they name none), plain-text
  // bios become documents, and every name, headline and skill list gets its searchable form.
  const users = await db.selectFrom("user").select(["id", "display_name", "headline", "bio", "skills", "region"]).execute();
  for (const u of users) {
    const skills: string[] = (() => {
      try {
        const parsed = JSON.parse(u.skills);
        return Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === "string") : [];
      } catch {
        return [];
      }
    })();
    const seen = new Set<string>();
    let position = 0;
    for (const label of skills) {
      const key = words(label);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      await db.insertInto("user_skill").values({ user_id: u.id, skill_key: key, label: label.trim(), position: position++ }).execute();
    }
    const region = REGION_NAMES[words(u.region)] ?? "";
    const city = region || !u.region.trim() ? "" : u.region.trim();
    const bio = u.bio.trim() ? bioDocument(u.bio) : { json: "", html: "" };
    await db
      .updateTable("user")
      .set({
        region,
        city,
        bio: bio.json,
        bio_html: bio.html,
        name_search: searchable(u.display_name),
        headline_search: searchable(u.headline),
        skills_search: [...seen].map((k) => ` ${k}`).join(""),
      })
      .where("id", "=", u.id)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [trigger, table] of [
    ["directory_user_insert", `"user"`],
    ["directory_user_delete", `"user"`],
    ["directory_user_update", `"user"`],
    ["directory_space_member_insert", "space_member"],
    ["directory_space_member_delete", "space_member"],
    ["directory_user_skill_insert", "user_skill"],
    ["directory_user_skill_delete", "user_skill"],
  ]) {
    await dropTrigger(db, trigger, table);
  }
  await db.schema.dropTable("directory_version").execute();
  await db.schema.dropIndex("user_created").execute();
  await db.schema.dropIndex("user_name_search").execute();
  await db.schema.dropTable("user_skill").execute();
  const columns = ["bio_html", "city", "sectors", "languages", "website", "linkedin", "open_to", "available_from", "photo_id", "name_search", "headline_search", "skills_search", "listing", ...Object.keys(AUDIENCE_DEFAULTS)];
  for (const column of columns) await db.schema.alterTable("user").dropColumn(column).execute();
}
