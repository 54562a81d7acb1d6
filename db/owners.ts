/**
 * What a comment, a file link, an activity or a notification is about: one
 * thing in one space, named by its kind and id. The kinds grow with the
 * features (a workshop, an ask); app/owners/ resolves an owner for a reader
 * (found in the space, readable by them, its title and address).
 */
export const OWNER_KINDS = ["page", "post", "workshop", "ask"] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export interface Owner {
  kind: OwnerKind;
  id: string;
}

export function isOwnerKind(value: unknown): value is OwnerKind {
  return typeof value === "string" && (OWNER_KINDS as readonly string[]).includes(value);
}

/**
 * What a notification may be about: an owner, or a club itself (a co-optation
 * waiting, an answer to a request to join) — never a comment's target.
 */
export type NotificationOwner = Owner | { kind: "space"; id: string };
export type NotificationOwnerKind = NotificationOwner["kind"];
