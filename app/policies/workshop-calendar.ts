import { can, canReadSpace, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Who may read a workshop's calendar entry and be given its video link, for
 * the .ics and the personal subscription. Written by the calendar helper
 * before core's app/policies/workshop.ts: its canReadWorkshop and its
 * attendance rule replace these two when the pieces are joined.
 */

type WorkshopFacts = { visibility: "space" | "network" };

/**
 * A workshop of a space the reader may read, or one opened to the whole
 * network — never from a secret or an archived space — for any signed-in
 * member.
 */
export function mayReadWorkshop(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, workshop: WorkshopFacts): boolean {
  if (canReadSpace(actor, membership, space)) return true;
  return actor !== null && openToNetwork(space, workshop);
}

/**
 * Whether the reader may attend, so may be given the video link: whoever
 * may RSVP in the space (the SPEC's table: guests up), and, for a workshop
 * opened to the network, every signed-in member of the network.
 */
export function mayAttendWorkshop(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, workshop: WorkshopFacts): boolean {
  if (can(actor, membership, space, "participate")) return true;
  return actor !== null && openToNetwork(space, workshop);
}

function openToNetwork(space: SpaceFacts, workshop: WorkshopFacts): boolean {
  return workshop.visibility === "network" && space.visibility !== "secret" && space.archived_at === null;
}
