import { audit } from "#db/queries/audit.ts";
import * as comments from "#db/queries/comments.ts";
import type { CommentTarget } from "#db/queries/comments.ts";
import * as notifications from "#db/queries/notifications.ts";
import * as pages from "#db/queries/pages.ts";
import { findPostInSpace } from "#db/queries/posts.ts";
import type { Comment, NotificationKind, Page, Post, Role, Space } from "#db/schema.ts";
import type { Executor } from "#db/client.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import type { ContentError } from "#app/editor/content.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canDeleteComment, canEditComment, canWriteComments } from "#app/policies/comment.ts";
import { canReadPost } from "#app/policies/post.ts";
import { can, type Actor, type MembershipFacts } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import type { SpaceContext } from "#app/utils/space.server.ts";
import { send } from "#app/mail/outbox.server.ts";
import { queueNotificationMails } from "./mail.server.ts";

/**
 * Writing comments: every check on the server, every change in one
 * transaction, mail after commit. The target (an article or a wiki page) is
 * looked up within the space of the URL, live and readable by the actor, or
 * it is a 404 — a draft the actor may not read is not there for them.
 */

export type ResolvedTarget =
  | { type: "page"; id: string; title: string; path: string; page: Page }
  | { type: "post"; id: string; title: string; path: string; post: Post };

/** The target as the actor may see it, or 404. */
export async function resolveTarget(db: Executor, ctx: Pick<SpaceContext, "space" | "actor" | "membership">, target: CommentTarget): Promise<ResolvedTarget> {
  const { space, actor, membership } = ctx;
  if (!can(actor, membership, space, "read")) notFound();
  if (target.type === "page") {
    const page = await pages.findInSpace(db, space.id, target.id);
    if (!page || page.deleted_at !== null) notFound();
    return { type: "page", id: page.id, title: page.title, path: `/spaces/${space.slug}/wiki/${page.slug}`, page };
  }
  const post = await findPostInSpace(db, space.id, target.id);
  if (!post || post.deleted_at !== null || !canReadPost(actor, membership, space, post)) notFound();
  return { type: "post", id: post.id, title: post.title, path: `/spaces/${space.slug}/blog/${post.slug}`, post };
}

/** Whether this member (by role) may read the target: everyone who reads the space reads a page; a post as its policy says. */
function memberMayRead(space: Space, target: ResolvedTarget, member: { id: string; role: Role; is_network_admin: number }) {
  const actor: Actor = { id: member.id, isNetworkAdmin: member.is_network_admin === 1 };
  const membership: MembershipFacts = { role: member.role };
  if (!can(actor, membership, space, "read")) return false;
  return target.type === "page" || canReadPost(actor, membership, space, target.post);
}

/**
 * Who hears of a comment: the members of the space among `candidates` who
 * may read its target, never its author. A mentioned id that is not such a
 * member (someone outside the space, a forged id) is simply nobody.
 */
async function readersAmong(db: Executor, space: Space, target: ResolvedTarget, candidates: string[], authorId: string) {
  const ids = [...new Set(candidates)].filter((id) => id !== authorId);
  if (ids.length === 0) return new Map<string, { mail_on_mention: number; mail_on_reply: number }>();
  const rows = await db
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .select(["u.id", "m.role", "u.is_network_admin", "u.mail_on_mention", "u.mail_on_reply"])
    .where("m.space_id", "=", space.id)
    .where("m.user_id", "in", ids)
    .execute();
  return new Map(rows.filter((r) => memberMayRead(space, target, r)).map((r) => [r.id, r]));
}

export class CommentRefused extends Error {
  constructor(
    readonly code: ContentError,
    readonly detail?: string,
  ) {
    super(code);
  }
}

async function checkBody(raw: unknown) {
  const result = await checkCommentContent(raw);
  if (!result.ok) throw new CommentRefused(result.error, result.detail);
  return result;
}

export async function createComment(
  ctx: SpaceContext,
  input: { target: CommentTarget; parentId: string | null; body: unknown },
): Promise<{ comment: Comment; target: ResolvedTarget }> {
  const db = getDb();
  const { space, actor, membership, user } = ctx;
  const target = await resolveTarget(db, ctx, input.target);
  authorize(canWriteComments(actor, membership, space));

  let answered: Comment | undefined;
  let parentId: string | null = null;
  if (input.parentId) {
    answered = await comments.findCommentInSpace(db, space.id, input.parentId);
    if (!answered || !comments.sameTarget(answered, target) || answered.deleted_at !== null) notFound();
    // One level of replies: a reply to a reply joins the thread of the top comment.
    parentId = answered.parent_id ?? answered.id;
  }
  const body = await checkBody(input.body);
  const now = Date.now();

  const { comment, mailIds } = await db.transaction().execute(async (trx) => {
    if (parentId) {
      // The thread's top comment may have gone meanwhile; a placeholder (deleted with replies) still holds its thread.
      const top = await comments.findCommentInSpace(trx, space.id, parentId);
      if (!top) notFound();
    }
    const comment = await comments.insertComment(trx, { spaceId: space.id, target, parentId, authorId: user.id, body, now });
    await comments.setMentions(trx, comment.id, body.mentionIds);
    const replyTo = answered?.author_id ?? null;
    const readers = await readersAmong(trx, space, target, [...body.mentionIds, ...(replyTo ? [replyTo] : [])], user.id);
    const items: notifications.NewNotification[] = [];
    const wantMail: boolean[] = [];
    for (const [userId, reader] of readers) {
      const mentioned = body.mentionIds.includes(userId);
      const repliedTo = userId === replyTo;
      // One notification a person: a mention wins; mail if they asked for either.
      const kind: NotificationKind = mentioned ? "mention" : "reply";
      const mail = (mentioned && reader.mail_on_mention === 1) || (repliedTo && reader.mail_on_reply === 1);
      items.push({ userId, kind, spaceId: space.id, commentId: comment.id, actorId: user.id, now });
      wantMail.push(mail);
    }
    const notificationIds = await notifications.insertNotifications(trx, items);
    const mailIds = await queueNotificationMails(trx, notificationIds.filter((_, i) => wantMail[i]), now);
    return { comment, mailIds };
  });
  send(mailIds);
  return { comment, target };
}

/** The comment a request names, in this space, live, on a target the actor may read; 404 otherwise. */
async function loadComment(ctx: SpaceContext, commentId: string) {
  const db = getDb();
  const comment = await comments.findCommentInSpace(db, ctx.space.id, commentId);
  if (!comment || comment.deleted_at !== null) notFound();
  const target = await resolveTarget(db, ctx, comments.targetOf(comment));
  return { comment, target };
}

export async function editComment(ctx: SpaceContext, input: { commentId: string; body: unknown }) {
  const db = getDb();
  const { space, actor, membership, user } = ctx;
  const { comment, target } = await loadComment(ctx, input.commentId);
  authorize(canEditComment(actor, membership, space, comment));
  const body = await checkBody(input.body);
  const now = Date.now();
  const mailIds = await db.transaction().execute(async (trx) => {
    await comments.updateCommentBody(trx, comment.id, body, now);
    await comments.setMentions(trx, comment.id, body.mentionIds);
    // Someone newly mentioned is told; nobody is told twice about one comment.
    const already = await notifications.notifiedUsers(trx, comment.id);
    const fresh = body.mentionIds.filter((id) => !already.has(id));
    const readers = [...(await readersAmong(trx, space, target, fresh, user.id))];
    const ids = await notifications.insertNotifications(
      trx,
      readers.map(([userId]) => ({ userId, kind: "mention" as const, spaceId: space.id, commentId: comment.id, actorId: user.id, now })),
    );
    return queueNotificationMails(trx, ids.filter((_, i) => readers[i][1].mail_on_mention === 1), now);
  });
  send(mailIds);
  return { comment, target };
}

/**
 * Deleting empties the comment and marks it deleted (by whom): with live
 * replies it stays as "comment deleted", without it is no longer shown. Its
 * notifications go with it. Authors delete their own; editors and admins
 * anyone's (moderation). Moderation leaves an audit entry in the same
 * transaction: the emptied comment no longer says what it was about, so the
 * entry keeps who removed whose words, and where.
 */
export async function deleteComment(ctx: SpaceContext, input: { commentId: string; ip: string }) {
  const db = getDb();
  const { space, actor, membership, user } = ctx;
  const { comment, target } = await loadComment(ctx, input.commentId);
  authorize(canDeleteComment(actor, membership, space, comment));
  const moderated = comment.author_id !== user.id;
  await db.transaction().execute(async (trx) => {
    const now = Date.now();
    await comments.markCommentDeleted(trx, comment.id, user.id, now);
    if (moderated) {
      await audit(trx, {
        event: "comment_moderated",
        actorId: user.id,
        ip: input.ip,
        spaceId: space.id,
        targetUserId: comment.author_id,
        data: { commentId: comment.id, authorId: comment.author_id, targetType: target.type, targetId: target.id, title: target.title },
        now,
      });
    }
  });
  return { comment, target, moderated };
}
