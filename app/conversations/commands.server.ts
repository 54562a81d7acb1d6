import { linkSigner } from "#app/mail/links.server.ts";
import { replyAddressFor } from "#app/mail/reply-address.server.ts";
import { unsubscribeUrl } from "#app/mail/unsubscribe.server.ts";
import type { Executor } from "#db/client.ts";
import { audit } from "#db/queries/audit.ts";
import { blockedEither } from "#db/queries/contact.ts";
import * as conversations from "#db/queries/conversations.ts";
import type { Locale, User } from "#db/schema.ts";
import { isLocale } from "#app/i18n/index.ts";
import { queueMails } from "#app/mail/outbox.server.ts";
import { contactAnswer, type ContactAnswer } from "#app/policies/contact.ts";
import type { Acting, Letterhead } from "#app/utils/acting.server.ts";
import { DAILY_REQUESTS, MAX_MEMBERS, MAX_REASON } from "./limits.ts";
import { takingMail } from "#db/queries/notification-choices.ts";
import { mailRule } from "#app/notifications/choices.ts";
import { conversationMail } from "./mail.ts";

/**
 * The conversation use cases: start one (or send a contact request), write,
 * delete one's own message, answer a request, mute, leave, report. Each
 * takes the executor (the caller's transaction), who acts and the input, and
 * answers a result or a typed refusal. A conversation id names one the actor
 * is in, or nothing ("not_found": the same answer as for one that does not
 * exist, so no id tells anyone a conversation exists). Who may write to whom
 * is contactAnswer's to say; a refusal never says whether it was a block.
 * The text is checked by the caller before the transaction (in its worker).
 */

export type ConversationActing = Pick<Acting, "actor" | "user" | "ip" | "now">;
export type Body = conversations.MessageBody;

const DAY = 24 * 60 * 60 * 1000;
/** What a report copies: the latest messages, as many as an admin can read. */
const REPORTED_MESSAGES = 200;

type Refusal<E extends string> = { ok: false; error: E };
const refused = <E extends string>(error: E): Refusal<E> => ({ ok: false, error });

/** What contactAnswer answers for the actor writing to each of these members (unknown ids: refused). */
export async function answersFor(db: Executor, actor: Pick<User, "id">, recipientIds: readonly string[]): Promise<Map<string, ContactAnswer>> {
  const ids = [...new Set(recipientIds)];
  const out = new Map<string, ContactAnswer>();
  if (ids.length === 0) return out;
  const [people, clubmates] = await Promise.all([
    db.selectFrom("user").select(["id", "listing", "contact_policy", "deletion_due_at"]).where("id", "in", ids).execute(),
    conversations.clubmatesAmong(db, actor.id, ids),
  ]);
  const found = new Map(people.map((p) => [p.id, p]));
  for (const id of ids) {
    const person = found.get(id);
    if (!person) {
      out.set(id, "refused");
      continue;
    }
    const request = await conversations.requestBetween(db, actor.id, id);
    out.set(
      id,
      contactAnswer({
        relation: id === actor.id ? "self" : clubmates.has(id) ? "club" : "network",
        recipientListing: person.listing,
        recipientPolicy: person.contact_policy,
        recipientLeaving: person.deletion_due_at !== null,
        blocked: await blockedEither(db, actor.id, id),
        request: request?.state ?? "none",
      }),
    );
  }
  return out;
}

/**
 * The mails a new message calls for: one per member who has not read since
 * the last mail about this conversation, has not muted it and takes these
 * mails. Marked as mailed in the same transaction, so a second message
 * before they read sends nothing more.
 */
async function mailUnread(trx: Executor, input: { conversationId: string; author: Pick<User, "id" | "display_name">; letterhead: Letterhead; request: boolean; now: number }) {
  const members = await conversations.activeMembers(trx, input.conversationId);
  const byMail = await takingMail(
    trx,
    members.map((m) => m.id),
    mailRule("message"),
  );
  const due = members.filter((m) => m.id !== input.author.id && m.muted === 0 && byMail.has(m.id) && (m.mailed_at === null || m.mailed_at < m.last_read_at));
  if (due.length === 0) return [];
  const url = new URL(`/messages/${input.conversationId}`, input.letterhead.baseUrl).href;
  const settingsUrl = new URL("/settings/notifications", input.letterhead.baseUrl).href;
  const locale = (l: string | null): Locale => (isLocale(l) ? l : input.letterhead.network.locale);
  const signer = await linkSigner(trx);
  const replyTo = new Map<string, string | null>();
  // A contact request is answered in the app (accept or decline first): its mail has no reply address.
  if (!input.request) {
    for (const m of due) replyTo.set(m.id, await replyAddressFor(trx, input.letterhead.mailReplyTo ?? null, { userId: m.id, to: { thread: "conversation", conversationId: input.conversationId }, now: input.now }));
  }
  const ids = await queueMails(
    trx,
    due.map((m) => ({
      mail: conversationMail({
        replyTo: replyTo.get(m.id) ?? null,
        to: m.email,
        locale: locale(m.locale),
        network: input.letterhead.network.name,
        name: input.author.display_name,
        url,
        settingsUrl,
        unsubscribeUrl: unsubscribeUrl(signer, input.letterhead.baseUrl, m.id, "message"),
        request: input.request,
      }),
    })),
    input.now,
  );
  await conversations.setMailed(
    trx,
    input.conversationId,
    due.map((m) => m.id),
    input.now,
  );
  return ids;
}

/**
 * Starts a conversation with one or more members, with its first message.
 * To one member one shares no club with, it is a contact request (at most
 * DAILY_REQUESTS a day); a group is only for members one may write to
 * directly. Refusals name nobody's reason: "not_allowed" lists the members
 * who cannot be written to, whatever the cause.
 */
export async function startConversation(
  trx: Executor,
  ctx: ConversationActing,
  input: { recipientIds: readonly string[]; body: Body; letterhead: Letterhead },
): Promise<
  | { ok: true; conversationId: string; request: boolean; mailIds: string[] }
  | Refusal<"no_recipient" | "too_many" | "daily_limit">
  | { ok: false; error: "not_allowed" | "waiting"; who: string[] }
> {
  const { user, now } = ctx;
  const recipients = [...new Set(input.recipientIds)].filter((id) => id !== user.id);
  if (recipients.length === 0) return refused("no_recipient");
  if (recipients.length + 1 > MAX_MEMBERS) return refused("too_many");
  const answers = await answersFor(trx, user, recipients);
  const notAllowed = recipients.filter((id) => answers.get(id) === "refused" || (recipients.length > 1 && answers.get(id) !== "write"));
  if (notAllowed.length > 0) return { ok: false, error: "not_allowed", who: notAllowed };
  const waiting = recipients.filter((id) => answers.get(id) === "wait");
  if (waiting.length > 0) return { ok: false, error: "waiting", who: waiting };
  const request = recipients.length === 1 && answers.get(recipients[0]) === "request";
  if (request && (await conversations.requestsSince(trx, user.id, now - DAY)) >= DAILY_REQUESTS) return refused("daily_limit");
  const conversationId = await conversations.insertConversation(trx, { createdBy: user.id, memberIds: recipients, now });
  if (request) await conversations.insertRequest(trx, { fromId: user.id, toId: recipients[0], conversationId, now });
  await conversations.insertMessage(trx, { conversationId, authorId: user.id, body: input.body, now });
  const mailIds = await mailUnread(trx, { conversationId, author: user, letterhead: input.letterhead, request, now });
  return { ok: true, conversationId, request, mailIds };
}

/**
 * Whether the actor may write in this conversation now: they are in it; a
 * contact request it opened is accepted (its sender waits until then; its
 * recipient writes by accepting); and, between two, neither blocked the other.
 */
async function mayWriteIn(db: Executor, userId: string, conversationId: string): Promise<boolean> {
  const request = await conversations.requestOf(db, conversationId);
  if (request && request.state !== "accepted") return false;
  const others = (await conversations.activeMembers(db, conversationId)).filter((m) => m.id !== userId);
  if (others.length === 0) return false;
  if (others.length === 1 && (await blockedEither(db, userId, others[0].id))) return false;
  return true;
}

export async function postMessage(
  trx: Executor,
  ctx: ConversationActing,
  input: { conversationId: string; body: Body; letterhead: Letterhead },
): Promise<{ ok: true; messageId: string; mailIds: string[] } | Refusal<"not_found" | "forbidden">> {
  const { user, now } = ctx;
  if (!(await conversations.activeMembership(trx, input.conversationId, user.id))) return refused("not_found");
  if (!(await mayWriteIn(trx, user.id, input.conversationId))) return refused("forbidden");
  const message = await conversations.insertMessage(trx, { conversationId: input.conversationId, authorId: user.id, body: input.body, now });
  const mailIds = await mailUnread(trx, { conversationId: input.conversationId, author: user, letterhead: input.letterhead, request: false, now });
  return { ok: true, messageId: message.id, mailIds };
}

/** One's own message, emptied: it shows "message deleted". */
export async function deleteMessage(trx: Executor, ctx: ConversationActing, input: { conversationId: string; messageId: string }): Promise<{ ok: true } | Refusal<"not_found" | "forbidden">> {
  if (!(await conversations.activeMembership(trx, input.conversationId, ctx.user.id))) return refused("not_found");
  const message = await conversations.findMessage(trx, input.conversationId, input.messageId);
  if (!message || message.deleted_at !== null) return refused("not_found");
  if (message.author_id !== ctx.user.id) return refused("forbidden");
  await conversations.markMessageDeleted(trx, message.id, ctx.now);
  return { ok: true };
}

/**
 * The recipient of a contact request accepts it (both write from then on) or
 * declines it: silently — the conversation leaves their list, and the sender
 * sees it waiting still.
 */
export async function answerRequest(trx: Executor, ctx: ConversationActing, input: { conversationId: string; accept: boolean }): Promise<{ ok: true } | Refusal<"not_found">> {
  if (!(await conversations.activeMembership(trx, input.conversationId, ctx.user.id))) return refused("not_found");
  const request = await conversations.requestOf(trx, input.conversationId);
  if (!request || request.to_id !== ctx.user.id || request.state !== "pending") return refused("not_found");
  await conversations.decideRequest(trx, request.id, input.accept ? "accepted" : "declined", ctx.now);
  if (!input.accept) await conversations.leave(trx, input.conversationId, ctx.user.id, ctx.now);
  return { ok: true };
}

export async function muteConversation(trx: Executor, ctx: ConversationActing, input: { conversationId: string; muted: boolean }): Promise<{ ok: true } | Refusal<"not_found">> {
  if (!(await conversations.activeMembership(trx, input.conversationId, ctx.user.id))) return refused("not_found");
  await conversations.setMuted(trx, input.conversationId, ctx.user.id, input.muted);
  return { ok: true };
}

export async function leaveConversation(trx: Executor, ctx: ConversationActing, input: { conversationId: string }): Promise<{ ok: true } | Refusal<"not_found">> {
  if (!(await conversations.activeMembership(trx, input.conversationId, ctx.user.id))) return refused("not_found");
  await conversations.leave(trx, input.conversationId, ctx.user.id, ctx.now);
  return { ok: true };
}

/**
 * Reports the conversation to the network admins, with a reason; the report
 * carries a copy of its latest messages, the only part of anyone's
 * conversations an admin ever reads. Audited.
 */
export async function reportConversation(
  trx: Executor,
  ctx: ConversationActing,
  input: { conversationId: string; reason: string },
): Promise<{ ok: true; reportId: string } | Refusal<"not_found" | "empty_reason">> {
  if (!(await conversations.activeMembership(trx, input.conversationId, ctx.user.id))) return refused("not_found");
  const reason = input.reason.trim().slice(0, MAX_REASON);
  if (reason === "") return refused("empty_reason");
  const reportId = await conversations.insertReport(trx, { conversationId: input.conversationId, reporterId: ctx.user.id, reason, limit: REPORTED_MESSAGES, now: ctx.now });
  await audit(trx, { event: "conversation_reported", actorId: ctx.user.id, ip: ctx.ip, data: { reportId }, now: ctx.now });
  return { ok: true, reportId };
}

/** A network admin marks a report dealt with. */
export async function handleReport(trx: Executor, ctx: ConversationActing, input: { reportId: string }): Promise<{ ok: true } | Refusal<"forbidden" | "not_found">> {
  if (!ctx.actor.isNetworkAdmin) return refused("forbidden");
  if (!(await conversations.markReportHandled(trx, input.reportId, ctx.user.id, ctx.now))) return refused("not_found");
  await audit(trx, { event: "conversation_report_handled", actorId: ctx.user.id, ip: ctx.ip, data: { reportId: input.reportId }, now: ctx.now });
  return { ok: true };
}
