import { describe, expect, test } from "vitest";
import { canSeeField, canSeeProfile, listingShown, relationOf, type Relation } from "#app/policies/profile.ts";
import type { Audience, Listing } from "#db/profile-fields.ts";

/**
 * Who sees a field of a profile, written out by hand: the listing (who
 * finds the profile), the field's audience, and the viewer's relation to
 * the member. "club": shares a space with them; "network": any other member.
 */

// listing   audience   self  club  network
const FIELD_TABLE = `
  network   network    yes   yes   yes
  network   clubs      yes   yes   no
  network   me         yes   no    no
  clubs     network    yes   yes   no
  clubs     clubs      yes   yes   no
  clubs     me         yes   no    no
  hidden    network    yes   no    no
  hidden    clubs      yes   no    no
  hidden    me         yes   no    no
`;

const rows = FIELD_TABLE.trim()
  .split("\n")
  .map((line) => line.trim().split(/\s+/))
  .map(([listing, audience, self, club, network]) => ({ listing: listing as Listing, audience: audience as Audience, seen: { self, club, network } as Record<Relation, string> }));

describe("canSeeField", () => {
  test("the table covers every listing and audience", () => {
    expect(rows).toHaveLength(9);
  });
  for (const { listing, audience, seen } of rows) {
    for (const relation of ["self", "club", "network"] as const) {
      test(`${relation} sees a field for "${audience}" on a profile listed to ${listing}: ${seen[relation]}`, () => {
        expect(canSeeField(relation, listing, audience)).toBe(seen[relation] === "yes");
      });
    }
  }
});

describe("canSeeProfile", () => {
  test.each([
    ["self", "network", true],
    ["self", "clubs", true],
    ["club", "network", true],
    ["club", "clubs", true],
    ["network", "network", true],
    ["network", "clubs", false],
    ["self", "hidden", true],
    ["club", "hidden", false],
    ["network", "hidden", false],
  ] as const)("%s, profile listed to %s: %s", (relation, listing, found) => {
    expect(canSeeProfile(relation, listing)).toBe(found);
  });
});

describe("listingShown", () => {
  test("a profile whose account is being deleted is listed nowhere, whatever its choice; otherwise its choice", () => {
    for (const listing of ["network", "clubs", "hidden"] as const) {
      expect(listingShown({ listing, deletion_due_at: null })).toBe(listing);
      expect(listingShown({ listing, deletion_due_at: 1_800_000_000_000 })).toBe("hidden");
    }
  });
});

describe("relationOf", () => {
  const me = { id: "u1", isNetworkAdmin: false };
  const admin = { id: "u9", isNetworkAdmin: true };
  test("oneself, a club peer, anyone else — the network admin too", () => {
    expect(relationOf(me, "u1", false)).toBe("self");
    expect(relationOf(me, "u2", true)).toBe("club");
    expect(relationOf(me, "u2", false)).toBe("network");
    expect(relationOf(admin, "u2", false)).toBe("network");
  });
});
