import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { client, request, type Client } from "#tests/helpers/http.ts";
import { readCalendar } from "#tests/helpers/ical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { changeWorkshop, seedRegistration, seedWorkshop } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The workshops' calendars over real HTTP, read with a real iCalendar parser
 * (ical.js): a workshop's .ics as a signed-in reader downloads it, and a
 * member's personal subscription, fetched with no cookie at the address
 * carrying their token (made in the settings, shown once, reset at will,
 * ended with the password).
 */

const DAY = 86_400_000;

let server: TestServer;
let store: OpenedDatabase;
let w: World<"admin" | "alice" | "bob" | "carol" | "dave", "achats" | "rh" | "autre" | "quitte">;
let achats: Space;
let rh: Space;
let autre: Space;
let quitte: Space;

/** The workshops of the fixture, by name; see beforeAll for who should see which. */
const ws = {} as Record<
  "achatsNext" | "achatsCancelled" | "achatsDeleted" | "achatsProposed" | "achatsOld" | "achatsRecent" | "rhNext" | "autreOpen" | "autrePrivate" | "autreNotGoing" | "quitteNext",
  string
>;

beforeAll(async () => {
  w = await world({
    network: { name: "Réseau Agenda" },
    domain: "agenda.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Agenda`,
    people: { admin: {}, alice: {}, bob: {}, carol: {}, dave: {} },
    spaces: {
      achats: { createdBy: "admin", slug: "achats-agenda", name: "Club Achats", visibility: "listed", members: { alice: "member", bob: "guest" } },
      rh: { createdBy: "admin", slug: "rh-agenda", name: "Cercle RH", visibility: "secret", members: { alice: "member" } },
      autre: { createdBy: "admin", slug: "autre-agenda", name: "Club Autre", visibility: "listed", members: { carol: "member" } },
      quitte: { createdBy: "admin", slug: "quitte-agenda", name: "Club Quitté", visibility: "listed", members: { alice: "member" } },
    },
    signIn: ["admin", "alice", "bob", "carol", "dave"],
  });
  ({ server, store } = w);
  ({ achats, rh, autre, quitte } = w.spaces);
  const { admin, alice } = w.people;
  // Whole minutes, as the workshop form gives them: iCalendar times have no milliseconds.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const at = (days: number, hours = 2) => ({ startsAt: now + days * DAY, endsAt: now + days * DAY + hours * 3_600_000 });
  const seed = async (space: Space, title: string, days: number, extra: Partial<Parameters<typeof seedWorkshop>[1]> = {}) =>
    (await seedWorkshop(store.db, { spaceId: space.id, createdBy: admin.id, title, videoUrl: `https://visio.example.org/${encodeURIComponent(title)}`, ...at(days), ...extra })).id;

  ws.achatsNext = await seed(achats, "Achats : négocier", 5, { place: "Lyon" });
  ws.achatsCancelled = await seed(achats, "Achats annulé", 6, { state: "cancelled", sequence: 1, cancelReason: "Salle indisponible" });
  ws.achatsDeleted = await seed(achats, "Achats supprimé", 7, { deletedAt: now });
  ws.achatsProposed = await seed(achats, "Achats proposé", 8, { state: "proposed" });
  ws.achatsOld = await seed(achats, "Achats d’il y a longtemps", -40);
  ws.achatsRecent = await seed(achats, "Achats du mois dernier", -10);
  ws.rhNext = await seed(rh, "RH : entretiens annuels", 3, { timeZone: "America/New_York" });
  ws.autreOpen = await seed(autre, "Ouvert au réseau", 4, { visibility: "network" });
  ws.autrePrivate = await seed(autre, "Réservé au club autre", 4);
  ws.autreNotGoing = await seed(autre, "Ouvert, décliné", 9, { visibility: "network" });
  ws.quitteNext = await seed(quitte, "Club quitté", 2);

  // Alice registers to a network-open workshop of a club not hers, and declines another.
  await seedRegistration(store.db, ws.autreOpen, alice.id, "maybe");
  await seedRegistration(store.db, ws.autreNotGoing, alice.id, "not_going");
  // A registration alone never opens a workshop that is not open to the network...
  await seedRegistration(store.db, ws.autrePrivate, alice.id, "going");
  // ...nor keeps the workshops of a club she has left.
  await seedRegistration(store.db, ws.quitteNext, alice.id, "going");
  await store.db.deleteFrom("space_member").where("space_id", "=", quitte.id).where("user_id", "=", alice.id).execute();
});

afterAll(() => w?.close());

/** The subscription address the settings page shows once, read from its HTML. */
async function makeCalendarAddress(who: Client) {
  const res = await who.post("/settings/notifications", { intent: "reset-calendar" });
  expect(res.status).toBe(200);
  const found = /(https?:\/\/[^"<\s]+)\/calendar\/([a-z2-7]+)\.ics/.exec(res.text);
  expect(found, "the page shows the calendar address").not.toBeNull();
  expect(found![1]).toBe(server.url);
  return { token: found![2], path: `/calendar/${found![2]}.ics`, html: res.text };
}

const fetchAnonymously = (path: string) => request(new URL(path, server.url), "GET", {});

async function subscription(who: Client) {
  const { path } = await makeCalendarAddress(who);
  const res = await fetchAnonymously(path);
  expect(res.status).toBe(200);
  return { res, calendar: readCalendar(res.text) };
}

const uidsOf = (ids: string[]) => ids.map((id) => `workshop-${id}@${new URL(server.url).hostname}`).sort();

describe("a workshop's .ics", () => {
  test("a member downloads it: a calendar file, an attachment, REQUEST, the right instants, and herself as attendee", async () => {
    const res = await w.c.alice.get(`/spaces/achats-agenda/workshops/${ws.achatsNext}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/calendar; charset=utf-8; method=REQUEST");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="achats-negocier\.ics"/);
    const calendar = readCalendar(res.text);
    expect(calendar.method).toBe("REQUEST");
    expect(calendar.events).toHaveLength(1);
    const [event] = calendar.events;
    const row = await store.db.selectFrom("workshop").select(["starts_at", "ends_at"]).where("id", "=", ws.achatsNext).executeTakeFirstOrThrow();
    expect(event.uid).toBe(uidsOf([ws.achatsNext])[0]);
    expect(event.summary).toBe("Achats : négocier");
    expect([event.start, event.end]).toEqual([row.starts_at, row.ends_at]);
    expect(event.startTzid).toBe("Europe/Paris");
    expect(event.location).toBe("Lyon");
    expect(event.url).toBe(`${server.url}/spaces/achats-agenda/workshops/${ws.achatsNext}`);
    expect(event.description).toContain("https://visio.example.org/");
    expect(event.attendees).toEqual([{ email: "mailto:alice@agenda.test", partstat: "NEEDS-ACTION" }]);
  });

  test("given in New York, read back at the very instants stored", async () => {
    const res = await w.c.alice.get(`/spaces/rh-agenda/workshops/${ws.rhNext}.ics`);
    expect(res.status).toBe(200);
    const [event] = readCalendar(res.text).events;
    const row = await store.db.selectFrom("workshop").select(["starts_at", "ends_at"]).where("id", "=", ws.rhNext).executeTakeFirstOrThrow();
    expect(event.startTzid).toBe("America/New_York");
    expect([event.start, event.end]).toEqual([row.starts_at, row.ends_at]);
  });

  test("the UID stays and SEQUENCE follows a change; once cancelled, METHOD:CANCEL and STATUS:CANCELLED", async () => {
    const { id } = await seedWorkshop(store.db, { spaceId: achats.id, createdBy: w.people.admin.id, title: "Atelier qui bouge", startsAt: Date.now() + 20 * DAY, endsAt: Date.now() + 20 * DAY + 3_600_000 });
    const path = `/spaces/achats-agenda/workshops/${id}.ics`;
    // Out of the subscriptions the next tests count, whatever happens here.
    onTestFinished(() => store.db.deleteFrom("workshop").where("id", "=", id).execute().then(() => undefined));
    const before = readCalendar((await w.c.bob.get(path)).text).events[0];
    const newStart = Date.UTC(2030, 2, 31, 0, 30); // 31 March 2030, 01:30 in Paris, the night the clocks go forward
    await changeWorkshop(store.db, id, { startsAt: newStart, endsAt: newStart + 2 * 3_600_000 });
    const moved = readCalendar((await w.c.bob.get(path)).text).events[0];
    expect(moved.uid).toBe(before.uid);
    expect(moved.sequence).toBe(before.sequence + 1);
    expect([moved.start, moved.end]).toEqual([newStart, newStart + 2 * 3_600_000]);

    await changeWorkshop(store.db, id, { state: "cancelled", cancelReason: "Trop peu d’inscrits" });
    const res = await w.c.bob.get(path);
    expect(res.headers["content-type"]).toBe("text/calendar; charset=utf-8; method=CANCEL");
    const cancelled = readCalendar(res.text);
    expect(cancelled.method).toBe("CANCEL");
    expect(cancelled.events[0]).toMatchObject({ uid: before.uid, sequence: before.sequence + 2, status: "CANCELLED" });
    expect(cancelled.events[0].description).toContain("Trop peu d’inscrits");
  });

  test("another space's workshop through this space's address, a deleted one, a proposal, an unknown id: 404", async () => {
    for (const id of [ws.rhNext, ws.achatsDeleted, ws.achatsProposed, "nosuchworkshop"]) {
      const res = await w.c.alice.get(`/spaces/achats-agenda/workshops/${id}.ics`);
      expect(res.status, id).toBe(404);
      expect(res.text).not.toContain("BEGIN:VCALENDAR");
    }
  });

  test("signed out: to the sign-in page, nothing of the workshop", async () => {
    const path = `/spaces/achats-agenda/workshops/${ws.achatsNext}.ics`;
    const res = await client(server.url).get(path);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
  });
});

describe("the personal subscription", () => {
  test("no token, an unknown one, a malformed one: 404, as for anything that does not exist", async () => {
    for (const path of ["/calendar/abcdefghijklmnopqrstuvwxyz234567.ics", "/calendar/x.ics", "/calendar/.ics", "/calendar/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567.ics"]) {
      expect((await fetchAnonymously(path)).status, path).toBe(404);
    }
  });

  test("the settings make the address, shown once; only a hash is stored", async () => {
    const { token, html } = await makeCalendarAddress(w.c.alice);
    expect(html).toContain("Mon agenda dans mon calendrier");
    const row = await store.db.selectFrom("user").select("calendar_token_hash").where("id", "=", w.people.alice.id).executeTakeFirstOrThrow();
    expect(row.calendar_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.calendar_token_hash).not.toContain(token);
    const again = await w.c.alice.get("/settings/notifications");
    expect(again.text).not.toContain(token);
  });

  test("a member of two clubs: exactly her clubs' workshops and the network one she registered for", async () => {
    const { res, calendar } = await subscription(w.c.alice);
    expect(res.headers["content-type"]).toBe("text/calendar; charset=utf-8; method=PUBLISH");
    expect(res.headers["x-robots-tag"]).toBe("noindex");
    expect(res.headers["cache-control"]).toBe("private, no-cache");
    expect(calendar.method).toBe("PUBLISH");
    expect(calendar.name).toBe("Réseau Agenda — mes ateliers");
    expect(calendar.refreshInterval).toBe("PT1H");
    expect(calendar.events.map((e) => e.uid).sort()).toEqual(uidsOf([ws.achatsNext, ws.achatsCancelled, ws.achatsRecent, ws.rhNext, ws.autreOpen]));
    const cancelled = calendar.events.find((e) => e.uid === uidsOf([ws.achatsCancelled])[0])!;
    expect(cancelled.status).toBe("CANCELLED");
    // Each event at the instants stored, in its own zone.
    for (const event of calendar.events) {
      const id = event.uid.slice("workshop-".length, event.uid.indexOf("@"));
      const row = await store.db.selectFrom("workshop").select(["starts_at", "ends_at", "time_zone"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect([event.start, event.end, event.startTzid], event.summary).toEqual([row.starts_at, row.ends_at, row.time_zone]);
    }
    expect(calendar.timezones.sort()).toEqual(["America/New_York", "Europe/Paris"]);
  });

  test("a guest of one club: that club's only; a member of another club: hers and not the others'", async () => {
    const bob = (await subscription(w.c.bob)).calendar;
    expect(bob.events.map((e) => e.uid).sort()).toEqual(uidsOf([ws.achatsNext, ws.achatsCancelled, ws.achatsRecent]));
    // A guest may RSVP (the SPEC's table): the video link is his too.
    expect(bob.events.find((e) => e.uid === uidsOf([ws.achatsNext])[0])!.description).toContain("https://visio.example.org/");
    const carol = (await subscription(w.c.carol)).calendar;
    expect(carol.events.map((e) => e.uid).sort()).toEqual(uidsOf([ws.autreOpen, ws.autrePrivate, ws.autreNotGoing]));
  });

  test("someone in no club: an empty calendar, nothing of anyone's workshops", async () => {
    const { res, calendar } = await subscription(w.c.dave);
    expect(calendar.events).toEqual([]);
    for (const id of Object.values(ws)) expect(res.text).not.toContain(id);
  });

  test("leaving a club takes its workshops out of the subscription at once, same address", async () => {
    const { path } = await makeCalendarAddress(w.c.bob);
    const count = async () => readCalendar((await fetchAnonymously(path)).text).events.length;
    expect(await count()).toBe(3);
    const membership = await store.db.selectFrom("space_member").selectAll().where("space_id", "=", achats.id).where("user_id", "=", w.people.bob.id).executeTakeFirstOrThrow();
    await store.db.deleteFrom("space_member").where("space_id", "=", achats.id).where("user_id", "=", w.people.bob.id).execute();
    try {
      expect(await count()).toBe(0);
    } finally {
      await store.db.insertInto("space_member").values(membership).execute();
    }
    expect(await count()).toBe(3);
  });

  test("a reset kills the old address at once; the new one works", async () => {
    const first = await makeCalendarAddress(w.c.carol);
    expect((await fetchAnonymously(first.path)).status).toBe(200);
    const second = await makeCalendarAddress(w.c.carol);
    expect(second.token).not.toBe(first.token);
    expect((await fetchAnonymously(first.path)).status).toBe(404);
    expect((await fetchAnonymously(second.path)).status).toBe(200);
  });

  test("a change of password ends the address too (as every credential)", async () => {
    const { path } = await makeCalendarAddress(w.c.dave);
    expect((await fetchAnonymously(path)).status).toBe(200);
    const res = await w.c.dave.post("/settings/password", { current: w.people.dave.password, password: "une toute nouvelle phrase", confirm: "une toute nouvelle phrase" });
    expect(res.status).toBe(302);
    expect((await fetchAnonymously(path)).status).toBe(404);
  });

  test("signed out, no address is made", async () => {
    const anonymous = client(server.url);
    const before = await store.db.selectFrom("user").select(["id", "calendar_token_hash"]).orderBy("id").execute();
    expect((await anonymous.post("/settings/notifications", { intent: "reset-calendar" })).status).toBe(302);
    expect(await store.db.selectFrom("user").select(["id", "calendar_token_hash"]).orderBy("id").execute()).toEqual(before);
  });
});
