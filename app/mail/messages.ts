import type { Locale } from "#db/schema.ts";
import { notificationMail, type NotificationMailParts } from "#app/notifications/mail.ts";
import { composeMail } from "./compose.ts";

interface Common {
  to: string;
  locale: Locale;
  network: string;
}

/**
 * A mail about a club that its person chose to get (a notification kind of
 * choices.ts): the footer says why it came and where to change it, and the
 * one-click unsubscribe goes with it.
 */
export interface Chosen {
  kind: "approvalWaiting" | "cooptationResult" | "joinAnswered";
  settingsUrl: string;
  unsubscribeUrl: string;
}

const chosenParts = (chosen: Chosen | undefined) =>
  chosen ? { footer: { key: `mail.${chosen.kind}.settings` as const, params: { url: chosen.settingsUrl } }, unsubscribe: chosen.unsubscribeUrl } : {};

export const invitationMail = (m: Common & { sponsor: string; space: string; message: string; url: string }) =>
  composeMail({
    ...m,
    subject: "mail.invitation.subject",
    params: { sponsor: m.sponsor, space: m.space, network: m.network },
    paragraphs: ["mail.invitation.body", ...(m.message ? (["mail.invitation.recommendation", { quote: m.message }] as const) : [])],
    cta: { key: "mail.invitation.cta", url: m.url },
  });

export const approvalNeededMail = (m: Common & { sponsor: string; email: string; space: string; message: string; url: string; chosen?: Chosen }) =>
  composeMail({
    ...m,
    ...chosenParts(m.chosen),
    subject: "mail.approval.subject",
    params: { sponsor: m.sponsor, email: m.email, space: m.space },
    paragraphs: ["mail.approval.body", ...(m.message ? [{ quote: m.message }] : [])],
    cta: { key: "mail.approval.cta", url: m.url },
  });

export const cooptApprovedMail = (m: Common & { admin: string; email: string; space: string; chosen?: Chosen }) =>
  composeMail({
    ...m,
    ...chosenParts(m.chosen),
    subject: "mail.approved.subject",
    params: { admin: m.admin, email: m.email, space: m.space },
    paragraphs: ["mail.approved.body"],
  });

export const cooptRefusedMail = (m: Common & { admin: string; email: string; space: string; reason: string; chosen?: Chosen }) =>
  composeMail({
    ...m,
    ...chosenParts(m.chosen),
    subject: "mail.refused.subject",
    params: { admin: m.admin, email: m.email, space: m.space },
    paragraphs: ["mail.refused.body", ...(m.reason ? [{ key: "mail.refused.reason" as const, params: { reason: m.reason } }] : [])],
  });

export const joinRequestMail = (m: Common & { name: string; space: string; message: string; url: string; chosen?: Chosen }) =>
  composeMail({
    ...m,
    ...chosenParts(m.chosen),
    subject: "mail.joinRequest.subject",
    params: { name: m.name, space: m.space },
    paragraphs: ["mail.joinRequest.body", ...(m.message ? [{ quote: m.message }] : [])],
    cta: { key: "mail.approval.cta", url: m.url },
  });

export const joinApprovedMail = (m: Common & { space: string; url: string; chosen?: Chosen }) =>
  composeMail({
    ...m,
    ...chosenParts(m.chosen),
    subject: "mail.joinApproved.subject",
    params: { space: m.space },
    paragraphs: ["mail.joinApproved.body"],
    cta: { key: "mail.open", url: m.url },
  });

export const joinRefusedMail = (m: Common & { space: string; reason: string; chosen?: Chosen }) =>
  composeMail({
    ...m,
    ...chosenParts(m.chosen),
    subject: "mail.joinRefused.subject",
    params: { space: m.space },
    paragraphs: ["mail.joinRefused.body", ...(m.reason ? [{ key: "mail.refused.reason" as const, params: { reason: m.reason } }] : [])],
  });

export const passwordResetMail = (m: Common & { url: string }) =>
  composeMail({
    ...m,
    subject: "mail.reset.subject",
    params: {},
    paragraphs: ["mail.reset.body"],
    cta: { key: "mail.reset.cta", url: m.url },
  });

/** A mention or a reply: a notification's mail (app/notifications/mail.ts), always with its comment. */
type CommentMail = Omit<NotificationMailParts, "body"> & { body: string };

export const mentionMail = (m: CommentMail) => notificationMail("mention", m);

export const replyMail = (m: CommentMail) => notificationMail("reply", m);
