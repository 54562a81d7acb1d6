import { ROLES, type Role } from "#db/schema.ts";
import type { Actor } from "./actor.ts";
import type { MembershipFacts } from "./space.ts";

/**
 * Who can read a thing, told in plain words (issue 19, "Who can see this").
 * Not a second copy of the rules: the caller hands over the very read rule
 * its loader asks (canReadPost, canReadWorkshop, mayReadThread …) as a
 * function of a reader, and audienceOf asks it about one representative
 * reader of each kind — a network member outside the space, a member of each
 * role, the author. Change a policy and the words follow.
 *
 * The network admin reads every space (can() says so); the line does not
 * repeat it on every item, the list under it says it once.
 */

/** May this reader read it: the item's policy, bound to the space and the item. */
export type ReadRule = (actor: Actor, membership: MembershipFacts) => boolean;

export interface Audience {
  /** Every signed-in member of the network reads it (an open space, an article or a workshop opened to the network). */
  network: boolean;
  /** The roles of the space whose members read it, in ROLES order (admin first). */
  roles: Role[];
  /** The author (or proposer) reads it beyond what their role gives: a draft, a proposal. */
  author: boolean;
}

/** No account has this id (ids are random base32 text): a reader who is nobody in particular. */
const SOMEONE: Actor = { id: "\u0000someone", isNetworkAdmin: false };

/**
 * The author is asked with the membership they have (null once they left): a
 * draft of a former member is no longer theirs to read.
 */
export function audienceOf(rule: ReadRule, author?: { id: string; membership: MembershipFacts } | null): Audience {
  const roles = ROLES.filter((role) => rule(SOMEONE, { role }));
  const network = rule(SOMEONE, null);
  const authorReads =
    author != null && rule({ id: author.id, isNetworkAdmin: false }, author.membership) && !(author.membership && roles.includes(author.membership.role));
  return { network, roles, author: authorReads && !network };
}

/**
 * The groups the words name. Reading rules grow with the role (guest <
 * member < editor < admin), so these cover every rule there is; another set
 * would be named role by role ("roles").
 */
export type RoleGroup = "members" | "membersNotGuests" | "editors" | "admins" | "none" | "roles";

const GROUPS: [RoleGroup, readonly Role[]][] = [
  ["none", []],
  ["members", ["admin", "editor", "member", "guest"]],
  ["membersNotGuests", ["admin", "editor", "member"]],
  ["editors", ["admin", "editor"]],
  ["admins", ["admin"]],
];

export function roleGroup(roles: readonly Role[]): RoleGroup {
  const found = GROUPS.find(([, set]) => set.length === roles.length && set.every((r) => roles.includes(r)));
  return found ? found[0] : "roles";
}
