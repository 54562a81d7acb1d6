import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as asks from "#db/queries/asks.ts";
import type { Ask, AskAudience, AskKind, Page, Space } from "#db/schema.ts";
import * as pages from "#db/queries/pages.ts";
import { saveChoices } from "#db/queries/notification-choices.ts";
import type { Region } from "#db/profile-fields.ts";
import { addMember, createSpace } from "#tests/factories.ts";
import { pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { doc, paragraph, textDoc } from "#tests/helpers/lexical.ts";
import { tablesOf } from "#tests/helpers/state.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Asks (issue 16) over real HTTP, with real session cookies, the real SQLite
 * file and a real SMTP server on loopback: posting one (and what is refused,
 * with nothing stored), who answers (guests do, outsiders on a network ask),
 * what an outsider sees of a club through a network ask (that ask, nothing
 * else), ids from another space, the author told of answers (in the app and
 * by mail), resolving with thanks (only those who answered count), the
 * profile's "helped N times", an ask closed by its deadline, moderation to
 * the trash and back (audited), a stale edit, and the lists: the club's and
 * the network's, their filters and their paging.
 */

type P = "ana" | "ed" | "mia" | "tom" | "gus" | "olga" | "nadia" | "quiet";
type S = "club" | "autre" | "ouvert" | "secret" | "paging";
let w: World<P, S>;
let club: Space; // listed: ana admin, ed editor, mia & tom & quiet members, gus guest
let autre: Space; // listed: ana admin, olga member
let ouvert: Space; // open: ana admin
let secret: Space; // secret: ana admin, mia member
let paging: Space; // listed: ana admin; 45 old network asks
let clubPage: Page;

const c = {} as Record<P, Client>;

beforeAll(async () => {
  w = await world({
    smtp: true,
    domain: "asks.test",
    people: {
      ana: { displayName: "Ana Admin", locale: "fr" },
      ed: { displayName: "Ed Éditeur", locale: "fr" },
      mia: { displayName: "Mia Membre", locale: "fr" },
      tom: { displayName: "Tom Troisième", locale: "fr" },
      gus: { displayName: "Gus Invité", locale: "fr" },
      olga: { displayName: "Olga Dehors", locale: "fr" },
      nadia: { displayName: "Nadia Réseau", locale: "fr", isNetworkAdmin: true },
      quiet: { displayName: "Quentin Silencieux", locale: "fr" },
    },
    spaces: {
      club: { createdBy: "ana", slug: "club", name: "Club Achats", visibility: "listed", members: { ed: "editor", mia: "member", tom: "member", quiet: "member", gus: "guest" } },
      autre: { createdBy: "ana", slug: "autre", name: "Autre Club", visibility: "listed", members: { olga: "member" } },
      ouvert: { createdBy: "ana", slug: "ouvert", name: "Cercle Ouvert", visibility: "open" },
      secret: { createdBy: "ana", slug: "secret", name: "Club Secret", visibility: "secret", members: { mia: "member" } },
      paging: { createdBy: "ana", slug: "pages-club", name: "Club Pagination", visibility: "listed" },
    },
  });
  ({ club, autre, ouvert, secret, paging } = w.spaces);
  Object.assign(c, w.c);
  // Quentin asks not to be mailed of replies.
  await saveChoices(
    w.store.db,
    w.people.quiet.id,
    ["reply", "askAnswer", "askThanks"].map((kind) => ({ kind, delivery: "app" as const })),
    Date.now(),
  );
  const now = Date.now();
  clubPage = await pages.createPage(w.store.db, {
    spaceId: club.id,
    parentId: null,
    title: "Grille tarifaire confidentielle",
    slug: "grille-tarifaire",
    content: { json: textDoc("Nos prix fournisseurs"), html: "<p>Nos prix fournisseurs</p>", text: "Nos prix fournisseurs" },
    summary: "",
    authorId: w.people.ana.id,
    now,
  });
});
afterAll(() => w?.close());

// ---------------------------------------------------------------------------

interface AskInput {
  kind?: AskKind;
  audience?: AskAudience;
  title?: string;
  body?: string;
  skills?: string[];
  region?: Region | "";
  deadline?: string;
}

function askFields(input: AskInput): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ["kind", input.kind ?? "question"],
    ["audience", input.audience ?? "space"],
    ["title", input.title ?? "Une question"],
    ["body", input.body ?? textDoc("Qui peut m’aider ?")],
    ["region", input.region ?? ""],
    ["deadline", input.deadline ?? ""],
  ];
  for (const s of input.skills ?? []) fields.push(["skills", s]);
  return fields;
}

const postAsk = (cl: Client, space: Space, input: AskInput) => cl.post(`/spaces/${space.slug}/asks/new`, askFields(input));

/** Posts an ask and expects it to work; returns the stored row. */
async function askOk(cl: Client, space: Space, input: AskInput): Promise<Ask> {
  const res = await postAsk(cl, space, input);
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(302);
  const id = new RegExp(`^/spaces/${space.slug}/asks/([a-z0-9]+)$`).exec(res.location ?? "")?.[1];
  expect(id, `no ask in ${res.location}`).toBeDefined();
  return askRow(id!);
}

const askRow = (id: string) => w.store.db.selectFrom("ask").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const askPath = (space: Space, id: string) => `/spaces/${space.slug}/asks/${id}`;

function answer(cl: Client, space: Space, askId: string, content: string, parentId?: string) {
  const fields: Record<string, string> = { intent: "create", targetType: "ask", targetId: askId, body: content };
  if (parentId) fields.parentId = parentId;
  return cl.post(`/spaces/${space.slug}/comments`, fields);
}

/** Answers and expects it to work; returns the comment's id. */
async function answerOk(cl: Client, space: Space, askId: string, content: string, parentId?: string): Promise<string> {
  const res = await answer(cl, space, askId, content, parentId);
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
  const m = /^\/spaces\/([^/]+)\/asks\/([a-z0-9]+)#comment-([a-z0-9]+)$/.exec(res.location ?? "");
  expect(m, `no comment anchor in ${res.location}`).not.toBeNull();
  expect(m![2]).toBe(askId);
  return m![3];
}

const resolve = (cl: Client, space: Space, askId: string, thank: string[] = []) =>
  cl.post(askPath(space, askId), [["intent", "resolve"], ...thank.map((id): [string, string] => ["thank", id])]);

/** Every row of the tables an ask writes to: a refused request leaves them as they were. */
const askTables = () => tablesOf(w.store.db, ["ask", "ask_skill", "ask_thanks", "comment", "notification", "audit_log"]);

/** The ids of the asks a list page shows, in order. */
function listedIds(res: HttpResponse): string[] {
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(200);
  return [...res.text.matchAll(/href="\/spaces\/[^/"]+\/asks\/([a-z0-9]+)"/g)].map((m) => m[1]).filter((id) => id !== "new");
}

/** The "more" link of a list page, as a path, or null. */
function moreLink(res: HttpResponse): string | null {
  const m = /href="(\/(?:asks|spaces\/[^/"]+\/asks)\?[^"]*after=[^"]*)"/.exec(res.text);
  return m ? m[1].replace(/&amp;/g, "&") : null;
}

/** The outbox row of a notification's mail once its attempt is over (it runs after the response), or undefined when none was queued. */
async function mailOf(notificationId: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const row = await w.store.db.selectFrom("mail_outbox").selectAll().where("notification_id", "=", notificationId).executeTakeFirst();
    if (!row || (row.state !== "pending" && row.state !== "sending") || Date.now() > deadline) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const notificationsOf = (userId: string, ownerId: string) =>
  w.store.db.selectFrom("notification").selectAll().where("user_id", "=", userId).where("owner_id", "=", ownerId).orderBy("created_at").execute();

const thankedOn = async (askId: string) =>
  (await w.store.db.selectFrom("ask_thanks").select("user_id").where("ask_id", "=", askId).execute()).map((r) => r.user_id).sort();

/** "A aidé N fois" on a profile, or 0 when the line is not there. */
async function helpedOnProfile(viewer: Client, userId: string): Promise<number> {
  const res = await viewer.get(`/people/${userId}`);
  expect(res.status).toBe(200);
  const m = /A aidé (\d+) fois/.exec(pageText(res.text));
  return m ? Number(m[1]) : 0;
}

const FUTURE_DAY = "2099-12-31";

// ---------------------------------------------------------------------------

describe("posting an ask", () => {
  test("a member posts one: stored with its kind, audience, words, skills, region and deadline (closing when the day ends in Paris)", async () => {
    const ask = await askOk(c.mia, club, {
      kind: "expert",
      audience: "network",
      title: "Qui connaît la fiscalité des coopératives ?",
      body: doc(paragraph("Nous cherchons un ", "expert")),
      skills: ["Fiscalité", "Droit des coopératives", "fiscalite"],
      region: "bre",
      deadline: FUTURE_DAY,
    });
    expect(ask).toMatchObject({
      space_id: club.id,
      author_id: w.people.mia.id,
      kind: "expert",
      audience: "network",
      title: "Qui connaît la fiscalité des coopératives ?",
      body_text: "Nous cherchons un expert",
      region: "bre",
      deadline: FUTURE_DAY,
      resolved_at: null,
      deleted_at: null,
    });
    // The end of 31 December 2099 in Paris (UTC+1 in winter) is 23:00 UTC.
    expect(ask.closes_at).toBe(Date.parse("2099-12-31T23:00:00Z"));
    const skills = await w.store.db.selectFrom("ask_skill").select(["label", "position"]).where("ask_id", "=", ask.id).orderBy("position").execute();
    // "fiscalite" is "Fiscalité" again: one skill, the first spelling kept.
    expect(skills).toEqual([
      { label: "Fiscalité", position: 0 },
      { label: "Droit des coopératives", position: 1 },
    ]);
    const page = await c.mia.get(askPath(club, ask.id));
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain("Qui connaît la fiscalité des coopératives ?");
    expect(text).toContain("Droit des coopératives");
  });

  test("eight skills are accepted; a ninth, an empty title, an empty text, a past deadline, a bad kind: 400 and nothing stored", async () => {
    const eight = ["A1", "B2", "C3", "D4", "E5", "F6", "G7", "H8"];
    const before = await askTables();
    const refusals: Array<[string, AskInput | Array<[string, string]>]> = [
      ["nine skills", { title: "Trop de compétences", skills: [...eight, "I9"] }],
      ["nine skills as one text", [...askFields({ title: "Trop de compétences" }), ["skillsText", [...eight, "I9"].join(", ")]]],
      ["empty title", { title: "" }],
      ["blank title", { title: "   " }],
      ["empty body", { title: "Sans texte", body: "" }],
      ["empty paragraph", { title: "Sans texte", body: doc(paragraph()) }],
      ["past deadline", { title: "Trop tard", deadline: "2020-01-01" }],
      ["not a day", { title: "Quel jour ?", deadline: "2099-02-30" }],
      ["unknown kind", [...askFields({ title: "Quel genre ?" }).filter(([k]) => k !== "kind"), ["kind", "gossip"]]],
      ["unknown region", { title: "Où ?", region: "atlantis" as Region }],
    ];
    for (const [why, input] of refusals) {
      const res = Array.isArray(input) ? await c.mia.post(`/spaces/${club.slug}/asks/new`, input) : await postAsk(c.mia, club, input);
      expect(res.status, why).toBe(400);
    }
    expect(await askTables(), "a refused ask stores nothing").toEqual(before);
    const ok = await askOk(c.mia, club, { title: "Huit compétences", skills: eight });
    expect((await asks.skillsOf(w.store.db, [ok.id])).get(ok.id)?.map((s) => s.label)).toEqual(eight);
  });

  test("a secret club's ask cannot go to the network: 400, nothing stored; to its members it may", async () => {
    const before = await askTables();
    const res = await postAsk(c.ana, secret, { title: "Au réseau depuis le secret", audience: "network" });
    expect(res.status).toBe(400);
    expect(await askTables()).toEqual(before);
    const ok = await askOk(c.ana, secret, { title: "Entre nous seulement" });
    expect(ok.audience).toBe("space");
  });

  test("a guest may not post (403), nor may an outsider (403 on a listed club, 404 on a secret one); nothing stored", async () => {
    const before = await askTables();
    expect((await c.gus.get(`/spaces/${club.slug}/asks/new`)).status).toBe(403);
    expect((await postAsk(c.gus, club, { title: "Invité qui demande" })).status).toBe(403);
    expect((await postAsk(c.olga, club, { title: "Dehors qui demande" })).status).toBe(403);
    expect((await postAsk(c.olga, secret, { title: "Dehors qui demande" })).status).toBe(404);
    expect((await w.anonymous.post(`/spaces/${club.slug}/asks/new`, askFields({ title: "Personne" }))).status).toBe(302);
    expect(await askTables()).toEqual(before);
  });
});

describe("the deadline, a day in the author's time zone", () => {
  /** Today's date where the zone is, as YYYY-MM-DD. */
  const todayIn = (timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const setZone = (who: "tom", zone: string) => w.store.db.updateTable("user").set({ time_zone: zone }).where("id", "=", w.people[who].id).execute();

  afterAll(async () => {
    await setZone("tom", "Europe/Paris");
  });

  test("the ask closes when the day ends where the author lives; today there is allowed, yesterday there is not", async () => {
    // Pago Pago is UTC−11, Kiritimati UTC+14: their dates always differ, by one day or two.
    await setZone("tom", "Pacific/Pago_Pago");
    const late = await askOk(c.tom, club, { title: "Jusqu’à ce soir à Pago Pago", deadline: todayIn("Pacific/Pago_Pago") });
    expect(late.deadline).toBe(todayIn("Pacific/Pago_Pago"));
    const far = await askOk(c.tom, club, { title: "Fin 2099 à Pago Pago", deadline: FUTURE_DAY });
    // The end of 31 December 2099 at UTC−11 is 11:00 UTC on 1 January 2100.
    expect(far.closes_at).toBe(Date.parse("2100-01-01T11:00:00Z"));

    await setZone("tom", "Pacific/Kiritimati");
    const before = await askTables();
    expect((await postAsk(c.tom, club, { title: "Hier à Kiritimati", deadline: todayIn("Pacific/Pago_Pago") })).status).toBe(400);
    expect(await askTables()).toEqual(before);
    const kiri = await askOk(c.tom, club, { title: "Fin 2099 à Kiritimati", deadline: FUTURE_DAY });
    // …and at UTC+14, 10:00 UTC on 31 December 2099.
    expect(kiri.closes_at).toBe(Date.parse("2099-12-31T10:00:00Z"));
  });

  test("an edit may keep a deadline already passed, not choose another past one", async () => {
    const ask = await askOk(c.mia, club, { title: "Échéance dépassée", deadline: FUTURE_DAY });
    await w.store.db.updateTable("ask").set({ deadline: "2021-05-05", closes_at: Date.parse("2021-05-05T22:00:00Z") }).where("id", "=", ask.id).execute();
    let current = await askRow(ask.id);
    const before = await askTables();
    const moved = await c.mia.post(`${askPath(club, ask.id)}/edit`, [...askFields({ title: "Échéance dépassée", deadline: "2021-05-06" }), ["updatedAt", String(current.updated_at)]]);
    expect(moved.status).toBe(400);
    expect(await askTables()).toEqual(before);
    const kept = await c.mia.post(`${askPath(club, ask.id)}/edit`, [...askFields({ title: "Échéance dépassée, texte revu", deadline: "2021-05-05" }), ["updatedAt", String(current.updated_at)]]);
    expect(kept.status).toBe(302);
    current = await askRow(ask.id);
    expect(current).toMatchObject({ title: "Échéance dépassée, texte revu", deadline: "2021-05-05" });
    // Still closed: kept, the deadline still says when it closed.
    expect(current.closes_at).not.toBeNull();
    expect(current.closes_at!).toBeLessThan(Date.now());
    expect((await answer(c.tom, club, ask.id, textDoc("Trop tard"))).status).toBe(403);
  });
});

describe("answering", () => {
  test("a guest answers an ask of their club; the answer is a comment on the ask", async () => {
    const ask = await askOk(c.mia, club, { title: "Un bon transporteur ?" });
    const id = await answerOk(c.gus, club, ask.id, textDoc("Essayez Transports Martin"));
    const row = await w.store.db.selectFrom("comment").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ space_id: club.id, ask_id: ask.id, page_id: null, post_id: null, workshop_id: null, author_id: w.people.gus.id });
    expect(pageText((await c.tom.get(askPath(club, ask.id))).text)).toContain("Essayez Transports Martin");
  });

  test("the author is told of each answer: one notification, and one mail when they take replies by mail", async () => {
    const ask = await askOk(c.mia, club, { title: "Un expert-comptable à Rennes ?" });
    const first = await answerOk(c.tom, club, ask.id, textDoc("Cabinet Durand, très bien"));
    const n1 = await w.store.db.selectFrom("notification").selectAll().where("comment_id", "=", first).execute();
    expect(n1).toHaveLength(1);
    expect(n1[0]).toMatchObject({ user_id: w.people.mia.id, kind: "askAnswer", owner_kind: "ask", owner_id: ask.id, space_id: club.id, actor_id: w.people.tom.id });
    expect((await mailOf(n1[0].id))?.state).toBe("sent");
    const mail = await w.smtp.waitForMail((m) => m.to.includes(w.people.mia.email) && m.text.includes("Cabinet Durand"));
    expect(mail.subject).toContain("Tom Troisième a répondu à votre demande");
    expect(mail.subject).toContain("Un expert-comptable à Rennes ?");

    // Mia answers in her own thread (no one is told), and Gus replies to her: a reply, not a second "answer".
    const hers = await answerOk(c.mia, club, ask.id, textDoc("Merci, d’autres idées ?"));
    expect(await w.store.db.selectFrom("notification").selectAll().where("comment_id", "=", hers).execute()).toEqual([]);
    const reply = await answerOk(c.gus, club, ask.id, textDoc("Le cabinet Le Goff aussi"), hers);
    const n2 = await w.store.db.selectFrom("notification").selectAll().where("comment_id", "=", reply).execute();
    expect(n2.map((n) => [n.user_id, n.kind])).toEqual([[w.people.mia.id, "reply"]]);
    expect((await mailOf(n2[0].id))?.state).toBe("sent");

    // Exactly one mail for each of the two answers: never twice for one.
    await new Promise((r) => setTimeout(r, 300));
    expect(w.smtp.messages.filter((m) => m.to.includes(w.people.mia.email) && m.text.includes("Cabinet Durand"))).toHaveLength(1);
    expect(w.smtp.messages.filter((m) => m.to.includes(w.people.mia.email) && m.text.includes("Le cabinet Le Goff"))).toHaveLength(1);
    expect((await notificationsOf(w.people.mia.id, ask.id)).map((n) => n.kind)).toEqual(["askAnswer", "reply"]);
  });

  test("an author who takes no replies by mail is told in the app only", async () => {
    const ask = await askOk(c.quiet, club, { title: "Question discrète" });
    const id = await answerOk(c.tom, club, ask.id, textDoc("Réponse discrète"));
    const n = await w.store.db.selectFrom("notification").selectAll().where("comment_id", "=", id).execute();
    expect(n.map((x) => [x.user_id, x.kind])).toEqual([[w.people.quiet.id, "askAnswer"]]);
    expect(await mailOf(n[0].id)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(w.smtp.messages.filter((m) => m.to.includes(w.people.quiet.email))).toEqual([]);
    const page = await c.quiet.get("/notifications");
    expect(pageText(page.text)).toContain("Question discrète");
  });
});

describe("what an outsider sees of a club through a network ask", () => {
  let net: Ask;
  let mine: Ask; // to the club's members only
  let memberAnswer: string; // a comment on the space-only ask

  beforeAll(async () => {
    net = await askOk(c.mia, club, { title: "Réseau : un fournisseur d’emballages ?", audience: "network", kind: "question" });
    mine = await askOk(c.mia, club, { title: "Entre membres : nos marges de 2025", audience: "space" });
    memberAnswer = await answerOk(c.tom, club, mine.id, textDoc("Nos marges internes"));
  });

  test("the outsider reads the network ask and answers it; the author is told", async () => {
    const page = await c.olga.get(askPath(club, net.id));
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain(net.title);
    const id = await answerOk(c.olga, club, net.id, textDoc("Emballages Dupont, à Lyon"));
    const n = await w.store.db.selectFrom("notification").selectAll().where("comment_id", "=", id).execute();
    expect(n.map((x) => [x.user_id, x.kind])).toEqual([[w.people.mia.id, "askAnswer"]]);
    // The thread as JSON is hers to read too, and she edits her own answer.
    const json = await c.olga.get(`/spaces/${club.slug}/comments?ask=${net.id}`);
    expect(json.status).toBe(200);
    expect(json.text).toContain("Emballages Dupont");
    const edit = await c.olga.post(`/spaces/${club.slug}/comments`, { intent: "edit", commentId: id, body: textDoc("Emballages Dupont, à Lyon et Mâcon") });
    expect(edit.status).toBe(303);
  });

  test("the network ask's page shows nothing else of the club: not its other asks, wiki, members, tabs", async () => {
    const page = await c.olga.get(askPath(club, net.id));
    const text = pageText(page.text);
    for (const secretThing of [mine.title, "Nos marges internes", clubPage.title, "Ed Éditeur", "Quentin Silencieux", "Gus Invité"]) {
      expect(text, secretThing).not.toContain(secretThing);
    }
    expect(page.text).not.toContain(`href="/spaces/${club.slug}/wiki"`);
    expect(page.text).not.toContain(`href="/spaces/${club.slug}/members"`);
    expect(page.text).not.toContain(`href="/spaces/${club.slug}/asks"`);
  });

  test("everything else of the club stays closed to the outsider, and nothing is stored", async () => {
    const before = await askTables();
    // The space-only ask is not there at all.
    expect((await c.olga.get(askPath(club, mine.id))).status).toBe(404);
    expect((await resolve(c.olga, club, mine.id)).status).toBe(404);
    expect((await c.olga.get(`/spaces/${club.slug}/comments?ask=${mine.id}`)).status).toBe(404);
    expect((await answer(c.olga, club, mine.id, textDoc("Intrusion"))).status).toBe(404);
    // Nor another comment of the club: not answered, not edited, not deleted, not replied to from the network ask.
    expect((await answer(c.olga, club, net.id, textDoc("Réponse détournée"), memberAnswer)).status).toBe(404);
    expect((await c.olga.post(`/spaces/${club.slug}/comments`, { intent: "edit", commentId: memberAnswer, body: textDoc("x") })).status).toBe(404);
    expect((await c.olga.post(`/spaces/${club.slug}/comments`, { intent: "delete", commentId: memberAnswer })).status).toBe(404);
    // Its wiki, page by page and as a section; its comments on a wiki page; the club's list of asks; its members.
    expect((await c.olga.get(`/spaces/${club.slug}/comments?page=${clubPage.id}`)).status).toBe(404);
    expect((await c.olga.post(`/spaces/${club.slug}/comments`, { intent: "create", targetType: "page", targetId: clubPage.id, body: textDoc("x") })).status).toBe(404);
    for (const path of [`/spaces/${club.slug}/wiki/${clubPage.slug}`, `/spaces/${club.slug}/wiki`, `/spaces/${club.slug}/asks`, `/spaces/${club.slug}/members`, `/spaces/${club.slug}/members/mentions?q=M`]) {
      const res = await c.olga.get(path);
      expect([403, 404], path).toContain(res.status);
      const text = pageText(res.text);
      for (const secretThing of [mine.title, clubPage.title, "Nos prix fournisseurs", "Ed Éditeur", "Quentin Silencieux"]) expect(text, `${path}: ${secretThing}`).not.toContain(secretThing);
    }
    expect(await askTables()).toEqual(before);
  });

  test("to the outsider, a space-only ask's id (live or in the trash) answers exactly as an id that does not exist: 404 everywhere", async () => {
    const trashed = await askOk(c.mia, club, { title: "Entre membres : à jeter" });
    expect((await c.mia.post(askPath(club, trashed.id), { intent: "delete" })).status).toBe(302);
    const before = await askTables();
    const probes: Array<[string, (id: string) => Promise<HttpResponse>]> = [
      ["GET page", (id) => c.olga.get(askPath(club, id))],
      ["GET edit", (id) => c.olga.get(`${askPath(club, id)}/edit`)],
      ["POST edit", (id) => c.olga.post(`${askPath(club, id)}/edit`, [...askFields({ title: "Détourné" }), ["updatedAt", "0"]])],
      ["resolve", (id) => c.olga.post(askPath(club, id), { intent: "resolve" })],
      ["reopen", (id) => c.olga.post(askPath(club, id), { intent: "reopen" })],
      ["delete", (id) => c.olga.post(askPath(club, id), { intent: "delete" })],
      ["restore", (id) => c.olga.post(askPath(club, id), { intent: "restore" })],
      ["GET comments", (id) => c.olga.get(`/spaces/${club.slug}/comments?ask=${id}`)],
      ["answer", (id) => answer(c.olga, club, id, textDoc("Intrusion"))],
    ];
    const nobody = "aaaaaaaaaaaaaaaaaaaaaaaa";
    // [unknown id, live space-only ask, space-only ask in the trash], for every probe at once.
    const answers: Record<string, number[]> = {};
    for (const [what, probe] of probes) answers[what] = [(await probe(nobody)).status, (await probe(mine.id)).status, (await probe(trashed.id)).status];
    expect(answers).toEqual(Object.fromEntries(probes.map(([what]) => [what, [404, 404, 404]])));
    expect(await askTables()).toEqual(before);
  });

  test("an open club's space-only ask is read by the outsider but not answered (403), nothing stored", async () => {
    const ask = await askOk(c.ana, ouvert, { title: "Ouvert : entre membres" });
    expect((await c.olga.get(askPath(ouvert, ask.id))).status).toBe(200);
    const before = await askTables();
    expect((await answer(c.olga, ouvert, ask.id, textDoc("Je passe"))).status).toBe(403);
    expect(await askTables()).toEqual(before);
  });

  test("a network ask's notifications are the outsider's while it is a network ask, and gone once it is the club's only", async () => {
    const ask = await askOk(c.mia, club, { title: "Réseau : un graphiste ?", audience: "network" });
    await answerOk(c.olga, club, ask.id, textDoc("Studio Bleu"));
    expect((await resolve(c.mia, club, ask.id, [w.people.olga.id])).status).toBe(302);
    const [thanks] = await notificationsOf(w.people.olga.id, ask.id);
    expect(thanks).toMatchObject({ kind: "askThanks", space_id: club.id });
    expect(pageText((await c.olga.get("/notifications")).text)).toContain(ask.title);
    const open = await c.olga.get(`/notifications/${thanks.id}`);
    expect(open.status).toBe(302);
    expect(open.location).toBe(askPath(club, ask.id));

    // Mia makes it the club's only: Olga may no longer read it, nor its notification.
    const fresh = await askRow(ask.id);
    const edit = await c.mia.post(`${askPath(club, ask.id)}/edit`, [...askFields({ title: ask.title, audience: "space" }), ["updatedAt", String(fresh.updated_at)]]);
    expect(edit.status).toBe(302);
    expect((await c.olga.get(askPath(club, ask.id))).status).toBe(404);
    expect(pageText((await c.olga.get("/notifications")).text)).not.toContain(ask.title);
    expect((await c.olga.get(`/notifications/${thanks.id}`)).status).toBe(404);
    // A member of the club still has hers.
    expect(pageText((await c.mia.get("/notifications")).text)).toContain(ask.title);
  });

  test("a secret club's ask is 404 through any space, even one stored as a network ask", async () => {
    const spaceOnly = await askOk(c.ana, secret, { title: "Secret : notre prochaine cible" });
    // The form refuses a network ask from a secret club; a row that says so anyway must still stay hidden.
    const forced = await asks.insertAsk(w.store.db, {
      spaceId: secret.id,
      authorId: w.people.ana.id,
      fields: { kind: "question", audience: "network", title: "Secret forcé au réseau", body: { json: textDoc("x"), html: "<p>x</p>", text: "x" }, skills: [], region: "", deadline: null, closesAt: null },
      now: Date.now(),
    });
    const before = await askTables();
    for (const id of [spaceOnly.id, forced.id]) {
      for (const space of [secret, club, autre, ouvert]) {
        expect((await c.olga.get(askPath(space, id))).status, `${space.slug} ${id}`).toBe(404);
        expect((await answer(c.olga, space, id, textDoc("Trouvé !"))).status, `${space.slug} ${id}`).toBe(404);
        expect((await c.olga.get(`/spaces/${space.slug}/comments?ask=${id}`)).status).toBe(404);
      }
    }
    // Mia, a member of the secret club, reads it there and only there; the network admin reads it too.
    expect((await c.mia.get(askPath(secret, spaceOnly.id))).status).toBe(200);
    expect((await c.nadia.get(askPath(secret, spaceOnly.id))).status).toBe(200);
    expect((await c.mia.get(askPath(club, spaceOnly.id))).status).toBe(404);
    expect(listedIds(await c.olga.get("/asks?state=all"))).not.toContain(forced.id);
    expect(await askTables()).toEqual(before);
  });

  test("an archived club's network ask is no longer the network's: 404 to the outsider, out of /asks, its notifications hidden; members read it and answer no more", async () => {
    const old = await createSpace(w.store.db, { createdBy: w.people.ana.id, slug: "ancien", name: "Ancien Club", visibility: "listed" });
    await addMember(w.store.db, { space: old, user: w.people.mia, role: "member" });
    const ask = await askOk(c.mia, old, { title: "Ancien : un local à Brest ?", audience: "network" });
    await answerOk(c.olga, old, ask.id, textDoc("Un local rue de Siam"));
    expect((await resolve(c.mia, old, ask.id, [w.people.olga.id])).status).toBe(302);
    expect(pageText((await c.olga.get("/notifications")).text)).toContain(ask.title);
    expect(listedIds(await c.olga.get("/asks?state=all"))).toContain(ask.id);

    await w.store.db.updateTable("space").set({ archived_at: Date.now() }).where("id", "=", old.id).execute();
    expect((await c.olga.get(askPath(old, ask.id))).status).toBe(404);
    expect(listedIds(await c.olga.get("/asks?state=all"))).not.toContain(ask.id);
    expect(pageText((await c.olga.get("/notifications")).text)).not.toContain(ask.title);
    expect((await c.mia.get(askPath(old, ask.id))).status).toBe(200);
    expect((await answer(c.mia, old, ask.id, textDoc("Encore une idée"))).status).toBe(403);
    expect((await c.mia.post(askPath(old, ask.id), { intent: "reopen" })).status).toBe(403);
  });

  test("an ask of club B under club A's address is 404 even to a member of both: page, edit, resolve, reopen, delete, comments", async () => {
    const theirs = await askOk(c.olga, autre, { title: "Chez les autres : un local ?" });
    const before = await askTables();
    // Ana is admin of both clubs: she could do anything to it under its own address.
    expect((await c.ana.get(askPath(autre, theirs.id))).status).toBe(200);
    expect((await c.ana.get(askPath(club, theirs.id))).status).toBe(404);
    expect((await c.ana.get(`${askPath(club, theirs.id)}/edit`)).status).toBe(404);
    // Nor its own author under the other club's address.
    expect((await c.olga.get(`${askPath(club, theirs.id)}/edit`)).status).toBe(404);
    expect((await c.olga.post(askPath(club, theirs.id), { intent: "resolve" })).status).toBe(404);
    expect((await c.ana.post(`${askPath(club, theirs.id)}/edit`, [...askFields({ title: "Détourné" }), ["updatedAt", String(theirs.updated_at)]])).status).toBe(404);
    for (const intent of ["resolve", "reopen", "delete", "restore"]) {
      expect((await c.ana.post(askPath(club, theirs.id), { intent })).status, intent).toBe(404);
    }
    expect((await answer(c.ana, club, theirs.id, textDoc("Par ici"))).status).toBe(404);
    expect((await c.ana.get(`/spaces/${club.slug}/comments?ask=${theirs.id}`)).status).toBe(404);
    expect(await askTables()).toEqual(before);
  });
});

describe("resolving and thanking", () => {
  test("thanks go only to those who answered: a member who did not, the author, a deleted answer's author and a forged id are ignored", async () => {
    const ask = await askOk(c.mia, club, { title: "Un avocat en droit social ?", audience: "network" });
    await answerOk(c.gus, club, ask.id, textDoc("Maître Dubois"));
    await answerOk(c.olga, club, ask.id, textDoc("Maître Lenoir, à Nantes"));
    const toms = await answerOk(c.tom, club, ask.id, textDoc("Je me renseigne"));
    expect((await c.tom.post(`/spaces/${club.slug}/comments`, { intent: "delete", commentId: toms })).status).toBe(302);
    await answerOk(c.mia, club, ask.id, textDoc("Merci à tous"));

    const helpedBefore = { gus: await helpedOnProfile(c.mia, w.people.gus.id), olga: await helpedOnProfile(c.mia, w.people.olga.id), ed: await helpedOnProfile(c.mia, w.people.ed.id) };

    // Someone else than the author may not thank (403); the editor may close without thanks — but not yet.
    expect((await resolve(c.ed, club, ask.id, [w.people.gus.id])).status).toBe(403);
    expect((await resolve(c.tom, club, ask.id)).status).toBe(403);
    expect(await thankedOn(ask.id)).toEqual([]);
    expect((await askRow(ask.id)).resolved_at).toBeNull();

    const res = await resolve(c.mia, club, ask.id, [w.people.gus.id, w.people.olga.id, w.people.ed.id, w.people.mia.id, w.people.tom.id, "forgedidforgedidforgedid00", w.people.gus.id]);
    expect(res.status).toBe(302);
    expect(res.location).toBe(askPath(club, ask.id));
    expect(await thankedOn(ask.id)).toEqual([w.people.gus.id, w.people.olga.id].sort());
    expect((await askRow(ask.id)).resolved_at).not.toBeNull();

    // Each one thanked is told, the outsider too (a network ask's notification is hers to see).
    for (const who of ["gus", "olga"] as const) {
      const n = await notificationsOf(w.people[who].id, ask.id);
      expect(n.map((x) => x.kind), who).toEqual(["askThanks"]);
      const bell = pageText((await c[who].get("/notifications")).text);
      expect(bell, who).toContain("Mia Membre vous remercie pour votre aide");
      expect(bell, who).toContain(ask.title);
    }
    for (const who of ["ed", "tom", "mia"] as const) expect((await notificationsOf(w.people[who].id, ask.id)).filter((n) => n.kind === "askThanks"), who).toEqual([]);

    // The profiles count it once each; no one else's count moves.
    expect(await helpedOnProfile(c.mia, w.people.gus.id)).toBe(helpedBefore.gus + 1);
    expect(await helpedOnProfile(c.tom, w.people.olga.id)).toBe(helpedBefore.olga + 1);
    expect(await helpedOnProfile(c.mia, w.people.ed.id)).toBe(helpedBefore.ed);

    // Thanking again: a second "thanks" to the same person counts nothing more.
    expect((await resolve(c.mia, club, ask.id, [w.people.gus.id])).status).toBe(302);
    expect(await thankedOn(ask.id)).toEqual([w.people.gus.id, w.people.olga.id].sort());
    expect((await notificationsOf(w.people.gus.id, ask.id)).map((x) => x.kind)).toEqual(["askThanks"]);
    expect(await helpedOnProfile(c.mia, w.people.gus.id)).toBe(helpedBefore.gus + 1);

    // Resolved, it takes no more answers; reopened, it does again (the thanks stay).
    expect((await answer(c.tom, club, ask.id, textDoc("Trop tard ?"))).status).toBe(403);
    expect((await c.mia.post(askPath(club, ask.id), { intent: "reopen" })).status).toBe(302);
    expect((await askRow(ask.id)).resolved_at).toBeNull();
    await answerOk(c.tom, club, ask.id, textDoc("Maître Roux aussi"));
    expect(await thankedOn(ask.id)).toEqual([w.people.gus.id, w.people.olga.id].sort());
  });

  test("a profile counts the asks one was thanked for, across clubs, and not those in the trash", async () => {
    const start = await helpedOnProfile(c.mia, w.people.tom.id);
    const a1 = await askOk(c.mia, club, { title: "Premier coup de main" });
    const a2 = await askOk(c.mia, secret, { title: "Coup de main secret" });
    await addMember(w.store.db, { space: secret, user: w.people.tom, role: "guest" });
    await answerOk(c.tom, club, a1.id, textDoc("Voilà"));
    await answerOk(c.tom, secret, a2.id, textDoc("Voilà aussi"));
    expect((await resolve(c.mia, club, a1.id, [w.people.tom.id])).status).toBe(302);
    expect((await resolve(c.mia, secret, a2.id, [w.people.tom.id])).status).toBe(302);
    // Olga shares no club with Tom and not the secret one: she sees the count, never which asks.
    expect(await helpedOnProfile(c.mia, w.people.tom.id)).toBe(start + 2);
    expect(await helpedOnProfile(c.olga, w.people.tom.id)).toBe(start + 2);
    const tomsPage = pageText((await c.olga.get(`/people/${w.people.tom.id}`)).text);
    expect(tomsPage).not.toContain("Coup de main secret");
    expect((await c.mia.post(askPath(club, a1.id), { intent: "delete" })).status).toBe(302);
    expect(await helpedOnProfile(c.mia, w.people.tom.id)).toBe(start + 1);
  });
});

describe("an ask past its deadline", () => {
  test("refuses new answers (403) but stays readable, and its answers stay editable by their authors", async () => {
    const ask = await askOk(c.mia, club, { title: "Avant vendredi : un traiteur ?", deadline: FUTURE_DAY, audience: "network" });
    const gusAnswer = await answerOk(c.gus, club, ask.id, textDoc("Traiteur Morel"));
    await w.store.db.updateTable("ask").set({ closes_at: Date.now() - 60_000 }).where("id", "=", ask.id).execute();
    const before = await askTables();
    expect((await answer(c.tom, club, ask.id, textDoc("Trop tard"))).status).toBe(403);
    expect((await answer(c.olga, club, ask.id, textDoc("Trop tard aussi"))).status).toBe(403);
    expect((await answer(c.tom, club, ask.id, textDoc("En réponse"), gusAnswer)).status).toBe(403);
    expect(await askTables()).toEqual(before);
    for (const who of ["mia", "tom", "olga"] as const) {
      const page = await c[who].get(askPath(club, ask.id));
      expect(page.status, who).toBe(200);
      const text = pageText(page.text);
      expect(text, who).toContain("Traiteur Morel");
      expect(text, who).toContain("ne reçoit plus de réponses");
      expect(page.text, who).not.toContain('value="create"');
    }
    const fix = await c.gus.post(`/spaces/${club.slug}/comments`, { intent: "edit", commentId: gusAnswer, body: textDoc("Traiteur Morel, à Vannes") });
    expect(fix.status).toBe(303);
    expect((await w.store.db.selectFrom("comment").select("body_text").where("id", "=", gusAnswer).executeTakeFirstOrThrow()).body_text).toBe("Traiteur Morel, à Vannes");
    // The lists file it under closed.
    expect(listedIds(await c.mia.get(`/spaces/${club.slug}/asks`))).not.toContain(ask.id);
    expect(listedIds(await c.mia.get(`/spaces/${club.slug}/asks?state=closed`))).toContain(ask.id);
  });
});

describe("moderation", () => {
  test("an editor moves a member's ask to the trash (audited), it is gone for members, and comes back when restored", async () => {
    const ask = await askOk(c.mia, club, { title: "Une annonce hors sujet" });
    await answerOk(c.gus, club, ask.id, textDoc("Hors sujet en effet"));
    const auditBefore = await w.store.db.selectFrom("audit_log").selectAll().where("event", "=", "ask_moderated").execute();

    // A member who is not its author may not.
    expect((await c.tom.post(askPath(club, ask.id), { intent: "delete" })).status).toBe(403);
    expect((await askRow(ask.id)).deleted_at).toBeNull();

    const res = await c.ed.post(askPath(club, ask.id), { intent: "delete" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/spaces/${club.slug}/asks`);
    const row = await askRow(ask.id);
    expect(row.deleted_at).not.toBeNull();
    expect(row.deleted_by).toBe(w.people.ed.id);
    const audits = await w.store.db.selectFrom("audit_log").selectAll().where("event", "=", "ask_moderated").execute();
    expect(audits).toHaveLength(auditBefore.length + 1);
    const added = audits.find((a) => !auditBefore.some((b) => b.id === a.id))!;
    expect(added).toMatchObject({ actor_id: w.people.ed.id, space_id: club.id, target_user_id: w.people.mia.id });
    expect(JSON.parse(added.data)).toMatchObject({ askId: ask.id, title: ask.title });

    // Gone for its author and the members; the editor sees it in the trash.
    expect((await c.mia.get(askPath(club, ask.id))).status).toBe(404);
    expect((await c.tom.get(askPath(club, ask.id))).status).toBe(404);
    expect((await answer(c.gus, club, ask.id, textDoc("Encore ?"))).status).toBe(404);
    expect(listedIds(await c.mia.get(`/spaces/${club.slug}/asks?state=all`))).not.toContain(ask.id);
    expect(listedIds(await c.mia.get(`/spaces/${club.slug}/asks?state=trash`))).not.toContain(ask.id);
    expect(listedIds(await c.ed.get(`/spaces/${club.slug}/asks?state=trash`))).toContain(ask.id);
    const trashed = await c.ed.get(askPath(club, ask.id));
    expect(trashed.status).toBe(200);
    expect(pageText(trashed.text)).toContain("Cette demande est dans la corbeille du club");

    // Only a moderator brings it back: not even its author.
    expect((await c.mia.post(askPath(club, ask.id), { intent: "restore" })).status).toBe(403);
    expect((await askRow(ask.id)).deleted_at).not.toBeNull();
    expect((await c.ed.post(askPath(club, ask.id), { intent: "restore" })).status).toBe(302);
    expect(await askRow(ask.id)).toMatchObject({ deleted_at: null, deleted_by: null });
    expect((await c.mia.get(askPath(club, ask.id))).status).toBe(200);
    expect(pageText((await c.mia.get(askPath(club, ask.id))).text)).toContain("Hors sujet en effet");
  });

  test("an author who moves their own ask to the trash is not audited", async () => {
    const ask = await askOk(c.tom, club, { title: "Je retire ma demande" });
    const before = (await w.store.db.selectFrom("audit_log").select("id").where("event", "=", "ask_moderated").execute()).length;
    expect((await c.tom.post(askPath(club, ask.id), { intent: "delete" })).status).toBe(302);
    expect((await askRow(ask.id)).deleted_by).toBe(w.people.tom.id);
    expect((await w.store.db.selectFrom("audit_log").select("id").where("event", "=", "ask_moderated").execute()).length).toBe(before);
  });

  test("a moderator closes someone else's ask without thanks", async () => {
    const ask = await askOk(c.mia, club, { title: "Une demande à clore" });
    expect((await resolve(c.ed, club, ask.id)).status).toBe(302);
    expect((await askRow(ask.id)).resolved_at).not.toBeNull();
    expect(await thankedOn(ask.id)).toEqual([]);
  });
});

describe("editing", () => {
  test("the author edits on top of the version they started from; an old version is refused with 409 and nothing changes", async () => {
    const ask = await askOk(c.mia, club, { title: "Titre d’origine", skills: ["Logistique"], region: "bre" });
    expect((await c.mia.get(`${askPath(club, ask.id)}/edit`)).status).toBe(200);
    // Someone else than the author, even an editor, may not.
    expect((await c.ed.get(`${askPath(club, ask.id)}/edit`)).status).toBe(403);
    expect((await c.tom.post(`${askPath(club, ask.id)}/edit`, [...askFields({ title: "Par Tom" }), ["updatedAt", String(ask.updated_at)]])).status).toBe(403);

    const before = await askTables();
    const stale = await c.mia.post(`${askPath(club, ask.id)}/edit`, [...askFields({ title: "Titre d’un vieil onglet", skills: ["Autre"] }), ["updatedAt", String(ask.updated_at - 1000)]]);
    expect(stale.status).toBe(409);
    expect(pageText(stale.text)).toContain("Titre d’origine");
    expect(await askTables(), "a stale edit changes nothing").toEqual(before);

    const ok = await c.mia.post(`${askPath(club, ask.id)}/edit`, [...askFields({ title: "Titre revu", skills: ["Transport"], region: "idf" }), ["updatedAt", String(ask.updated_at)]]);
    expect(ok.status).toBe(302);
    const after = await askRow(ask.id);
    expect(after).toMatchObject({ title: "Titre revu", region: "idf" });
    expect((await asks.skillsOf(w.store.db, [ask.id])).get(ask.id)?.map((s) => s.label)).toEqual(["Transport"]);

    // The tab that still holds the first version is now stale too.
    const again = await askTables();
    expect((await c.mia.post(`${askPath(club, ask.id)}/edit`, [...askFields({ title: "Encore l’ancien" }), ["updatedAt", String(ask.updated_at)]])).status).toBe(409);
    expect(await askTables()).toEqual(again);
  });

  test("a secret club's ask cannot be edited into a network ask: 400, nothing changes", async () => {
    const ask = await askOk(c.ana, secret, { title: "Secret à garder" });
    const before = await askTables();
    const res = await c.ana.post(`${askPath(secret, ask.id)}/edit`, [...askFields({ title: "Secret à garder", audience: "network" }), ["updatedAt", String(ask.updated_at)]]);
    expect(res.status).toBe(400);
    expect(await askTables()).toEqual(before);
  });
});

describe("the lists", () => {
  const f = {} as Record<"f1" | "f2" | "f3" | "f4" | "f5" | "f6", Ask>;

  beforeAll(async () => {
    // Mia (club, secret), Ana (every club), Olga (autre only).
    f.f1 = await askOk(c.mia, club, { title: "F1 réseau expert compta idf", audience: "network", kind: "expert", skills: ["Comptabilité", "Fiscalité"], region: "idf" });
    f.f2 = await askOk(c.mia, club, { title: "F2 club expert compta idf", audience: "space", kind: "expert", skills: ["Comptabilité"], region: "idf" });
    f.f3 = await askOk(c.ana, ouvert, { title: "F3 ouvert question droit bre", audience: "space", kind: "question", skills: ["Droit social"], region: "bre" });
    f.f4 = await askOk(c.olga, autre, { title: "F4 autre opportunité compta idf", audience: "space", kind: "opportunity", skills: ["Comptabilité"], region: "idf" });
    f.f5 = await askOk(c.olga, autre, { title: "F5 autre réseau mise en relation", audience: "network", kind: "introduction" });
    f.f6 = await askOk(c.ana, secret, { title: "F6 secret expert compta idf", audience: "space", kind: "expert", skills: ["Comptabilité"], region: "idf" });
    expect((await resolve(c.olga, autre, f.f5.id)).status).toBe(302);
  });

  const ours = (ids: string[]) => ids.filter((id) => Object.values(f).some((a) => a.id === id));
  const named = (...keys: Array<keyof typeof f>) => keys.map((k) => f[k].id);
  const sameSet = (a: string[], b: string[]) => expect([...a].sort()).toEqual([...b].sort());

  /** Every ask a list showed Olga, checked against the database: one she may read, matching the filters. */
  async function checkShownToOlga(ids: string[], filter: { kind?: AskKind; region?: Region; skillKey?: string; spaceId?: string; state: "open" | "closed" | "all" }) {
    expect(new Set(ids).size, "no ask twice").toBe(ids.length);
    const now = Date.now();
    for (const id of ids) {
      const a = await askRow(id);
      const space = await w.store.db.selectFrom("space").selectAll().where("id", "=", a.space_id).executeTakeFirstOrThrow();
      const readable = space.id === autre.id || space.visibility === "open" || (a.audience === "network" && space.visibility !== "secret");
      expect(readable, `Olga was shown ${a.title}`).toBe(true);
      expect(a.deleted_at, a.title).toBeNull();
      if (filter.kind) expect(a.kind, a.title).toBe(filter.kind);
      if (filter.region) expect(a.region, a.title).toBe(filter.region);
      if (filter.spaceId) expect(a.space_id, a.title).toBe(filter.spaceId);
      if (filter.skillKey) {
        const keys = (await w.store.db.selectFrom("ask_skill").select("skill_key").where("ask_id", "=", id).execute()).map((r) => r.skill_key);
        expect(keys, a.title).toContain(filter.skillKey);
      }
      const closed = a.resolved_at !== null || (a.closes_at !== null && a.closes_at <= now);
      if (filter.state === "open") expect(closed, a.title).toBe(false);
      if (filter.state === "closed") expect(closed, a.title).toBe(true);
    }
  }

  test("/asks shows an outsider the network asks of other clubs, open clubs' asks and their own clubs', never another club's space-only asks", async () => {
    const open = listedIds(await c.olga.get("/asks"));
    await checkShownToOlga(open, { state: "open" });
    sameSet(ours(open), named("f1", "f3", "f4"));
    const all = listedIds(await c.olga.get("/asks?state=all"));
    await checkShownToOlga(all, { state: "all" });
    sameSet(ours(all), named("f1", "f3", "f4", "f5"));
    for (const hidden of named("f2", "f6")) expect(all).not.toContain(hidden);
    // A member of the club and of the secret one sees their asks too.
    const mias = ours(listedIds(await c.mia.get("/asks?state=all")));
    sameSet(mias, named("f1", "f2", "f3", "f5", "f6"));
    // The network admin sees everything.
    sameSet(ours(listedIds(await c.nadia.get("/asks?state=all"))), named("f1", "f2", "f3", "f4", "f5", "f6"));
  });

  test("the filters narrow the network's list: kind, skill, region, club, state, and together", async () => {
    const cases: Array<[string, Parameters<typeof checkShownToOlga>[1], Array<keyof typeof f>]> = [
      ["kind=expert", { kind: "expert", state: "open" }, ["f1"]],
      ["kind=opportunity", { kind: "opportunity", state: "open" }, ["f4"]],
      ["skill=comptabilite", { skillKey: "comptabilite", state: "open" }, ["f1", "f4"]],
      ["skill=Comptabilit%C3%A9", { skillKey: "comptabilite", state: "open" }, ["f1", "f4"]],
      ["skill=Droit%20social", { skillKey: "droit social", state: "open" }, ["f3"]],
      ["region=idf", { region: "idf", state: "open" }, ["f1", "f4"]],
      ["region=bre", { region: "bre", state: "open" }, ["f3"]],
      ["club=club", { spaceId: club.id, state: "open" }, ["f1"]],
      ["club=autre&state=all", { spaceId: autre.id, state: "all" }, ["f4", "f5"]],
      ["state=closed", { state: "closed" }, ["f5"]],
      ["kind=expert&region=bre", { kind: "expert", region: "bre", state: "open" }, []],
      ["kind=expert&region=idf&skill=fiscalite&club=club", { kind: "expert", region: "idf", skillKey: "fiscalite", spaceId: club.id, state: "open" }, ["f1"]],
    ];
    for (const [query, filter, expected] of cases) {
      const ids = listedIds(await c.olga.get(`/asks?${query}`));
      await checkShownToOlga(ids, filter);
      sameSet(ours(ids), named(...expected));
    }
    // A club she may not read, or that does not exist, finds nothing rather than everything.
    expect(listedIds(await c.olga.get(`/asks?club=${secret.slug}&state=all`))).toEqual([]);
    expect(listedIds(await c.olga.get("/asks?club=nulle-part&state=all"))).toEqual([]);
    // Mia filtering by the secret club sees its asks.
    expect(ours(listedIds(await c.mia.get(`/asks?club=${secret.slug}&state=all`)))).toEqual(named("f6"));
  });

  test("a club's own list filters the same way and holds only that club's asks", async () => {
    const ids = listedIds(await c.mia.get(`/spaces/${club.slug}/asks?kind=expert&state=all`));
    for (const id of ids) expect((await askRow(id)).space_id).toBe(club.id);
    sameSet(ours(ids), named("f1", "f2"));
    sameSet(ours(listedIds(await c.mia.get(`/spaces/${club.slug}/asks?skill=fiscalite`))), named("f1"));
  });

  test("paging with `after`: the next page, no ask twice, none lost, newest first (ties broken by id)", async () => {
    // 45 network asks of a club Olga is not in, made long ago, three to a millisecond.
    const base = Date.parse("2021-03-01T10:00:00Z");
    const made: Ask[] = [];
    for (let i = 0; i < 45; i++) {
      made.push(
        await asks.insertAsk(w.store.db, {
          spaceId: paging.id,
          authorId: w.people.ana.id,
          fields: { kind: "question", audience: "network", title: `Page ${i}`, body: { json: textDoc(`n° ${i}`), html: `<p>n° ${i}</p>`, text: `n° ${i}` }, skills: [], region: "", deadline: null, closesAt: null },
          now: base + Math.floor(i / 3) * 1000,
        }),
      );
    }
    const expected = [...made].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((a) => a.id);

    for (const [cl, start] of [
      [c.olga, `/asks?club=${paging.slug}`],
      [c.ana, `/spaces/${paging.slug}/asks`],
    ] as const) {
      const seen: string[] = [];
      const sizes: number[] = [];
      let path: string | null = start;
      for (let guard = 0; path && guard < 5; guard++) {
        const res = await cl.get(path);
        const ids = listedIds(res);
        sizes.push(ids.length);
        seen.push(...ids);
        path = moreLink(res);
        if (path) expect(path, start).toContain("after=");
      }
      expect(sizes, start).toEqual([20, 20, 5]);
      expect(new Set(seen).size, start).toBe(45);
      expect(seen, start).toEqual(expected);
    }
  });
});
