import { describe, expect, test } from "vitest";
import type { WorkshopState } from "#db/schema.ts";
import { canFollowUpWorkshop, canManageMaterials, hasStarted } from "#app/policies/workshop-followup.ts";
import { label, ownId, someoneElse, spaceAt, whoIs, type Where, type Who } from "#tests/helpers/policy-cast.ts";

// Materials, attendance and notes, role by role, written out by hand: a
// workshop's facilitators (still able to write in the space) and the
// space's admins manage its materials at any time, and record attendance
// and write up the notes once it has started; nobody else.
// [who, where, materials as facilitator, materials of another's, follow up as facilitator once started, before the start, another's once started]
const TABLE: Array<[Who, Where, boolean, boolean, boolean, boolean, boolean]> = [
  ["guest", "listed", false, false, false, false, false],
  ["member", "listed", true, false, true, false, false],
  ["editor", "listed", true, false, true, false, false],
  ["admin", "listed", true, true, true, false, true],
  ["network admin", "listed", true, true, true, false, true],
  ["outsider", "listed", false, false, false, false, false],
  ["outsider", "open", false, false, false, false, false],
  ["anonymous", "open", false, false, false, false, false],
  // An archived space changes no more.
  ["member", "archived", false, false, false, false, false],
  ["admin", "archived", false, false, false, false, false],
];

const NOW = 1_800_000_000_000;
const workshop = (state: WorkshopState, startsAt: number) => ({ state, proposed_by: null, deleted_at: null, visibility: "space" as const, starts_at: startsAt });

describe("a workshop's follow-up, role by role", () => {
  for (const [who, where, materialsOwn, materialsOthers, followOwn, followEarly, followOthers] of TABLE) {
    test(`${label(who, where)}: materials ${materialsOwn}/${materialsOthers}, follow-up ${followOwn}, before the start ${followEarly}, another's ${followOthers}`, () => {
      const [actor, membership] = whoIs(who);
      const space = spaceAt(where);
      const held = workshop("scheduled", NOW - 1);
      const coming = workshop("scheduled", NOW + 60_000);
      expect(canManageMaterials(actor, membership, space, held, [ownId(actor)])).toBe(materialsOwn);
      expect(canManageMaterials(actor, membership, space, held, [someoneElse])).toBe(materialsOthers);
      expect(canFollowUpWorkshop(actor, membership, space, held, [ownId(actor)], NOW)).toBe(followOwn);
      expect(canFollowUpWorkshop(actor, membership, space, coming, [ownId(actor)], NOW)).toBe(followEarly);
      expect(canFollowUpWorkshop(actor, membership, space, held, [someoneElse], NOW)).toBe(followOthers);
    });
  }

  test("only a scheduled workshop whose start has come has taken place", () => {
    expect(hasStarted(workshop("scheduled", NOW), NOW)).toBe(true);
    expect(hasStarted(workshop("scheduled", NOW + 1), NOW)).toBe(false);
    for (const state of ["cancelled", "proposed", "declined"] as const) expect(hasStarted(workshop(state, NOW - 1), NOW), state).toBe(false);
    // Not even its admins follow up a cancelled workshop.
    const [admin, membership] = whoIs("admin");
    expect(canFollowUpWorkshop(admin, membership, spaceAt("listed"), workshop("cancelled", NOW - 1), [], NOW)).toBe(false);
  });
});
