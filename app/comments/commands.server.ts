import { audit } from "#db/queries/audit.ts";
import * as comments from "#db/queries/comments.ts";
import * as pages from "#db/queries/pages.ts";
import type { Owner } from "#db/owners.ts";
import type { Comment, Role, Space } from "#db/schema.ts";
import type { Executor } from "#db/client.ts";
import type { CommentContentResult } from "#app/editor/content.server.ts";
import { canDeleteComment, canEditComment } from "#app/policies/comment.ts";
import { actorOf } from "#app/policies/actor.ts";
import type { MembershipFacts } from "#app/policies/space.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";
import { mayRead, resolveOwner, threadRights, type ResolvedOwner } from "#app/owners/resolve.server.ts";
import type { ChoiceKind } from "#app/notifications/choices.ts";
import { alreadyNotified, firstHeard, notify } from "#app/notifications/commands.server.ts";

/**
 * The comment use cases: post, edit, delete (one's own, or anyone's as
 * moderation), on an article, a wiki page or an ask (its answers). Each is a function of the executor (the transaction the
 * caller opened), who acts, and the input; it answers a result or a typed
 * refusal and throws nothing the caller must turn into HTTP. The target (an
 * article or a wiki page) must be of the acting space and readable by the
 * actor, or the answer is "not_found"; the rights are the comment policies'
 * ("forbidden"), checked in that order — the order the answers have always
 * come in.
 *
 * Content is checked by the caller *before* it opens the transaction
 * (checkCommentContent runs in a worker thread; awaiting it inside a
 * transaction would hold the one SQLite connection meanwhile). The
 * check… functions are the part of a command that needs no content, so a
 * route can refuse before the worker runs; the command runs them again in
 * its transaction, where the answer counts. Mail is queued in the
 * transaction; the caller sends the ids it gets back once it has committed.
 */

/** What these commands read of the acting context (ActingInSpace): a route passes it whole; a job or a test builds these parts. */
export type CommentActing = ActingParts<"space" | "actor" | "membership" | "ip" | "now">;

export type CommentRefusal = { ok: false; error: "not_found" | "forbidden" };

/** A comment body as checkCommentContent accepted it: what the commands store. */
export type CheckedComment = Extract<CommentContentResult, { ok: true }>;

const refused = (error: CommentRefusal["error"]): CommentRefusal => ({ ok: false, error });

/** Whether this person (by their role here, if any) may read the target, as its policy says. */
function personMayRead(space: Space, target: ResolvedOwner, person: { id: string; role: Role | null; is_network_admin: number }) {
  const membership: MembershipFacts = person.role ? { role: person.role } : null;
  return mayRead({ space, actor: actorOf(person), membership }, target);
}

/**
 * Who hears of a comment: the people among `candidates` who may read its
 * target (the space's members; anyone in the network for a network ask),
 * never its author. An id that names nobody who may read it (someone outside
 * the space, a forged id) is simply nobody.
 */
async function readersAmong(db: Executor, space: Space, target: ResolvedOwner, candidates: string[], authorId: string) {
  const ids = [...new Set(candidates)].filter((id) => id !== authorId);
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom("user as u")
    .leftJoin("space_member as m", (join) => join.onRef("m.user_id", "=", "u.id").on("m.space_id", "=", space.id))
    .select(["u.id", "m.role", "u.is_network_admin"])
    .where("u.id", "in", ids)
    .execute();
  return new Set(rows.filter((r) => personMayRead(space, target, r)).map((r) => r.id));
}

export interface NewCommentInput {
  target: Owner;
  /** The comment answered, if any. */
  parentId: string | null;
}

/** Everything createComment checks before it writes: the target, the right to comment, the comment answered. */
export async function checkNewComment(
  db: Executor,
  ctx: CommentActing,
  input: NewCommentInput,
): Promise<{ ok: true; target: ResolvedOwner; answered: Comment | null; threadId: string | null } | CommentRefusal> {
  const { space } = ctx;
  const target = await resolveOwner(db, ctx, input.target);
  if (!target) return refused("not_found");
  if (!threadRights(ctx, target, ctx.now).answer) return refused("forbidden");
  if (!input.parentId) return { ok: true, target, answered: null, threadId: null };
  const answered = await comments.findCommentInSpace(db, space.id, input.parentId);
  if (!answered || !comments.sameTarget(answered, target) || answered.deleted_at !== null) return refused("not_found");
  // One level of replies: a reply to a reply joins the thread of the top comment.
  const threadId = answered.parent_id ?? answered.id;
  // The thread's top comment may have gone meanwhile; a placeholder (deleted with replies) still holds its thread.
  if (threadId !== answered.id && !(await comments.findCommentInSpace(db, space.id, threadId))) return refused("not_found");
  return { ok: true, target, answered, threadId };
}

/**
 * Posts a comment (or a reply), with its mentions, a notification for each
 * person mentioned or answered who may read the target, and their mails queued.
 */
export async function createComment(
  trx: Executor,
  ctx: CommentActing,
  input: NewCommentInput & { body: CheckedComment },
): Promise<{ ok: true; comment: Comment; target: ResolvedOwner; mailIds: string[] } | CommentRefusal> {
  const checked = await checkNewComment(trx, ctx, input);
  if (!checked.ok) return checked;
  const { space, actor, now } = ctx;
  const { target, answered, threadId } = checked;
  const { body } = input;
  const comment = await comments.insertComment(trx, { spaceId: space.id, target, parentId: threadId, authorId: actor.id, body, now });
  await comments.setMentions(trx, comment.id, body.mentionIds);
  const replyTo = answered?.author_id ?? null;
  // An ask's author hears of every answer; the article's author, or whoever started the page, of every comment.
  const asker = target.kind === "ask" ? target.ask.author_id : null;
  const writer = target.kind === "post" ? target.post.author_id : target.kind === "page" ? await pages.creatorOf(trx, target.id) : null;
  const readers = await readersAmong(trx, space, target, [...body.mentionIds, ...(replyTo ? [replyTo] : []), ...(asker ? [asker] : []), ...(writer ? [writer] : [])], actor.id);
  // Each reader may hear of this comment in several ways, in this order; one notification a person, by the
  // first way they have not turned off (a mention off still lets the reply through).
  const ways = new Map<string, ChoiceKind[]>();
  for (const userId of readers) {
    const mine: ChoiceKind[] = [];
    if (body.mentionIds.includes(userId)) mine.push("mention");
    if (userId === replyTo) mine.push("reply");
    if (userId === asker) mine.push("askAnswer");
    if (userId === writer) mine.push("commentOnMine");
    ways.set(userId, mine);
  }
  const heard = await firstHeard(trx, space.id, ways);
  const about = { spaceId: space.id, owner: { kind: target.kind, id: target.id }, commentId: comment.id, actorId: actor.id, now };
  const mailIds: string[] = [];
  for (const kind of ["mention", "reply", "askAnswer", "commentOnMine"] as const) {
    const recipients = [...heard].filter(([, k]) => k === kind).map(([userId]) => userId);
    if (recipients.length > 0) mailIds.push(...(await notify(trx, { ...about, kind, recipients })).mailIds);
  }
  return { ok: true, comment, target, mailIds };
}

/** The comment named, in this space, live, on a target the actor may read. */
async function findComment(db: Executor, ctx: CommentActing, commentId: string) {
  const comment = await comments.findCommentInSpace(db, ctx.space.id, commentId);
  if (!comment || comment.deleted_at !== null) return null;
  const target = await resolveOwner(db, ctx, comments.targetOf(comment));
  return target ? { comment, target } : null;
}

/** Everything editComment checks before it writes: the comment, its target, the right to edit it. */
export async function checkCommentEdit(
  db: Executor,
  ctx: CommentActing,
  input: { commentId: string },
): Promise<{ ok: true; comment: Comment; target: ResolvedOwner } | CommentRefusal> {
  const found = await findComment(db, ctx, input.commentId);
  if (!found) return refused("not_found");
  if (!canEditComment(ctx.actor, ctx.membership, ctx.space, found.comment, threadRights(ctx, found.target, ctx.now).write)) return refused("forbidden");
  return { ok: true, ...found };
}

/** New words for one's own comment; someone newly mentioned is told, nobody twice about one comment. */
export async function editComment(
  trx: Executor,
  ctx: CommentActing,
  input: { commentId: string; body: CheckedComment },
): Promise<{ ok: true; comment: Comment; target: ResolvedOwner; mailIds: string[] } | CommentRefusal> {
  const checked = await checkCommentEdit(trx, ctx, input);
  if (!checked.ok) return checked;
  const { space, actor, now } = ctx;
  const { comment, target } = checked;
  const { body } = input;
  // Newly mentioned: not mentioned before this edit, and not already told (whatever they chose then: one who had
  // mentions off was not told, and is not told now because of a typo fixed).
  const before = new Set(await comments.mentionedIds(trx, comment.id));
  await comments.updateCommentBody(trx, comment.id, body, now);
  await comments.setMentions(trx, comment.id, body.mentionIds);
  const already = await alreadyNotified(trx, comment.id);
  const fresh = body.mentionIds.filter((id) => !before.has(id) && !already.has(id));
  const readers = [...(await readersAmong(trx, space, target, fresh, actor.id))];
  const { mailIds } = await notify(trx, {
    kind: "mention",
    spaceId: space.id,
    owner: { kind: target.kind, id: target.id },
    commentId: comment.id,
    actorId: actor.id,
    recipients: readers,
    now,
  });
  return { ok: true, comment, target, mailIds };
}

/**
 * Deleting empties the comment and marks it deleted (by whom): with live
 * replies it stays as "comment deleted", without it is no longer shown. Its
 * notifications go with it. Authors delete their own; editors and admins
 * anyone's (moderation). Moderation leaves an audit entry in the same
 * transaction: the emptied comment no longer says what it was about, so the
 * entry keeps who removed whose words, and where.
 */
export async function deleteComment(
  trx: Executor,
  ctx: CommentActing,
  input: { commentId: string },
): Promise<{ ok: true; comment: Comment; target: ResolvedOwner; moderated: boolean } | CommentRefusal> {
  const { space, actor, membership, now } = ctx;
  const found = await findComment(trx, ctx, input.commentId);
  if (!found) return refused("not_found");
  const { comment, target } = found;
  if (!canDeleteComment(actor, membership, space, comment, threadRights(ctx, target, now).write)) return refused("forbidden");
  const moderated = comment.author_id !== actor.id;
  await comments.markCommentDeleted(trx, comment.id, actor.id, now);
  if (moderated) {
    await audit(trx, {
      event: "comment_moderated",
      actorId: actor.id,
      ip: ctx.ip,
      spaceId: space.id,
      targetUserId: comment.author_id,
      data: { commentId: comment.id, authorId: comment.author_id, targetType: target.kind, targetId: target.id, title: target.title },
      now,
    });
  }
  return { ok: true, comment, target, moderated };
}
