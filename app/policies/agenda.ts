import type { Visibility, Workshop } from "#db/schema.ts";
import type { Actor } from "./actor.ts";
import { PUBLISHES_TO_NETWORK } from "./post.ts";
import { canReadSpace, type MembershipFacts, type SpaceFacts } from "./space.ts";
import { canOpenToNetwork } from "./workshop.ts";

/**
 * The network agenda's rule: a member's agenda shows the scheduled (and the
 * cancelled, marked so) workshops of the spaces they may read as a member,
 * and the workshops opened to the whole network from a space that may open
 * its content to it (never a secret one, as for articles). Never a proposed,
 * declined or trashed one, nor one of an archived space.
 */
export function canSeeInAgenda(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  workshop: Pick<Workshop, "state" | "visibility" | "deleted_at">,
): boolean {
  if (actor === null || workshop.deleted_at !== null || space.archived_at !== null) return false;
  if (workshop.state !== "scheduled" && workshop.state !== "cancelled") return false;
  if (membership && canReadSpace(actor, membership, space)) return true;
  return workshop.visibility === "network" && canOpenToNetwork(space);
}

/** What the agenda's query takes of canSeeInAgenda: the viewer, and the visibilities of spaces whose network-open workshops anyone sees. */
export function agendaFilter(actor: Actor): { viewerId: string; networkSpaceVisibilities: readonly Visibility[] } {
  return { viewerId: actor.id, networkSpaceVisibilities: PUBLISHES_TO_NETWORK };
}
