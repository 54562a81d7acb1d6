import type { Locale } from "#db/schema.ts";
import { translate, type MessageKey, type MessageParams } from "#app/i18n/index.ts";
import { escapeHtml } from "#app/utils/html.ts";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one link the mail is about, printed on the console when there is no SMTP server. */
  link?: string;
  /** An iCalendar invitation or cancellation carried with the mail, which calendar-aware mail clients apply to the event. */
  calendar?: MailCalendar;
  /** For a mail the person chose to get: the one-click unsubscribe address (app/mail/unsubscribe.server.ts). */
  unsubscribe?: string;
  /** Where an answer goes: a reply address of the member's thread (app/mail/replies.server.ts). */
  replyTo?: string;
  /** An automatic answer (Auto-Submitted: auto-replied): no mail system should answer it in turn. */
  autoSubmitted?: boolean;
}

export interface MailCalendar {
  /** The iCalendar METHOD, as in the content: REQUEST for a new or changed event, CANCEL when it is off. */
  method: "REQUEST" | "CANCEL";
  filename: string;
  content: string;
}

export interface MailParts {
  to: string;
  locale: Locale;
  network: string;
  subject: MessageKey;
  params: MessageParams;
  /** Paragraphs, each a message key (with the shared params) or a quoted text from a person. */
  paragraphs: Array<MessageKey | { quote: string } | { key: MessageKey; params: MessageParams }>;
  cta?: { key: MessageKey; url: string };
  /**
   * The small print before the signature. By default "if you were not
   * expecting this message, ignore it" — right for an invitation or a reset
   * link, wrong for a mail the person asked for in their settings, which says
   * instead why it came and where to stop it.
   */
  footer?: { key: MessageKey; params: MessageParams };
  /** The one-click unsubscribe address, for a mail the person chose to get. */
  unsubscribe?: string;
  /** A reply address (app/mail/replies.server.ts): the mail says it can be answered. */
  replyTo?: string | null;
}

/**
 * Every mail is plain text first (read everywhere) with a sober HTML twin;
 * what people wrote is escaped, never interpreted.
 */
export function composeMail(parts: MailParts): Mail {
  const t = (key: MessageKey, params: MessageParams = parts.params) => translate(parts.locale, key, params);
  const textBlocks: string[] = [t("mail.greeting")];
  const htmlBlocks: string[] = [`<p>${escapeHtml(t("mail.greeting"))}</p>`];
  for (const p of parts.paragraphs) {
    if (typeof p === "string") {
      textBlocks.push(t(p));
      htmlBlocks.push(`<p>${escapeHtml(t(p))}</p>`);
    } else if ("quote" in p) {
      textBlocks.push(p.quote.split("\n").map((l) => `> ${l}`).join("\n"));
      htmlBlocks.push(
        `<blockquote style="border-left:3px solid #c7d2fe;margin:0;padding:4px 12px;color:#334155">${escapeHtml(p.quote).replace(/\n/g, "<br>")}</blockquote>`,
      );
    } else {
      textBlocks.push(t(p.key, p.params));
      htmlBlocks.push(`<p>${escapeHtml(t(p.key, p.params))}</p>`);
    }
  }
  if (parts.cta) {
    textBlocks.push(`${t(parts.cta.key)}\n${parts.cta.url}`);
    htmlBlocks.push(
      `<p>${escapeHtml(t(parts.cta.key))}<br><a href="${escapeHtml(parts.cta.url)}" style="color:#3730a3">${escapeHtml(parts.cta.url)}</a></p>`,
    );
  }
  if (parts.replyTo) {
    textBlocks.push(t("mail.reply.hint"));
    htmlBlocks.push(`<p style="color:#475569">${escapeHtml(t("mail.reply.hint"))}</p>`);
  }
  const footer = parts.footer ? t(parts.footer.key, parts.footer.params) : t("mail.ignore");
  textBlocks.push(footer, t("mail.signature", { network: parts.network }));
  htmlBlocks.push(
    `<p style="color:#64748b">${escapeHtml(footer)}</p><p style="color:#64748b">${escapeHtml(t("mail.signature", { network: parts.network }))}</p>`,
  );
  return {
    to: parts.to,
    subject: t(parts.subject),
    text: textBlocks.join("\n\n") + "\n",
    html: `<!doctype html><html lang="${parts.locale}"><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#0f172a;max-width:560px">${htmlBlocks.join("")}</body></html>`,
    link: parts.cta?.url,
    ...(parts.unsubscribe ? { unsubscribe: parts.unsubscribe } : {}),
    ...(parts.replyTo ? { replyTo: parts.replyTo } : {}),
  };
}
