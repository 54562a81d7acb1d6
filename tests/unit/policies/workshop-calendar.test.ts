import { describe, expect, test } from "vitest";
import type { Role } from "#db/schema.ts";
import { mayAttendWorkshop, mayReadWorkshop } from "#app/policies/workshop-calendar.ts";

/** The calendar's read and attend rules, role × space × workshop, as the SPEC's table and the issue say them. */

const actor = { id: "u1", isNetworkAdmin: false };
const netAdmin = { id: "n1", isNetworkAdmin: true };
const space = (visibility: "secret" | "listed" | "open", archived = false) => ({ visibility, join_policy: "coopt_direct" as const, archived_at: archived ? 1 : null });
const ROLES: (Role | null)[] = [null, "guest", "member", "editor", "admin"];

describe("mayReadWorkshop / mayAttendWorkshop", () => {
  test.each([
    // visibility, archived, workshop, role → read, attend
    ["secret", false, "space", null, false, false],
    ["listed", false, "space", null, false, false],
    ["listed", false, "network", null, true, true],
    ["open", false, "space", null, true, false],
    ["open", false, "network", null, true, true],
    ["secret", false, "network", null, false, false],
    ["listed", true, "network", null, false, false],
  ] as const)("%s space (archived %s), %s workshop, outsider → read %s, attend %s", (visibility, archived, w, _role, read, attend) => {
    expect(mayReadWorkshop(actor, null, space(visibility, archived), { visibility: w })).toBe(read);
    expect(mayAttendWorkshop(actor, null, space(visibility, archived), { visibility: w })).toBe(attend);
  });

  test("every role of the space reads and attends (guests RSVP); in an archived space they read and attend no more", () => {
    for (const role of ROLES.filter((r): r is Role => r !== null)) {
      expect(mayReadWorkshop(actor, { role }, space("secret"), { visibility: "space" }), role).toBe(true);
      expect(mayAttendWorkshop(actor, { role }, space("secret"), { visibility: "space" }), role).toBe(true);
      expect(mayReadWorkshop(actor, { role }, space("listed", true), { visibility: "space" }), role).toBe(true);
      expect(mayAttendWorkshop(actor, { role }, space("listed", true), { visibility: "network" }), role).toBe(false);
    }
  });

  test("nobody signed in: nothing; the network admin: as everywhere", () => {
    expect(mayReadWorkshop(null, null, space("open"), { visibility: "network" })).toBe(false);
    expect(mayAttendWorkshop(null, null, space("open"), { visibility: "network" })).toBe(false);
    expect(mayReadWorkshop(netAdmin, null, space("secret"), { visibility: "space" })).toBe(true);
    expect(mayAttendWorkshop(netAdmin, null, space("secret"), { visibility: "space" })).toBe(true);
  });
});
