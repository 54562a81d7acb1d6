import type { Locale } from "#db/schema.ts";
import { composeMail, type Mail } from "#app/mail/compose.ts";

/**
 * The one mail about unread messages in a conversation (or a contact
 * request): who wrote and a link back — never the message itself, which
 * stays in Cercle, readable by its members only.
 */
export function conversationMail(m: { to: string; locale: Locale; network: string; name: string; url: string; settingsUrl: string; unsubscribeUrl?: string; replyTo?: string | null; request: boolean }): Mail {
  return composeMail({
    to: m.to,
    locale: m.locale,
    network: m.network,
    subject: m.request ? "mail.contactRequest.subject" : "mail.message.subject",
    params: { name: m.name },
    paragraphs: [m.request ? "mail.contactRequest.body" : "mail.message.body"],
    cta: { key: m.request ? "mail.contactRequest.cta" : "mail.message.cta", url: m.url },
    footer: { key: "mail.message.settings", params: { url: m.settingsUrl } },
    unsubscribe: m.unsubscribeUrl,
    replyTo: m.replyTo,
  });
}
