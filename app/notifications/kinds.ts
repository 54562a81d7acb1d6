import type { MessageKey } from "#app/i18n/index.ts";

/**
 * The kinds of notification. Adding one takes its name here, its wording in
 * both catalogues (app/i18n/fr.ts, en.ts) and a call to notify()
 * (commands.server.ts) where it happens; the list, the bell and the mail
 * need nothing more. The wording, by name:
 *   notifications.<kind>         the line in the list ({name}: who, {title}: what about)
 *   mail.<kind>.subject / .body  the mail ({name}, {title}, {space}); a comment, if any, is quoted after the body
 *   mail.<kind>.cta              the line before the link
 *   mail.<kind>.settings         the small print: why this mail came, where to stop it ({url})
 * wordingOf() does not type-check until every kind has all five in the catalogues.
 */
export const NOTIFICATION_KINDS = ["mention", "reply", "commentOnMine", "reviewRequest", "workshopAnnounced", "workshopChanged", "workshopPromoted", "workshopAccepted", "workshopDeclined", "workshopCancellation", "workshopNotes", "askAnswer", "askThanks", "approvalWaiting", "cooptationResult", "joinAnswered"] as const;
export type KnownNotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(value: unknown): value is KnownNotificationKind {
  return typeof value === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/** The line in the list and the mail's keys for one kind. */
export function wordingOf(kind: KnownNotificationKind) {
  return {
    list: `notifications.${kind}` as const satisfies MessageKey,
    subject: `mail.${kind}.subject` as const satisfies MessageKey,
    body: `mail.${kind}.body` as const satisfies MessageKey,
    cta: `mail.${kind}.cta` as const satisfies MessageKey,
    settings: `mail.${kind}.settings` as const satisfies MessageKey,
  };
}
