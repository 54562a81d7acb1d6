import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database, Post, PostVisibility, Space, User } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { findLiveFile } from "#db/queries/files.ts";
import * as posts from "#db/queries/posts.ts";
import { checkContent } from "#app/editor/content-pool.server.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { canPublishToNetwork } from "#app/policies/post.ts";
import { getDb } from "#app/utils/db.server.ts";
import { multilineText, optionalText, requiredLine, slugify } from "#app/utils/validation.ts";
import { EMPTY_DOCUMENT } from "#app/wiki/commands.server.ts";
import { deriveExcerpt, MAX_EXCERPT_LENGTH } from "./excerpt.ts";
import { instantFromLocal } from "./schedule.ts";
import { MAX_TAG_LENGTH, parseTags } from "./tags.ts";

/**
 * Every change to the blog that touches several tables, each in one
 * transaction: the post and its revision, its tags and files, the space's
 * activity. Content is checked and derived before anything is written,
 * exactly as for wiki pages.
 */

/** Addresses the blog's own screens use: no article may take them. */
const RESERVED_SLUGS = new Set(["new", "tags", "drafts", "feed", "trash"]);

export function postSlugFor(title: string): string {
  const slug = slugify(title) || "article";
  return RESERVED_SLUGS.has(slug) ? `${slug}-article` : slug;
}

export const postFormSchema = z.object({
  title: requiredLine(200),
  content: z.string().max(2_000_000).optional(),
  excerpt: multilineText(MAX_EXCERPT_LENGTH, "blog.excerptTooLong"),
  coverFileId: z.string().max(40).default(""),
  tags: optionalText(MAX_TAG_LENGTH * 12),
  visibility: z.enum(["space", "network"]).default("space"),
  summary: optionalText(200),
});

export type PostForm = z.infer<typeof postFormSchema>;

export function readPostForm(form: FormData) {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return postFormSchema.safeParse({
    title: field("title") ?? "",
    content: field("content"),
    excerpt: field("excerpt"),
    coverFileId: field("coverFileId"),
    tags: field("tags"),
    visibility: field("visibility"),
    summary: field("summary"),
  });
}

/** A refusal the form shows beside a field (`field`), or about the content (`content`). */
export type PostFailure = { ok: false; field: "tags" | "coverFileId" | "visibility" | "content"; error: string; detail?: string };

interface Prepared {
  fields: posts.PostFields;
  tags: posts.TagInput[];
  fileIds: string[];
}

/** Checks and derives everything a save writes; nothing is written here. */
async function prepare(db: Kysely<Database>, space: Space, input: PostForm): Promise<{ ok: true; prepared: Prepared } | PostFailure> {
  const content = await checkContent(input.content && input.content.trim() ? input.content : EMPTY_DOCUMENT);
  if (!content.ok) return { ok: false, field: "content", error: content.error, detail: content.detail };
  const tags = parseTags(input.tags);
  if (!tags.ok) return { ok: false, field: "tags", error: tags.error === "tooMany" ? "blog.tooManyTags" : "blog.tagTooLong" };
  let coverFileId: string | null = null;
  if (input.coverFileId) {
    // The cover must be an image of this very space, and not in its trash.
    const file = await findLiveFile(db, space.id, input.coverFileId);
    if (!file || !(INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) return { ok: false, field: "coverFileId", error: "blog.coverNotImage" };
    coverFileId = file.id;
  }
  const visibility: PostVisibility = input.visibility;
  if (visibility === "network" && !canPublishToNetwork(space)) return { ok: false, field: "visibility", error: "blog.networkNotAllowed" };
  const excerptAuto = input.excerpt === "";
  return {
    ok: true,
    prepared: {
      fields: {
        title: input.title,
        excerpt: excerptAuto ? deriveExcerpt(content.text) : input.excerpt,
        excerptAuto,
        coverFileId,
        content: { json: content.json, html: content.html, text: content.text },
        visibility,
      },
      tags: tags.tags,
      fileIds: [...content.fileIds, ...(coverFileId ? [coverFileId] : [])],
    },
  };
}

export async function createBlogPost(space: Space, author: User, input: PostForm): Promise<{ ok: true; post: Post } | PostFailure> {
  const db = getDb();
  const checked = await prepare(db, space, input);
  if (!checked.ok) return checked;
  const { fields, tags, fileIds } = checked.prepared;
  const now = Date.now();
  const post = await db.transaction().execute(async (trx) => {
    const slug = await posts.uniquePostSlug(trx, space.id, postSlugFor(input.title));
    const created = await posts.createPost(trx, { ...fields, spaceId: space.id, slug, authorId: author.id, summary: input.summary, now });
    await posts.setTags(trx, created.id, tags);
    await posts.setPostFiles(trx, created, fileIds);
    return created;
  });
  return { ok: true, post };
}

/**
 * Saves on top of `baseRevision`; a stale save writes nothing and says
 * "conflict". An autosave of a draft updates it without a revision of its own.
 */
export async function saveBlogPost(
  space: Space,
  post: Post,
  author: User,
  baseRevision: number,
  input: PostForm,
  options: { autosave?: boolean } = {},
): Promise<{ ok: true; revision: number } | { ok: false; field: "revision"; error: "conflict" } | PostFailure> {
  const db = getDb();
  const checked = await prepare(db, space, input);
  if (!checked.ok) return checked;
  const { fields, tags, fileIds } = checked.prepared;
  const now = Date.now();
  // Only a draft's latest revision, and only by whoever wrote it, is rewritten in place;
  // anything out, or on top of someone else's words, gets a revision of its own.
  const keepRevision = Boolean(options.autosave) && post.state === "draft" && post.updated_by === author.id;
  return db.transaction().execute(async (trx) => {
    const saved = await posts.savePost(trx, { ...fields, postId: post.id, baseRevision, summary: input.summary, authorId: author.id, now, keepRevision });
    if (!saved.ok) return { ok: false as const, field: "revision" as const, error: "conflict" as const };
    await posts.setTags(trx, post.id, tags);
    await posts.setPostFiles(trx, post, fileIds);
    return saved;
  });
}

export type StateChange =
  | { to: "publish" }
  | { to: "schedule"; local: string; timeZone: string }
  | { to: "unpublish" }
  | { to: "draft" };

/** Publish now, schedule, unpublish, or back to draft (a scheduled post cancelled). */
export async function changePostState(
  space: Space,
  post: Post,
  user: User,
  change: StateChange,
  now = Date.now(),
): Promise<{ ok: true; state: Post["state"]; publishAt: number | null } | { ok: false; error: string }> {
  const db = getDb();
  if (change.to === "schedule") {
    const at = instantFromLocal(change.local, change.timeZone);
    if (at === null) return { ok: false, error: "blog.badMoment" };
    if (at <= now) return { ok: false, error: "blog.pastMoment" };
    await db.transaction().execute((trx) => posts.setPostState(trx, post.id, { state: "scheduled", publishAt: at, userId: user.id, now }));
    return { ok: true, state: "scheduled", publishAt: at };
  }
  if (change.to === "publish") {
    await db.transaction().execute(async (trx) => {
      await posts.setPostState(trx, post.id, { state: "published", userId: user.id, now });
      await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "post_published", data: { title: post.title, slug: post.slug }, now });
    });
    return { ok: true, state: "published", publishAt: null };
  }
  const state = change.to === "unpublish" ? "unpublished" : "draft";
  await db.transaction().execute((trx) => posts.setPostState(trx, post.id, { state, userId: user.id, now }));
  return { ok: true, state, publishAt: null };
}

/**
 * Publishes every scheduled post whose moment has come, each once, with its
 * line in the space's activity, in one transaction. Run by the primary
 * process at start (what fell due while the server was down) and then
 * every few seconds.
 */
export async function publishDuePosts(db: Kysely<Database>, now: number) {
  return db.transaction().execute(async (trx) => {
    const published = await posts.publishDuePosts(trx, now);
    for (const p of published) {
      await recordActivity(trx, { spaceId: p.space_id, actorId: p.author_id, verb: "post_published", data: { title: p.title, slug: p.slug }, now: p.published_at ?? now });
    }
    return published;
  });
}

export async function trashBlogPost(post: Post, user: User) {
  await getDb()
    .transaction()
    .execute((trx) => posts.trashPost(trx, post.id, user.id, Date.now()));
}
