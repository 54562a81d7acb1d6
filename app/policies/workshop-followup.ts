import type { Workshop } from "#db/schema.ts";
import { canEditWorkshop } from "./workshop.ts";
import type { Actor, MembershipFacts, SpaceFacts } from "./space.ts";

/**
 * What follows a workshop: its materials, who attended, its notes. Those who
 * may edit the workshop (its facilitators, the space's admins) manage its
 * materials at any time; attendance and notes wait until it has started, and
 * a workshop that did not take place (cancelled, proposed, declined) has
 * neither.
 */

type WorkshopFacts = Pick<Workshop, "state" | "proposed_by" | "deleted_at" | "starts_at">;

export function canManageMaterials(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, workshop: WorkshopFacts, facilitatorIds: readonly string[]): boolean {
  return canEditWorkshop(actor, membership, space, workshop, facilitatorIds);
}

/** Whether the workshop took place, as far as the clock can tell: scheduled and started. */
export function hasStarted(workshop: Pick<Workshop, "state" | "starts_at">, now: number): boolean {
  return workshop.state === "scheduled" && now >= workshop.starts_at;
}

/** Recording who came and writing up the notes: the same people, once it has started. */
export function canFollowUpWorkshop(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  workshop: WorkshopFacts,
  facilitatorIds: readonly string[],
  now: number,
): boolean {
  return hasStarted(workshop, now) && canEditWorkshop(actor, membership, space, workshop, facilitatorIds);
}
