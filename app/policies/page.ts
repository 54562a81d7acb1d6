import { can, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Wiki pages follow the SPEC's table: members write the wiki together;
 * editors and admins restore revisions and run the trash. A member may put
 * a page they created in the trash; anyone else's takes an editor.
 */
export const canReadPages = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "read");
export const canEditPages = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "contribute");
export const canRestoreRevision = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "moderate");
export const canManageTrash = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "moderate");

export function canDeletePage(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, page: { created_by: string | null }) {
  if (can(actor, membership, space, "moderate")) return true;
  return can(actor, membership, space, "contribute") && actor !== null && page.created_by === actor.id;
}
