import { afterAll, beforeAll, describe, expect, test } from "vitest";
import ICAL from "ical.js";
import { pageText } from "#tests/helpers/http.ts";
import { seedWorkshop } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * A workshop opened to the whole network, over real HTTP: a member of
 * another club reads it, finds it in the agenda, registers and takes its
 * calendar file — and nothing else of its space: not its other workshops,
 * its tab, its wiki, its comments. Never from a secret space, even if the
 * row says "network".
 */

type People = "admin" | "member" | "neighbour";
type Spaces = "club" | "secret" | "home";
let w: World<People, Spaces>;
const DAY = 24 * 3_600_000;
let open: string;
let closed: string;
let hidden: string;

beforeAll(async () => {
  w = await world({
    people: { admin: { displayName: "Claire Martin" }, member: {}, neighbour: { displayName: "Hugo Petit" } },
    spaces: {
      club: { createdBy: "admin", slug: "club-achats", name: "Club Achats", visibility: "listed", members: { member: "member" } },
      secret: { createdBy: "admin", slug: "comite", name: "Comité", visibility: "secret", members: { member: "member" } },
      home: { createdBy: "admin", slug: "cercle-lyon", name: "Cercle Lyon", visibility: "listed", members: { neighbour: "member" } },
    },
  });
  const start = Date.now() + 9 * DAY;
  const at = { startsAt: start, endsAt: start + 2 * 3_600_000, createdBy: w.people.admin.id };
  open = (await seedWorkshop(w.store.db, { ...at, spaceId: w.spaces.club.id, title: "Négocier avec un fournisseur unique", visibility: "network", videoUrl: "https://visio.example/ouvert", capacity: 20 })).id;
  closed = (await seedWorkshop(w.store.db, { ...at, spaceId: w.spaces.club.id, title: "Bilan interne du club", visibility: "space" })).id;
  hidden = (await seedWorkshop(w.store.db, { ...at, spaceId: w.spaces.secret.id, title: "Réunion du comité", visibility: "network" })).id;
});
afterAll(() => w?.close());

describe("a workshop opened to the network", () => {
  test("a member of another club reads it, with the call's link, and no way into the rest of the space", async () => {
    const res = await w.c.neighbour.get(`/spaces/club-achats/workshops/${open}`);
    expect(res.status).toBe(200);
    const text = pageText(res.text);
    expect(text).toContain("Négocier avec un fournisseur unique");
    expect(text).toContain("Club Achats");
    expect(res.text).toContain("https://visio.example/ouvert");
    // No link to the space's tab, wiki, files or blog; no comments.
    for (const inside of ["/spaces/club-achats/workshops\"", "/spaces/club-achats/wiki", "/spaces/club-achats/files", "/spaces/club-achats/blog"]) expect(res.text).not.toContain(inside);
    expect(res.text).not.toContain('id="comments"');
    expect(text).not.toContain("Bilan interne du club");
  });

  test("the space's other workshops, its tab and its wiki stay closed to them", async () => {
    // Refused as the space's other pages are (403: the listed club's name is no secret), whether or not the id exists.
    expect((await w.c.neighbour.get(`/spaces/club-achats/workshops/${closed}`)).status).toBe(403);
    expect((await w.c.neighbour.get("/spaces/club-achats/workshops/no-such-id")).status).toBe(403);
    expect((await w.c.neighbour.get("/spaces/club-achats/workshops")).status).toBe(403);
    expect((await w.c.neighbour.get("/spaces/club-achats/wiki")).status).toBe(403);
    // Registering to the closed one: refused, nothing written.
    expect((await w.c.neighbour.post(`/spaces/club-achats/workshops/${closed}/registration`, { status: "going" })).status).toBe(403);
    const rows = await w.store.db.selectFrom("workshop_registration").select("user_id").where("workshop_id", "=", closed).execute();
    expect(rows).toEqual([]);
  });

  test("they find it in their agenda, register, and its calendar file names them", async () => {
    const agenda = pageText((await w.c.neighbour.get("/agenda")).text);
    expect(agenda).toContain("Négocier avec un fournisseur unique");
    expect(agenda).not.toContain("Bilan interne du club");
    expect(agenda).not.toContain("Réunion du comité");
    const reg = await w.c.neighbour.post(`/spaces/club-achats/workshops/${open}/registration`, { status: "going" });
    expect(reg.status).toBe(302);
    const row = await w.store.db.selectFrom("workshop_registration").select("status").where("workshop_id", "=", open).where("user_id", "=", w.people.neighbour.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("going");
    const ics = await w.c.neighbour.get(`/spaces/club-achats/workshops/${open}.ics`);
    expect(ics.status).toBe(200);
    const event = new ICAL.Component(ICAL.parse(ics.text)).getFirstSubcomponent("vevent")!;
    expect(event.getFirstPropertyValue("summary")).toBe("Négocier avec un fournisseur unique");
    const attendee = event.getFirstProperty("attendee")!;
    expect(String(attendee.getFirstValue()).toLowerCase()).toBe(`mailto:${w.people.neighbour.email}`.toLowerCase());
  });

  test("from a secret space it is opened to nobody: 404 to outsiders, nothing in their agenda", async () => {
    expect((await w.c.neighbour.get(`/spaces/comite/workshops/${hidden}`)).status).toBe(404);
    expect((await w.c.neighbour.post(`/spaces/comite/workshops/${hidden}/registration`, { status: "going" })).status).toBe(404);
    expect((await w.c.neighbour.get(`/spaces/comite/workshops/${hidden}.ics`)).status).toBe(404);
    expect((await w.c.member.get(`/spaces/comite/workshops/${hidden}`)).status).toBe(200);
  });
});
