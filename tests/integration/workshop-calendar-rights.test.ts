import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { setArchived } from "#db/queries/spaces.ts";
import type { Space } from "#db/schema.ts";
import type { Client, HttpResponse } from "#tests/helpers/http.ts";
import { request } from "#tests/helpers/http.ts";
import { readCalendar } from "#tests/helpers/ical.ts";
import { ACTORS, matrix, type ActorName, type SignedInActor } from "#tests/helpers/matrix.ts";
import { seedWorkshop } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The calendar routes in the authorization matrix, over real HTTP as each
 * kind of viewer: a workshop's .ics in a secret, a listed, an open and an
 * archived space (the space's read rule, and the network-open workshop
 * readable by every member of the network), the video link only for those
 * who may attend, another space's workshop id through a space's address
 * (404), and the personal subscription's address with a wrong or an old
 * token (404).
 */

const READ_CELLS = ["200", "403", "404", "login"] as const;
const VIDEO_CELLS = ["yes", "no", "-"] as const;

type SpaceKey = "secret" | "listed" | "open" | "archived";

// {space}: the space's own workshop; {net}: its workshop opened to the network; {other}: a workshop of another space (same id, this space's address).
const READS = `
  path                 anon   outsider  guest  member  editor  admin  netAdmin
  secret/{space}       login  404       200    200     200     200    200
  secret/{other}       login  404       404    404     404     404    404
  listed/{space}       login  403       200    200     200     200    200
  listed/{net}         login  200       200    200     200     200    200
  listed/{other}       login  403       404    404     404     404    404
  open/{space}         login  200       200    200     200     200    200
  open/{net}           login  200       200    200     200     200    200
  open/{other}         login  404       404    404     404     404    404
  archived/{space}     login  404       200    200     200     200    200
  archived/{net}       login  404       200    200     200     200    200
  archived/{other}     login  404       404    404     404     404    404
`;

// Whether the file carries the video link (those who may RSVP, and every network member for a network-open workshop).
const VIDEO = `
  path                 anon   outsider  guest  member  editor  admin  netAdmin
  secret/{space}       -      -         yes    yes     yes     yes    yes
  listed/{space}       -      -         yes    yes     yes     yes    yes
  listed/{net}         -      yes       yes    yes     yes     yes    yes
  open/{space}         -      no        yes    yes     yes     yes    yes
  open/{net}           -      yes       yes    yes     yes     yes    yes
  archived/{space}     -      -         no     no      no      no     no
  archived/{net}       -      -         no     no      no      no     no
`;

const SLUGS: Record<SpaceKey, string> = { secret: "cal-secret", listed: "cal-liste", open: "cal-ouvert", archived: "cal-archive" };
const NAMES: Record<SpaceKey, string> = { secret: "Cercle Calendrier Secret", listed: "Club Calendrier Listé", open: "Cercle Calendrier Ouvert", archived: "Club Calendrier Archivé" };

let store: OpenedDatabase;
let baseUrl: string;
const clients = {} as Record<ActorName, Client>;
const ids = {} as Record<SpaceKey, { space: string; net: string | null; other: string }>;
let w: World<SignedInActor, SpaceKey | "elsewhere">;

beforeAll(async () => {
  const roles = { guest: "guest", member: "member", editor: "editor" } as const;
  w = await world({
    domain: "cal-rights.test",
    displayName: (name) => `${name} Calendrier`,
    people: { outsider: {}, guest: {}, member: {}, editor: {}, admin: {}, netAdmin: { isNetworkAdmin: true } },
    spaces: {
      secret: { createdBy: "admin", slug: SLUGS.secret, name: NAMES.secret, visibility: "secret", members: roles },
      listed: { createdBy: "admin", slug: SLUGS.listed, name: NAMES.listed, visibility: "listed", members: roles },
      open: { createdBy: "admin", slug: SLUGS.open, name: NAMES.open, visibility: "open", members: roles },
      archived: { createdBy: "admin", slug: SLUGS.archived, name: NAMES.archived, visibility: "listed", members: roles },
      elsewhere: { createdBy: "admin", slug: "cal-ailleurs", name: "Club Ailleurs", visibility: "listed" },
    },
  });
  store = w.store;
  baseUrl = w.server.url;
  clients.anon = w.anonymous;
  Object.assign(clients, w.c);
  const start = Date.now() + 10 * 86_400_000;
  const seed = async (space: Space, visibility: "space" | "network") =>
    (await seedWorkshop(store.db, { spaceId: space.id, createdBy: w.people.admin.id, startsAt: start, endsAt: start + 7_200_000, visibility, videoUrl: "https://visio.example.org/salle-secrete" })).id;
  const other = await seed(w.spaces.elsewhere, "space");
  for (const key of Object.keys(SLUGS) as SpaceKey[]) {
    const space = w.spaces[key];
    // Never opened to the network from a secret space (core refuses it); the archived one was opened before it was archived.
    ids[key] = { space: await seed(space, "space"), net: key === "secret" ? null : await seed(space, "network"), other };
  }
  await setArchived(store.db, w.spaces.archived.id, Date.now());
});

afterAll(() => w?.close());

function pathOf(route: string): string {
  const [key, which] = route.split("/") as [SpaceKey, string];
  const id = ids[key][which.slice(1, -1) as "space" | "net" | "other"];
  if (!id) throw new Error(`No workshop for ${route}`);
  return `/spaces/${SLUGS[key]}/workshops/${id}.ics`;
}

function expectNothingOf(res: HttpResponse, route: string) {
  const key = route.split("/")[0] as SpaceKey;
  expect(res.text).not.toContain("BEGIN:VCALENDAR");
  expect(res.text).not.toContain("visio.example.org");
  if (key === "secret") expect(res.text).not.toContain(NAMES.secret);
}

describe("a workshop's .ics, as each kind of viewer", () => {
  for (const { key: route, cells } of matrix(READS, READ_CELLS)) {
    for (const actor of ACTORS) {
      const expected = cells[actor];
      test(`${actor} GET ${route}.ics → ${expected}`, async () => {
        const path = pathOf(route);
        const res = await clients[actor].get(path);
        if (expected === "login") {
          expect(res.status).toBe(302);
          expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
          return;
        }
        expect(res.status).toBe(Number(expected));
        if (expected === "200") {
          expect(res.headers["content-type"]).toMatch(/^text\/calendar; charset=utf-8; method=REQUEST$/);
          expect(readCalendar(res.text).events).toHaveLength(1);
        } else {
          expectNothingOf(res, route);
        }
      });
    }
  }

  for (const { key: route, cells } of matrix(VIDEO, VIDEO_CELLS)) {
    for (const actor of ACTORS) {
      const expected = cells[actor];
      if (expected === "-") continue;
      test(`${actor} GET ${route}.ics: video link ${expected}`, async () => {
        const res = await clients[actor].get(pathOf(route));
        expect(res.status).toBe(200);
        const [event] = readCalendar(res.text).events;
        expect(event.description.includes("https://visio.example.org/salle-secrete")).toBe(expected === "yes");
        expect(res.text.includes("visio.example.org")).toBe(expected === "yes");
      });
    }
  }
});

describe("the personal subscription's address", () => {
  test.each(ACTORS.filter((a): a is SignedInActor => a !== "anon"))("%s: a wrong token, a malformed one or an old one answers 404", async (actor) => {
    const fetch = (path: string) => request(new URL(path, baseUrl), "GET", {});
    const made = async () => {
      const res = await clients[actor].post("/settings/notifications", { intent: "reset-calendar" });
      expect(res.status).toBe(200);
      return /\/calendar\/([a-z2-7]+)\.ics/.exec(res.text)![1];
    };
    const old = await made();
    const current = await made();
    expect((await fetch(`/calendar/${current}.ics`)).status).toBe(200);
    for (const token of [old, current.replace(/.$/, (c) => (c === "a" ? "b" : "a")), `${current}x`, current.toUpperCase(), "a"]) {
      const res = await fetch(`/calendar/${token}.ics`);
      expect(res.status, token).toBe(404);
      expect(res.text).not.toContain("BEGIN:VCALENDAR");
    }
    // The token in the address, a session cookie beside it changes nothing: only the current token opens it.
    expect((await clients[actor].get(`/calendar/${old}.ics`)).status).toBe(404);
  });

  test("anonymous: no address can be made", async () => {
    const res = await clients.anon.post("/settings/notifications", { intent: "reset-calendar" });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login\?redirectTo=/);
  });
});
