import type { Workshop } from "#db/schema.ts";
import type { Actor } from "./actor.ts";
import { canPublishToNetwork } from "./post.ts";
import { can, canReadSpace, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Workshops (the SPEC's table): whoever reads the space reads its scheduled
 * and cancelled workshops; a proposal, or one declined, is its proposer's
 * and the admins' until accepted; the space's admins schedule them. A
 * workshop opened to the network (never from a secret space) is read by any
 * signed-in member of the network, and nothing else of its space with it.
 */

export type WorkshopFacts = Pick<Workshop, "state" | "deleted_at" | "proposed_by" | "visibility">;

export const canScheduleWorkshops = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "scheduleWorkshops");

export function canReadWorkshop(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, workshop: WorkshopFacts): boolean {
  if (!actor || workshop.deleted_at !== null) return false;
  if (workshop.state === "proposed" || workshop.state === "declined") {
    return canReadSpace(actor, membership, space) && (workshop.proposed_by === actor.id || canScheduleWorkshops(actor, membership, space));
  }
  if (canReadSpace(actor, membership, space)) return true;
  return workshop.visibility === "network" && space.archived_at === null && canPublishToNetwork(space);
}

/** Editing, cancelling, trashing: the space's admins (its facilitators too, once they are named). */
export const canManageWorkshop = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => canScheduleWorkshops(a, m, s);
