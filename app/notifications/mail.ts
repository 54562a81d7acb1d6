import type { Locale } from "#db/schema.ts";
import { composeMail, type Mail } from "#app/mail/compose.ts";
import { wordingOf, type KnownNotificationKind } from "./kinds.ts";

/** What every notification's mail says, whatever its kind. */
export interface NotificationMailParts {
  to: string;
  locale: Locale;
  network: string;
  /** Who acted (wrote the comment, asked …). */
  name: string;
  space: string;
  /** The article or page it is about. */
  title: string;
  /** The comment's text, as written (quoted, escaped); null when it is about no comment. */
  body: string | null;
  url: string;
  settingsUrl: string;
  /** The one-click address that stops this kind's mails (app/mail/unsubscribe.server.ts). */
  unsubscribeUrl: string;
  /** Where an answer by mail goes, for a mail about a comment (app/mail/replies.server.ts). */
  replyTo?: string | null;
}

/** One composition for every kind: the kind brings only its wording (kinds.ts). */
export function notificationMail(kind: KnownNotificationKind, m: NotificationMailParts): Mail {
  const words = wordingOf(kind);
  return composeMail({
    to: m.to,
    locale: m.locale,
    network: m.network,
    subject: words.subject,
    params: { name: m.name, space: m.space, title: m.title },
    paragraphs: [words.body, ...(m.body !== null ? [{ quote: m.body }] : [])],
    cta: { key: words.cta, url: m.url },
    footer: { key: words.settings, params: { url: m.settingsUrl } },
    unsubscribe: m.unsubscribeUrl,
    replyTo: m.replyTo,
  });
}
