import type { Executor } from "#db/client.ts";
import { revokeLinksOfTrashed } from "#db/queries/share-links.ts";
import type { Page } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { setPageFiles } from "#db/queries/files.ts";
import * as pages from "#db/queries/pages.ts";
import type { ContentRefusal, DerivedDocument } from "#app/editor/document.ts";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";
import { slugify } from "#app/utils/validation.ts";

/**
 * The wiki's use cases. Each runs inside the transaction its caller opened
 * (a route through db/transact.ts, a script, a test) and answers a result or
 * a typed refusal, so several can share one transaction and a refusal rolls
 * back everything before it.
 *
 * Content is checked and derived (HTML, text, links) before the transaction
 * opens, once per save (checkDocument, app/editor/content-pool.server.ts):
 * that work runs in a worker thread for up to 10 s, and the one SQLite
 * connection must not be held meanwhile. Commands take the derived document.
 */

/** Who acts, in which space, at what moment: what these commands read of the acting context (ActingInSpace). */
export type WikiActing = ActingParts<"user" | "space" | "now">;

/** Addresses the wiki's own screens use (/wiki/new, /wiki/trash…): no page may take them. */
const RESERVED_SLUGS = new Set(["new", "trash", "import", "export", "tree", "search", "images"]);

export function pageSlugFor(title: string): string {
  const slug = slugify(title) || "page";
  return RESERVED_SLUGS.has(slug) ? `${slug}-page` : slug;
}

export async function createPage(
  trx: Executor,
  ctx: WikiActing,
  input: { title: string; parentId: string | null; content: DerivedDocument; summary: string },
): Promise<{ ok: true; page: Page } | { ok: false; error: "not_found" }> {
  const { space, user, now } = ctx;
  if (input.parentId) {
    // The parent must be a live page of this very space.
    const parent = await pages.findInSpace(trx, space.id, input.parentId);
    if (!parent || parent.deleted_at !== null) return { ok: false, error: "not_found" };
  }
  const { content } = input;
  const slug = await pages.uniqueSlug(trx, space.id, pageSlugFor(input.title));
  const page = await pages.createPage(trx, {
    spaceId: space.id,
    parentId: input.parentId,
    title: input.title,
    slug,
    content,
    summary: input.summary,
    authorId: user.id,
    now,
  });
  await pages.setLinks(trx, page, content.pageIds);
  await setPageFiles(trx, page, content.fileIds);
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "page_created", data: { title: page.title, slug: page.slug }, now });
  return { ok: true, page };
}

/** A new revision on top of `baseRevision`; a stale save writes nothing and says "conflict". */
export async function savePage(
  trx: Executor,
  ctx: WikiActing,
  input: { page: Page; baseRevision: number; title: string; content: DerivedDocument; summary: string },
): Promise<{ ok: true; slug: string; revision: number } | { ok: false; error: "conflict" }> {
  const { user, now } = ctx;
  const { page, content } = input;
  // A renamed page gets a new address; links point at its id and keep working.
  const slug = input.title === page.title ? page.slug : await pages.uniqueSlug(trx, page.space_id, pageSlugFor(input.title), page.id);
  const saved = await pages.savePage(trx, {
    pageId: page.id,
    baseRevision: input.baseRevision,
    title: input.title,
    slug,
    content,
    summary: input.summary,
    authorId: user.id,
    now,
  });
  if (!saved.ok) return { ok: false, error: "conflict" };
  await pages.setLinks(trx, page, content.pageIds);
  await setPageFiles(trx, page, content.fileIds);
  await recordActivity(trx, { spaceId: page.space_id, actorId: user.id, verb: "page_edited", data: { title: input.title, slug }, now });
  return { ok: true, slug, revision: saved.revision };
}

/**
 * What restoring revision `number` writes: its title and its content, derived
 * again (outside the transaction) as any save's. Read with the executor given.
 */
export async function prepareRestore(
  db: Executor,
  page: Page,
  number: number,
): Promise<{ ok: true; number: number; title: string; content: DerivedDocument } | { ok: false; error: "not_found" } | ContentRefusal> {
  const revision = await pages.findRevision(db, page.id, number);
  if (!revision) return { ok: false, error: "not_found" };
  const content = await checkDocument(revision.content_json);
  if (!content.ok) return content;
  return { ok: true, number, title: revision.title, content };
}

/** Restoring makes a new revision with the old content: history is never rewritten. */
export function restoreRevision(trx: Executor, ctx: WikiActing, input: { page: Page; restored: { number: number; title: string; content: DerivedDocument } }) {
  return savePage(trx, ctx, {
    page: input.page,
    baseRevision: input.page.revision,
    title: input.restored.title,
    content: input.restored.content,
    summary: `↺ ${input.restored.number}`,
  });
}

/** To the trash, with the pages below it. */
export async function trashPage(trx: Executor, ctx: WikiActing, input: { page: Page }): Promise<{ ok: true }> {
  const { space, user, now } = ctx;
  await pages.trashPage(trx, input.page.id, user.id, now);
  // Its share links (and those of the pages that went with it) stop for good.
  await revokeLinksOfTrashed(trx, space.id, user.id, now);
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "page_deleted", data: { title: input.page.title }, now });
  return { ok: true };
}

/** Back from the trash; the id must name a trashed page of this space. */
export async function restorePage(trx: Executor, ctx: WikiActing, input: { pageId: string }): Promise<{ ok: true; page: Page } | { ok: false; error: "not_found" }> {
  const { space, user, now } = ctx;
  const page = await pages.findInSpace(trx, space.id, input.pageId);
  if (!page || page.deleted_at === null) return { ok: false, error: "not_found" };
  await pages.restorePage(trx, page);
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "page_restored", data: { title: page.title }, now });
  return { ok: true, page };
}

/** Under another parent (null: top level), at `index` among its new siblings. */
export async function movePage(
  trx: Executor,
  ctx: WikiActing,
  input: { page: Page; parentId: string | null; index: number },
): Promise<{ ok: true } | { ok: false; error: "not_found" | "loop" }> {
  const { page, parentId } = input;
  if (parentId) {
    // The new parent must be a live page of this space, and not the page or one below it.
    const parent = await pages.findInSpace(trx, ctx.space.id, parentId);
    if (!parent || parent.deleted_at !== null) return { ok: false, error: "not_found" };
    if (await pages.isSelfOrDescendant(trx, page.id, parent.id)) return { ok: false, error: "loop" };
  }
  await pages.movePage(trx, page, parentId, input.index);
  return { ok: true };
}
