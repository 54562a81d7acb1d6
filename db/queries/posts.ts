import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { Post, PostState, PostVisibility, Visibility } from "../schema.ts";

/**
 * A space's blog: articles, their revisions and tags. An article's address
 * (its slug) is made once from its first title and never changes, so links
 * to it keep working whatever the title becomes.
 */

export interface DerivedPostContent {
  json: string;
  html: string;
  text: string;
}

export interface TagInput {
  /** As in addresses: "supply-chain". */
  tag: string;
  /** As the author wrote it: "Supply chain". */
  label: string;
}

/** "Bilan de l'atelier" → "bilan-de-l-atelier", or "…-2" when taken in this space (trash included). */
export async function uniquePostSlug(db: Executor, spaceId: string, base: string): Promise<string> {
  const root = base || "article";
  const rows = await db
    .selectFrom("post")
    .select("slug")
    .where("space_id", "=", spaceId)
    .where((eb) => eb.or([eb("slug", "=", root), eb("slug", "like", `${root}-%`)]))
    .execute();
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(root)) return root;
  for (let n = 2; ; n++) if (!taken.has(`${root}-${n}`)) return `${root}-${n}`;
}

export function findPostBySlug(db: Executor, spaceId: string, slug: string) {
  return db.selectFrom("post").selectAll().where("space_id", "=", spaceId).where("slug", "=", slug).executeTakeFirst();
}

/** A post of this space by id (trashed or not): ids from a request never reach another space. */
export function findPostInSpace(db: Executor, spaceId: string, postId: string) {
  return db.selectFrom("post").selectAll().where("space_id", "=", spaceId).where("id", "=", postId).executeTakeFirst();
}

async function addRevision(
  db: Executor,
  input: { postId: string; number: number; title: string; excerpt: string; content: DerivedPostContent; summary: string; authorId: string; now: number },
) {
  await db
    .insertInto("post_revision")
    .values({
      id: newId(),
      post_id: input.postId,
      number: input.number,
      title: input.title,
      excerpt: input.excerpt,
      content_json: input.content.json,
      content_text: input.content.text,
      summary: input.summary,
      author_id: input.authorId,
      created_at: input.now,
    })
    .execute();
}

export async function setTags(db: Executor, postId: string, tags: TagInput[]) {
  await db.deleteFrom("post_tag").where("post_id", "=", postId).execute();
  const unique = [...new Map(tags.map((t) => [t.tag, t])).values()];
  if (unique.length > 0) await db.insertInto("post_tag").values(unique.map((t) => ({ post_id: postId, tag: t.tag, label: t.label }))).execute();
}

/** Replaces the files a post uses (content and cover); files outside its space are ignored. */
export async function setPostFiles(db: Executor, post: { id: string; space_id: string }, fileIds: string[]) {
  await db.deleteFrom("post_file").where("post_id", "=", post.id).execute();
  const wanted = [...new Set(fileIds)];
  if (wanted.length === 0) return;
  const found = await db.selectFrom("file").select("id").where("space_id", "=", post.space_id).where("id", "in", wanted).execute();
  if (found.length > 0) await db.insertInto("post_file").values(found.map((f) => ({ post_id: post.id, file_id: f.id }))).execute();
}

export interface PostFields {
  title: string;
  excerpt: string;
  excerptAuto: boolean;
  coverFileId: string | null;
  content: DerivedPostContent;
  visibility: PostVisibility;
}

export async function createPost(
  db: Executor,
  input: PostFields & { spaceId: string; slug: string; authorId: string; summary: string; now: number },
): Promise<Post> {
  const post: Post = {
    id: newId(),
    space_id: input.spaceId,
    slug: input.slug,
    title: input.title,
    excerpt: input.excerpt,
    excerpt_auto: input.excerptAuto ? 1 : 0,
    cover_file_id: input.coverFileId,
    content_json: input.content.json,
    content_html: input.content.html,
    content_text: input.content.text,
    state: "draft",
    visibility: input.visibility,
    publish_at: null,
    published_at: null,
    revision: 1,
    author_id: input.authorId,
    created_at: input.now,
    updated_by: input.authorId,
    updated_at: input.now,
    deleted_at: null,
    deleted_by: null,
  };
  await db.insertInto("post").values(post).execute();
  await addRevision(db, { postId: post.id, number: 1, title: post.title, excerpt: post.excerpt, content: input.content, summary: input.summary, authorId: input.authorId, now: input.now });
  return post;
}

/**
 * A new revision, only if the post is still at `baseRevision` (a stale save
 * writes nothing). `keepRevision` is an autosave of a draft: it updates the
 * draft in place, without a revision of its own, so history is not a
 * keystroke log.
 */
export async function savePost(
  db: Executor,
  input: PostFields & { postId: string; baseRevision: number; summary: string; authorId: string; now: number; keepRevision?: boolean },
): Promise<{ ok: true; revision: number } | { ok: false; reason: "conflict" }> {
  const revision = input.keepRevision ? input.baseRevision : input.baseRevision + 1;
  const result = await db
    .updateTable("post")
    .set({
      title: input.title,
      excerpt: input.excerpt,
      excerpt_auto: input.excerptAuto ? 1 : 0,
      cover_file_id: input.coverFileId,
      content_json: input.content.json,
      content_html: input.content.html,
      content_text: input.content.text,
      visibility: input.visibility,
      revision,
      updated_by: input.authorId,
      updated_at: input.now,
    })
    .where("id", "=", input.postId)
    .where("revision", "=", input.baseRevision)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return { ok: false, reason: "conflict" };
  if (input.keepRevision) {
    await db
      .updateTable("post_revision")
      .set({ title: input.title, excerpt: input.excerpt, content_json: input.content.json, content_text: input.content.text, author_id: input.authorId, created_at: input.now })
      .where("post_id", "=", input.postId)
      .where("number", "=", revision)
      .execute();
  } else {
    await addRevision(db, { postId: input.postId, number: revision, title: input.title, excerpt: input.excerpt, content: input.content, summary: input.summary, authorId: input.authorId, now: input.now });
  }
  return { ok: true, revision };
}

/** Moves a post to another state; publishing now stamps its date, scheduling records the moment. */
export async function setPostState(db: Executor, postId: string, change: { state: PostState; publishAt?: number | null; userId: string; now: number }) {
  await db
    .updateTable("post")
    .set({
      state: change.state,
      publish_at: change.state === "scheduled" ? (change.publishAt ?? null) : null,
      ...(change.state === "published" ? { published_at: change.now } : {}),
      updated_by: change.userId,
      updated_at: change.now,
    })
    .where("id", "=", postId)
    .execute();
}

/**
 * Every scheduled post whose moment has come, published in one statement:
 * state changes and the row is returned in the same step, so two publishers
 * (or a restart mid-run) can never publish one post twice. A post due while
 * the server was down goes out at the next run, dated when it was due.
 */
export async function publishDuePosts(db: Executor, now: number) {
  return db
    .updateTable("post")
    .set((eb) => ({ state: "published", published_at: eb.ref("publish_at"), updated_at: now }))
    .where("state", "=", "scheduled")
    .where("publish_at", "<=", now)
    .where("deleted_at", "is", null)
    .returning(["id", "space_id", "title", "slug", "author_id", "published_at"])
    .execute();
}

/** The next scheduled moment, so the publisher can wake up for it. */
export async function nextScheduledAt(db: Executor): Promise<number | null> {
  const row = await db
    .selectFrom("post")
    .select((eb) => eb.fn.min<number>("publish_at").as("at"))
    .where("state", "=", "scheduled")
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return row?.at ?? null;
}

export interface PostSummary {
  id: string;
  space_id: string;
  slug: string;
  title: string;
  excerpt: string;
  state: PostState;
  visibility: PostVisibility;
  published_at: number | null;
  publish_at: number | null;
  updated_at: number;
  cover_file_id: string | null;
  cover_version: number | null;
  cover_has_thumbnail: number | null;
  author_id: string | null;
  author_name: string | null;
}

function summaries(db: Executor) {
  return db
    .selectFrom("post as p")
    .leftJoin("user as u", "u.id", "p.author_id")
    .leftJoin("file as f", (join) => join.onRef("f.id", "=", "p.cover_file_id").on("f.deleted_at", "is", null))
    .select([
      "p.id",
      "p.space_id",
      "p.slug",
      "p.title",
      "p.excerpt",
      "p.state",
      "p.visibility",
      "p.published_at",
      "p.publish_at",
      "p.updated_at",
      "f.id as cover_file_id",
      "f.version as cover_version",
      "f.has_thumbnail as cover_has_thumbnail",
      "p.author_id",
      "u.display_name as author_name",
    ])
    .where("p.deleted_at", "is", null);
}

/** Published posts of a space, newest first, one page of them (and whether there is a next one). */
export async function listPublished(db: Executor, spaceId: string, options: { page: number; perPage: number; tag?: string }) {
  const rows = (await summaries(db)
    .where("p.space_id", "=", spaceId)
    .where("p.state", "=", "published")
    .$if(options.tag !== undefined, (q) => q.where((eb) => eb.exists(eb.selectFrom("post_tag as t").select("t.post_id").whereRef("t.post_id", "=", "p.id").where("t.tag", "=", options.tag!))))
    .orderBy("p.published_at", "desc")
    .orderBy("p.id", "desc")
    .limit(options.perPage + 1)
    .offset((options.page - 1) * options.perPage)
    .execute()) as PostSummary[];
  return { posts: rows.slice(0, options.perPage), hasMore: rows.length > options.perPage };
}

/** Posts not (or no longer) out: drafts, scheduled and unpublished — of one author, or all of them for moderators. */
export function listUnpublished(db: Executor, spaceId: string, authorId: string | null) {
  return summaries(db)
    .where("p.space_id", "=", spaceId)
    .where("p.state", "in", ["draft", "scheduled", "unpublished"])
    .$if(authorId !== null, (q) => q.where("p.author_id", "=", authorId))
    .orderBy("p.updated_at", "desc")
    .execute() as Promise<PostSummary[]>;
}

export interface NetworkPost extends PostSummary {
  space_slug: string;
  space_name: string;
}

/**
 * "Latest from the clubs": posts their authors opened to the whole network,
 * from live spaces of the visibilities the post policy names
 * (app/policies/post.ts networkFeedFilter: not secret), newest first. Only
 * these posts' own fields leave their space — never its other content.
 */
export async function listNetworkPosts(db: Executor, options: { page: number; perPage: number; spaceVisibilities: readonly Visibility[] }) {
  const rows = (await summaries(db)
    .innerJoin("space as s", "s.id", "p.space_id")
    .select(["s.slug as space_slug", "s.name as space_name"])
    .where("p.visibility", "=", "network")
    .where("p.state", "=", "published")
    .where("s.archived_at", "is", null)
    // A space made secret after publishing takes its articles off the network too.
    .where("s.visibility", "in", options.spaceVisibilities)
    .orderBy("p.published_at", "desc")
    .orderBy("p.id", "desc")
    .limit(options.perPage + 1)
    .offset((options.page - 1) * options.perPage)
    .execute()) as NetworkPost[];
  return { posts: rows.slice(0, options.perPage), hasMore: rows.length > options.perPage };
}

export function tagsOfPosts(db: Executor, postIds: string[]) {
  if (postIds.length === 0) return Promise.resolve([] as Array<{ post_id: string; tag: string; label: string }>);
  return db.selectFrom("post_tag").select(["post_id", "tag", "label"]).where("post_id", "in", postIds).orderBy("label").execute();
}

/** Tags of a space's published posts, with how many posts carry each. */
export async function listSpaceTags(db: Executor, spaceId: string) {
  const result = await sql<{ tag: string; label: string; posts: number }>`
    SELECT t.tag, min(t.label) AS label, count(*) AS posts
      FROM post_tag t JOIN post p ON p.id = t.post_id
     WHERE p.space_id = ${spaceId} AND p.state = 'published' AND p.deleted_at IS NULL
     GROUP BY t.tag
     ORDER BY posts DESC, t.tag`.execute(db);
  return result.rows.map((r) => ({ ...r, posts: Number(r.posts) }));
}

export function listPostRevisions(db: Executor, postId: string) {
  return db
    .selectFrom("post_revision as r")
    .leftJoin("user as u", "u.id", "r.author_id")
    .select(["r.number", "r.title", "r.summary", "r.created_at", "u.display_name as author_name"])
    .where("r.post_id", "=", postId)
    .orderBy("r.number", "desc")
    .execute();
}

export function findPostRevision(db: Executor, postId: string, number: number) {
  return db.selectFrom("post_revision").selectAll().where("post_id", "=", postId).where("number", "=", number).executeTakeFirst();
}

export async function trashPost(db: Executor, postId: string, by: string, now: number) {
  await db.updateTable("post").set({ deleted_at: now, deleted_by: by }).where("id", "=", postId).execute();
}

export async function restorePost(db: Executor, postId: string) {
  await db.updateTable("post").set({ deleted_at: null, deleted_by: null }).where("id", "=", postId).execute();
}

/** A space's trashed posts, most recently deleted first, with who deleted them. */
export function listTrashedPosts(db: Executor, spaceId: string) {
  return db
    .selectFrom("post as p")
    .leftJoin("user as u", "u.id", "p.deleted_by")
    .select(["p.id", "p.title", "p.state", "p.deleted_at", "u.display_name as deleted_by_name"])
    .where("p.space_id", "=", spaceId)
    .where("p.deleted_at", "is not", null)
    .orderBy("p.deleted_at", "desc")
    .execute();
}
