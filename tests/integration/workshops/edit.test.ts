import { afterAll, beforeAll, describe, expect, test } from "vitest";
import ICAL from "ical.js";
import { instantFromLocal } from "#app/blog/schedule.ts";
import { saveChoices } from "#db/queries/notification-choices.ts";
import { pageText } from "#tests/helpers/http.ts";
import { seedRegistration, seedWorkshop } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Editing and cancelling a workshop over real HTTP: facilitators and admins
 * edit, a stale edit is refused with both versions and nothing lost, a new
 * time mails those registered the event with its SEQUENCE raised, a
 * cancellation mails METHOD:CANCEL; each .ics read back with ical.js.
 */

type People = "admin" | "lead" | "member" | "going" | "waiting";
let w: World<People, "club">;
const DAY = 24 * 3_600_000;
const paris = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);

beforeAll(async () => {
  w = await world({
    people: { admin: { displayName: "Claire Martin" }, lead: { displayName: "Sophie Lefèvre" }, member: {}, going: {}, waiting: {} },
    spaces: { club: { createdBy: "admin", slug: "club", name: "Club Achats", visibility: "listed", members: { lead: "member", member: "member", going: "member", waiting: "member" } } },
  });
});
afterAll(() => w?.close());

async function scheduled(title: string) {
  // 10:00 in Paris, ten days ahead: the form holds a workshop within one day.
  const start = instantFromLocal(`${paris(Date.now() + 10 * DAY)}T10:00`, "Europe/Paris")!;
  const { id } = await seedWorkshop(w.store.db, { spaceId: w.spaces.club.id, createdBy: w.people.admin.id, title, startsAt: start, endsAt: start + 2 * 3_600_000, capacity: 1, place: "Salle A" });
  await w.store.db.insertInto("workshop_facilitator").values({ workshop_id: id, user_id: w.people.lead.id }).execute();
  await seedRegistration(w.store.db, id, w.people.going.id, "going");
  await seedRegistration(w.store.db, id, w.people.waiting.id, "waiting");
  return w.store.db.selectFrom("workshop").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

const form = (row: { title: string; starts_at: number; revision: number }, change: Record<string, string> = {}) => ({
  baseRevision: String(row.revision),
  title: row.title,
  date: paris(row.starts_at),
  start: new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(row.starts_at),
  end: new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(row.starts_at + 2 * 3_600_000),
  timeZone: "Europe/Paris",
  place: "Salle A",
  capacity: "1",
  facilitators: w.people.lead.id,
  description: "",
  ...change,
});

/** The calendar part of each mail queued for this workshop since `since`, by recipient. */
async function calendarsMailed(since: number) {
  const rows = await w.store.db.selectFrom("mail_outbox").select(["recipient", "payload"]).where("created_at", ">=", since).execute();
  return new Map(
    rows.map((r) => {
      const mail = JSON.parse(r.payload!) as { subject: string; calendar?: { method: string; content: string } };
      const event = mail.calendar ? new ICAL.Component(ICAL.parse(mail.calendar.content)) : null;
      return [r.recipient, { subject: mail.subject, method: mail.calendar?.method, calendar: event }];
    }),
  );
}

describe("editing a workshop", () => {
  test("a facilitator edits; a member who does not lead it may not; another space's id is 404", async () => {
    const row = await scheduled("Atelier à corriger");
    expect((await w.c.member.get(`/spaces/club/workshops/${row.id}/edit`)).status).toBe(403);
    expect((await w.c.member.post(`/spaces/club/workshops/${row.id}/edit`, form(row, { title: "Pirate" }))).status).toBe(403);
    expect((await w.c.lead.get(`/spaces/club/workshops/${row.id}/edit`)).status).toBe(200);
    const saved = await w.c.lead.post(`/spaces/club/workshops/${row.id}/edit`, form(row, { title: "Atelier corrigé" }));
    expect(saved.status).toBe(302);
    const after = await w.store.db.selectFrom("workshop").select(["title", "revision", "sequence"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ title: "Atelier corrigé", revision: row.revision + 1, sequence: row.sequence + 1 });
    expect((await w.c.lead.get(`/spaces/club/workshops/no-such-workshop/edit`)).status).toBe(404);
  });

  test("a stale edit is refused with their version and the differences; nothing written; the form keeps mine", async () => {
    const row = await scheduled("Atelier disputé");
    expect((await w.c.admin.post(`/spaces/club/workshops/${row.id}/edit`, form(row, { place: "Salle B — version de Claire" }))).status).toBe(302);
    const stale = await w.c.lead.post(`/spaces/club/workshops/${row.id}/edit`, form(row, { place: "Salle C — version de Sophie" }));
    expect(stale.status).toBe(409);
    const text = pageText(stale.text);
    expect(text).toContain("Salle B — version de Claire");
    expect(stale.text).toContain("Salle C — version de Sophie");
    expect(text).toContain("Claire Martin");
    const now = await w.store.db.selectFrom("workshop").select(["place", "revision"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    expect(now).toEqual({ place: "Salle B — version de Claire", revision: row.revision + 1 });
    // The form now stands on their revision: saving again lands.
    expect(stale.text).toContain(`name="baseRevision" value="${row.revision + 1}"`);
  });

  test("a new time mails those going and waiting the event, its SEQUENCE raised, the new start in Paris", async () => {
    const row = await scheduled("Atelier déplacé");
    const since = Date.now();
    const later = row.starts_at + DAY;
    expect((await w.c.admin.post(`/spaces/club/workshops/${row.id}/edit`, form(row, { date: paris(later) }))).status).toBe(302);
    const mailed = await calendarsMailed(since);
    expect([...mailed.keys()].sort()).toEqual([w.people.going.email, w.people.waiting.email].sort());
    for (const [, m] of mailed) {
      expect(m.method).toBe("REQUEST");
      const event = m.calendar!.getFirstSubcomponent("vevent")!;
      expect(event.getFirstPropertyValue("sequence")).toBe(row.sequence + 1);
      expect((event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().getTime()).toBe(later);
      expect(event.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/Paris");
    }
  });

  test("a change is in the app for each person registered; by mail, with the event, only to those who take it by mail", async () => {
    const row = await scheduled("Atelier avancé");
    await saveChoices(w.store.db, w.people.waiting.id, [{ kind: "workshopChanged", delivery: "app" }], Date.now());
    const since = Date.now();
    expect((await w.c.admin.post(`/spaces/club/workshops/${row.id}/edit`, form(row, { place: "Salle B" }))).status).toBe(302);
    const told = await w.store.db.selectFrom("notification").select(["user_id", "kind"]).where("owner_id", "=", row.id).orderBy("user_id").execute();
    expect(told).toEqual([w.people.going.id, w.people.waiting.id].sort().map((user_id) => ({ user_id, kind: "workshopChanged" })));
    expect([...(await calendarsMailed(since)).keys()]).toEqual([w.people.going.email]);
    await saveChoices(w.store.db, w.people.waiting.id, [{ kind: "workshopChanged", delivery: "mail" }], Date.now());
  });

  test("raising the capacity promotes the first waiting, who is told with the event", async () => {
    const row = await scheduled("Atelier agrandi");
    const since = Date.now();
    expect((await w.c.admin.post(`/spaces/club/workshops/${row.id}/edit`, form(row, { capacity: "2" }))).status).toBe(302);
    const waiting = await w.store.db.selectFrom("workshop_registration").select("status").where("workshop_id", "=", row.id).where("user_id", "=", w.people.waiting.id).executeTakeFirstOrThrow();
    expect(waiting.status).toBe("going");
    const mailed = await calendarsMailed(since);
    expect([...mailed.keys()]).toEqual([w.people.waiting.email]);
    expect(mailed.get(w.people.waiting.email)!.calendar!.getFirstSubcomponent("vevent")!.getFirstProperty("attendee")!.getParameter("partstat")).toBe("ACCEPTED");
  });
});

describe("cancelling a workshop", () => {
  test("a reason is needed; once cancelled, those registered are mailed METHOD:CANCEL and registration is refused", async () => {
    const row = await scheduled("Atelier annulé");
    expect((await w.c.admin.post(`/spaces/club/workshops/${row.id}`, { intent: "cancel", reason: "" })).status).toBe(400);
    const since = Date.now();
    expect((await w.c.admin.post(`/spaces/club/workshops/${row.id}`, { intent: "cancel", reason: "Salle indisponible" })).status).toBe(302);
    const mailed = await calendarsMailed(since);
    expect([...mailed.keys()].sort()).toEqual([w.people.going.email, w.people.waiting.email].sort());
    for (const [, m] of mailed) {
      expect(m.method).toBe("CANCEL");
      expect(m.calendar!.getFirstPropertyValue("method")).toBe("CANCEL");
      expect(m.calendar!.getFirstSubcomponent("vevent")!.getFirstPropertyValue("status")).toBe("CANCELLED");
    }
    const page = pageText((await w.c.member.get(`/spaces/club/workshops/${row.id}`)).text);
    expect(page).toContain("Salle indisponible");
    const refused = await w.c.member.post(`/spaces/club/workshops/${row.id}/registration`, { status: "going" }, { headers: { Accept: "application/json" } });
    expect(refused.status).toBe(409);
    // A second cancel is refused: already cancelled.
    expect((await w.c.admin.post(`/spaces/club/workshops/${row.id}`, { intent: "cancel", reason: "Encore" })).status).toBe(409);
  });
});
