import { describe, expect, test } from "vitest";
import type { WorkshopState } from "#db/schema.ts";
import {
  canDecideProposal,
  canDeleteWorkshop,
  canEditWorkshop,
  canOpenNewWorkshop,
  canProposeWorkshop,
  canReadWorkshop,
  canReadWorkshops,
  canScheduleWorkshops,
} from "#app/policies/workshop.ts";
import { label, ownId, someoneElse, spaceAt, whoIs, type Where, type Who } from "#tests/helpers/policy-cast.ts";

// Workshops, role by role, written out by hand (SPEC, Workshops): readers
// read scheduled workshops; members and editors propose; admins schedule,
// decide and run every workshop; facilitators edit theirs.
// [who, where, read list, schedule, propose, open "new", decide, delete, read scheduled, read own proposal, read another's proposal, edit as facilitator, edit another's scheduled]
const TABLE: Array<[Who, Where, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean]> = [
  // A proposer who became a guest (or left an open space) still reads what they proposed.
  ["guest", "listed", true, false, false, false, false, false, true, true, false, false, false],
  ["member", "listed", true, false, true, true, false, false, true, true, false, true, false],
  ["editor", "listed", true, false, true, true, false, false, true, true, false, true, false],
  ["admin", "listed", true, true, false, true, true, true, true, true, true, true, true],
  ["network admin", "listed", true, true, false, true, true, true, true, true, true, true, true],
  ["outsider", "listed", false, false, false, false, false, false, false, false, false, false, false],
  ["outsider", "open", true, false, false, false, false, false, true, true, false, false, false],
  ["anonymous", "open", false, false, false, false, false, false, false, false, false, false, false],
  ["member", "archived", true, false, false, false, false, false, true, true, false, false, false],
  ["admin", "archived", true, false, false, false, false, false, true, true, true, false, false],
];

const workshop = (state: WorkshopState, proposedBy: string | null, deletedAt: number | null = null) => ({ state, proposed_by: proposedBy, deleted_at: deletedAt, visibility: "space" as const });

describe("workshops, role by role", () => {
  for (const [who, where, readList, schedule, propose, openNew, decide, del, readScheduled, readOwnProposal, readOthersProposal, editAsFacilitator, editOthers] of TABLE) {
    test(`${label(who, where)}: list ${readList}, schedule ${schedule}, propose ${propose}, new ${openNew}, decide ${decide}, delete ${del}, scheduled ${readScheduled}, own proposal ${readOwnProposal}, another's ${readOthersProposal}, edit as facilitator ${editAsFacilitator}, another's ${editOthers}`, () => {
      const [actor, membership] = whoIs(who);
      const space = spaceAt(where);
      expect(canReadWorkshops(actor, membership, space)).toBe(readList);
      expect(canScheduleWorkshops(actor, membership, space)).toBe(schedule);
      expect(canProposeWorkshop(actor, membership, space)).toBe(propose);
      expect(canOpenNewWorkshop(actor, membership, space)).toBe(openNew);
      expect(canDecideProposal(actor, membership, space)).toBe(decide);
      expect(canDeleteWorkshop(actor, membership, space)).toBe(del);
      expect(canReadWorkshop(actor, membership, space, workshop("scheduled", someoneElse))).toBe(readScheduled);
      expect(canReadWorkshop(actor, membership, space, workshop("proposed", ownId(actor)))).toBe(readOwnProposal);
      expect(canReadWorkshop(actor, membership, space, workshop("proposed", someoneElse))).toBe(readOthersProposal);
      expect(canEditWorkshop(actor, membership, space, workshop("scheduled", null), [ownId(actor)])).toBe(editAsFacilitator);
      expect(canEditWorkshop(actor, membership, space, workshop("scheduled", null), [someoneElse])).toBe(editOthers);
    });
  }

  test("a cancelled workshop is read as a scheduled one; a declined one only by its proposer and the admins", () => {
    const [member, membership] = whoIs("member");
    const [admin, adminship] = whoIs("admin");
    const space = spaceAt("listed");
    expect(canReadWorkshop(member, membership, space, workshop("cancelled", someoneElse))).toBe(true);
    expect(canReadWorkshop(member, membership, space, workshop("declined", someoneElse))).toBe(false);
    expect(canReadWorkshop(member, membership, space, workshop("declined", ownId(member)))).toBe(true);
    expect(canReadWorkshop(admin, adminship, space, workshop("declined", someoneElse))).toBe(true);
  });

  test("a workshop in the trash is read and edited by nobody, network admin included", () => {
    const [admin, adminship] = whoIs("network admin");
    const space = spaceAt("listed");
    expect(canReadWorkshop(admin, adminship, space, workshop("scheduled", null, 5))).toBe(false);
    expect(canEditWorkshop(admin, adminship, space, workshop("scheduled", null, 5), [])).toBe(false);
  });

  test("a proposal is amended by its proposer, not by a facilitator named in it; a declined one by no member", () => {
    const [member, membership] = whoIs("member");
    const space = spaceAt("listed");
    expect(canEditWorkshop(member, membership, space, workshop("proposed", ownId(member)), [])).toBe(true);
    expect(canEditWorkshop(member, membership, space, workshop("proposed", someoneElse), [ownId(member)])).toBe(false);
    expect(canEditWorkshop(member, membership, space, workshop("declined", ownId(member)), [ownId(member)])).toBe(false);
  });
});
