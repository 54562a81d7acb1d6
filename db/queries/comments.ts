import type { Executor } from "../client.ts";
import { prepared } from "../prepared.ts";
import { newId } from "../ids.ts";
import { OWNER_KINDS, type Owner, type OwnerKind } from "../owners.ts";
import type { Comment } from "../schema.ts";

/**
 * Comments on an article (post_id), a wiki page (page_id) or an ask (ask_id:
 * its answers), one level of
 * replies (parent_id names a top-level comment). A deleted comment keeps its
 * row with its body emptied: shown as "comment deleted" while it has live
 * replies, left out otherwise.
 */

// What a comment is about is an owner (db/owners.ts); the table keeps one
// column per kind that takes comments (post_id, page_id, ask_id) and these
// functions map between them.

/** Each kind's column: every owner kind takes comments (a new kind without a column does not type-check). */
const COLUMN = { post: "post_id", page: "page_id", ask: "ask_id", workshop: "workshop_id" } as const satisfies Record<OwnerKind, keyof Comment>;
type CommentColumn = (typeof COLUMN)[OwnerKind];
const columnOf = (kind: OwnerKind) => COLUMN[kind];

export interface CommentBody {
  json: string;
  html: string;
  text: string;
}

/** A comment of this space by id (deleted or not): ids from a request never reach another space. */
export function findCommentInSpace(db: Executor, spaceId: string, id: string) {
  return db.selectFrom("comment").selectAll().where("space_id", "=", spaceId).where("id", "=", id).executeTakeFirst();
}

export function targetOf(comment: Pick<Comment, CommentColumn>): Owner {
  for (const kind of OWNER_KINDS) {
    const id = comment[COLUMN[kind]];
    if (id !== null) return { kind, id };
  }
  throw new Error("A comment about nothing");
}

export function sameTarget(comment: Pick<Comment, CommentColumn>, target: Owner): boolean {
  return comment[COLUMN[target.kind]] === target.id;
}

export async function insertComment(
  db: Executor,
  input: { spaceId: string; target: Owner; parentId: string | null; authorId: string; body: CommentBody; now: number },
): Promise<Comment> {
  const row = {
    id: newId(),
    space_id: input.spaceId,
    post_id: null,
    page_id: null,
    ask_id: null,
    workshop_id: null,
    [columnOf(input.target.kind)]: input.target.id,
    parent_id: input.parentId,
    author_id: input.authorId,
    body_json: input.body.json,
    body_html: input.body.html,
    body_text: input.body.text,
    created_at: input.now,
    edited_at: null,
    deleted_at: null,
    deleted_by: null,
  };
  await db.insertInto("comment").values(row).execute();
  return row;
}

export async function updateCommentBody(db: Executor, id: string, body: CommentBody, now: number) {
  await db
    .updateTable("comment")
    .set({ body_json: body.json, body_html: body.html, body_text: body.text, edited_at: now })
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .execute();
}

/** Empties the body and marks the comment deleted; its mentions and notifications go with it. */
export async function markCommentDeleted(db: Executor, id: string, by: string, now: number) {
  await db
    .updateTable("comment")
    .set({ body_json: "", body_html: "", body_text: "", deleted_at: now, deleted_by: by })
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .execute();
  await db.deleteFrom("comment_mention").where("comment_id", "=", id).execute();
  await db.deleteFrom("notification").where("comment_id", "=", id).execute();
}

export async function mentionedIds(db: Executor, commentId: string): Promise<string[]> {
  const rows = await db.selectFrom("comment_mention").select("user_id").where("comment_id", "=", commentId).execute();
  return rows.map((r) => r.user_id);
}

/** Replaces the comment's mentions with these (ids that name no user are skipped). */
export async function setMentions(db: Executor, commentId: string, userIds: string[]) {
  await db.deleteFrom("comment_mention").where("comment_id", "=", commentId).execute();
  if (userIds.length === 0) return;
  const existing = await db.selectFrom("user").select("id").where("id", "in", userIds).execute();
  if (existing.length === 0) return;
  await db
    .insertInto("comment_mention")
    .values(existing.map((u) => ({ comment_id: commentId, user_id: u.id })))
    .execute();
}

export interface CommentRow {
  id: string;
  parent_id: string | null;
  author_id: string | null;
  author_name: string | null;
  body_html: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

function commentsOf(db: Executor, spaceId: string) {
  return db
    .selectFrom("comment as c")
    .leftJoin("user as u", "u.id", "c.author_id")
    .select(["c.id", "c.parent_id", "c.author_id", "u.display_name as author_name", "c.body_html", "c.created_at", "c.edited_at", "c.deleted_at"])
    .where("c.space_id", "=", spaceId)
    .orderBy("c.created_at")
    .orderBy("c.id");
}

// Compiled once (db/prepared.ts): every article and wiki page lists its comments.
const commentsOfPost = prepared((db, spaceId: string, postId: string) => commentsOf(db, spaceId).where("c.post_id", "=", postId));
const commentsOfPage = prepared((db, spaceId: string, pageId: string) => commentsOf(db, spaceId).where("c.page_id", "=", pageId));
const commentsOfAsk = prepared((db, spaceId: string, askId: string) => commentsOf(db, spaceId).where("c.ask_id", "=", askId));
const commentsOfWorkshop = prepared((db, spaceId: string, workshopId: string) => commentsOf(db, spaceId).where("c.workshop_id", "=", workshopId));
const COMMENTS_OF = { post: commentsOfPost, page: commentsOfPage, ask: commentsOfAsk, workshop: commentsOfWorkshop };

/**
 * The comments of one target, oldest first, with their authors' names. Deleted
 * ones come along only as placeholders for live replies; deleted replies and
 * deleted top-level comments without live replies are left out.
 */
export async function listForTarget(db: Executor, spaceId: string, target: Owner): Promise<CommentRow[]> {
  const rows = await COMMENTS_OF[target.kind](db, spaceId, target.id);
  const liveReplies = new Set(rows.filter((r) => r.parent_id !== null && r.deleted_at === null).map((r) => r.parent_id));
  return rows.filter((r) => r.deleted_at === null || (r.parent_id === null && liveReplies.has(r.id)));
}

/** Number of comments readers see on a target (placeholders not counted). */
export async function countLive(db: Executor, target: Owner): Promise<number> {
  const row = await db
    .selectFrom("comment")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(columnOf(target.kind), "=", target.id)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
