import { afterAll, beforeAll, expect, test } from "vitest";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * A space's admins choose when workshop reminders go (space settings): from
 * the choices offered, either off; nobody else may, and a value not offered
 * is refused beside the fields with nothing changed.
 */

let w: World<"admin" | "editor" | "member" | "guest" | "outsider" | "netAdmin", "open" | "listed" | "secret">;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w?.close());

const leads = async (spaceId: string) =>
  w.store.db.selectFrom("space").select(["reminder_early_minutes", "reminder_late_minutes"]).where("id", "=", spaceId).executeTakeFirstOrThrow();

test("a new space reminds the day before and an hour before; its settings page offers both", async () => {
  expect(await leads(w.spaces.listed.id)).toEqual({ reminder_early_minutes: 24 * 60, reminder_late_minutes: 60 });
  const page = await w.c.admin.get("/spaces/club/settings");
  expect(page.status).toBe(200);
  expect(page.text).toContain('name="early"');
  expect(page.text).toMatch(/<option value="1440" selected="">/);
});

test("an admin turns the first reminder off and moves the last to 30 minutes before", async () => {
  const res = await w.c.admin.post("/spaces/club/settings", { intent: "reminders", early: "off", late: "30" });
  expect(res.status).toBe(302);
  expect(await leads(w.spaces.listed.id)).toEqual({ reminder_early_minutes: null, reminder_late_minutes: 30 });
  const audit = await w.store.db.selectFrom("audit_log").select("data").where("space_id", "=", w.spaces.listed.id).where("event", "=", "space_updated").orderBy("created_at", "desc").executeTakeFirstOrThrow();
  expect(JSON.parse(audit.data)).toEqual({ workshopReminders: { early: null, late: 30 } });
});

test("a value not offered is refused with nothing changed; an editor, a member or an outsider may not choose", async () => {
  const before = await leads(w.spaces.listed.id);
  const odd = await w.c.admin.post("/spaces/club/settings", { intent: "reminders", early: "5", late: "60" });
  expect(odd.status).toBe(400);
  expect(odd.text).toContain("Choisissez un rappel dans la liste.");
  for (const who of ["editor", "member", "guest"] as const) {
    const res = await w.c[who].post("/spaces/club/settings", { intent: "reminders", early: "2880", late: "180" });
    expect(res.status, who).toBe(403);
  }
  expect((await w.c.outsider.post("/spaces/secret/settings", { intent: "reminders", early: "2880", late: "180" })).status).toBe(404);
  expect(await leads(w.spaces.listed.id)).toEqual(before);
});
