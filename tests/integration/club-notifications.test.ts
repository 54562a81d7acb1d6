import { afterAll, beforeAll, expect, test } from "vitest";
import { saveChoices } from "#db/queries/notification-choices.ts";
import type { Space } from "#db/schema.ts";
import { translate } from "#app/i18n/index.ts";
import { pageText } from "#tests/helpers/http.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Notifications about a club itself (issue 18), over real HTTP with real
 * SMTP: a co-optation waiting and a request to join reach the club's admins
 * (in the bell, and by mail for those who take it), the sponsor hears of the
 * decision, and the one who asked to join hears the answer — in their bell
 * even when the answer was no and they are not a member. Each as chosen:
 * "app" is no mail, "off" is nothing.
 */

type P = "ada" | "abel" | "mia" | "olga";
let w: World<P, "club">;
let club: Space;

beforeAll(async () => {
  w = await world({
    smtp: true,
    network: { name: "Réseau Clubs" },
    people: {
      ada: { email: "ada@clubs.test", displayName: "Ada Admin", locale: "fr" },
      abel: { email: "abel@clubs.test", displayName: "Abel Admin", locale: "fr" },
      mia: { email: "mia@clubs.test", displayName: "Mia Membre", locale: "fr" },
      olga: { email: "olga@clubs.test", displayName: "Olga Dehors", locale: "fr" },
    },
    spaces: {
      club: { createdBy: "ada", slug: "club-achats", name: "Club Achats", visibility: "listed", joinPolicy: "coopt_approval", members: { abel: "admin", mia: "member" } },
    },
    signIn: ["ada", "abel", "mia", "olga"],
  });
  club = w.spaces.club;
  // Abel hears of decisions in the app only.
  await saveChoices(w.store.db, w.people.abel.id, [{ kind: "approvalWaiting", delivery: "app" }], Date.now());
});
afterAll(() => w?.close());

const unread = (who: P, kind: string) =>
  w.store.db.selectFrom("notification").select(["id", "actor_id", "owner_kind", "owner_id"]).where("user_id", "=", w.people[who].id).where("kind", "=", kind).where("read_at", "is", null).execute();

const mailsTo = (who: P) => w.smtp.messages.filter((m) => m.to.includes(w.people[who].email));

/** The notifications page of `who`, and where its first line leads when opened. */
async function firstLine(who: P) {
  const list = await w.c[who].get("/notifications");
  expect(list.status).toBe(200);
  return pageText(list.text);
}

test("a co-optation waiting: both admins in the bell, by mail only Ada (Abel chose the app); it leads to the approvals", async () => {
  const res = await w.c.mia.post(`/spaces/${club.slug}/invite`, { email: "nouveau@clubs.test", role: "member", message: "Excellent acheteur" });
  expect(res.status).toBe(200);
  for (const admin of ["ada", "abel"] as const) {
    const rows = await unread(admin, "approvalWaiting");
    expect(rows, admin).toEqual([{ id: expect.any(String), actor_id: w.people.mia.id, owner_kind: "space", owner_id: club.id }]);
  }
  expect(await unread("mia", "approvalWaiting")).toEqual([]);
  const mail = await w.smtp.waitForMail((m) => m.to.includes(w.people.ada.email) && m.subject === translate("fr", "mail.approval.subject", { sponsor: "Mia Membre", email: "nouveau@clubs.test", space: "Club Achats" }));
  // A mail she chose: why it came and where to change it, and the one-click unsubscribe of that kind.
  expect(mail.text).toContain(translate("fr", "mail.approvalWaiting.settings", { url: `${w.server.url}/settings/notifications` }));
  const unsubscribe = mail.parsed.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
  expect(unsubscribe).toContain(`${w.server.url}/mail/unsubscribe?t=`);
  expect(mail.parsed.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(mailsTo("abel")).toEqual([]);

  expect(await firstLine("abel")).toContain(translate("fr", "notifications.approvalWaiting", { name: "Mia Membre", title: "Club Achats" }));
  const [row] = await unread("abel", "approvalWaiting");
  const open = await w.c.abel.get(`/notifications/${row!.id}`);
  expect(open.status).toBe(302);
  expect(open.location).toBe(`/spaces/${club.slug}/approvals`);
  expect(await unread("abel", "approvalWaiting")).toEqual([]);
});

test("the decision: Mia, who co-opted, hears of it in the bell and by mail", async () => {
  const invitation = await w.store.db.selectFrom("invitation").select("id").where("email", "=", "nouveau@clubs.test").executeTakeFirstOrThrow();
  const res = await w.c.ada.post(`/spaces/${club.slug}/approvals`, { intent: "approve-invitation", id: invitation.id });
  expect(res.status).toBe(302);
  expect(await unread("mia", "cooptationResult")).toEqual([{ id: expect.any(String), actor_id: w.people.ada.id, owner_kind: "space", owner_id: club.id }]);
  await w.smtp.waitForMail((m) => m.to.includes(w.people.mia.email) && m.subject === translate("fr", "mail.approved.subject", { email: "nouveau@clubs.test" }));
  const open = await w.c.mia.get(`/notifications/${(await unread("mia", "cooptationResult"))[0]!.id}`);
  expect(open.location).toBe(`/spaces/${club.slug}/members`);
});

test("a request to join refused: the admins were told; Olga, not a member, finds the answer in her bell, and it leads to the club", async () => {
  expect((await w.c.olga.post(`/spaces/${club.slug}/join`, { message: "Je suis acheteuse indépendante" })).status).toBe(302);
  expect((await unread("ada", "approvalWaiting")).map((r) => r.actor_id)).toContain(w.people.olga.id);
  expect((await unread("abel", "approvalWaiting")).map((r) => r.actor_id)).toEqual([w.people.olga.id]);
  const request = await w.store.db.selectFrom("join_request").select("id").where("user_id", "=", w.people.olga.id).executeTakeFirstOrThrow();
  expect((await w.c.abel.post(`/spaces/${club.slug}/approvals`, { intent: "refuse-request", id: request.id, reason: "Club complet cette année" })).status).toBe(302);

  const rows = await unread("olga", "joinAnswered");
  expect(rows).toEqual([{ id: expect.any(String), actor_id: w.people.abel.id, owner_kind: "space", owner_id: club.id }]);
  expect(await firstLine("olga")).toContain(translate("fr", "notifications.joinAnswered", { name: "Abel Admin", title: "Club Achats" }));
  const open = await w.c.olga.get(`/notifications/${rows[0]!.id}`);
  expect(open.location).toBe(`/spaces/${club.slug}`);
  const answer = await w.smtp.waitForMail((m) => m.to.includes(w.people.olga.email) && m.text.includes("Club complet cette année"));
  expect(answer.text).toContain(translate("fr", "mail.joinAnswered.settings", { url: `${w.server.url}/settings/notifications` }));
  expect(answer.parsed.headerLines.some((h) => h.key === "list-unsubscribe")).toBe(true);
  // Nothing else of the club reaches her through it: its members' page stays closed to an outsider.
  expect((await w.c.olga.get(`/spaces/${club.slug}/members`)).status).toBe(403);
});

test("answers turned off: no new notification and no mail", async () => {
  await saveChoices(w.store.db, w.people.olga.id, [{ kind: "joinAnswered", delivery: "off" }], Date.now());
  await w.store.db.deleteFrom("join_request").where("user_id", "=", w.people.olga.id).execute();
  expect((await w.c.olga.post(`/spaces/${club.slug}/join`, { message: "Deuxième essai" })).status).toBe(302);
  const request = await w.store.db.selectFrom("join_request").select("id").where("user_id", "=", w.people.olga.id).where("status", "=", "pending").executeTakeFirstOrThrow();
  const mailsBefore = mailsTo("olga").length;
  expect((await w.c.ada.post(`/spaces/${club.slug}/approvals`, { intent: "refuse-request", id: request.id, reason: "Toujours complet" })).status).toBe(302);
  // Only the first answer's notification (read since), from before she turned them off.
  expect(await w.store.db.selectFrom("notification").select("id").where("user_id", "=", w.people.olga.id).where("kind", "=", "joinAnswered").execute()).toHaveLength(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(mailsTo("olga")).toHaveLength(mailsBefore);
});
