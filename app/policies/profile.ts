import type { Audience, Listing } from "#db/profile-fields.ts";
import type { Actor } from "./actor.ts";

/**
 * Who sees what of a member's profile, as data and pure functions. The
 * profile page, its preview, the directory's cards, filters and counts
 * (app/people/directory*.server.ts) and the skill suggestions all ask these,
 * so a filter cannot say otherwise than the profile page.
 *
 * A viewer stands in one relation to a member: the member themself, someone
 * who shares a club (a space both belong to, whatever its kind or
 * visibility), or another member of the network. The network admin is no
 * exception here: a profile is the member's to show, not the network's.
 */
export type Relation = "self" | "club" | "network";

/** The audiences a viewer in each relation belongs to. */
export const AUDIENCES_SEEN_BY: Record<Relation, readonly Audience[]> = {
  self: ["network", "clubs", "me"],
  club: ["network", "clubs"],
  network: ["network"],
};

/**
 * Who finds a profile at all: their clubs, unless the member hides from
 * every directory; the network when the member lists it there. A hidden
 * member stays in their clubs: their name still shows on what they wrote
 * and in the member lists of their clubs (which list names, not profiles).
 */
export function canSeeProfile(relation: Relation, listing: Listing): boolean {
  if (relation === "self") return true;
  if (listing === "hidden") return false;
  return relation !== "network" || listing === "network";
}

/**
 * Where a profile is listed, as every reader of the rule takes it (the
 * directory's index, the profile page): nowhere from the moment its account's
 * deletion is asked for, whatever the member had chosen — signing in again
 * cancels the deletion and brings their choice back.
 */
export function listingShown(member: { listing: Listing; deletion_due_at: number | null; deactivated_at?: number | null }): Listing {
  // A deactivated account (issue 20) is out of every directory too, until a network admin reactivates it.
  return member.deletion_due_at === null && (member.deactivated_at ?? null) === null ? member.listing : "hidden";
}

/**
 * One field, for one viewer. A field shown "to the whole network" on a
 * profile listed only for the member's clubs reaches only their clubs: the
 * narrower choice wins.
 */
export function canSeeField(relation: Relation, listing: Listing, audience: Audience): boolean {
  return canSeeProfile(relation, listing) && AUDIENCES_SEEN_BY[relation].includes(audience);
}

/** The relation, from the two facts it rests on. */
export function relationOf(viewer: Actor, memberId: string, sharesAClub: boolean): Relation {
  if (viewer.id === memberId) return "self";
  return sharesAClub ? "club" : "network";
}

/** "See my profile as…": the relations a member may preview their own profile in. */
export const PREVIEW_RELATIONS: readonly Exclude<Relation, "self">[] = ["club", "network"];

