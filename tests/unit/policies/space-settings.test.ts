import { describe, expect, test } from "vitest";
import type { Role } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canOpenSpaceSettings, canSetSpaceQuota } from "#app/policies/space-settings.ts";
import { canArchiveSpace, canConfigureSpace } from "#app/policies/space.ts";

// What a space's settings page allows, role by role, written out by hand:
// the space's admins configure it; its quota and archiving are the network's.
type Who = Role | "network admin" | "outsider" | "anonymous";

const person: Actor = { id: "p", isNetworkAdmin: false };
const networkAdmin: Actor = { id: "na", isNetworkAdmin: true };
const space = { visibility: "listed" as const, join_policy: "coopt_approval" as const, archived_at: null };

function whoIs(who: Who): [Actor | null, { role: Role } | null] {
  if (who === "anonymous") return [null, null];
  if (who === "outsider") return [person, null];
  if (who === "network admin") return [networkAdmin, null];
  return [person, { role: who }];
}

// [who, configure, set the quota, archive]
const TABLE: Array<[Who, boolean, boolean, boolean]> = [
  ["guest", false, false, false],
  ["member", false, false, false],
  ["editor", false, false, false],
  ["admin", true, false, false],
  ["network admin", true, true, true],
  ["outsider", false, false, false],
  ["anonymous", false, false, false],
];

describe("the settings of a space, role by role", () => {
  test.each(TABLE)("%s: configure %s, set the quota %s, archive %s", (who, configure, setQuota, archive) => {
    const [actor, membership] = whoIs(who);
    expect(canConfigureSpace(actor, membership, space)).toBe(configure);
    expect(canSetSpaceQuota(actor)).toBe(setQuota);
    expect(canArchiveSpace(actor)).toBe(archive);
  });

  test("a network admin who is also the space's admin still sets the quota; a space admin who is not never does", () => {
    expect(canSetSpaceQuota(networkAdmin)).toBe(true);
    expect(canSetSpaceQuota({ id: "a", isNetworkAdmin: false })).toBe(false);
  });
});

describe("opening the settings page", () => {
  // [who, live space, archived space]
  const OPENS: Array<[Who, boolean, boolean]> = [
    ["guest", false, false],
    ["member", false, false],
    ["editor", false, false],
    ["admin", true, false],
    ["network admin", true, true],
    ["outsider", false, false],
    ["anonymous", false, false],
  ];
  test.each(OPENS)("%s: live %s, archived %s", (who, live, archived) => {
    const [actor, membership] = whoIs(who);
    expect(canOpenSpaceSettings(actor, membership, space)).toBe(live);
    expect(canOpenSpaceSettings(actor, membership, { ...space, archived_at: 1 })).toBe(archived);
  });
});
