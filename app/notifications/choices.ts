import type { MailRule } from "#db/queries/notification-choices.ts";
import type { ClubLevel, Delivery, DigestFrequency } from "#db/schema.ts";
import type { KnownNotificationKind } from "./kinds.ts";

/**
 * What a member chooses about notifications (issue 18), and what it means.
 * Per kind, a delivery: in the app only, by mail at once as well, in the
 * app and gathered in the next digest (app/digests), or off. Per club, a level: all of
 * it, only what concerns them, or nothing. The settings page shows CHOICES
 * in this order, each with one line of explanation (notifyChoice.<kind> in
 * the catalogues); notify() (commands.server.ts) and the queries that pick
 * mail recipients in SQL read them through deliveryOf's rules.
 */

/** What the settings offer today, in their order. */
export const DELIVERIES = ["app", "mail", "digest", "off"] as const satisfies readonly Delivery[];
export const CLUB_LEVELS = ["all", "mine", "muted"] as const satisfies readonly ClubLevel[];
/** How often the digest comes, as the settings offer it. */
export const DIGEST_FREQUENCIES = ["daily", "weekly", "off"] as const satisfies readonly DigestFrequency[];

export function isDigestFrequency(value: unknown): value is DigestFrequency {
  return typeof value === "string" && (DIGEST_FREQUENCIES as readonly string[]).includes(value);
}

/** Kinds a member chooses for that no notification row carries (yet): mail-only flows, each with its own mail. */
export type MailOnlyKind = "workshopReminder" | "message";
export type ChoiceKind = KnownNotificationKind | MailOnlyKind;

export interface Choice {
  kind: ChoiceKind;
  section: "comments" | "asks" | "workshops" | "clubs" | "messages";
  byDefault: Delivery;
  /** About the member themselves (a mention, their workshop …): still heard from a club set to "only what concerns me". */
  concernsMe: boolean;
  /** What may be chosen, when not all of DELIVERIES make sense. */
  offers?: readonly Delivery[];
  /** Not about one club: club levels do not apply. */
  anyClub?: boolean;
  /**
   * About a commitment the member made (a workshop they registered for or
   * proposed): heard even from a muted club, as only their own choice for
   * the kind decides — a seat given or a workshop moved must not go unknown.
   */
  commitment?: boolean;
}

export const CHOICES: readonly Choice[] = [
  { kind: "mention", section: "comments", byDefault: "mail", concernsMe: true },
  { kind: "reply", section: "comments", byDefault: "mail", concernsMe: true },
  // Every comment on what one wrote by mail would be a lot: in the app, and gathered in the digest.
  { kind: "commentOnMine", section: "comments", byDefault: "digest", concernsMe: true },
  { kind: "reviewRequest", section: "comments", byDefault: "mail", concernsMe: true },
  { kind: "askAnswer", section: "asks", byDefault: "mail", concernsMe: true },
  { kind: "askThanks", section: "asks", byDefault: "mail", concernsMe: true },
  { kind: "workshopAnnounced", section: "workshops", byDefault: "mail", concernsMe: false },
  { kind: "workshopAccepted", section: "workshops", byDefault: "mail", concernsMe: true, commitment: true },
  { kind: "workshopDeclined", section: "workshops", byDefault: "mail", concernsMe: true, commitment: true },
  { kind: "workshopChanged", section: "workshops", byDefault: "mail", concernsMe: true, commitment: true },
  { kind: "workshopCancellation", section: "workshops", byDefault: "mail", concernsMe: true, commitment: true },
  { kind: "workshopPromoted", section: "workshops", byDefault: "mail", concernsMe: true, commitment: true },
  // A reminder is a mail or nothing: the home lists one's next workshops all the time.
  { kind: "workshopReminder", section: "workshops", byDefault: "mail", concernsMe: true, commitment: true, offers: ["mail", "off"] },
  { kind: "workshopNotes", section: "workshops", byDefault: "mail", concernsMe: true },
  // About a club itself: what waits for its admins, and the answers its admins gave.
  { kind: "approvalWaiting", section: "clubs", byDefault: "mail", concernsMe: true },
  { kind: "cooptationResult", section: "clubs", byDefault: "mail", concernsMe: true },
  // Answered when one is not (yet) in the club: its level cannot apply.
  { kind: "joinAnswered", section: "clubs", byDefault: "mail", concernsMe: true, anyClub: true },
  // Unread conversations always show on the envelope: the choice is whether a mail comes too.
  { kind: "message", section: "messages", byDefault: "mail", concernsMe: true, offers: ["app", "mail"], anyClub: true },
];

const BY_KIND = new Map<string, Choice>(CHOICES.map((c) => [c.kind, c]));

export function choiceOf(kind: ChoiceKind): Choice {
  return BY_KIND.get(kind)!;
}

export const offersOf = (choice: Choice): readonly Delivery[] => choice.offers ?? DELIVERIES;

export function isDelivery(value: unknown, choice: Choice): value is Delivery {
  return typeof value === "string" && (offersOf(choice) as readonly string[]).includes(value);
}

export function isClubLevel(value: unknown): value is ClubLevel {
  return typeof value === "string" && (CLUB_LEVELS as readonly string[]).includes(value);
}

/** How one person takes one notification of this kind from this club: their choice (or its default), unless the club's level says otherwise. */
export function deliveryOf(kind: ChoiceKind, chosen: Delivery | undefined, level: ClubLevel | undefined): Delivery {
  const choice = choiceOf(kind);
  if (!choice.anyClub && !choice.commitment && (level === "muted" || (level === "mine" && !choice.concernsMe))) return "off";
  // A choice no longer offered (or made by hand in the database) is read as the default.
  return chosen !== undefined && offersOf(choice).includes(chosen) ? chosen : choice.byDefault;
}

/** The club levels under which a kind is still heard: for the queries that choose mail recipients in SQL. */
export function levelsHearing(kind: ChoiceKind): ClubLevel[] {
  return CLUB_LEVELS.filter((level) => deliveryOf(kind, "mail", level) !== "off");
}

/** The same rules for a query that picks those who take a kind by mail (db/queries/notification-choices.ts, takesByMail). */
export function mailRule(kind: ChoiceKind): MailRule {
  const choice = choiceOf(kind);
  return { kind, byDefault: choice.byDefault, offers: offersOf(choice), levels: levelsHearing(kind) };
}
