import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import { prepared, preparedFirst } from "../prepared.ts";
import type { Page } from "../schema.ts";
import { fold } from "../text.ts";

/** What the server derived from a document: stored beside its Lexical JSON. */
export interface DerivedContent {
  json: string;
  html: string;
  text: string;
}


/** A live page by its current address. Compiled once (db/prepared.ts): every page view runs it. */
export const findBySlug = preparedFirst((db, spaceId: string, slug: string) =>
  db.selectFrom("page").selectAll().where("space_id", "=", spaceId).where("slug", "=", slug).where("deleted_at", "is", null),
);

/**
 * A live page by its address, or by a former address it had before a
 * rename; `moved` tells which, so views can redirect to the current one.
 */
export async function findBySlugOrAlias(db: Executor, spaceId: string, slug: string) {
  const page = await findBySlug(db, spaceId, slug);
  if (page) return { page, moved: false };
  const alias = await db
    .selectFrom("page_alias as a")
    .innerJoin("page as p", "p.id", "a.page_id")
    .selectAll("p")
    .where("a.space_id", "=", spaceId)
    .where("a.slug", "=", slug)
    .where("p.deleted_at", "is", null)
    .executeTakeFirst();
  return alias ? { page: alias, moved: true } : undefined;
}

/** An address now taken by a page is nobody's alias any more. */
async function claimSlug(db: Executor, spaceId: string, slug: string) {
  await db.deleteFrom("page_alias").where("space_id", "=", spaceId).where("slug", "=", slug).execute();
}

/** A page of this space (trashed or not), or undefined: ids from a request never reach another space. */
export function findInSpace(db: Executor, spaceId: string, id: string) {
  return db.selectFrom("page").selectAll().where("space_id", "=", spaceId).where("id", "=", id).executeTakeFirst();
}

/** Who started a page: the one told of comments on "their" page (a wiki page is everyone's to edit). */
export async function creatorOf(db: Executor, pageId: string): Promise<string | null> {
  return (await db.selectFrom("page").select("created_by").where("id", "=", pageId).executeTakeFirst())?.created_by ?? null;
}

/** For /pages/:id links: the page and its space's slug. */
export function findWithSpace(db: Executor, id: string) {
  return db
    .selectFrom("page")
    .innerJoin("space", "space.id", "page.space_id")
    .select(["page.id", "page.slug", "page.space_id", "page.deleted_at", "space.slug as space_slug"])
    .where("page.id", "=", id)
    .executeTakeFirst();
}

/** "Compte rendu" → "compte-rendu", or "compte-rendu-2" when taken in this space (trash included). */
export async function uniqueSlug(db: Executor, spaceId: string, base: string, exceptId?: string): Promise<string> {
  const root = base || "page";
  const rows = await db
    .selectFrom("page")
    .select("slug")
    .where("space_id", "=", spaceId)
    .where((eb) => eb.or([eb("slug", "=", root), eb("slug", "like", `${root}-%`)]))
    .$if(exceptId !== undefined, (q) => q.where("id", "!=", exceptId!))
    .execute();
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(root)) return root;
  for (let n = 2; ; n++) if (!taken.has(`${root}-${n}`)) return `${root}-${n}`;
}

async function nextPosition(db: Executor, spaceId: string, parentId: string | null) {
  const row = await db
    .selectFrom("page")
    .select((eb) => eb.fn.max("position").as("max"))
    .where("space_id", "=", spaceId)
    .where((eb) => (parentId === null ? eb("parent_id", "is", null) : eb("parent_id", "=", parentId)))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

async function addRevision(
  db: Executor,
  input: { pageId: string; number: number; title: string; content: DerivedContent; summary: string; authorId: string; now: number },
) {
  await db
    .insertInto("page_revision")
    .values({
      id: newId(),
      page_id: input.pageId,
      number: input.number,
      title: input.title,
      content_json: input.content.json,
      content_text: input.content.text,
      summary: input.summary,
      author_id: input.authorId,
      created_at: input.now,
    })
    .execute();
}

export async function createPage(
  db: Executor,
  input: {
    spaceId: string;
    parentId: string | null;
    title: string;
    slug: string;
    content: DerivedContent;
    summary: string;
    authorId: string;
    now: number;
  },
): Promise<Page> {
  const page: Page = {
    id: newId(),
    space_id: input.spaceId,
    parent_id: input.parentId,
    slug: input.slug,
    title: input.title,
    title_search: fold(input.title),
    position: await nextPosition(db, input.spaceId, input.parentId),
    content_json: input.content.json,
    content_html: input.content.html,
    content_text: input.content.text,
    revision: 1,
    created_by: input.authorId,
    created_at: input.now,
    updated_by: input.authorId,
    updated_at: input.now,
    deleted_at: null,
    deleted_by: null,
  };
  await claimSlug(db, input.spaceId, input.slug);
  await db.insertInto("page").values(page).execute();
  await addRevision(db, { pageId: page.id, number: 1, title: page.title, content: input.content, summary: input.summary, authorId: input.authorId, now: input.now });
  return page;
}

/**
 * A new revision, only if the page is still at `baseRevision`: a save made on
 * top of an outdated revision returns "conflict" and writes nothing.
 */
export async function savePage(
  db: Executor,
  input: {
    pageId: string;
    baseRevision: number;
    title: string;
    slug: string;
    content: DerivedContent;
    summary: string;
    authorId: string;
    now: number;
  },
): Promise<{ ok: true; revision: number } | { ok: false; reason: "conflict" }> {
  const revision = input.baseRevision + 1;
  const before = await db.selectFrom("page").select(["space_id", "slug"]).where("id", "=", input.pageId).executeTakeFirst();
  const result = await db
    .updateTable("page")
    .set({
      title: input.title,
      title_search: fold(input.title),
      slug: input.slug,
      content_json: input.content.json,
      content_html: input.content.html,
      content_text: input.content.text,
      revision,
      updated_by: input.authorId,
      updated_at: input.now,
    })
    .where("id", "=", input.pageId)
    .where("revision", "=", input.baseRevision)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: "conflict" };
  if (before && before.slug !== input.slug) {
    await claimSlug(db, before.space_id, input.slug);
    await db
      .insertInto("page_alias")
      .values({ space_id: before.space_id, slug: before.slug, page_id: input.pageId })
      .onConflict((oc) => oc.columns(["space_id", "slug"]).doUpdateSet({ page_id: input.pageId }))
      .execute();
  }
  await addRevision(db, { pageId: input.pageId, number: revision, title: input.title, content: input.content, summary: input.summary, authorId: input.authorId, now: input.now });
  return { ok: true, revision };
}

/** Replaces the page's outgoing links; targets outside its space (or itself) are ignored. */
export async function setLinks(db: Executor, page: { id: string; space_id: string }, targetIds: string[]) {
  await db.deleteFrom("page_link").where("from_page_id", "=", page.id).execute();
  const wanted = [...new Set(targetIds)].filter((id) => id !== page.id);
  if (wanted.length === 0) return;
  const targets = await db
    .selectFrom("page")
    .select("id")
    .where("space_id", "=", page.space_id)
    .where("id", "in", wanted)
    .execute();
  if (targets.length === 0) return;
  await db
    .insertInto("page_link")
    .values(targets.map((t) => ({ from_page_id: page.id, to_page_id: t.id })))
    .execute();
}

/** One level of the tree, without content: for the tree view, loaded as it is opened. */
function children(db: Executor, spaceId: string) {
  return db
    .selectFrom("page as p")
    .select(["p.id", "p.title", "p.slug", "p.position"])
    .select((eb) =>
      eb
        .selectFrom("page as c")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("c.parent_id", "=", "p.id")
        .where("c.deleted_at", "is", null)
        .as("child_count"),
    )
    .where("p.space_id", "=", spaceId)
    .where("p.deleted_at", "is", null)
    .orderBy("p.position")
    .orderBy("p.title");
}

// Compiled once (db/prepared.ts): every page view lists its children.
const childrenOf = prepared((db, spaceId: string, parentId: string) => children(db, spaceId).where("p.parent_id", "=", parentId));
const topLevel = prepared((db, spaceId: string) => children(db, spaceId).where("p.parent_id", "is", null));

export function listChildren(db: Executor, spaceId: string, parentId: string | null) {
  return parentId === null ? topLevel(db, spaceId) : childrenOf(db, spaceId, parentId);
}

/** The chain of parents, root first, for the breadcrumb. */
export async function ancestors(db: Executor, page: { parent_id: string | null }) {
  if (!page.parent_id) return [];
  // Depth is bounded only by the tree itself: moves never make a cycle (isSelfOrDescendant).
  const result = await sql<{ id: string; title: string; slug: string; depth: number }>`
    WITH RECURSIVE chain(id, parent_id, title, slug, depth) AS (
      SELECT id, parent_id, title, slug, 0 FROM page WHERE id = ${page.parent_id}
      UNION ALL
      SELECT p.id, p.parent_id, p.title, p.slug, chain.depth + 1 FROM page p JOIN chain ON p.id = chain.parent_id
      WHERE chain.depth < 100000
    )
    SELECT id, title, slug, depth FROM chain ORDER BY depth DESC`.execute(db);
  return result.rows;
}

/** Whether `candidateId` is `pageId` itself or lies below it: moving a page there would make a loop. */
export async function isSelfOrDescendant(db: Executor, pageId: string, candidateId: string): Promise<boolean> {
  if (pageId === candidateId) return true;
  // UNION (not UNION ALL) ends the walk even if a cycle ever existed; there is no depth cap to slip past.
  const result = await sql<{ found: number }>`
    WITH RECURSIVE up(id, parent_id) AS (
      SELECT id, parent_id FROM page WHERE id = ${candidateId}
      UNION
      SELECT p.id, p.parent_id FROM page p JOIN up ON p.id = up.parent_id
    )
    SELECT 1 AS found FROM up WHERE id = ${pageId} LIMIT 1`.execute(db);
  return result.rows.length > 0;
}

/** Pages (not in the trash) that link to this one. */
/** Compiled once (db/prepared.ts): every page view lists its backlinks. */
export const backlinks = prepared((db, pageId: string) =>
  db
    .selectFrom("page_link as l")
    .innerJoin("page as p", "p.id", "l.from_page_id")
    .select(["p.id", "p.title", "p.slug"])
    .where("l.to_page_id", "=", pageId)
    .where("p.deleted_at", "is", null)
    .orderBy("p.title"),
);

export function listRecent(db: Executor, spaceId: string, limit = 10) {
  return db
    .selectFrom("page as p")
    .leftJoin("user as u", "u.id", "p.updated_by")
    .select(["p.id", "p.title", "p.slug", "p.updated_at", "u.display_name as editor_name"])
    .where("p.space_id", "=", spaceId)
    .where("p.deleted_at", "is", null)
    .orderBy("p.updated_at", "desc")
    .limit(limit)
    .execute();
}

/** Titles containing the query, ignoring case and accents ("ecole" finds "École"). */
export function searchTitles(db: Executor, spaceId: string, query: string, limit = 8) {
  // A NUL is in no title (the form refuses control characters), and PostgreSQL cannot take one as a parameter.
  const escaped = fold(query).replaceAll("\u0000", "").replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .selectFrom("page")
    .select(["id", "title", "slug"])
    .where("space_id", "=", spaceId)
    .where("deleted_at", "is", null)
    .where(sql<boolean>`title_search LIKE ${`%${escaped}%`} ESCAPE '\\'`)
    .orderBy("updated_at", "desc")
    .limit(limit)
    .execute();
}

export function listRevisions(db: Executor, pageId: string) {
  return db
    .selectFrom("page_revision as r")
    .leftJoin("user as u", "u.id", "r.author_id")
    .select(["r.number", "r.title", "r.summary", "r.created_at", "u.display_name as author_name"])
    .where("r.page_id", "=", pageId)
    .orderBy("r.number", "desc")
    .execute();
}

export function findRevision(db: Executor, pageId: string, number: number) {
  return db
    .selectFrom("page_revision as r")
    .leftJoin("user as u", "u.id", "r.author_id")
    .selectAll("r")
    .select("u.display_name as author_name")
    .where("r.page_id", "=", pageId)
    .where("r.number", "=", number)
    .executeTakeFirst();
}

/** Moves a page under `parentId` (null: top level) at `index` among its new siblings. */
export async function movePage(db: Executor, page: Page, parentId: string | null, index: number) {
  const siblings = (await listChildren(db, page.space_id, parentId)).filter((s) => s.id !== page.id).map((s) => s.id);
  const at = Math.max(0, Math.min(index, siblings.length));
  siblings.splice(at, 0, page.id);
  await db.updateTable("page").set({ parent_id: parentId }).where("id", "=", page.id).execute();
  for (const [position, id] of siblings.entries()) {
    await db.updateTable("page").set({ position }).where("id", "=", id).execute();
  }
}

/** The page and everything below it, still live. */
async function subtreeIds(db: Executor, pageId: string, deletedAt: number | null): Promise<string[]> {
  const result = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT id FROM page WHERE id = ${pageId}
      UNION
      SELECT p.id FROM page p JOIN down ON p.parent_id = down.id
      WHERE ${deletedAt === null ? sql`p.deleted_at IS NULL` : sql`p.deleted_at = ${deletedAt}`}
    )
    SELECT id FROM down`.execute(db);
  return result.rows.map((r) => r.id);
}

/** To the trash, with the pages below it: they come back together. */
export async function trashPage(db: Executor, pageId: string, by: string, now: number) {
  const ids = await subtreeIds(db, pageId, null);
  await db.updateTable("page").set({ deleted_at: now, deleted_by: by }).where("id", "in", ids).execute();
  return ids.length;
}

/** Back from the trash with the pages trashed with it; to the top level if its parent is still trashed. */
export async function restorePage(db: Executor, page: Page) {
  if (page.deleted_at === null) return 0;
  const ids = await subtreeIds(db, page.id, page.deleted_at);
  await db.updateTable("page").set({ deleted_at: null, deleted_by: null }).where("id", "in", ids).execute();
  if (page.parent_id) {
    const parent = await db.selectFrom("page").select("deleted_at").where("id", "=", page.parent_id).executeTakeFirst();
    if (!parent || parent.deleted_at !== null) {
      await db.updateTable("page").set({ parent_id: null, position: await nextPosition(db, page.space_id, null) }).where("id", "=", page.id).execute();
    }
  }
  return ids.length;
}

export function listTrash(db: Executor, spaceId: string) {
  return db
    .selectFrom("page as p")
    .leftJoin("user as u", "u.id", "p.deleted_by")
    .leftJoin("page as parent", "parent.id", "p.parent_id")
    .select(["p.id", "p.title", "p.slug", "p.deleted_at", "u.display_name as deleted_by_name"])
    .where("p.space_id", "=", spaceId)
    .where("p.deleted_at", "is not", null)
    // Only the page that was deleted, not each page that went with it.
    .where((eb) => eb.or([eb("parent.id", "is", null), eb("parent.deleted_at", "is", null), eb("parent.deleted_at", "!=", eb.ref("p.deleted_at"))]))
    .orderBy("p.deleted_at", "desc")
    .execute();
}
