import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as pages from "#db/queries/pages.ts";
import { reminderRecipients } from "#db/queries/workshop-reminders.ts";
import type { Page, Space } from "#db/schema.ts";
import { CHOICES, mailRule, offersOf } from "#app/notifications/choices.ts";
import { queueDueReminders } from "#app/workshops/reminders.server.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { doc, paragraph, textDoc, type LexicalNode } from "#tests/helpers/lexical.ts";
import { choicesForm } from "#tests/helpers/notification-choices.ts";
import { seedRegistration, seedWorkshop } from "#tests/helpers/workshops.ts";
import { tablesOf } from "#tests/helpers/state.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Notification choices (issue 18) end to end: the settings form as a
 * browser sends it (every kind's delivery, a level per club of the
 * member's), what notify() makes of them for a mention made over HTTP
 * (a notification and a mail, a notification only, nothing), the club
 * levels ("only what concerns me" keeps mentions and drops announcements,
 * "muted" drops both, other clubs untouched), the mail-only flows that pick
 * their recipients in SQL (workshop announcements, reminders, unread
 * messages). The migration that turned the old yes/no mail columns into
 * choices is tested on SQLite alone (migration-notification-choices.test.ts).
 */

type People = "admin" | "mia" | "nina" | "lea" | "remi" | "paul" | "mona" | "zoe" | "ben" | "gus";
type Spaces = "achats" | "export" | "ancien" | "autre";
let w: World<People, Spaces>;
let achats: Space;
let exportClub: Space;
let ancien: Space;
let autre: Space;
let achatsPage: Page;
let exportPage: Page;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  w = await world({
    smtp: true,
    domain: "choices.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Choix`,
    people: { admin: { locale: "fr" }, mia: {}, nina: { locale: "fr" }, lea: { locale: "fr" }, remi: {}, paul: {}, mona: {}, zoe: {}, ben: { locale: "fr" }, gus: {} },
    spaces: {
      achats: {
        createdBy: "admin",
        slug: "achats",
        name: "Club Achats",
        visibility: "listed",
        members: { mia: "member", nina: "member", lea: "member", remi: "member", paul: "member", mona: "member", zoe: "member", ben: "member", gus: "member" },
      },
      export: { createdBy: "admin", slug: "export", name: "Club Export", visibility: "listed", members: { mia: "member", lea: "member" } },
      ancien: { createdBy: "admin", slug: "ancien", name: "Club Ancien", visibility: "listed", members: { mia: "member" } },
      autre: { createdBy: "admin", slug: "autre", name: "Autre Club", visibility: "listed" },
    },
  });
  ({ achats, export: exportClub, ancien, autre } = w.spaces);
  // An archived club: read-only, out of the settings.
  await w.store.db.updateTable("space").set({ archived_at: Date.now() }).where("id", "=", ancien.id).execute();
  const content = (t: string) => ({ json: textDoc(t), html: `<p class="rt-p">${t}</p>`, text: t });
  const now = Date.now();
  achatsPage = await pages.createPage(w.store.db, { spaceId: achats.id, parentId: null, title: "Méthode achats", slug: "methode", content: content("Le contenu"), summary: "", authorId: w.people.admin.id, now });
  exportPage = await pages.createPage(w.store.db, { spaceId: exportClub.id, parentId: null, title: "Méthode export", slug: "methode", content: content("Le contenu"), summary: "", authorId: w.people.admin.id, now });
});
afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers

/** Saves through the real form, as the member's browser does; expects the redirect back. */
async function choose(who: People, changes: Record<string, string> = {}, levels: Record<string, string> = {}) {
  const res = await w.c[who].post("/settings/notifications", choicesForm(changes, levels));
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(302);
  expect(res.location).toBe("/settings/notifications");
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const hasAttr = (tag: string, name: string) => new RegExp(`\\s${name}(="[^"]*")?[\\s/>]`).test(tag);

/** The form as served: each radio group's values and the one checked, each select's options and the one selected. */
async function settingsForm(cl: Client) {
  const res = await cl.get("/settings/notifications");
  expect(res.status).toBe(200);
  const html = res.text;
  const radios: Record<string, { values: string[]; checked: string[] }> = {};
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    if (attr(tag, "type") !== "radio") continue;
    const name = attr(tag, "name")!;
    const group = (radios[name] ??= { values: [], checked: [] });
    group.values.push(attr(tag, "value")!);
    if (hasAttr(tag, "checked")) group.checked.push(attr(tag, "value")!);
  }
  const selects: Record<string, { options: string[]; selected: string[] }> = {};
  for (const [, open, inner] of html.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const select = (selects[attr(open, "name")!] = { options: [] as string[], selected: [] as string[] });
    for (const [tag] of inner.matchAll(/<option\b[^>]*>/g)) {
      select.options.push(attr(tag, "value")!);
      if (hasAttr(tag, "selected")) select.selected.push(attr(tag, "value")!);
    }
  }
  return { radios, selects };
}

/** Every stored choice and level of a person, sorted. */
async function stored(userId: string) {
  const choices = await w.store.db.selectFrom("notification_choice").select(["kind", "delivery"]).where("user_id", "=", userId).orderBy("kind").execute();
  const levels = await w.store.db.selectFrom("club_notification_level").select(["space_id", "level"]).where("user_id", "=", userId).orderBy("space_id").execute();
  return { choices, levels };
}
/** Both tables whole: a refused form leaves them as they were. */
const tables = () => tablesOf(w.store.db, ["notification_choice", "club_notification_level"]);

const mention = (user: Pick<TestUser, "id" | "display_name">): LexicalNode => ({ type: "mention", userId: user.id, text: `@${user.display_name}`, format: 0, style: "", mode: "token", detail: 0, version: 1 });

/** The admin comments on the club's page mentioning `who`; the new comment's id. */
async function mentionIn(space: Space, page: Page, who: People, words: string) {
  const res = await w.c.admin.post(`/spaces/${space.slug}/comments`, { intent: "create", targetType: "page", targetId: page.id, body: doc(paragraph(`${words} `, mention(w.people[who]))) });
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
  const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")?.[1];
  expect(id, `no comment anchor in ${res.location}`).toBeDefined();
  return id!;
}

/** Every outbox row to one person so far. */
const mailCount = async (who: People) =>
  Number((await w.store.db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("recipient", "=", w.people[who].email).executeTakeFirstOrThrow()).n);

/** What a comment left for one person: their notifications about it, the outbox rows of those (queued in the same transaction), and all their outbox rows. */
async function heardOf(commentId: string, who: People) {
  const notes = await w.store.db.selectFrom("notification").select(["id", "kind", "space_id"]).where("comment_id", "=", commentId).where("user_id", "=", w.people[who].id).execute();
  const mails = notes.length === 0 ? [] : await w.store.db.selectFrom("mail_outbox").select(["id", "recipient", "notification_id"]).where("notification_id", "in", notes.map((n) => n.id)).execute();
  return { notes, mails, anyMailCount: await mailCount(who) };
}

/** Outbox rows to one person whose payload names this text (a workshop's title, a conversation's address). */
async function mailsTo(who: People, naming: string) {
  return w.store.db.selectFrom("mail_outbox").select(["id", "payload"]).where("recipient", "=", w.people[who].email).where("payload", "like", `%${naming}%`).execute();
}

/** A date a week ahead, as the form's date input gives it, in Paris. */
const inAWeek = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(Date.now() + 7 * DAY);
/** The notifications about the workshops of this title that a person has. */
async function announcedTo(who: People, title: string) {
  return w.store.db
    .selectFrom("notification as n")
    .innerJoin("workshop as ws", "ws.id", "n.owner_id")
    .select(["n.kind", "n.space_id"])
    .where("n.user_id", "=", w.people[who].id)
    .where("n.owner_kind", "=", "workshop")
    .where("ws.title", "=", title)
    .execute();
}

/** The club's admin schedules a workshop through the real form (announced to those who take it by mail). */
async function schedule(space: Space, title: string) {
  const res = await w.c.admin.post(`/spaces/${space.slug}/workshops/new`, {
    title,
    date: inAWeek(),
    start: "09:30",
    end: "12:00",
    timeZone: "Europe/Paris",
    place: "12 rue de la Paix, Paris",
    videoUrl: "",
    capacity: "",
    outsideSpeaker: "",
    description: "",
  });
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(302);
  expect(res.location).toMatch(new RegExp(`^/spaces/${space.slug}/workshops/[a-z0-9]+$`));
}

// ---------------------------------------------------------------------------

describe("the settings form", () => {
  test("GET shows every kind's offered deliveries with its default checked, and one select per live club of the member's", async () => {
    const { radios, selects } = await settingsForm(w.c.mia);
    expect(Object.keys(radios).sort()).toEqual(["digest", ...CHOICES.map((c) => `kind:${c.kind}`)].sort());
    // The digest: weekly unless chosen otherwise.
    expect(radios.digest).toEqual({ values: ["daily", "weekly", "off"], checked: ["weekly"] });
    for (const c of CHOICES) {
      expect(radios[`kind:${c.kind}`], c.kind).toEqual({ values: [...offersOf(c)], checked: [c.byDefault] });
    }
    // Fewer offers where all three make no sense.
    expect(radios["kind:workshopReminder"].values).toEqual(["mail", "off"]);
    expect(radios["kind:message"].values).toEqual(["app", "mail"]);
    expect(radios["kind:mention"].values).toEqual(["app", "mail", "digest", "off"]);
    // Her two live clubs; not the archived one, not a club she is not in.
    expect(Object.keys(selects).sort()).toEqual([`level:${achats.id}`, `level:${exportClub.id}`].sort());
    for (const name of Object.keys(selects)) expect(selects[name], name).toEqual({ options: ["all", "mine", "muted"], selected: ["all"] });
    expect((await w.anonymous.get("/settings/notifications")).status).toBe(302);
  });

  test("POST saves every kind and the levels given; GET shows them chosen; another member's choices are untouched", async () => {
    const others = await stored(w.people.nina.id);
    await choose("mia", { mention: "app", reply: "off", workshopReminder: "off", message: "app", workshopAnnounced: "off" }, { [achats.id]: "mine", [exportClub.id]: "muted" });
    const { choices, levels } = await stored(w.people.mia.id);
    const expected: Record<string, string> = { ...Object.fromEntries(CHOICES.map((c) => [c.kind, c.byDefault])), mention: "app", reply: "off", workshopReminder: "off", message: "app", workshopAnnounced: "off" };
    expect(Object.fromEntries(choices.map((c) => [c.kind, c.delivery]))).toEqual(expected);
    expect(levels).toEqual(
      [
        { space_id: achats.id, level: "mine" },
        { space_id: exportClub.id, level: "muted" },
      ].sort((a, b) => a.space_id.localeCompare(b.space_id)),
    );
    const { radios, selects } = await settingsForm(w.c.mia);
    for (const c of CHOICES) expect(radios[`kind:${c.kind}`].checked, c.kind).toEqual([expected[c.kind]]);
    expect(selects[`level:${achats.id}`].selected).toEqual(["mine"]);
    expect(selects[`level:${exportClub.id}`].selected).toEqual(["muted"]);
    expect(await stored(w.people.nina.id)).toEqual(others);
  });

  test.each([
    ["a kind left out", () => omit(choicesForm({ mention: "mail" }), "kind:askThanks")],
    ["an unknown delivery", () => choicesForm({ mention: "loud" })],
    ["a reminder in the digest (mail or off only)", () => choicesForm({ workshopReminder: "digest" })],
    ["unread messages in the digest (app or mail only)", () => choicesForm({ message: "digest" })],
    ["an unknown digest frequency", () => choicesForm({ digest: "hourly" })],
    ["no digest frequency", () => omit(choicesForm({ mention: "mail" }), "digest")],
    ["an empty delivery", () => choicesForm({ mention: "" })],
    ["a reminder in the app (mail or off only)", () => choicesForm({ mention: "mail", workshopReminder: "app" })],
    ["unread messages turned off (app or mail only)", () => choicesForm({ mention: "mail", message: "off" })],
    ["an unknown level for one of her clubs", () => choicesForm({ mention: "mail" }, { [achats.id]: "silent" })],
    ["an empty level for one of her clubs", () => choicesForm({ mention: "mail" }, { [exportClub.id]: "" })],
    ["no intent", () => omit(choicesForm({ mention: "mail" }), "intent")],
  ])("%s: 400, nothing changed", async (_, form) => {
    const before = await tables();
    const res = await w.c.mia.post("/settings/notifications", form());
    expect(res.status).toBe(400);
    expect(await tables()).toEqual(before);
  });

  test("the digest's frequency and a kind taken in the digest are saved, and shown chosen", async () => {
    await choose("mia", { reply: "digest", digest: "daily" });
    const row = await w.store.db.selectFrom("user").select("digest_frequency").where("id", "=", w.people.mia.id).executeTakeFirstOrThrow();
    expect(row.digest_frequency).toBe("daily");
    expect((await stored(w.people.mia.id)).choices).toContainEqual({ kind: "reply", delivery: "digest" });
    const { radios } = await settingsForm(w.c.mia);
    expect(radios.digest!.checked).toEqual(["daily"]);
    expect(radios["kind:reply"]!.checked).toEqual(["digest"]);
    await choose("mia", { digest: "weekly" });
    expect((await w.store.db.selectFrom("user").select("digest_frequency").where("id", "=", w.people.mia.id).executeTakeFirstOrThrow()).digest_frequency).toBe("weekly");
  });

  test("a level for a club that is not hers, or an archived one, is stored nowhere; choosing “all” again removes the level's row", async () => {
    await choose("mia", { mention: "app" }, { [autre.id]: "muted", [ancien.id]: "muted", [achats.id]: "mine" });
    const levels = () => w.store.db.selectFrom("club_notification_level").select(["user_id", "space_id", "level"]).where("space_id", "in", [autre.id, ancien.id]).execute();
    expect(await levels()).toEqual([]);
    expect((await stored(w.people.mia.id)).levels).toContainEqual({ space_id: achats.id, level: "mine" });

    await choose("mia", {}, { [achats.id]: "all" });
    const after = await stored(w.people.mia.id);
    // "all" is no row at all; the club not sent keeps its level.
    expect(after.levels).toEqual([{ space_id: exportClub.id, level: "muted" }]);
    expect((await settingsForm(w.c.mia)).selects[`level:${achats.id}`].selected).toEqual(["all"]);
    // The form names every kind: defaults are stored again.
    expect(Object.fromEntries(after.choices.map((c) => [c.kind, c.delivery]))).toEqual(Object.fromEntries(CHOICES.map((c) => [c.kind, c.byDefault])));
  });
});

function omit(form: Record<string, string>, key: string) {
  const { [key]: _, ...rest } = form;
  return rest;
}

// ---------------------------------------------------------------------------

describe("a mention, as each person chose", () => {
  test("mail: a notification, its mail in the outbox, and the mail arrives", async () => {
    await choose("nina", { mention: "mail" });
    const id = await mentionIn(achats, achatsPage, "nina", "Par courriel");
    const { notes, mails } = await heardOf(id, "nina");
    expect(notes).toMatchObject([{ kind: "mention", space_id: achats.id }]);
    expect(mails).toEqual([{ id: expect.any(String), recipient: w.people.nina.email, notification_id: notes[0].id }]);
    const mail = await w.smtp.waitForMail((m) => m.to.includes(w.people.nina.email) && m.text.includes(`#comment-${id}`));
    expect(mail.text).toContain("/settings/notifications");
  });

  test("app: a notification, no mail", async () => {
    await choose("nina", { mention: "app" });
    const mailsBefore = await mailCount("nina");
    const id = await mentionIn(achats, achatsPage, "nina", "Dans l’appli");
    const { notes, mails, anyMailCount } = await heardOf(id, "nina");
    expect(notes).toMatchObject([{ kind: "mention", space_id: achats.id }]);
    expect(mails).toEqual([]);
    expect(anyMailCount).toBe(mailsBefore);
  });

  test("off: no notification, no mail", async () => {
    await choose("nina", { mention: "off" });
    const mailsBefore = await mailCount("nina");
    const id = await mentionIn(achats, achatsPage, "nina", "En silence");
    const { notes, anyMailCount } = await heardOf(id, "nina");
    expect(notes).toEqual([]);
    expect(anyMailCount).toBe(mailsBefore);
    // The comment itself is there, with its mention.
    expect(await w.store.db.selectFrom("comment_mention").select("user_id").where("comment_id", "=", id).execute()).toEqual([{ user_id: w.people.nina.id }]);
  });

  test("mentions off, replies by mail: a reply to her that also mentions her comes as a reply, by mail", async () => {
    await choose("nina", { mention: "off", reply: "mail" });
    const mine = await w.c.nina.post(`/spaces/${achats.slug}/comments`, { intent: "create", targetType: "page", targetId: achatsPage.id, body: doc(paragraph("Mon avis")) });
    expect(mine.status).toBe(303);
    const parentId = /#comment-([a-z0-9]+)$/.exec(mine.location ?? "")![1]!;
    const res = await w.c.admin.post(`/spaces/${achats.slug}/comments`, { intent: "create", targetType: "page", targetId: achatsPage.id, parentId, body: doc(paragraph("Bien vu ", mention(w.people.nina))) });
    expect(res.status).toBe(303);
    const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")![1]!;
    const { notes, mails } = await heardOf(id, "nina");
    expect(notes).toMatchObject([{ kind: "reply" }]);
    expect(mails).toHaveLength(1);
    await choose("nina");
  });

  test("a mention made while she had them off is not told later when its author only fixes a typo: an edit tells the newly mentioned alone", async () => {
    await choose("nina", { mention: "off" });
    const id = await mentionIn(achats, achatsPage, "nina", "Une fote");
    expect((await heardOf(id, "nina")).notes).toEqual([]);
    await choose("nina", { mention: "mail" });
    const mailsBefore = await mailCount("nina");
    const res = await w.c.admin.post(`/spaces/${achats.slug}/comments`, { intent: "edit", commentId: id, body: doc(paragraph("Une faute ", mention(w.people.nina))) });
    expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
    expect((await w.store.db.selectFrom("comment").select("body_text").where("id", "=", id).executeTakeFirstOrThrow()).body_text).toContain("Une faute");
    // She was mentioned before the edit: it is not news.
    const { notes, anyMailCount } = await heardOf(id, "nina");
    expect({ notifications: notes.length, mails: anyMailCount - mailsBefore }).toEqual({ notifications: 0, mails: 0 });
  });

  test("an edit that adds a mention tells the newcomer as she chose (app: a notification, no mail)", async () => {
    await choose("mia", { mention: "app" });
    const id = await mentionIn(achats, achatsPage, "nina", "D’abord Nina");
    const mailsBefore = await mailCount("mia");
    const res = await w.c.admin.post(`/spaces/${achats.slug}/comments`, { intent: "edit", commentId: id, body: doc(paragraph("Et ", mention(w.people.mia), " ", mention(w.people.nina))) });
    expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
    const { notes, mails, anyMailCount } = await heardOf(id, "mia");
    expect(notes).toMatchObject([{ kind: "mention" }]);
    expect(mails).toEqual([]);
    expect(anyMailCount).toBe(mailsBefore);
  });
});

// ---------------------------------------------------------------------------

describe("club levels", () => {
  test("“only what concerns me”: a mention still comes by mail, a workshop announcement of that club does not; the other club at “all” announces", async () => {
    await choose("lea", {}, { [achats.id]: "mine" });
    const id = await mentionIn(achats, achatsPage, "lea", "Pour toi");
    const { notes, mails } = await heardOf(id, "lea");
    expect(notes).toMatchObject([{ kind: "mention", space_id: achats.id }]);
    expect(mails).toHaveLength(1);

    await schedule(achats, "Atelier MINE-ACHATS");
    expect(await mailsTo("lea", "MINE-ACHATS")).toEqual([]);
    expect(await announcedTo("lea", "Atelier MINE-ACHATS")).toEqual([]);
    // The others of the club who take it by mail are told, in the app and by mail: the announcement did go.
    expect(await mailsTo("paul", "MINE-ACHATS")).toHaveLength(1);
    expect(await announcedTo("paul", "Atelier MINE-ACHATS")).toEqual([{ kind: "workshopAnnounced", space_id: achats.id }]);
    await schedule(exportClub, "Atelier ALL-EXPORT");
    expect(await mailsTo("lea", "ALL-EXPORT")).toHaveLength(1);
    expect(await announcedTo("lea", "Atelier ALL-EXPORT")).toEqual([{ kind: "workshopAnnounced", space_id: exportClub.id }]);
  });

  test("muted: neither the mention nor the announcement; the other club at “all” still mentions and announces", async () => {
    await choose("lea", {}, { [achats.id]: "muted" });
    const id = await mentionIn(achats, achatsPage, "lea", "Tu m’entends ?");
    const { notes, mails } = await heardOf(id, "lea");
    expect(notes).toEqual([]);
    expect(mails).toEqual([]);
    await schedule(achats, "Atelier MUTED-ACHATS");
    expect(await mailsTo("lea", "MUTED-ACHATS")).toEqual([]);
    expect(await mailsTo("paul", "MUTED-ACHATS")).toHaveLength(1);

    const elsewhere = await mentionIn(exportClub, exportPage, "lea", "Côté export");
    const there = await heardOf(elsewhere, "lea");
    expect(there.notes).toMatchObject([{ kind: "mention", space_id: exportClub.id }]);
    expect(there.mails).toHaveLength(1);
    await schedule(exportClub, "Atelier MUTED-EXPORT");
    expect(await mailsTo("lea", "MUTED-EXPORT")).toHaveLength(1);
    await w.smtp.waitForMail((m) => m.to.includes(w.people.lea.email) && m.text.includes(`#comment-${elsewhere}`));
  });

  test("back to “all”: the club's announcements come again", async () => {
    await choose("lea", {}, { [achats.id]: "all" });
    await schedule(achats, "Atelier BACK-ACHATS");
    expect(await mailsTo("lea", "BACK-ACHATS")).toHaveLength(1);
  });

  test("announcements in the app only: a notification, no mail; off: neither", async () => {
    await choose("lea", { workshopAnnounced: "app" });
    await schedule(achats, "Atelier APP-ACHATS");
    expect(await announcedTo("lea", "Atelier APP-ACHATS")).toEqual([{ kind: "workshopAnnounced", space_id: achats.id }]);
    expect(await mailsTo("lea", "APP-ACHATS")).toEqual([]);
    await choose("lea", { workshopAnnounced: "off" });
    await schedule(achats, "Atelier OFF-ACHATS");
    expect(await announcedTo("lea", "Atelier OFF-ACHATS")).toEqual([]);
    expect(await mailsTo("lea", "OFF-ACHATS")).toEqual([]);
    expect(await announcedTo("paul", "Atelier OFF-ACHATS")).toHaveLength(1);
    await choose("lea");
  });
});

// ---------------------------------------------------------------------------

describe("mail-only flows", () => {
  const head = () => ({ network: { name: "Réseau", locale: "fr" as const }, baseUrl: new URL(w.server.url), mailConfigured: false, mailFrom: "Cercle <cercle@choices.test>" });

  test("reminders: off is not reminded; the default, “only what concerns me” and even a muted club are (a workshop one is going to)", async () => {
    await choose("remi", { workshopReminder: "off" });
    await choose("mona", {}, { [achats.id]: "mine" });
    await choose("zoe", {}, { [achats.id]: "muted" });
    // Far enough ahead that the server's own reminder job, on the real clock, leaves it alone.
    const start = Date.now() + 40 * DAY;
    const { id } = await seedWorkshop(w.store.db, { spaceId: achats.id, createdBy: w.people.admin.id, title: "Atelier RAPPEL", startsAt: start, endsAt: start + 2 * HOUR });
    for (const who of ["paul", "remi", "mona", "zoe"] as const) await seedRegistration(w.store.db, id, w.people[who].id, "going");

    const recipients = await reminderRecipients(w.store.db, id, achats.id, mailRule("workshopReminder"));
    expect(recipients.map((r) => r.id)).toEqual([w.people.paul.id, w.people.mona.id, w.people.zoe.id]);

    const queued = await queueDueReminders(w.store.db, head(), start - 23 * HOUR);
    const rows = queued.length === 0 ? [] : await w.store.db.selectFrom("mail_outbox").select(["recipient", "payload"]).where("id", "in", queued).execute();
    expect(rows.map((r) => r.recipient).sort()).toEqual([w.people.paul.email, w.people.mona.email, w.people.zoe.email].sort());
    expect(rows.every((r) => r.payload!.includes("Atelier RAPPEL"))).toBe(true);
  });

  test("unread messages: “app” sends no mail, “mail” one; a muted club does not silence them (messages are about no club)", async () => {
    const start = async (text: string) => {
      const res = await w.c.gus.post("/messages/new", [
        ["to", w.people.ben.id],
        ["body", textDoc(text)],
      ]);
      expect(res.status, pageText(res.text).slice(0, 300)).toBeOneOf([302, 303]);
      const id = /\/messages\/([0-9a-z]+)$/.exec(res.location ?? "")?.[1];
      expect(id).toBeDefined();
      return id!;
    };
    await choose("ben", { message: "app" });
    const quiet = await start("Bonjour Ben");
    expect(await mailsTo("ben", `/messages/${quiet}`)).toEqual([]);

    await choose("ben", { message: "mail" }, { [achats.id]: "muted" });
    const loud = await start("Re-bonjour Ben");
    const mails = await mailsTo("ben", `/messages/${loud}`);
    expect(mails).toHaveLength(1);
    expect(mails[0].payload).toContain("Gus Choix");
    expect(mails[0].payload).not.toContain("Re-bonjour");
    // Where to change it: the notifications page now, no longer the contact page.
    expect(mails[0].payload).toContain("/settings/notifications");
    // The sender is never mailed about his own message.
    expect(await mailsTo("gus", `/messages/${loud}`)).toEqual([]);
  });
});
