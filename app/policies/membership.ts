import type { Actor } from "./actor.ts";
import { canLeaveSpace, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * The leave rule. Leaving is open to a member of a space that is not archived
 * (an archived space keeps its membership as it was); of those, the last admin
 * stays (canLeaveSpace), so a space always keeps someone to run it. The page
 * offers the button on the first; the command, inside its transaction,
 * checks both against the admins counted there.
 */
export function canLeave(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts): boolean {
  return actor !== null && membership !== undefined && membership !== null && space.archived_at === null;
}

/** canLeave, and not the last admin: what the "leave" command requires. */
export function canLeaveNow(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, adminCount: number): boolean {
  return canLeave(actor, membership, space) && canLeaveSpace(membership, adminCount);
}
