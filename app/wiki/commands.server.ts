import type { Page, Space, User } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { setPageFiles } from "#db/queries/files.ts";
import * as pages from "#db/queries/pages.ts";
import { checkContent } from "#app/editor/content-pool.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { slugify } from "#app/utils/validation.ts";

/**
 * Every change to the wiki that touches several tables, each in one
 * transaction: page and revision, links for backlinks and to the space's
 * files, the space's activity.
 * Content is checked and derived (HTML, text, links) before anything is written,
 * in a worker thread with a time limit (app/editor/content-pool.server.ts).
 */

export const EMPTY_DOCUMENT = JSON.stringify({
  root: {
    type: "root",
    version: 1,
    direction: null,
    format: "",
    indent: 0,
    children: [{ type: "paragraph", version: 1, direction: null, format: "", indent: 0, textFormat: 0, textStyle: "", children: [] }],
  },
});

export type ContentFailure = { ok: false; error: string; detail?: string };

/** Addresses the wiki's own screens use (/wiki/new, /wiki/trash…): no page may take them. */
const RESERVED_SLUGS = new Set(["new", "trash", "import", "export", "tree", "search", "images"]);

export function pageSlugFor(title: string): string {
  const slug = slugify(title) || "page";
  return RESERVED_SLUGS.has(slug) ? `${slug}-page` : slug;
}

function derive(raw: string | null | undefined) {
  const input = raw && raw.trim() ? raw : EMPTY_DOCUMENT;
  return checkContent(input);
}

export async function createWikiPage(input: {
  space: Space;
  author: User;
  title: string;
  parentId: string | null;
  content: string | null;
  summary: string;
}): Promise<{ ok: true; page: Page } | ContentFailure> {
  const content = await derive(input.content);
  if (!content.ok) return content;
  const now = Date.now();
  const page = await getDb()
    .transaction()
    .execute(async (trx) => {
      const slug = await pages.uniqueSlug(trx, input.space.id, pageSlugFor(input.title));
      const created = await pages.createPage(trx, {
        spaceId: input.space.id,
        parentId: input.parentId,
        title: input.title,
        slug,
        content,
        summary: input.summary,
        authorId: input.author.id,
        now,
      });
      await pages.setLinks(trx, created, content.pageIds);
      await setPageFiles(trx, created, content.fileIds);
      await recordActivity(trx, { spaceId: input.space.id, actorId: input.author.id, verb: "page_created", data: { title: created.title, slug: created.slug }, now });
      return created;
    });
  return { ok: true, page };
}

export async function saveWikiPage(input: {
  page: Page;
  author: User;
  baseRevision: number;
  title: string;
  content: string | null;
  summary: string;
}): Promise<{ ok: true; slug: string; revision: number } | { ok: false; error: "conflict" } | ContentFailure> {
  const content = await derive(input.content);
  if (!content.ok) return content;
  const now = Date.now();
  return getDb()
    .transaction()
    .execute(async (trx) => {
      // A renamed page gets a new address; links point at its id and keep working.
      const slug =
        input.title === input.page.title ? input.page.slug : await pages.uniqueSlug(trx, input.page.space_id, pageSlugFor(input.title), input.page.id);
      const saved = await pages.savePage(trx, {
        pageId: input.page.id,
        baseRevision: input.baseRevision,
        title: input.title,
        slug,
        content,
        summary: input.summary,
        authorId: input.author.id,
        now,
      });
      if (!saved.ok) return { ok: false as const, error: "conflict" as const };
      await pages.setLinks(trx, input.page, content.pageIds);
      await setPageFiles(trx, input.page, content.fileIds);
      await recordActivity(trx, {
        spaceId: input.page.space_id,
        actorId: input.author.id,
        verb: "page_edited",
        data: { title: input.title, slug },
        now,
      });
      return { ok: true as const, slug, revision: saved.revision };
    });
}

/** Restoring makes a new revision with the old content: history is never rewritten. */
export async function restoreRevision(input: { page: Page; author: User; number: number }) {
  const revision = await pages.findRevision(getDb(), input.page.id, input.number);
  if (!revision) return { ok: false as const, error: "not_found" };
  return saveWikiPage({
    page: input.page,
    author: input.author,
    baseRevision: input.page.revision,
    title: revision.title,
    content: revision.content_json,
    summary: `↺ ${input.number}`,
  });
}
