import type { DB, Executor } from "#db/client.ts";
import { findMembership } from "#db/queries/members.ts";
import { findReplyAddress } from "#db/queries/reply-addresses.ts";
import { findById as findSpace } from "#db/queries/spaces.ts";
import { findByEmail, findById as findUser, normalizeEmail } from "#db/queries/users.ts";
import type { Locale } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { createComment, checkNewComment } from "#app/comments/commands.server.ts";
import { postMessage } from "#app/conversations/commands.server.ts";
import { checkCommentContent } from "#app/editor/content-pool.server.ts";
import { plainTextDoc } from "#app/editor/plain-text.ts";
import { isLocale } from "#app/i18n/index.ts";
import { actorOf } from "#app/policies/actor.ts";
import { conversationUrl, spaceUrl } from "#app/urls.ts";
import type { Letterhead } from "#app/utils/acting.server.ts";
import { composeMail, type Mail } from "./compose.ts";
import { linkSigner } from "./links.server.ts";
import { queueMails } from "./outbox.server.ts";
import { tokenIn } from "./reply-address.server.ts";

/**
 * Answering by mail (issue 18). A mail about a comment or a conversation
 * carries a Reply-To of its own: MAIL_REPLY_TO with "+<token>" in its local
 * part, the token naming a `reply_address` row (one member, one thread,
 * 60 days) and signed (links.server.ts, signId). A reply that comes back —
 * through Cercle's SMTP listener (inbound-smtp.server.ts) or an MTA's pipe
 * (`npm run mail:receive`) — becomes a comment or a message by that member,
 * in that thread, after the same checks as in the app. Loops and noise are
 * dropped without a word (automatic replies, bounces, what is not for us);
 * a refusal is explained by mail to the member, never to a stranger (no
 * backscatter to a forged sender).
 */

/** What one reply may hold once quotes are cut: a comment's room. */
const MAX_REPLY_CHARS = 10_000;
/** A whole mail, headers and all: replies are text; anything bigger is refused before it is read. */
export const MAX_REPLY_BYTES = 1024 * 1024;

export type IgnoredWhy = "automatic" | "bounce" | "not-for-us" | "malformed";
export type RefusedWhy = "unknown" | "expired" | "sender" | "attachments" | "empty" | "too-long" | "closed";

export type ReplyOutcome =
  | { outcome: "posted"; kind: "comment" | "message"; id: string; mailIds: string[] }
  | { outcome: "ignored"; why: IgnoredWhy }
  | { outcome: "refused"; why: RefusedWhy; mailIds: string[] };

interface Parsed {
  from: string | null;
  to: string[];
  text: string;
  attachments: number;
  automatic: boolean;
  bounce: boolean;
}

const AUTO_PRECEDENCE = new Set(["bulk", "junk", "list", "auto_reply"]);

/** What the mail says, read by mailparser (loaded at the first reply: it is big, and most servers never get one). */
async function parse(raw: Buffer): Promise<Parsed | null> {
  const { simpleParser } = await import("mailparser");
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch {
    return null;
  }
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === "string" ? value.trim().toLowerCase() : value && typeof value === "object" && "value" in value ? String((value as { value: unknown }).value).toLowerCase() : "";
  };
  const addresses = (field: unknown) =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((a: { value?: Array<{ address?: string }> }) => (a.value ?? []).flatMap((v) => (v.address ? [v.address] : [])));
  const from = addresses(mail.from)[0] ?? null;
  const contentType = header("content-type");
  const autoSubmitted = header("auto-submitted");
  return {
    from,
    to: [...addresses(mail.to), ...addresses(mail.cc)],
    // mailparser writes an HTML-only mail out as text itself (tags dropped, entities decoded): nothing of the HTML is kept.
    text: typeof mail.text === "string" ? mail.text : "",
    // Inline images a signature refers to (cid:) are not attachments the member meant to send.
    attachments: mail.attachments.filter((a) => !a.related).length,
    automatic:
      (autoSubmitted !== "" && autoSubmitted !== "no") ||
      mail.headers.has("x-autoreply") ||
      mail.headers.has("x-autorespond") ||
      AUTO_PRECEDENCE.has(header("precedence")) ||
      contentType.startsWith("multipart/report"),
    bounce: from !== null && /^(mailer-daemon|postmaster)@/i.test(from),
  };
}

/** The member's words: quoted text and signature cut by email-reply-parser, blank lines tidied. */
async function wordsOf(text: string): Promise<string> {
  const { default: EmailReplyParser } = await import("email-reply-parser");
  return new EmailReplyParser()
    .parseReply(text.replace(/\r\n?/g, "\n"))
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * One received mail. `envelope.from` is the SMTP sender (empty for a bounce),
 * `envelope.to` the recipients it was delivered to. Never throws for what
 * the mail says; throws only when the database fails (the caller answers
 * "try again later").
 */
export async function receiveReply(
  db: DB,
  raw: Buffer,
  envelope: { from: string | null; to: readonly string[] },
  options: { replyTo: string; letterhead: Letterhead; now: number },
): Promise<ReplyOutcome> {
  if (envelope.from === "") return { outcome: "ignored", why: "bounce" };
  const mail = await parse(raw);
  if (!mail) return { outcome: "ignored", why: "malformed" };
  if (mail.bounce) return { outcome: "ignored", why: "bounce" };
  if (mail.automatic) return { outcome: "ignored", why: "automatic" };
  const token = [...envelope.to, ...mail.to].map((a) => tokenIn(a, options.replyTo)).find((t) => t !== null);
  if (token === undefined) return { outcome: "ignored", why: "not-for-us" };

  const { now, letterhead } = options;
  const sender = mail.from ? await findByEmail(db, normalizeEmail(mail.from)) : undefined;
  const id = (await linkSigner(db)).verifyId("reply", token);
  const address = id ? await findReplyAddress(db, id) : undefined;
  // A stranger is told nothing (their address may be forged); a member is told why.
  const refuse = async (why: RefusedWhy, to = sender): Promise<ReplyOutcome> => {
    if (!to) return { outcome: "refused", why, mailIds: [] };
    // Where to answer instead: the conversation, the club of the thread, or the home.
    const space = address?.space_id ? await findSpace(db, address.space_id) : undefined;
    const where = address?.conversation_id ? conversationUrl(address.conversation_id) : space ? spaceUrl(space.slug) : "/";
    const queued = await transact(db, async (trx) => ({ ok: true as const, ids: await queueMails(trx, [{ mail: refusalMail(why, to, letterhead, where) }], now) }));
    return { outcome: "refused", why, mailIds: queued.ids };
  };
  if (!address) return refuse("unknown");
  if (address.expires_at < now) return refuse("expired");
  const member = await findUser(db, address.user_id);
  if (!member) return refuse("unknown");
  // The address is the member's: sent from another one, it acts for nobody.
  if (!sender || sender.id !== member.id) return refuse("sender");
  if (mail.attachments > 0) return refuse("attachments", member);
  const words = await wordsOf(mail.text);
  if (words === "") return refuse("empty", member);
  if (words.length > MAX_REPLY_CHARS) return refuse("too-long", member);
  const body = await checkCommentContent(plainTextDoc(words));
  if (!body.ok) return refuse(body.error === "empty" ? "empty" : "too-long", member);

  const actor = actorOf(member);
  if (address.thread === "conversation") {
    const done = await transact(db, (trx) => postMessage(trx, { actor, user: member, ip: "mail", now }, { conversationId: address.conversation_id!, body, letterhead }));
    return done.ok ? { outcome: "posted", kind: "message", id: done.messageId, mailIds: done.mailIds } : refuse("closed", member);
  }
  const space = await findSpace(db, address.space_id!);
  if (!space) return refuse("closed", member);
  const membership = await findMembership(db, space.id, member.id);
  const ctx = { space, actor, membership, ip: "mail", now };
  const input = { target: { kind: address.owner_kind!, id: address.owner_id! }, parentId: address.comment_id };
  // The same checks as the app's comment form: the thread still readable and open to them, the comment answered still there.
  if (!(await checkNewComment(db, ctx, input)).ok) return refuse("closed", member);
  const done = await transact(db, (trx) => createComment(trx, ctx, { ...input, body }));
  return done.ok ? { outcome: "posted", kind: "comment", id: done.comment.id, mailIds: done.mailIds } : refuse("closed", member);
}

/** To the member: why their reply was not posted, and where to answer in the app. */
function refusalMail(why: RefusedWhy, to: { email: string; locale: string | null }, head: Letterhead, where: string): Mail {
  const locale: Locale = isLocale(to.locale) ? to.locale : head.network.locale;
  const url = new URL(where, head.baseUrl).href;
  const mail = composeMail({
    to: to.email,
    locale,
    network: head.network.name,
    subject: "mail.replyRefused.subject",
    params: {},
    paragraphs: [`mail.replyRefused.${why}`],
    cta: { key: "mail.replyRefused.cta", url },
    footer: { key: "mail.replyRefused.footer", params: {} },
  });
  // Said to every mail system on the way: an automatic answer, not to be answered automatically.
  return { ...mail, autoSubmitted: true };
}
