import { describe, expect, test } from "vitest";
import type { JoinPolicy, Role, Visibility } from "#db/schema.ts";
import {
  can,
  canChangeRole,
  canConfigureSpace,
  canCooptMember,
  canManageMembers,
  canReadSpace,
  KNOWN_TO_OUTSIDERS,
  canInviteWithRole,
  canLeaveSpace,
  canRemoveMember,
  canRequestToJoin,
  canRevokeInvitation,
  canSeeSpace,
  invitationNeedsApproval,
  type Actor,
  type SpaceAbility,
} from "#app/policies/space.ts";
import { canCreateSpace, canManageAccounts, canViewAuditLog } from "#app/policies/network.ts";

// The Roles table of ../shared/SPEC.md, written out again here by hand: the
// policies must agree with it cell by cell.
type Who = Role | "network admin";
const WHO: Who[] = ["guest", "member", "editor", "admin", "network admin"];
const SPEC_TABLE: Array<[SpaceAbility, Who[]]> = [
  ["read", ["guest", "member", "editor", "admin", "network admin"]],
  ["participate", ["guest", "member", "editor", "admin", "network admin"]],
  ["contribute", ["member", "editor", "admin", "network admin"]],
  ["moderate", ["editor", "admin", "network admin"]],
  ["coopt", ["member", "editor", "admin", "network admin"]],
  ["manageMembers", ["admin", "network admin"]],
  ["configure", ["admin", "network admin"]],
  ["scheduleWorkshops", ["admin", "network admin"]],
];

const networkAdmin: Actor = { id: "na", isNetworkAdmin: true };
const person: Actor = { id: "p", isNetworkAdmin: false };

function space(visibility: Visibility = "secret", joinPolicy: JoinPolicy = "coopt_approval", archived = false) {
  return { visibility, join_policy: joinPolicy, archived_at: archived ? 1 : null };
}

function actorAndMembership(who: Who): [Actor, { role: Role } | null] {
  return who === "network admin" ? [networkAdmin, null] : [person, { role: who }];
}

describe("the SPEC's role table, cell by cell", () => {
  for (const [ability, allowed] of SPEC_TABLE) {
    for (const who of WHO) {
      const expected = allowed.includes(who);
      test(`${who} ${expected ? "may" : "may not"} ${ability}`, () => {
        const [actor, membership] = actorAndMembership(who);
        for (const visibility of ["secret", "listed", "open"] as const) {
          expect(can(actor, membership, space(visibility, "coopt_direct"), ability)).toBe(expected);
        }
      });
    }
  }

  test("network-wide powers are the network admin's alone", () => {
    for (const check of [canCreateSpace, canViewAuditLog, canManageAccounts]) {
      expect(check(networkAdmin)).toBe(true);
      expect(check(person)).toBe(false);
      expect(check(null)).toBe(false);
    }
  });
});

describe("people outside the space", () => {
  const abilities = SPEC_TABLE.map(([a]) => a);

  test("anonymous visitors may do nothing and know of nothing", () => {
    for (const visibility of ["secret", "listed", "open"] as const) {
      expect(canSeeSpace(null, null, space(visibility))).toBe(false);
      for (const ability of abilities) expect(can(null, null, space(visibility), ability)).toBe(false);
    }
  });

  test("a secret space does not exist for a non-member", () => {
    expect(canSeeSpace(person, null, space("secret"))).toBe(false);
    for (const ability of abilities) expect(can(person, null, space("secret"), ability)).toBe(false);
    expect(canRequestToJoin(person, null, space("secret"))).toBe(false);
  });

  test("a listed space shows its name to the network, not its content", () => {
    expect(canSeeSpace(person, null, space("listed"))).toBe(true);
    for (const ability of abilities) expect(can(person, null, space("listed"), ability)).toBe(false);
    expect(canRequestToJoin(person, null, space("listed"))).toBe(true);
  });

  test("an open space is readable by every network member, and nothing more", () => {
    for (const ability of abilities) {
      expect(can(person, null, space("open"), ability)).toBe(ability === "read");
    }
  });

  test("members do not ask to join; archived spaces take no requests", () => {
    expect(canRequestToJoin(person, { role: "member" }, space("listed"))).toBe(false);
    expect(canRequestToJoin(person, null, space("listed", "coopt_approval", true))).toBe(false);
  });
});

describe("join policies", () => {
  test("under 'admins invite', only admins (and the network admin) co-opt", () => {
    const s = space("listed", "admins_invite");
    expect(can(person, { role: "member" }, s, "coopt")).toBe(false);
    expect(can(person, { role: "editor" }, s, "coopt")).toBe(false);
    expect(can(person, { role: "admin" }, s, "coopt")).toBe(true);
    expect(can(networkAdmin, null, s, "coopt")).toBe(true);
  });

  test("under 'co-opt with approval', a member's co-optation waits for an admin; an admin's does not", () => {
    const s = space("listed", "coopt_approval");
    expect(invitationNeedsApproval(person, { role: "member" }, s)).toBe(true);
    expect(invitationNeedsApproval(person, { role: "editor" }, s)).toBe(true);
    expect(invitationNeedsApproval(person, { role: "admin" }, s)).toBe(false);
    expect(invitationNeedsApproval(networkAdmin, null, s)).toBe(false);
    expect(invitationNeedsApproval(person, { role: "member" }, space("listed", "coopt_direct"))).toBe(false);
  });

  test("members hand out only the member and guest roles; admins any", () => {
    const s = space("listed", "coopt_direct");
    for (const role of ["member", "guest"] as const) expect(canInviteWithRole(person, { role: "member" }, s, role)).toBe(true);
    for (const role of ["editor", "admin"] as const) {
      expect(canInviteWithRole(person, { role: "member" }, s, role)).toBe(false);
      expect(canInviteWithRole(person, { role: "editor" }, s, role)).toBe(false);
      expect(canInviteWithRole(person, { role: "admin" }, s, role)).toBe(true);
    }
    expect(canInviteWithRole(person, { role: "guest" }, s, "guest")).toBe(false);
  });
});

describe("an archived space", () => {
  const archived = space("listed", "coopt_direct", true);
  test("stays readable and accepts no change, even from its admin or the network admin", () => {
    for (const who of WHO) {
      const [actor, membership] = actorAndMembership(who);
      expect(can(actor, membership, archived, "read")).toBe(true);
      for (const ability of ["participate", "contribute", "moderate", "coopt", "manageMembers", "configure"] as const) {
        expect(can(actor, membership, archived, ability)).toBe(false);
      }
    }
    expect(canRevokeInvitation(person, { role: "admin" }, archived, { sponsor_id: person.id })).toBe(false);
  });
});

describe("keeping someone in charge", () => {
  const s = space();
  test("the last admin cannot leave, be demoted or be removed; one of two can", () => {
    expect(canLeaveSpace({ role: "admin" }, 1)).toBe(false);
    expect(canLeaveSpace({ role: "admin" }, 2)).toBe(true);
    expect(canLeaveSpace({ role: "member" }, 1)).toBe(true);
    expect(canLeaveSpace(null, 1)).toBe(false);
    expect(canChangeRole(networkAdmin, null, s, { role: "admin" }, "member", 1)).toBe(false);
    expect(canChangeRole(networkAdmin, null, s, { role: "admin" }, "admin", 1)).toBe(true);
    expect(canChangeRole(networkAdmin, null, s, { role: "admin" }, "editor", 2)).toBe(true);
    expect(canRemoveMember(person, { role: "admin" }, s, { role: "admin" }, 1)).toBe(false);
    expect(canRemoveMember(person, { role: "admin" }, s, { role: "admin" }, 2)).toBe(true);
  });

  test("only admins change roles or remove members", () => {
    for (const role of ["guest", "member", "editor"] as const) {
      expect(canChangeRole(person, { role }, s, { role: "member" }, "editor", 2)).toBe(false);
      expect(canRemoveMember(person, { role }, s, { role: "member" }, 2)).toBe(false);
    }
    expect(canChangeRole(person, { role: "admin" }, s, { role: "member" }, "editor", 1)).toBe(true);
  });

  test("an invitation is revoked by its sponsor or by an admin, not by other members", () => {
    const invitation = { sponsor_id: "someone-else" };
    expect(canRevokeInvitation(person, { role: "member" }, s, { sponsor_id: person.id })).toBe(true);
    expect(canRevokeInvitation(person, { role: "member" }, s, invitation)).toBe(false);
    expect(canRevokeInvitation(person, { role: "admin" }, s, invitation)).toBe(true);
    expect(canRevokeInvitation(networkAdmin, null, s, invitation)).toBe(true);
  });
});

// The named policies that guards (requireSpace) and pages share, written out by hand.
// [who, where, know of the space, read it, co-opt, manage members, configure]
const NAMED: Array<[Who | "outsider" | "anonymous", "listed" | "open" | "secret" | "archived", boolean, boolean, boolean, boolean, boolean]> = [
  ["guest", "listed", true, true, false, false, false],
  ["member", "listed", true, true, true, false, false],
  ["editor", "listed", true, true, true, false, false],
  ["admin", "listed", true, true, true, true, true],
  ["network admin", "listed", true, true, true, true, true],
  ["outsider", "listed", true, false, false, false, false],
  ["outsider", "open", true, true, false, false, false],
  ["outsider", "secret", false, false, false, false, false],
  ["anonymous", "open", false, false, false, false, false],
  ["member", "archived", true, true, false, false, false],
  ["admin", "archived", true, true, false, false, false],
  ["network admin", "archived", true, true, false, false, false],
  ["outsider", "archived", false, false, false, false, false],
];

describe("the named space policies, role by role", () => {
  test.each(NAMED)("%s in a %s space: know of it %s, read %s, co-opt %s, manage members %s, configure %s", (who, where, see, read, coopt, manage, configure) => {
    const actor = who === "anonymous" ? null : who === "network admin" ? networkAdmin : person;
    const membership = who === "anonymous" || who === "outsider" || who === "network admin" ? null : { role: who };
    const s = where === "archived" ? space("listed", "coopt_direct", true) : space(where, "coopt_direct");
    expect(canSeeSpace(actor, membership, s)).toBe(see);
    expect(canReadSpace(actor, membership, s)).toBe(read);
    expect(canCooptMember(actor, membership, s)).toBe(coopt);
    expect(canManageMembers(actor, membership, s)).toBe(manage);
    expect(canConfigureSpace(actor, membership, s)).toBe(configure);
  });

  test("outsiders know of the listed and open spaces, never the secret ones", () => {
    expect([...KNOWN_TO_OUTSIDERS].sort()).toEqual(["listed", "open"]);
  });
});
