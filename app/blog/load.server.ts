import type { Post, Space } from "#db/schema.ts";
import { findLiveFile } from "#db/queries/files.ts";
import * as posts from "#db/queries/posts.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canEditPost, canModeratePosts, canReadPost, canReadPosts, canWritePosts } from "#app/policies/post.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace, requireSpace } from "#app/utils/space.server.ts";
import type { PostCardView } from "#app/components/post-card.tsx";
import { fileThumbnailUrl } from "#app/urls.ts";

/**
 * What the blog's routes load: the space (checked as usual), one of its
 * articles, and the shapes the pages show. An article the viewer may not read
 * (someone else's draft, a trashed one) answers 404, exactly as one that does
 * not exist: a draft's very existence is its author's business.
 */

export const POSTS_PER_PAGE = 10;

/** The space and one of its live articles, by its address, that the viewer may read. */
export async function loadPost(request: Request, params: { space?: string; post?: string }, context?: object) {
  const ctx = await loadSpace(request, params.space, context);
  const post = params.post ? await posts.findPostBySlug(getDb(), ctx.space.id, params.post) : undefined;
  if (!post || post.deleted_at !== null || !canReadPost(ctx.actor, ctx.membership, ctx.space, post)) notFound();
  return { ...ctx, post, canEdit: canEditPost(ctx.actor, ctx.membership, ctx.space, post) };
}

/**
 * The article an action changes: by the id the form carries (which must be
 * an article of this very space), else by the address. 404 if the viewer may
 * not even read it, 403 if they may read but not edit it.
 */
export async function loadPostToEdit(request: Request, params: { space?: string; post?: string }, form: FormData) {
  const ctx = await loadSpace(request, params.space);
  const id = form.get("postId");
  const db = getDb();
  const post =
    typeof id === "string" && id !== ""
      ? await posts.findPostInSpace(db, ctx.space.id, id)
      : params.post
        ? await posts.findPostBySlug(db, ctx.space.id, params.post)
        : undefined;
  if (!post || post.deleted_at !== null || !canReadPost(ctx.actor, ctx.membership, ctx.space, post)) notFound();
  authorize(canEditPost(ctx.actor, ctx.membership, ctx.space, post));
  return { ...ctx, post };
}

/** The small picture a list shows: the server's thumbnail when there is one, else the image itself. */
export function coverThumbnail(spaceSlug: string, s: Pick<posts.PostSummary, "cover_file_id" | "cover_version" | "cover_has_thumbnail">): string | null {
  if (!s.cover_file_id) return null;
  return s.cover_has_thumbnail ? fileThumbnailUrl(spaceSlug, s.cover_file_id, s.cover_version!) : `/files/${s.cover_file_id}/inline`;
}

/** The cover of an article, if it is still a live file of its space. */
export async function coverOf(space: Space, post: Pick<Post, "cover_file_id">) {
  if (!post.cover_file_id) return null;
  const file = await findLiveFile(getDb(), space.id, post.cover_file_id);
  if (!file) return null;
  return {
    id: file.id,
    name: file.name,
    src: `/files/${file.id}/inline`,
    thumbnail: file.has_thumbnail ? fileThumbnailUrl(space.slug, file.id, file.version) : `/files/${file.id}/inline`,
  };
}

export async function authorName(authorId: string | null) {
  if (!authorId) return null;
  return (await findUser(getDb(), authorId))?.display_name ?? null;
}

function toCards(spaceSlug: string, rows: posts.PostSummary[], tags: Array<{ post_id: string; tag: string; label: string }>): PostCardView[] {
  return rows.map((p) => ({
    id: p.id,
    slug: p.slug,
    title: p.title,
    excerpt: p.excerpt,
    state: p.state,
    network: p.visibility === "network",
    publishedAt: p.published_at,
    publishAt: p.publish_at,
    updatedAt: p.updated_at,
    cover: coverThumbnail(spaceSlug, p),
    author: p.author_name,
    tags: tags.filter((t) => t.post_id === p.id).map((t) => ({ tag: t.tag, label: t.label })),
  }));
}

/** ?page=N, from 1; anything else is the first page. */
export function pageParam(url: URL): number {
  const n = Number(url.searchParams.get("page") ?? "1");
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/**
 * One page of a space's published articles (of one tag, when given), the
 * space's tags with their counts, and what the viewer has not published yet
 * (their own; everyone's for editors and admins).
 */
export async function loadBlogList(request: Request, params: { space?: string }, context: object | undefined, tag?: string) {
  const { space, membership, actor, user } = await requireSpace(request, params.space, canReadPosts, context);
  const db = getDb();
  const page = pageParam(new URL(request.url));
  const [tags, list] = await Promise.all([
    posts.listSpaceTags(db, space.id),
    posts.listPublished(db, space.id, { page, perPage: POSTS_PER_PAGE, tag }),
  ]);
  const current = tag === undefined ? null : tags.find((t) => t.tag === tag);
  if (current === undefined) notFound();
  const moderate = canModeratePosts(actor, membership, space);
  const write = canWritePosts(actor, membership, space);
  const pending = tag === undefined && (moderate || write) ? await posts.listUnpublished(db, space.id, moderate ? null : user.id) : [];
  const postTags = await posts.tagsOfPosts(db, [...list.posts, ...pending].map((p) => p.id));
  return {
    spaceSlug: space.slug,
    spaceName: space.name,
    timeZone: user.time_zone,
    page,
    hasMore: list.hasMore,
    posts: toCards(space.slug, list.posts, postTags),
    tags: tags.map((t) => ({ tag: t.tag, label: t.label, count: t.posts })),
    tag: current ? { tag: current.tag, label: current.label, count: current.posts } : null,
    pending: toCards(space.slug, pending, postTags),
    pendingAll: moderate,
    can: { write, trash: moderate },
  };
}
