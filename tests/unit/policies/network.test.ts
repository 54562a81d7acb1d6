import { describe, expect, test } from "vitest";
import { canCreateSpace, canManageAccounts, canViewAuditLog } from "#app/policies/network.ts";
import { whoIs, type Who } from "#tests/helpers/policy-cast.ts";

// Network-wide powers, written out by hand: the network admin's alone,
// whatever role the person holds in any space.
// [who, create a space, read the audit log, manage accounts]
const TABLE: Array<[Who, boolean, boolean, boolean]> = [
  ["guest", false, false, false],
  ["member", false, false, false],
  ["editor", false, false, false],
  ["admin", false, false, false],
  ["network admin", true, true, true],
  ["outsider", false, false, false],
  ["anonymous", false, false, false],
];

describe("the network's powers, role by role", () => {
  test.each(TABLE)("%s: create a space %s, audit log %s, accounts %s", (who, create, audit, accounts) => {
    const [actor] = whoIs(who);
    expect(canCreateSpace(actor)).toBe(create);
    expect(canViewAuditLog(actor)).toBe(audit);
    expect(canManageAccounts(actor)).toBe(accounts);
  });
});
