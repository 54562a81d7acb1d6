import type { Space } from "#db/schema.ts";
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

/**
 * Whether the space takes anyone in through an invitation: not an archived
 * one (its open links are closed). It does not depend on who follows the
 * link, who may not even have an account yet.
 */
export function acceptsNewcomers(space: Pick<Space, "archived_at">): boolean {
  return space.archived_at === null;
}
