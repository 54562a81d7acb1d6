import { describe, expect, test } from "vitest";
import type { Role } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { acceptsNewcomers, canLeave, canLeaveNow } from "#app/policies/membership.ts";

// The leave rule, written out by hand: who may leave a space, open or
// archived, with one admin left or two.
type Who = Role | "network admin (not a member)" | "outsider" | "anonymous";

const person: Actor = { id: "p", isNetworkAdmin: false };
const networkAdmin: Actor = { id: "na", isNetworkAdmin: true };

function whoIs(who: Who): [Actor | null, { role: Role } | null] {
  if (who === "anonymous") return [null, null];
  if (who === "outsider") return [person, null];
  if (who === "network admin (not a member)") return [networkAdmin, null];
  return [person, { role: who }];
}

const space = (archived: boolean) => ({ visibility: "listed" as const, join_policy: "coopt_approval" as const, archived_at: archived ? 1 : null });

// [who, leave offered (open space), may leave with 1 admin, may leave with 2 admins, leave offered (archived)]
const TABLE: Array<[Who, boolean, boolean, boolean, boolean]> = [
  ["guest", true, true, true, false],
  ["member", true, true, true, false],
  ["editor", true, true, true, false],
  ["admin", true, false, true, false],
  ["network admin (not a member)", false, false, false, false],
  ["outsider", false, false, false, false],
  ["anonymous", false, false, false, false],
];

describe("the leave rule, role by role", () => {
  test.each(TABLE)("%s: offered %s; with one admin %s, with two %s; archived %s", (who, offered, withOneAdmin, withTwoAdmins, archived) => {
    const [actor, membership] = whoIs(who);
    expect(canLeave(actor, membership, space(false))).toBe(offered);
    expect(canLeaveNow(actor, membership, space(false), 1)).toBe(withOneAdmin);
    expect(canLeaveNow(actor, membership, space(false), 2)).toBe(withTwoAdmins);
    expect(canLeave(actor, membership, space(true))).toBe(archived);
    // An archived space keeps its membership as it was, whatever the admin count.
    expect(canLeaveNow(actor, membership, space(true), 2)).toBe(false);
  });

  test("a membership the page did not find (undefined) is no membership", () => {
    expect(canLeave(person, undefined, space(false))).toBe(false);
    expect(canLeaveNow(person, undefined, space(false), 3)).toBe(false);
  });
});

describe("taking up an invitation", () => {
  // [space, takes newcomers in]
  test.each([
    ["live", false, true],
    ["archived", true, false],
  ] as const)("a %s space: %s", (_what, archived, expected) => {
    expect(acceptsNewcomers(space(archived))).toBe(expected);
  });
});
