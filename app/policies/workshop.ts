import type { Workshop } from "#db/schema.ts";
import { canPublishToNetwork } from "./post.ts";
import { can, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Workshops (SPEC, Workshops): everyone who reads the space reads its
 * scheduled and cancelled workshops; the space's admins (and a network
 * admin) schedule them, decide proposals and run every workshop; members and
 * editors propose one, which waits for the admins; a workshop's facilitators
 * edit it. A proposal (or a declined one) is seen by its proposer and the
 * admins only. A workshop opened to the network (never from a secret or an
 * archived space) is read by every signed-in member of the network, who may
 * come to it — and nothing else of its space. Nothing in the trash is read
 * here: the trash page asks canScheduleWorkshops.
 */

export type WorkshopFacts = Pick<Workshop, "state" | "proposed_by" | "deleted_at" | "visibility">;

export const canScheduleWorkshops = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "scheduleWorkshops");
/** The Workshops tab and the space's list of them. */
export const canReadWorkshops = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "read");
/** Members and editors propose; admins schedule directly, so proposing is not their way in. */
export function canProposeWorkshop(a: Actor | null, m: MembershipFacts, s: SpaceFacts): boolean {
  return can(a, m, s, "contribute") && !canScheduleWorkshops(a, m, s);
}
/** The "new workshop" form: either way in. */
export const canOpenNewWorkshop = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => canScheduleWorkshops(a, m, s) || canProposeWorkshop(a, m, s);
export const canDecideProposal = canScheduleWorkshops;

const isProposer = (actor: Actor | null, w: Pick<WorkshopFacts, "proposed_by">) => actor !== null && w.proposed_by === actor.id;

/** Whether workshops of this space may be opened to the whole network: the rule of network-visible articles. */
export function canOpenToNetwork(space: SpaceFacts): boolean {
  return space.archived_at === null && canPublishToNetwork(space);
}

/** Open to the network, from a space that may: read (and attended) by any signed-in member of the network. */
function openToNetwork(actor: Actor | null, space: SpaceFacts, workshop: Pick<WorkshopFacts, "visibility">): boolean {
  return actor !== null && workshop.visibility === "network" && canOpenToNetwork(space);
}

export function canReadWorkshop(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, workshop: WorkshopFacts): boolean {
  if (workshop.deleted_at !== null) return false;
  const shown = workshop.state === "scheduled" || workshop.state === "cancelled";
  if (!can(actor, membership, space, "read")) return shown && openToNetwork(actor, space, workshop);
  if (shown) return true;
  // Reading needs no write ability, so an archived space still shows an admin what they decided.
  return can(actor, membership, { ...space, archived_at: null }, "scheduleWorkshops") || isProposer(actor, workshop);
}

/**
 * Whether the reader may come (register, and be given the video link):
 * whoever may take part in the space (guests up, the SPEC's table), and every
 * signed-in member of the network for a workshop opened to it.
 */
export function canAttendWorkshop(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, workshop: Pick<WorkshopFacts, "visibility">): boolean {
  return can(actor, membership, space, "participate") || openToNetwork(actor, space, workshop);
}

/** Edit, cancel, schedule the next session: its facilitators (still able to write here) and the admins. */
export function canEditWorkshop(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  workshop: Pick<WorkshopFacts, "state" | "proposed_by" | "deleted_at">,
  facilitatorIds: readonly string[],
): boolean {
  if (workshop.deleted_at !== null) return false;
  if (canScheduleWorkshops(actor, membership, space)) return true;
  if (actor === null || !can(actor, membership, space, "contribute")) return false;
  // A proposal is its proposer's to amend until the admins decide.
  if (workshop.state === "proposed") return isProposer(actor, workshop);
  return workshop.state !== "declined" && facilitatorIds.includes(actor.id);
}

/** To the space's trash, and back: the admins only. */
export const canDeleteWorkshop = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => canScheduleWorkshops(a, m, s);
