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

/** What changed in the way an account signs in, each told to its owner by mail (securityChangeMail). */
export type SecurityChange = "totp_enabled" | "totp_disabled" | "recovery_renewed" | "passkey_added" | "passkey_removed";

/**
 * Told to a member when their own sign-in changes: a second factor turned on
 * or off, new recovery codes, a passkey added or removed. If it was them, the
 * mail is a receipt; if someone else holds their session or password, it is
 * how they learn it in time. `detail` is the passkey's name.
 */
export const securityChangeMail = (m: { to: string; locale: Locale; network: string; url: string; change: SecurityChange; detail?: string }) =>
  composeMail({
    ...m,
    subject: `secondFactor.mail.change.${m.change}.subject`,
    params: { network: m.network, name: m.detail ?? "" },
    paragraphs: [`secondFactor.mail.change.${m.change}.body`, "secondFactor.mail.change.check"],
    cta: { key: "secondFactor.mail.change.cta", url: m.url },
    footer: { key: "secondFactor.mail.change.footer", params: {} },
  });
