import type { Executor } from "#db/client.ts";
import { createReplyAddress, type ReplyThread } from "#db/queries/reply-addresses.ts";
import { linkSigner } from "./links.server.ts";

/**
 * Reply addresses (issue 18): MAIL_REPLY_TO with "+<token>" in its local
 * part, the token naming a `reply_address` row — one member, one thread,
 * REPLY_DAYS — and signed (links.server.ts, signId), 47 characters in all
 * before the "@". What comes back to one is replies.server.ts's.
 */

const DAY = 24 * 60 * 60 * 1000;

export const REPLY_DAYS = 60;
/** `reply@cercle.example` and a token: `reply+<token>@cercle.example`. */
function withToken(address: string, token: string): string {
  const at = address.lastIndexOf("@");
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

/** The token in one of ours (`<local>+<token>@<domain>`, case-blind), or null for any other address. */
export function tokenIn(address: string, replyTo: string): string | null {
  const at = replyTo.lastIndexOf("@");
  const local = replyTo.slice(0, at).toLowerCase();
  const domain = replyTo.slice(at + 1).toLowerCase();
  const given = address.trim().toLowerCase();
  const givenAt = given.lastIndexOf("@");
  if (givenAt < 0 || given.slice(givenAt + 1) !== domain) return null;
  const givenLocal = given.slice(0, givenAt);
  return givenLocal.startsWith(`${local}+`) ? givenLocal.slice(local.length + 1) : null;
}

/** A reply address for this member and thread, or null when mails cannot be answered here (MAIL_REPLY_TO unset). */
export async function replyAddressFor(db: Executor, replyTo: string | null, input: { userId: string; to: ReplyThread; now: number }): Promise<string | null> {
  if (!replyTo) return null;
  const id = await createReplyAddress(db, { userId: input.userId, to: input.to, now: input.now, expiresAt: input.now + REPLY_DAYS * DAY });
  return withToken(replyTo, (await linkSigner(db)).signId("reply", id));
}

