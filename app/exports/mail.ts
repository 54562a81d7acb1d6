import type { Locale } from "#db/schema.ts";
import { composeMail } from "#app/mail/compose.ts";

/**
 * "Your data is ready": the link leads to the settings page, never to the
 * file — the download needs the member's session, so a forwarded or leaked
 * mail gives nothing away. The small print says what to do if they did not ask.
 */
export const exportReadyMail = (m: { to: string; locale: Locale; network: string; settingsUrl: string; passwordUrl: string; expiresAt: Date; timeZone: string }) =>
  composeMail({
    to: m.to,
    locale: m.locale,
    network: m.network,
    subject: "dataExport.mail.subject",
    params: { network: m.network, expires: m.expiresAt.toLocaleDateString(m.locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: m.timeZone }) },
    paragraphs: ["dataExport.mail.body", "dataExport.mail.expires"],
    cta: { key: "dataExport.mail.cta", url: m.settingsUrl },
    footer: { key: "dataExport.mail.footer", params: { url: m.passwordUrl } },
  });
