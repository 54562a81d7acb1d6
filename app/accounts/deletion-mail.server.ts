import type { DeletionMode, Locale } from "#db/schema.ts";
import { formatDate } from "#app/i18n/index.ts";
import { composeMail } from "#app/mail/compose.ts";

/**
 * The mails of an account's deletion, in the member's language: the request
 * (when, what becomes of what they wrote, how to cancel) and its
 * cancellation. Both go to the address the account still has; nothing is
 * mailed once it is carried out, as there is no address left to mail.
 */

interface Common {
  to: string;
  locale: Locale;
  network: string;
}

export const deletionRequestedMail = (m: Common & { mode: DeletionMode; dueAt: number; url: string }) =>
  composeMail({
    ...m,
    subject: "mail.deletionRequested.subject",
    params: { network: m.network, date: formatDate(m.locale, m.dueAt, "date") },
    paragraphs: ["mail.deletionRequested.body", m.mode === "remove" ? "mail.deletionRequested.remove" : "mail.deletionRequested.anonymise", "mail.deletionRequested.cancel"],
    cta: { key: "mail.deletionRequested.cta", url: m.url },
    footer: { key: "mail.deletionRequested.footer", params: {} },
  });

export const deletionCancelledMail = (m: Common) =>
  composeMail({
    ...m,
    subject: "mail.deletionCancelled.subject",
    params: { network: m.network },
    paragraphs: ["mail.deletionCancelled.body"],
    footer: { key: "mail.deletionCancelled.footer", params: {} },
  });
