import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { saveChoices } from "#db/queries/notification-choices.ts";
import { pageText } from "#tests/helpers/http.ts";
import { seedWorkshop } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Scheduling a workshop (the space's admins) through the real form, what is
 * refused beside its field with nothing stored, and who reads its page: ids
 * of another space's workshop, a trashed one or someone else's proposal are
 * not there, and the video link is shown only to those who may attend.
 */

type People = "admin" | "editor" | "member" | "guest" | "outsider" | "quiet";
type Spaces = "club" | "secret" | "other";
let w: World<People, Spaces>;
const DAY = 24 * 3_600_000;

beforeAll(async () => {
  w = await world({
    people: { admin: { displayName: "Claire Martin" }, editor: {}, member: { displayName: "Julien Moreau" }, guest: {}, outsider: {}, quiet: {} },
    spaces: {
      club: { createdBy: "admin", slug: "club", name: "Club Achats", visibility: "listed", members: { editor: "editor", member: "member", guest: "guest", quiet: "member" } },
      secret: { createdBy: "admin", slug: "comite", name: "Comité", visibility: "secret", members: { member: "member" } },
      other: { createdBy: "admin", slug: "autre", name: "Autre club", visibility: "listed" },
    },
  });
  await saveChoices(w.store.db, w.people.quiet.id, [{ kind: "workshopAnnounced", delivery: "app" }], Date.now());
});
afterAll(() => w?.close());

/** A date a week ahead, as the form's date input gives it, in Paris. */
const inAWeek = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(Date.now() + 7 * DAY);
const form = (change: Record<string, string> = {}) => ({
  title: "Négocier une clause d’indexation",
  date: inAWeek(),
  start: "09:30",
  end: "12:00",
  timeZone: "Europe/Paris",
  place: "Maison des associations, 12 rue de la Paix, Paris",
  videoUrl: "https://visio.example/indexation",
  capacity: "12",
  outsideSpeaker: "",
  description: "",
  ...change,
});
const count = async () => Number((await w.store.db.selectFrom("workshop").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

describe("scheduling", () => {
  test("an admin schedules through the form: the page is shown, the members who want it are told, activity and audit say so", async () => {
    const res = await w.c.admin.post("/spaces/club/workshops/new", form());
    expect(res.status).toBe(302);
    const location = res.location!;
    expect(location).toMatch(/^\/spaces\/club\/workshops\/[a-z0-9]+$/);
    const id = location.split("/").at(-1)!;
    const row = await w.store.db.selectFrom("workshop").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: "scheduled", title: "Négocier une clause d’indexation", time_zone: "Europe/Paris", capacity: 12, space_id: w.spaces.club.id });
    // 09:30 to 12:00 in Paris on that date, whatever the offset that day.
    const offset = (row.ends_at - row.starts_at) / 60_000;
    expect(offset).toBe(150);
    expect(new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" }).format(row.starts_at)).toBe("09:30");
    const facilitators = await w.store.db.selectFrom("workshop_facilitator").select("user_id").where("workshop_id", "=", id).execute();
    expect(facilitators.map((f) => f.user_id)).toEqual([w.people.admin.id]);
    const mails = await w.store.db.selectFrom("mail_outbox").select("recipient").where("payload", "like", "%indexation%").execute();
    expect(mails.map((m) => m.recipient).sort()).toEqual([w.people.editor.email, w.people.member.email, w.people.guest.email].sort());
    const activity = await w.store.db.selectFrom("activity").select("verb").where("space_id", "=", w.spaces.club.id).where("verb", "=", "workshop_scheduled").execute();
    expect(activity).toHaveLength(1);
    const audit = await w.store.db.selectFrom("audit_log").select(["actor_id", "data"]).where("event", "=", "workshop_scheduled").execute();
    expect(audit).toEqual([{ actor_id: w.people.admin.id, data: JSON.stringify({ workshop: id }) }]);
    const page = await w.c.member.get(location);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain("Négocier une clause d’indexation");
    expect(pageText(page.text)).toContain("Animé par Claire Martin");
  });

  test.each([
    ["no title", { title: "" }, "title"],
    ["a title of 161 characters", { title: "x".repeat(161) }, "title"],
    ["an end before the start", { end: "08:00" }, "end"],
    ["a start in the past", { date: "2020-01-15" }, "date"],
    ["a capacity of zero", { capacity: "0" }, "capacity"],
    ["a negative capacity", { capacity: "-3" }, "capacity"],
    ["a video link over http", { videoUrl: "http://visio.example/x" }, "videoUrl"],
    ["a zone the calendars cannot carry", { timeZone: "America/Montreal" }, "timeZone"],
    ["a place of 301 characters", { place: "p".repeat(301) }, "place"],
  ])("%s is refused beside its field, nothing stored", async (_, change, field) => {
    const before = await count();
    const res = await w.c.admin.post("/spaces/club/workshops/new", form(change));
    expect(res.status).toBe(400);
    expect(res.text).toMatch(new RegExp(`aria-invalid="true"[^>]*name="${field}"|name="${field}"[^>]*aria-invalid="true"`));
    expect(await count()).toBe(before);
  });

  test("a guest may not schedule nor propose; an outsider does not see the secret committee", async () => {
    const before = await count();
    expect((await w.c.guest.post("/spaces/club/workshops/new", form())).status).toBe(403);
    expect((await w.c.outsider.post("/spaces/comite/workshops/new", form())).status).toBe(404);
    expect(await count()).toBe(before);
  });

  test("a member's or an editor's form is a proposal: nothing scheduled, nothing announced, waiting in the admins' queue", async () => {
    for (const who of ["member", "editor"] as const) {
      const outbox = await w.store.db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      const res = await w.c[who].post("/spaces/club/workshops/new", form({ title: `Idée de ${who}` }));
      expect(res.status, who).toBe(302);
      const id = res.location!.split("/").at(-1)!;
      const row = await w.store.db.selectFrom("workshop").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect([row.state, row.proposed_by], who).toEqual(["proposed", w.people[who].id]);
      const after = await w.store.db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      expect(Number(after.n), who).toBe(Number(outbox.n));
      expect(pageText((await w.c.admin.get("/spaces/club/approvals")).text)).toContain(`Idée de ${who}`);
      expect(pageText((await w.c.guest.get("/spaces/club/workshops")).text)).not.toContain(`Idée de ${who}`);
    }
  });
});

describe("reading a workshop", () => {
  test("the space's readers read it, the video link only for those who may attend; an outsider of a secret space gets 404", async () => {
    const start = Date.now() + 10 * DAY;
    const { id } = await seedWorkshop(w.store.db, { spaceId: w.spaces.club.id, createdBy: w.people.admin.id, startsAt: start, endsAt: start + 7_200_000, videoUrl: "https://visio.example/lien-secret" });
    for (const who of ["guest", "member", "editor"] as const) {
      const res = await w.c[who].get(`/spaces/club/workshops/${id}`);
      expect(res.status, who).toBe(200);
      expect(res.text, who).toContain("https://visio.example/lien-secret");
    }
    const { id: secretId } = await seedWorkshop(w.store.db, { spaceId: w.spaces.secret.id, createdBy: w.people.admin.id, startsAt: start, endsAt: start + 7_200_000 });
    expect((await w.c.outsider.get(`/spaces/comite/workshops/${secretId}`)).status).toBe(404);
    expect((await w.c.member.get(`/spaces/comite/workshops/${secretId}`)).status).toBe(200);
  });

  test("another space's workshop under this space's address, a trashed one, someone else's proposal: 404", async () => {
    const start = Date.now() + 12 * DAY;
    const { id: elsewhere } = await seedWorkshop(w.store.db, { spaceId: w.spaces.other.id, createdBy: w.people.admin.id, startsAt: start, endsAt: start + 3_600_000 });
    expect((await w.c.admin.get(`/spaces/club/workshops/${elsewhere}`)).status).toBe(404);
    const { id: trashed } = await seedWorkshop(w.store.db, { spaceId: w.spaces.club.id, createdBy: w.people.admin.id, startsAt: start, endsAt: start + 3_600_000, deletedAt: Date.now() });
    expect((await w.c.admin.get(`/spaces/club/workshops/${trashed}`)).status).toBe(404);
    const { id: proposal } = await seedWorkshop(w.store.db, { spaceId: w.spaces.club.id, createdBy: w.people.editor.id, startsAt: start, endsAt: start + 3_600_000, state: "proposed" });
    await w.store.db.updateTable("workshop").set({ proposed_by: w.people.editor.id }).where("id", "=", proposal).execute();
    expect((await w.c.member.get(`/spaces/club/workshops/${proposal}`)).status).toBe(404);
    expect((await w.c.editor.get(`/spaces/club/workshops/${proposal}`)).status).toBe(200);
    expect((await w.c.admin.get(`/spaces/club/workshops/${proposal}`)).status).toBe(200);
    expect((await w.c.member.get(`/spaces/club/workshops/${"x".repeat(65)}`)).status).toBe(404);
  });

  test("the Workshops tab lists what is upcoming, the trashed one never", async () => {
    const res = await w.c.member.get("/spaces/club/workshops");
    expect(res.status).toBe(200);
    const text = pageText(res.text);
    expect(text).toContain("Négocier une clause d’indexation");
    expect(text).toContain("À venir");
  });
});
