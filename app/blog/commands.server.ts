import type { Executor } from "#db/client.ts";
import type { Post, PostVisibility, Space, User } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { findLiveFile } from "#db/queries/files.ts";
import * as posts from "#db/queries/posts.ts";
import type { DerivedDocument } from "#app/editor/document.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { canPublishToNetwork } from "#app/policies/post.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";
import { slugify } from "#app/utils/validation.ts";
import { deriveExcerpt } from "./excerpt.ts";
import type { PostForm } from "./form.server.ts";
import { instantFromLocal } from "./schedule.ts";
import { STATE_CHANGES } from "./states.ts";
import { parseTags } from "./tags.ts";

/**
 * The blog's use cases, as the wiki's (app/wiki/commands.server.ts): each
 * runs inside the transaction its caller opened and answers a result or a
 * typed refusal, so "save and publish" is one transaction and the
 * publisher (publisher.server.ts) runs the same code as a route. Content is
 * checked and derived once, before the transaction (checkDocument); the
 * commands take the derived document.
 */

/** Who acts, in which space, at what moment: what these commands read of the acting context (ActingInSpace). */
export type BlogActing = ActingParts<"user" | "space" | "now">;

/** Addresses the blog's own screens use: no article may take them. */
const RESERVED_SLUGS = new Set(["new", "tags", "drafts", "feed", "trash"]);

export function postSlugFor(title: string): string {
  const slug = slugify(title) || "article";
  return RESERVED_SLUGS.has(slug) ? `${slug}-article` : slug;
}

/** A refusal the form shows beside a field (`field`), or about the content (`content`). */
export type PostFailure = { ok: false; field: "tags" | "coverFileId" | "visibility" | "content"; error: string; detail?: string };
/** Someone saved meanwhile: nothing was written. */
export type PostConflict = { ok: false; field: "revision"; error: "conflict" };
export type StateRefusal = { ok: false; error: "blog.badMoment" | "blog.pastMoment" | "blog.cannotChangeState" };

/** A save as a form asks it: on top of `baseRevision`, with the content already derived. */
export interface SaveInput {
  baseRevision: number;
  form: PostForm;
  content: DerivedDocument;
}

interface Fields {
  fields: posts.PostFields;
  tags: posts.TagInput[];
  fileIds: string[];
}

/** What a save writes besides the content, checked in this order: tags, cover, visibility. */
async function fieldsOf(trx: Executor, space: Space, form: PostForm, content: DerivedDocument): Promise<{ ok: true; value: Fields } | PostFailure> {
  const tags = parseTags(form.tags);
  if (!tags.ok) return { ok: false, field: "tags", error: tags.error === "tooMany" ? "blog.tooManyTags" : "blog.tagTooLong" };
  let coverFileId: string | null = null;
  if (form.coverFileId) {
    // The cover must be an image of this very space, and not in its trash.
    const file = await findLiveFile(trx, space.id, form.coverFileId);
    if (!file || !(INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) return { ok: false, field: "coverFileId", error: "blog.coverNotImage" };
    coverFileId = file.id;
  }
  const visibility: PostVisibility = form.visibility;
  if (visibility === "network" && !canPublishToNetwork(space)) return { ok: false, field: "visibility", error: "blog.networkNotAllowed" };
  const excerptAuto = form.excerpt === "";
  return {
    ok: true,
    value: {
      fields: {
        title: form.title,
        excerpt: excerptAuto ? deriveExcerpt(content.text) : form.excerpt,
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

/** A new article, as a draft. */
export async function createPost(trx: Executor, ctx: BlogActing, input: { form: PostForm; content: DerivedDocument }): Promise<{ ok: true; post: Post } | PostFailure> {
  const { space, user, now } = ctx;
  const checked = await fieldsOf(trx, space, input.form, input.content);
  if (!checked.ok) return checked;
  const { fields, tags, fileIds } = checked.value;
  const slug = await posts.uniquePostSlug(trx, space.id, postSlugFor(input.form.title));
  const post = await posts.createPost(trx, { ...fields, spaceId: space.id, slug, authorId: user.id, summary: input.form.summary, now });
  await posts.setTags(trx, post.id, tags);
  await posts.setPostFiles(trx, post, fileIds);
  return { ok: true, post };
}

/**
 * Whether a save of a draft may rewrite its latest revision in place: only
 * when that revision, and the draft's last change, are the writer's own. On
 * top of someone else's (an editor correcting a member's draft, or after a
 * conflict), the first save makes a revision of its own, so theirs stays in
 * the history.
 */
async function savesInPlace(trx: Executor, post: Post, user: User, baseRevision: number): Promise<boolean> {
  if (post.state !== "draft" || post.updated_by !== user.id) return false;
  const latest = await posts.findPostRevision(trx, post.id, baseRevision);
  return latest?.author_id === user.id;
}

/**
 * Saves on top of `baseRevision`; a stale save writes nothing and says
 * "conflict". A save by hand is a revision; an autosave (and the save that
 * comes with a change of state) of a draft updates it in place when
 * savesInPlace allows, so history is not a keystroke log.
 */
export async function savePost(
  trx: Executor,
  ctx: BlogActing,
  input: SaveInput & { post: Post; autosave?: boolean },
): Promise<{ ok: true; revision: number } | PostConflict | PostFailure> {
  const { space, user, now } = ctx;
  const { post, baseRevision } = input;
  const checked = await fieldsOf(trx, space, input.form, input.content);
  if (!checked.ok) return checked;
  const { fields, tags, fileIds } = checked.value;
  const keepRevision = Boolean(input.autosave) && (await savesInPlace(trx, post, user, baseRevision));
  const saved = await posts.savePost(trx, { ...fields, postId: post.id, baseRevision, summary: input.form.summary, authorId: user.id, now, keepRevision });
  if (!saved.ok) return { ok: false, field: "revision", error: "conflict" };
  await posts.setTags(trx, post.id, tags);
  await posts.setPostFiles(trx, post, fileIds);
  return saved;
}

export type StateChange =
  | { to: "publish" }
  | { to: "schedule"; local: string; timeZone: string }
  | { to: "unpublish" }
  | { to: "draft" };

/** The publication's line in the space's activity: said the same by a route and by the publisher. */
function recordPublished(trx: Executor, post: Pick<Post, "space_id" | "title" | "slug">, actorId: string | null, at: number) {
  return recordActivity(trx, { spaceId: post.space_id, actorId, verb: "post_published", data: { title: post.title, slug: post.slug }, now: at });
}

/** Publish now, schedule, unpublish, or back to draft (a scheduled post cancelled), when the article's state allows it. */
export async function changePostState(
  trx: Executor,
  ctx: BlogActing,
  input: { post: Post; change: StateChange },
): Promise<{ ok: true; state: Post["state"]; publishAt: number | null } | StateRefusal> {
  const { user, now } = ctx;
  const { post, change } = input;
  if (!STATE_CHANGES[post.state].includes(change.to)) return { ok: false, error: "blog.cannotChangeState" };
  if (change.to === "schedule") {
    const at = instantFromLocal(change.local, change.timeZone);
    if (at === null) return { ok: false, error: "blog.badMoment" };
    if (at <= now) return { ok: false, error: "blog.pastMoment" };
    await posts.setPostState(trx, post.id, { state: "scheduled", publishAt: at, userId: user.id, now });
    return { ok: true, state: "scheduled", publishAt: at };
  }
  if (change.to === "publish") {
    await posts.setPostState(trx, post.id, { state: "published", userId: user.id, now });
    await recordPublished(trx, post, user.id, now);
    return { ok: true, state: "published", publishAt: null };
  }
  const state = change.to === "unpublish" ? "unpublished" : "draft";
  await posts.setPostState(trx, post.id, { state, userId: user.id, now });
  return { ok: true, state, publishAt: null };
}

/**
 * A change of state from the editing screen, with the form's changes saved
 * first (`save`, null when the form says nothing the article does not), as
 * one use case: if the change is refused, the save is rolled back with it.
 */
export async function saveAndChangeState(
  trx: Executor,
  ctx: BlogActing,
  input: { post: Post; save: SaveInput | null; change: StateChange },
): Promise<{ ok: true; state: Post["state"]; publishAt: number | null; saved: number | null } | PostConflict | PostFailure | StateRefusal> {
  const { post } = input;
  let saved: number | null = null;
  if (input.save) {
    // Changing a draft's state saves it in place, as its autosave would.
    const result = await savePost(trx, ctx, { post, ...input.save, autosave: true });
    if (!result.ok) return result;
    saved = result.revision;
  }
  // The article as just saved (its title may have changed), then its new state.
  const fresh = (await posts.findPostInSpace(trx, ctx.space.id, post.id)) ?? post;
  const changed = await changePostState(trx, ctx, { post: fresh, change: input.change });
  if (!changed.ok) return changed;
  return { ...changed, saved };
}

/**
 * Publishes every scheduled post whose moment has come, each once (one
 * UPDATE … WHERE state = 'scheduled'), with its line in the space's
 * activity, dated when it was due. Run by the primary process's publisher
 * (publisher.server.ts) in a transaction of its own.
 */
export async function publishDue(trx: Executor, ctx: { now: number }) {
  const published = await posts.publishDuePosts(trx, ctx.now);
  for (const p of published) await recordPublished(trx, p, p.author_id, p.published_at ?? ctx.now);
  return { ok: true as const, published };
}

export async function trashPost(trx: Executor, ctx: BlogActing, input: { post: Post }): Promise<{ ok: true }> {
  await posts.trashPost(trx, input.post.id, ctx.user.id, ctx.now);
  return { ok: true };
}

/** Back from the trash; the id must name a trashed post of this space. */
export async function restorePost(trx: Executor, ctx: BlogActing, input: { postId: string }): Promise<{ ok: true; post: Post } | { ok: false; error: "not_found" }> {
  const post = await posts.findPostInSpace(trx, ctx.space.id, input.postId);
  if (!post || post.deleted_at === null) return { ok: false, error: "not_found" };
  await posts.restorePost(trx, post.id);
  return { ok: true, post };
}
