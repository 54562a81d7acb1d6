import type { Locale } from "#db/schema.ts";
import { composeMail } from "#app/mail/compose.ts";

/** Told to the member whose second factor a network admin reset: if they did not ask for it, they should say so. */
export const secondFactorResetMail = (m: { to: string; locale: Locale; network: string; url: string }) =>
  composeMail({
    ...m,
    subject: "secondFactor.mail.reset.subject",
    params: { network: m.network },
    paragraphs: ["secondFactor.mail.reset.body", "secondFactor.mail.reset.next"],
    cta: { key: "secondFactor.mail.reset.cta", url: m.url },
    footer: { key: "secondFactor.mail.reset.footer", params: {} },
  });
