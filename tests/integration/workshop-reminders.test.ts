import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { saveChoices } from "#db/queries/notification-choices.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { DB } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import type { Space, User } from "#db/schema.ts";
import { queueDueReminders, remindersDue } from "#app/workshops/reminders.server.ts";
import { addMember, createNetwork, createSpace, createUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { spawnScript, waitFor } from "#tests/helpers/process.ts";
import { seedWorkshop } from "#tests/helpers/workshops.ts";

/**
 * Reminders before a workshop go to those going, once: a second run, a
 * second process racing the first, or a restart never send one twice; a
 * workshop moved to another start is reminded again; a reminder whose
 * moment passed while the server was down is passed over for the next one.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const head = { network: { name: "Réseau de test", locale: "fr" as const }, baseUrl: new URL("http://cercle.test"), mailConfigured: false, mailFrom: "Cercle <cercle@cercle.test>" };

let database: Awaited<ReturnType<typeof tempDatabase>>;
let db: DB;
let admin: User;
let space: Space;
/** Going, Paris; going, New York, in English; going but no reminders; maybe; waiting. */
let people: Record<"paris" | "newYork" | "optedOut" | "maybe" | "waiting", User>;

beforeAll(async () => {
  database = await tempDatabase();
  db = database.db;
  await migrateToLatest(db);
  await createNetwork(db);
  admin = await createUser(db, { displayName: "Claire Admin" });
  space = await createSpace(db, { createdBy: admin.id, name: "Club Achats" });
  people = {
    paris: await createUser(db, { displayName: "Julien Paris" }),
    newYork: await createUser(db, { displayName: "Jane New York", locale: "en" }),
    optedOut: await createUser(db, { displayName: "Olivier Sans Rappel" }),
    maybe: await createUser(db, { displayName: "Marie Peut-être" }),
    waiting: await createUser(db, { displayName: "Wendy En Attente" }),
  };
  for (const person of Object.values(people)) await addMember(db, { space, user: person });
  await db.updateTable("user").set({ time_zone: "America/New_York" }).where("id", "=", people.newYork.id).execute();
  await saveChoices(db, people.optedOut.id, [{ kind: "workshopReminder", delivery: "off" }], Date.now());
});

afterAll(async () => {
  await database?.remove();
});

async function workshop(startsAt: number, title = `Atelier ${newId().slice(0, 6)}`) {
  const { id } = await seedWorkshop(db, { spaceId: space.id, createdBy: admin.id, title, startsAt, endsAt: startsAt + 2 * HOUR, place: "12 rue de la Paix, Paris" });
  const statuses = { paris: "going", newYork: "going", optedOut: "going", maybe: "maybe", waiting: "waiting" } as const;
  let arrival = 0;
  for (const [key, status] of Object.entries(statuses)) {
    const user = people[key as keyof typeof people];
    await db
      .insertInto("workshop_registration")
      .values({ workshop_id: id, user_id: user.id, status, note: null, arrival: ++arrival, created_at: startsAt - 5 * 24 * HOUR, updated_at: startsAt - 5 * 24 * HOUR })
      .execute();
  }
  return id;
}

async function mailsTo(ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("mail_outbox").select(["recipient", "payload"]).where("id", "in", ids).execute();
  return rows.map((r) => ({ to: r.recipient, ...(JSON.parse(r.payload!) as { subject: string; text: string }) }));
}

describe("which reminder is due", () => {
  const start = Date.UTC(2027, 0, 15, 8, 30);
  const leads = { early: 24 * 60, late: 60 };
  test.each([
    ["two days before", start - 48 * HOUR, null, []],
    ["23 hours before", start - 23 * HOUR, "early", []],
    ["30 minutes before: the day-before one is passed over", start - 30 * MINUTE, "late", ["early"]],
    ["at the start", start, null, []],
  ] as const)("%s", (_, now, send, passOver) => {
    expect(remindersDue(leads, start, now)).toEqual({ send, passOver });
  });
  test("a reminder turned off is never due", () => {
    expect(remindersDue({ early: null, late: 60 }, start, start - 23 * HOUR)).toEqual({ send: null, passOver: [] });
    expect(remindersDue({ early: null, late: null }, start, start - 10 * MINUTE)).toEqual({ send: null, passOver: [] });
  });
});

describe("reminder mails", () => {
  test("the day before, those going and wanting reminders get one each, in their language and their own time zone; a second run sends none", async () => {
    // 15 January 2027, 08:30 UTC: 09:30 in Paris (UTC+1), 03:30 in New York (UTC−5).
    const start = Date.UTC(2027, 0, 15, 8, 30);
    const id = await workshop(start, "Négocier avec un fournisseur unique");
    const now = start - 23 * HOUR;
    const mails = await mailsTo(await queueDueReminders(db, head, now));
    expect(mails.map((m) => m.to).sort()).toEqual([people.paris.email, people.newYork.email].sort());
    const paris = mails.find((m) => m.to === people.paris.email)!;
    expect(paris.subject).toContain("Rappel");
    expect(paris.subject).toContain("Négocier avec un fournisseur unique");
    expect(paris.text).toContain("09:30");
    expect(paris.text).toContain("12 rue de la Paix, Paris");
    expect(paris.text).toContain(`http://cercle.test/spaces/${space.slug}/workshops/${id}`);
    const newYork = mails.find((m) => m.to === people.newYork.email)!;
    expect(newYork.subject).toContain("Reminder");
    expect(newYork.text).toMatch(/03:30/);
    expect(newYork.text).toContain("Eastern");

    expect(await queueDueReminders(db, head, now + MINUTE)).toEqual([]);
    const claims = await db.selectFrom("workshop_reminder").selectAll().where("workshop_id", "=", id).execute();
    expect(claims).toEqual([{ workshop_id: id, which: "early", starts_at: start, sent_at: now, mails: 2 }]);
  });

  test("the hour before comes next; down through the day-before moment, only the hour-before one goes", async () => {
    const start = Date.UTC(2027, 1, 2, 13, 0);
    const first = await workshop(start);
    expect(await queueDueReminders(db, head, start - 20 * HOUR)).toHaveLength(2);
    expect(await queueDueReminders(db, head, start - 50 * MINUTE)).toHaveLength(2);

    const missed = await workshop(start + 5 * MINUTE);
    const queued = await queueDueReminders(db, head, start - 40 * MINUTE);
    expect(await mailsTo(queued)).toHaveLength(2);
    const rows = await db.selectFrom("workshop_reminder").select(["which", "mails"]).where("workshop_id", "=", missed).orderBy("which").execute();
    expect(rows).toEqual([
      { which: "early", mails: 0 },
      { which: "late", mails: 2 },
    ]);
    const firstRows = await db.selectFrom("workshop_reminder").select("which").where("workshop_id", "=", first).execute();
    expect(firstRows.map((r) => r.which).sort()).toEqual(["early", "late"]);
  });

  test("a workshop moved to another day is reminded again for its new start", async () => {
    const start = Date.UTC(2027, 2, 10, 9, 0);
    const id = await workshop(start);
    expect(await queueDueReminders(db, head, start - 23 * HOUR)).toHaveLength(2);
    const moved = start + 7 * 24 * HOUR;
    await db.updateTable("workshop").set({ starts_at: moved, ends_at: moved + 2 * HOUR }).where("id", "=", id).execute();
    expect(await queueDueReminders(db, head, start - 22 * HOUR)).toEqual([]);
    expect(await queueDueReminders(db, head, moved - 23 * HOUR)).toHaveLength(2);
  });

  test("a cancelled or deleted workshop, or a space that turned its reminders off, sends none", async () => {
    const start = Date.UTC(2027, 3, 6, 9, 0);
    const cancelled = await workshop(start);
    await db.updateTable("workshop").set({ state: "cancelled" }).where("id", "=", cancelled).execute();
    const deleted = await workshop(start);
    await db.updateTable("workshop").set({ deleted_at: start - 3 * 24 * HOUR }).where("id", "=", deleted).execute();
    expect(await queueDueReminders(db, head, start - 23 * HOUR)).toEqual([]);

    const later = Date.UTC(2027, 3, 20, 9, 0);
    await workshop(later);
    await db.updateTable("space").set({ reminder_early_minutes: null }).where("id", "=", space.id).execute();
    try {
      expect(await queueDueReminders(db, head, later - 23 * HOUR)).toEqual([]);
      expect(await queueDueReminders(db, head, later - 30 * MINUTE)).toHaveLength(2);
    } finally {
      await db.updateTable("space").set({ reminder_early_minutes: 24 * 60 }).where("id", "=", space.id).execute();
    }
  });

  test("a member who left the space is no longer reminded", async () => {
    const start = Date.UTC(2027, 4, 4, 9, 0);
    await workshop(start);
    await db.deleteFrom("space_member").where("space_id", "=", space.id).where("user_id", "=", people.newYork.id).execute();
    try {
      const mails = await mailsTo(await queueDueReminders(db, head, start - 23 * HOUR));
      expect(mails.map((m) => m.to)).toEqual([people.paris.email]);
    } finally {
      await addMember(db, { space, user: people.newYork });
    }
  });

  test("two processes racing over twenty due workshops queue each reminder once", { timeout: 60_000 }, async () => {
    const start = Date.UTC(2027, 5, 1, 9, 0);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await workshop(start + i * MINUTE));
    const now = start - 23 * HOUR;
    const children = [0, 1].map(() => spawnScript("reminder-child.ts", [database.file, String(now), "1500"]));
    try {
      await waitFor(() => children.every((c) => c.out().startsWith("ready\n")), "both processes to load", 30_000, () => children.map((c) => c.err()).join("\n"));
      for (const c of children) c.child.stdin!.end("go\n");
      const codes = await Promise.all(children.map((c) => c.exited));
      expect(codes, children.map((c) => c.err()).join("\n")).toEqual([0, 0]);
    } finally {
      for (const c of children) c.child.kill("SIGKILL");
    }
    const queued = children.flatMap((c) => JSON.parse(c.out().split("\n")[1]) as string[]);
    // Two going and wanting reminders in each of the twenty.
    expect(queued).toHaveLength(40);
    expect(new Set(queued).size).toBe(40);
    const mails = await mailsTo(queued);
    expect(mails.filter((m) => m.to === people.paris.email)).toHaveLength(20);
    const claims = await db.selectFrom("workshop_reminder").select(["workshop_id", "mails"]).where("workshop_id", "in", ids).execute();
    expect(claims).toHaveLength(20);
    expect(claims.every((c) => c.mails === 2)).toBe(true);
  });
});
