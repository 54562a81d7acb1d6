import type { Visibility } from "#db/schema.ts";
import type { Actor } from "./actor.ts";
import { canSeeSpace, KNOWN_TO_OUTSIDERS, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * The directory rule: the club directory lists exactly the spaces the viewer
 * may know of (canSeeSpace): their own, and every listed or open space that is
 * not archived; the network admin sees every space, secret or archived.
 */
export function canListSpace(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts): boolean {
  return canSeeSpace(actor, membership, space);
}

/**
 * Whether the directory's query may skip its visibility filter
 * (db/queries/spaces.ts listDirectory restates canListSpace in SQL for
 * everyone else, so a large network is not read whole to show a few clubs).
 */
export function seesEverySpace(actor: Actor | null): boolean {
  return actor?.isNetworkAdmin === true;
}

/**
 * The directory rule as the query takes it (db/queries/spaces.ts
 * listDirectory): every space for the network admin; otherwise the viewer's
 * own spaces and the live ones of the visibilities outsiders know of.
 * Built here from the same facts canListSpace reads, so a large network is
 * filtered in SQL without the SQL owning the rule.
 */
export function directoryFilter(actor: Actor): { includeAll: boolean; viewerId: string; knownToOutsiders: readonly Visibility[] } {
  return { includeAll: seesEverySpace(actor), viewerId: actor.id, knownToOutsiders: KNOWN_TO_OUTSIDERS };
}
