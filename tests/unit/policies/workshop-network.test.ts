import { describe, expect, test } from "vitest";
import type { Role } from "#db/schema.ts";
import { canAttendWorkshop, canReadWorkshop } from "#app/policies/workshop.ts";

/**
 * Who reads a workshop and may come to it, by where it is open: the space's
 * roles, and, for a workshop opened to the network, every signed-in member —
 * never from a secret or an archived space. Role × space × workshop, as the
 * SPEC's table and the issue say them.
 */

const scheduled = (visibility: "space" | "network", state: "scheduled" | "proposed" = "scheduled") => ({ visibility, state, proposed_by: null, deleted_at: null });

const actor = { id: "u1", isNetworkAdmin: false };
const netAdmin = { id: "n1", isNetworkAdmin: true };
const space = (visibility: "secret" | "listed" | "open", archived = false) => ({ visibility, join_policy: "coopt_direct" as const, archived_at: archived ? 1 : null });
const ROLES: (Role | null)[] = [null, "guest", "member", "editor", "admin"];

describe("canReadWorkshop / canAttendWorkshop", () => {
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
    expect(canReadWorkshop(actor, null, space(visibility, archived), scheduled(w))).toBe(read);
    expect(canAttendWorkshop(actor, null, space(visibility, archived), scheduled(w))).toBe(attend);
  });

  test("every role of the space reads and attends (guests RSVP); in an archived space they read and attend no more", () => {
    for (const role of ROLES.filter((r): r is Role => r !== null)) {
      expect(canReadWorkshop(actor, { role }, space("secret"), scheduled("space")), role).toBe(true);
      expect(canAttendWorkshop(actor, { role }, space("secret"), scheduled("space")), role).toBe(true);
      expect(canReadWorkshop(actor, { role }, space("listed", true), scheduled("space")), role).toBe(true);
      expect(canAttendWorkshop(actor, { role }, space("listed", true), scheduled("network")), role).toBe(false);
    }
  });

  test("a proposal opened to the network is still its proposer's and the admins' alone", () => {
    expect(canReadWorkshop(actor, null, space("listed"), scheduled("network", "proposed"))).toBe(false);
    expect(canReadWorkshop(actor, { role: "member" }, space("listed"), scheduled("network", "proposed"))).toBe(false);
  });

  test("nobody signed in: nothing; the network admin: as everywhere", () => {
    expect(canReadWorkshop(null, null, space("open"), scheduled("network"))).toBe(false);
    expect(canAttendWorkshop(null, null, space("open"), scheduled("network"))).toBe(false);
    expect(canReadWorkshop(netAdmin, null, space("secret"), scheduled("space"))).toBe(true);
    expect(canAttendWorkshop(netAdmin, null, space("secret"), scheduled("space"))).toBe(true);
  });
});
