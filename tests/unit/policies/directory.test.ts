import { describe, expect, test } from "vitest";
import type { Role, Visibility } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canListSpace, directoryFilter, seesEverySpace } from "#app/policies/directory.ts";

// The club directory, written out by hand: which spaces each viewer finds
// listed, by the space's visibility, open or archived.
type Who = Role | "network admin" | "outsider" | "anonymous";
type Kind = `${Visibility}` | `${Visibility}, archived`;

const person: Actor = { id: "p", isNetworkAdmin: false };
const networkAdmin: Actor = { id: "na", isNetworkAdmin: true };

function whoIs(who: Who): [Actor | null, { role: Role } | null] {
  if (who === "anonymous") return [null, null];
  if (who === "outsider") return [person, null];
  if (who === "network admin") return [networkAdmin, null];
  return [person, { role: who }];
}

function space(kind: Kind) {
  const [visibility, archived] = kind.split(", ") as [Visibility, string | undefined];
  return { visibility, join_policy: "coopt_approval" as const, archived_at: archived ? 1 : null };
}

const KINDS: Kind[] = ["secret", "listed", "open", "secret, archived", "listed, archived", "open, archived"];
const EVERY: Kind[] = KINDS;
const TABLE: Array<[Who, Kind[]]> = [
  // Members see their own space whatever it is.
  ["guest", EVERY],
  ["member", EVERY],
  ["editor", EVERY],
  ["admin", EVERY],
  ["network admin", EVERY],
  // Everyone else in the network: what is listed or open and still alive.
  ["outsider", ["listed", "open"]],
  ["anonymous", []],
];

describe("the club directory, viewer by viewer", () => {
  for (const [who, listed] of TABLE) {
    for (const kind of KINDS) {
      const expected = listed.includes(kind);
      test(`${who} ${expected ? "finds" : "does not find"} a ${kind} space`, () => {
        const [actor, membership] = whoIs(who);
        expect(canListSpace(actor, membership, space(kind))).toBe(expected);
      });
    }
  }

  test("only the network admin's directory skips the visibility filter", () => {
    expect(seesEverySpace(networkAdmin)).toBe(true);
    expect(seesEverySpace(person)).toBe(false);
    expect(seesEverySpace(null)).toBe(false);
  });
});

describe("the directory rule as the query takes it", () => {
  test("the network admin's query reads every space; anyone else's their own and the live listed and open ones", () => {
    expect(directoryFilter(networkAdmin)).toEqual({ includeAll: true, viewerId: "na", knownToOutsiders: ["listed", "open"] });
    expect(directoryFilter(person)).toEqual({ includeAll: false, viewerId: "p", knownToOutsiders: ["listed", "open"] });
  });
});
