import { CHOICES, type ChoiceKind } from "#app/notifications/choices.ts";
import type { LinkSigner } from "./links.server.ts";

/**
 * One-click unsubscribe (RFC 8058). Every mail a member chose to get (a
 * notification's, a reminder, a digest …) names, in `List-Unsubscribe`, an
 * address that stops that kind of mail for them — signed for them and that
 * kind (links.server.ts), so it needs no session and acts for no one else.
 * A mail client posts `List-Unsubscribe=One-Click` to it; a person who opens
 * it gets a page with one button (a GET never changes anything: mail
 * scanners open links).
 */

export type MailList = ChoiceKind | "digest";
export const UNSUBSCRIBE_PATH = "/mail/unsubscribe";

const LISTS = new Set<string>(["digest", ...CHOICES.map((c) => c.kind)]);

export function unsubscribeUrl(signer: LinkSigner, baseUrl: URL | string, userId: string, list: MailList): string {
  return new URL(`${UNSUBSCRIBE_PATH}?t=${signer.sign("unsubscribe", [userId, list])}`, baseUrl).href;
}

/** Whom and what a token names, when it is one of ours, whole. */
export function readUnsubscribe(signer: LinkSigner, token: string | null): { userId: string; list: MailList } | null {
  const fields = token ? signer.verify("unsubscribe", token) : null;
  if (!fields || fields.length !== 2 || !LISTS.has(fields[1]!)) return null;
  return { userId: fields[0]!, list: fields[1] as MailList };
}
