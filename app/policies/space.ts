import type { JoinPolicy, Role, Space, Visibility } from "#db/schema.ts";
import type { Actor } from "./actor.ts";

export type { Actor } from "./actor.ts";

/**
 * Every permission decision about a space, as pure functions of who acts,
 * their membership and the space. Loaders and actions call these; the UI only
 * receives their answers.
 */

export type MembershipFacts = { role: Role } | null | undefined;
export type SpaceFacts = Pick<Space, "visibility" | "join_policy" | "archived_at">;

/**
 * The shape of every space policy: who acts, their membership, the space.
 * A guard (requireSpace, loadPage) takes one of these — the very function
 * the page asks for its "can" flags — so a rule changed here reaches the
 * guard and the view at once. A function, not a name: nothing else fits.
 */
export type SpacePolicy = (actor: Actor | null, membership: MembershipFacts, space: SpaceFacts) => boolean;

/**
 * What a role may do in a space: the table of the SPEC, as data. `can()`
 * reads it for the named policies below and in the other policy files;
 * nothing outside app/policies names an ability.
 */
export type SpaceAbility =
  | "read"
  | "participate"
  | "contribute"
  | "moderate"
  | "coopt"
  | "manageMembers"
  | "configure"
  | "scheduleWorkshops";

export const ROLE_ABILITIES: Record<Role, readonly SpaceAbility[]> = {
  guest: ["read", "participate"],
  member: ["read", "participate", "contribute", "coopt"],
  editor: ["read", "participate", "contribute", "moderate", "coopt"],
  admin: ["read", "participate", "contribute", "moderate", "coopt", "manageMembers", "configure", "scheduleWorkshops"],
};

/** Abilities that change the space; an archived space allows none of them. */
const WRITES: ReadonlySet<SpaceAbility> = new Set([
  "participate",
  "contribute",
  "moderate",
  "coopt",
  "manageMembers",
  "configure",
  "scheduleWorkshops",
]);

function roleAllows(role: Role | undefined, ability: SpaceAbility): boolean {
  return role !== undefined && ROLE_ABILITIES[role].includes(ability);
}

export function can(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, ability: SpaceAbility): boolean {
  if (!actor) return false;
  if (space.archived_at !== null && WRITES.has(ability)) return false;
  if (actor.isNetworkAdmin) return true;
  if (roleAllows(membership?.role, ability)) {
    // Under "admins invite", co-optation is the admins' alone.
    if (ability === "coopt" && space.join_policy === "admins_invite") return membership?.role === "admin";
    return true;
  }
  // An open space is readable by every signed-in member of the network, and nothing more.
  return ability === "read" && !membership && space.visibility === "open";
}

/**
 * The visibility rule, as data: the visibilities of a space that a network
 * member outside it may know of (its name and description) while it is not
 * archived. canSeeSpace reads it, and the query that lists spaces for such a
 * viewer (the club directory, db/queries/spaces.ts) is built from it, so the
 * SQL cannot say otherwise than the policy.
 */
export const KNOWN_TO_OUTSIDERS: readonly Visibility[] = ["listed", "open"];

/** Whether the actor may know the space exists (its name and description). */
export function canSeeSpace(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts): boolean {
  if (!actor) return false;
  if (actor.isNetworkAdmin || membership) return true;
  return KNOWN_TO_OUTSIDERS.includes(space.visibility) && space.archived_at === null;
}

export const canReadSpace = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "read");
export const canCooptMember = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "coopt");
export const canManageMembers = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "manageMembers");
export const canConfigureSpace = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "configure");

/** Roles an inviter may hand out: admins any, others member or guest. */
export function canInviteWithRole(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, role: Role): boolean {
  if (!can(actor, membership, space, "coopt")) return false;
  if (role === "member" || role === "guest") return true;
  return can(actor, membership, space, "manageMembers");
}

export function invitableRoles(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts): Role[] {
  return (["member", "guest", "editor", "admin"] as const).filter((r) => canInviteWithRole(actor, membership, space, r));
}

/** Under "co-opt with approval", a co-optation by anyone but an admin waits in the admins' queue. */
export function invitationNeedsApproval(actor: Actor, membership: MembershipFacts, space: { join_policy: JoinPolicy }): boolean {
  if (space.join_policy !== "coopt_approval") return false;
  return !(actor.isNetworkAdmin || membership?.role === "admin");
}

export function canRevokeInvitation(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  invitation: { sponsor_id: string },
): boolean {
  if (!actor || space.archived_at !== null) return false;
  return invitation.sponsor_id === actor.id || can(actor, membership, space, "manageMembers");
}

export function canRequestToJoin(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts & { visibility: Visibility }) {
  if (!actor || membership || space.archived_at !== null) return false;
  return space.visibility === "listed" || space.visibility === "open";
}

/** The last admin cannot leave or be demoted or removed: a space always keeps someone to run it. */
export function canLeaveSpace(membership: MembershipFacts, adminCount: number): boolean {
  if (!membership) return false;
  return !(membership.role === "admin" && adminCount <= 1);
}

export function canChangeRole(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  target: { role: Role },
  newRole: Role,
  adminCount: number,
): boolean {
  if (!can(actor, membership, space, "manageMembers")) return false;
  if (target.role === "admin" && newRole !== "admin" && adminCount <= 1) return false;
  return true;
}

export function canRemoveMember(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  target: { role: Role },
  adminCount: number,
): boolean {
  if (!can(actor, membership, space, "manageMembers")) return false;
  return !(target.role === "admin" && adminCount <= 1);
}

export function canArchiveSpace(actor: Actor | null): boolean {
  return actor?.isNetworkAdmin === true;
}

/**
 * Whether the actor may be shown an open invitation's link when its mail could
 * not carry it: whoever may revoke it (its sponsor, the space's managers).
 * Whether there is a link to show is the outbox's to say.
 */
export function canSeeInvitationLink(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, invitation: { sponsor_id: string }): boolean {
  return canRevokeInvitation(actor, membership, space, invitation);
}
