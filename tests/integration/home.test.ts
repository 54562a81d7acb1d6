import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as asks from "#db/queries/asks.ts";
import * as conversations from "#db/queries/conversations.ts";
import * as files from "#db/queries/files.ts";
import { createInvitation } from "#db/queries/invitations.ts";
import { createJoinRequest } from "#db/queries/join-requests.ts";
import * as members from "#db/queries/members.ts";
import * as pages from "#db/queries/pages.ts";
import { currentProfileInput, writeProfile } from "#db/queries/people.ts";
import * as posts from "#db/queries/posts.ts";
import * as workshops from "#db/queries/workshops.ts";
import type { Region } from "#db/profile-fields.ts";
import type { AskAudience, Page, PostState, Space, WorkshopState } from "#db/schema.ts";
import { slugify } from "#app/utils/validation.ts";
import { createUser, type TestUser } from "#tests/factories.ts";
import { pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { doc, paragraph, textDoc, type LexicalNode } from "#tests/helpers/lexical.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The member home at `/` ("Quoi de neuf", issue 18) over real HTTP, with real
 * session cookies and the real SQLite file, content made through the app's
 * own query modules at set moments:
 *
 * - a secret club's article, page, file, workshop, new member and asks reach
 *   its members' homes and never an outsider's, another club's member's, nor
 *   the (non-member) network admin's — not with `?club=` nor with a cursor;
 *   a listed club's network ask reaches an outsider with the skill, its
 *   club-only ask does not;
 * - my own last changes, things in the trash, drafts and unpublished
 *   articles are left out; asks only when open and wanting my skills or region;
 * - paging on (time, kind, id): 30 items with ties across and within kinds,
 *   20 then 10, nothing twice, nothing missing, in order;
 * - the club filter; "new since the last visit" and the up-to-date line (kept
 *   by a reload within 30 minutes); what waits (decisions for admins, contact
 *   requests, mentions until answered); my next workshops (gone once I leave
 *   the club); signed out, the sign-in page.
 */

type P = "sara" | "sam" | "bob" | "olga" | "nina" | "zelda" | "lea" | "max" | "theo" | "paul" | "pia" | "victor" | "vera";
type S = "cenacle" | "voisin" | "atelier" | "defile" | "veille";
let w: World<P, S>;
let cenacle: Space; // secret: sara admin, sam member (zelda joins later)
let voisin: Space; // listed: bob admin, sam & nina members
let atelier: Space; // listed: lea admin, max & theo members
let defile: Space; // listed: paul admin, pia member — paging
let veille: Space; // listed: victor admin, vera member — new since last visit

const c = {} as Record<P, Client>;
const MIN = 60_000;
const HOUR = 60 * MIN;
/** The moment the world was made: every item is placed relative to it. */
let T: number;

beforeAll(async () => {
  w = await world({
    domain: "home.test",
    people: {
      sara: { displayName: "Sara Gardienne", locale: "fr" },
      sam: { displayName: "Samuel Initié", locale: "fr" },
      bob: { displayName: "Bob Voisin", locale: "fr" },
      olga: { displayName: "Olga Dehors", locale: "fr" },
      nina: { displayName: "Nina Réseau", locale: "fr", isNetworkAdmin: true },
      zelda: { displayName: "Zelda Xylophone", locale: "fr" },
      lea: { displayName: "Léa Atelier", locale: "fr" },
      max: { displayName: "Max Membre", locale: "fr" },
      theo: { displayName: "Théo Partant", locale: "fr" },
      paul: { displayName: "Paul Auteur", locale: "fr" },
      pia: { displayName: "Pia Lectrice", locale: "fr" },
      victor: { displayName: "Victor Veilleur", locale: "fr" },
      vera: { displayName: "Véra Revient", locale: "fr" },
    },
    spaces: {
      cenacle: { createdBy: "sara", slug: "cenacle", name: "Cénacle Xylophone", visibility: "secret", members: { sam: "member" } },
      voisin: { createdBy: "bob", slug: "voisin", name: "Club Voisin", visibility: "listed", members: { sam: "member", nina: "member" } },
      atelier: { createdBy: "lea", slug: "atelier", name: "Club Atelier", visibility: "listed", members: { max: "member", theo: "member" } },
      defile: { createdBy: "paul", slug: "defile", name: "Club Défilement", visibility: "listed", members: { pia: "member" } },
      veille: { createdBy: "victor", slug: "veille", name: "Club Veille", visibility: "listed", members: { vera: "member" } },
    },
    signIn: ["sara", "sam", "bob", "olga", "nina", "lea", "max", "theo", "pia", "vera"],
  });
  ({ cenacle, voisin, atelier, defile, veille } = w.spaces);
  Object.assign(c, w.c);
  T = Date.now();
  // Skills and regions, through the profile's own writer.
  await profile("olga", ["Plomberie quantique"], "cor");
  await profile("nina", ["Plomberie quantique"], "cor");
  await profile("sam", ["Plomberie quantique"], "");
  await profile("lea", ["Comptabilité"], "bre");
  await profile("pia", ["Cartographie"], "");
});
afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Arranging content through the app's query modules, at given moments

async function profile(who: P, skills: string[], region: Region | "") {
  const input = await currentProfileInput(w.store.db, w.people[who].id);
  await writeProfile(w.store.db, w.people[who].id, { ...input, skills, region }, T);
}

const content = (t: string) => ({ json: textDoc(t), html: `<p>${t}</p>`, text: t });

async function page(space: Space, title: string, by: P, at: number): Promise<Page> {
  const slug = await pages.uniqueSlug(w.store.db, space.id, slugify(title));
  return pages.createPage(w.store.db, { spaceId: space.id, parentId: null, title, slug, content: content(title), summary: "", authorId: w.people[by].id, now: at });
}

async function editPage(p: Page, by: P, at: number) {
  const current = await w.store.db.selectFrom("page").selectAll().where("id", "=", p.id).executeTakeFirstOrThrow();
  const saved = await pages.savePage(w.store.db, { pageId: p.id, baseRevision: current.revision, title: current.title, slug: current.slug, content: content(`${current.title} (revu)`), summary: "", authorId: w.people[by].id, now: at });
  expect(saved.ok).toBe(true);
}

async function article(space: Space, title: string, by: P, at: number, state: PostState = "published") {
  const slug = await posts.uniquePostSlug(w.store.db, space.id, slugify(title));
  const post = await posts.createPost(w.store.db, { spaceId: space.id, slug, title, excerpt: "", excerptAuto: true, coverFileId: null, content: content(title), visibility: "space", authorId: w.people[by].id, summary: "", now: at });
  if (state !== "draft") await posts.setPostState(w.store.db, post.id, { state, publishAt: state === "scheduled" ? T + 48 * HOUR : null, userId: w.people[by].id, now: at });
  return post;
}

const object = (name: string) => ({ storageKey: `test/${name}-${Math.random().toString(36).slice(2)}`, size: 10, contentType: "application/pdf", sha256: "0".repeat(64), thumbnailKey: null });

async function file(space: Space, name: string, by: P, at: number) {
  const { file: f } = await files.createFile(w.store.db, { spaceId: space.id, folderId: null, name, userId: w.people[by].id, now: at, object: object(name), originalName: name });
  return f;
}

async function workshop(space: Space, title: string, by: P, at: number, options: { state?: WorkshopState; startsAt?: number } = {}) {
  const startsAt = options.startsAt ?? T + 72 * HOUR;
  return workshops.insertWorkshop(w.store.db, {
    spaceId: space.id,
    state: options.state ?? "scheduled",
    fields: {
      title,
      startsAt,
      endsAt: startsAt + 2 * HOUR,
      timeZone: "Europe/Paris",
      place: "Salle du fond",
      videoUrl: null,
      outsideSpeaker: null,
      capacity: null,
      registrationClosesAt: null,
      description: content(`Déroulé de ${title}`),
      coverFileId: null,
      visibility: "space",
    },
    facilitatorIds: [],
    actorId: w.people[by].id,
    proposedBy: options.state === "proposed" ? w.people[by].id : null,
    previousId: null,
    now: at,
  });
}

async function ask(space: Space, title: string, by: P, at: number, options: { audience?: AskAudience; skills?: string[]; region?: Region | ""; closesAt?: number | null } = {}) {
  return asks.insertAsk(w.store.db, {
    spaceId: space.id,
    authorId: w.people[by].id,
    fields: {
      kind: "question",
      audience: options.audience ?? "space",
      title,
      body: content(`Texte de ${title}`),
      skills: options.skills ?? [],
      region: options.region ?? "",
      deadline: options.closesAt ? "2020-01-01" : null,
      closesAt: options.closesAt ?? null,
    },
    now: at,
  });
}

const join = (space: Space, user: Pick<TestUser, "id">, at: number, sponsor: Pick<TestUser, "id"> | null = null) =>
  members.addMember(w.store.db, { spaceId: space.id, userId: user.id, role: "member", sponsorId: sponsor?.id ?? null, now: at });

// ---------------------------------------------------------------------------
// Reading the home's HTML

interface Shown {
  /** The item's title (for a new member, their name); "|" for the up-to-date line. */
  title: string;
  isNew: boolean;
  club: string;
  /** The item's whole visible text. */
  text: string;
}

/** The feed of one page, in order, the up-to-date line included as "|". */
function feedOf(res: HttpResponse): Shown[] {
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(200);
  const out: Shown[] = [];
  // Items, and the up-to-date line between the new ones and the others ("|").
  for (const m of res.text.matchAll(/<li class="(home-item(?: is-new)?)"[^>]*>([\s\S]*?)<\/li>|<p class="home-uptodate"[^>]*>([\s\S]*?)<\/p>/g)) {
    if (m[1] === undefined) {
      out.push({ title: "|", isNew: false, club: "", text: pageText(m[3]!) });
      continue;
    }
    const heading = /class="home-title"[^>]*>([\s\S]*?)<\/(?:h3|p)>/.exec(m[2]!)?.[1] ?? "";
    const title = pageText(/<a[^>]*>([\s\S]*?)<\/a>/.exec(heading)?.[1] ?? "");
    const club = pageText(/<span class="home-kind[^"]*">[^<]*<\/span><span>([^<]*)<\/span>/.exec(m[2]!)?.[1] ?? "");
    out.push({ title, isNew: m[1].endsWith("is-new"), club, text: pageText(m[2]!) });
  }
  return out;
}

const titlesOf = (res: HttpResponse) => feedOf(res).map((i) => i.title);

/** The "Plus ancien" link of a page, as a path, or null. */
function olderLink(res: HttpResponse): string | null {
  const a = /<a[^>]*rel="next"[^>]*>/.exec(res.text)?.[0];
  if (!a) return null;
  return /href="([^"]*)"/.exec(a)![1]!.replace(/&amp;/g, "&");
}

/** Every page of a home, following "Plus ancien"; each answer kept whole, with the path asked. */
async function allPages(cl: Client, path = "/"): Promise<Array<HttpResponse & { path: string }>> {
  const out: Array<HttpResponse & { path: string }> = [];
  for (let next: string | null = path; next !== null; ) {
    expect(out.length, "the home does not end").toBeLessThan(20);
    const res = await cl.get(next);
    expect(res.status, pageText(res.text).slice(0, 300)).toBe(200);
    out.push({ ...res, path: next });
    next = olderLink(res);
  }
  return out;
}

const allTitles = async (cl: Client, path = "/") => (await allPages(cl, path)).flatMap(titlesOf);

/** A section of the first page ("À traiter", "Mes prochains ateliers"), as HTML. */
function section(res: HttpResponse, name: "home-waiting" | "home-workshops"): string {
  const m = new RegExp(`<section class="card ${name}"[\\s\\S]*?</section>`).exec(res.text);
  return m ? m[0] : "";
}

// ---------------------------------------------------------------------------

describe("a secret club's news reaches its members and no one else", () => {
  /** Everything of the secret club says "Xylophone": its name, each title, the new member's name. */
  const SECRET_TITLES = ["Bilan Xylophone", "Page Xylophone", "plan-xylophone.pdf", "Atelier Xylophone", "Atelier Xylophone annulé", "Zelda Xylophone", "Entraide Xylophone", "Entraide Xylophone Réseau"];
  const cursorAbove = () => `${T + HOUR}.workshop.zzzzzzzzzzzzzzzzzzzzzzzz`;

  beforeAll(async () => {
    await article(cenacle, "Bilan Xylophone", "sara", T - 1 * HOUR);
    await page(cenacle, "Page Xylophone", "sara", T - 2 * HOUR);
    await file(cenacle, "plan-xylophone.pdf", "sara", T - 3 * HOUR);
    await workshop(cenacle, "Atelier Xylophone", "sara", T - 4 * HOUR);
    const cancelled = await workshop(cenacle, "Atelier Xylophone annulé", "sara", T - 4 * HOUR - MIN);
    await workshops.setState(w.store.db, cancelled, { state: "cancelled", cancelled_at: T - 4 * HOUR, cancel_reason: "Salle prise" }, w.people.sara.id, T - 4 * HOUR);
    await join(cenacle, w.people.zelda, T - 5 * HOUR, w.people.sara);
    // Asks wanting the outsider's skill and region: to the club only…
    await ask(cenacle, "Entraide Xylophone", "sara", T - 6 * HOUR, { skills: ["Plomberie quantique"], region: "cor" });
    // …and one to the network, posted while the club was listed (it is secret now).
    await ask(cenacle, "Entraide Xylophone Réseau", "sara", T - 7 * HOUR, { audience: "network", skills: ["Plomberie quantique"], region: "cor" });
    // The listed club next door: a network ask and a club-only ask, for the same skill.
    await ask(voisin, "Entraide Réseau Harpe", "bob", T - 8 * HOUR, { audience: "network", skills: ["Plomberie quantique"] });
    await ask(voisin, "Entraide Interne Harpe", "bob", T - 9 * HOUR, { skills: ["Plomberie quantique"] });
    await page(voisin, "Page Harpe Voisine", "bob", T - 10 * HOUR);
    // A listed club's ask to its members only, for the same skill: its members' business alone.
    await ask(atelier, "Entraide Atelier Plomberie", "max", T - 11 * HOUR, { skills: ["Plomberie quantique"], region: "cor" });
  });

  test("a member of the secret club sees all of it, each item named with its club", async () => {
    const items = (await allPages(c.sam)).flatMap(feedOf);
    for (const title of SECRET_TITLES) {
      const item = items.find((i) => i.title === title);
      expect(item, `${title} on the member's home`).toBeDefined();
      expect(item!.club).toBe("Cénacle Xylophone");
    }
    expect(items.find((i) => i.title === "Zelda Xylophone")!.text).toContain("Zelda Xylophone a rejoint Cénacle Xylophone");
    expect(items.find((i) => i.title === "Zelda Xylophone")!.text).toContain("Coopté·e par Sara Gardienne");
    expect(items.find((i) => i.title === "Atelier Xylophone annulé")!.text).toContain("Annulé");
  });

  /** Every page of the home, and the home asked for the secret club or from a cursor: not a word of it (nor of a listed club's club-only ask). */
  async function expectNothingSecret(cl: Client) {
    const answers = [
      ...(await allPages(cl)),
      ...(await allPages(cl, "/?club=cenacle")),
      ...(await allPages(cl, `/?before=${cursorAbove()}`)),
      ...(await allPages(cl, `/?club=cenacle&before=${cursorAbove()}`)),
      ...(await allPages(cl, `/?before=${T - 3 * HOUR}.page.zzzzzzzzzzzzzzzzzzzzzzzz`)),
    ];
    // The raw HTML, the loader's data embedded in it included; on failure, which page showed what.
    const secret = /xylophone|Entraide Atelier Plomberie/i;
    const leaks = answers
      .filter((res) => secret.test(res.text))
      .map((res) => ({ path: res.path, shown: titlesOf(res).filter((t) => secret.test(t)) }));
    expect(leaks).toEqual([]);
    return answers;
  }

  test("an outsider sees none of it; the listed club's network ask for their skill, yes; its club-only ask, no", async () => {
    await expectNothingSecret(c.olga);
    const items = (await allPages(c.olga)).flatMap(feedOf);
    const harpe = items.find((i) => i.title === "Entraide Réseau Harpe");
    expect(harpe, "the network ask on the outsider's home").toBeDefined();
    expect(harpe!.club).toBe("Club Voisin");
    expect(harpe!.text).toContain("pour vos compétences : Plomberie quantique");
    expect(items.map((i) => i.title)).not.toContain("Entraide Interne Harpe");
    expect(items.map((i) => i.title)).not.toContain("Page Harpe Voisine");
  });

  test("a member of another club sees none of it, but their own club's news", async () => {
    await expectNothingSecret(c.bob);
    // Bob wrote the voisin page himself; Samuel's arrival in his club is news to him.
    expect(await allTitles(c.bob)).toContain("Samuel Initié");
  });

  test("the network admin, a member of another club only, sees none of it — not even its asks for their skill and region, nor a listed club's club-only ask", async () => {
    const answers = await expectNothingSecret(c.nina);
    const titles = answers.flatMap(titlesOf);
    // Their own club's news is there…
    expect(titles).toContain("Page Harpe Voisine");
    expect(titles).toContain("Entraide Interne Harpe");
  });
});

// ---------------------------------------------------------------------------

describe("what is left out: my own last changes, the trash, drafts", () => {
  let trashedPage: Page;
  let trashedFile: { id: string };
  let trashedPost: { id: string };

  beforeAll(async () => {
    const mine = await page(atelier, "Page Commencée par Max", "max", T - 3 * HOUR);
    await editPage(mine, "lea", T - 2 * HOUR); // Léa changed it last
    const hers = await page(atelier, "Page Commencée par Léa", "lea", T - 3 * HOUR);
    await editPage(hers, "max", T - 2 * HOUR); // Max changed it last
    await page(atelier, "Page de Léa seule", "lea", T - 2 * HOUR);
    const maxFile = await file(atelier, "bilan-max.pdf", "max", T - 3 * HOUR);
    await files.addVersion(w.store.db, maxFile, { userId: w.people.lea.id, now: T - 2 * HOUR, object: object("bilan-max-v2"), originalName: "bilan-max.pdf" });
    await file(atelier, "releve-max.pdf", "max", T - 2 * HOUR);
    await file(atelier, "note-lea.pdf", "lea", T - 2 * HOUR);
    await article(atelier, "Article Publié par Max", "max", T - 2 * HOUR);
    await article(atelier, "Article Publié par Léa", "lea", T - 2 * HOUR);
    await article(atelier, "Article Brouillon Atelier", "max", T - 2 * HOUR, "draft");
    await article(atelier, "Article Programmé Atelier", "max", T - 2 * HOUR, "scheduled");
    const withdrawn = await article(atelier, "Article Retiré Atelier", "max", T - 2 * HOUR);
    await posts.setPostState(w.store.db, withdrawn.id, { state: "draft", userId: w.people.max.id, now: T - 90 * MIN });
    trashedPage = await page(atelier, "Page Corbeille Atelier", "max", T - 2 * HOUR);
    trashedFile = await file(atelier, "corbeille-atelier.pdf", "max", T - 2 * HOUR);
    trashedPost = await article(atelier, "Article Corbeille Atelier", "max", T - 2 * HOUR);
  });

  test("a page I changed last is not on my home; one someone else changed last is, said changed by them", async () => {
    const lea = (await allPages(c.lea)).flatMap(feedOf);
    const titles = lea.map((i) => i.title);
    expect(titles).not.toContain("Page Commencée par Max");
    expect(titles).not.toContain("Page de Léa seule");
    expect(lea.find((i) => i.title === "Page Commencée par Léa")?.text).toContain("Modifiée par Max Membre");
    // Files and articles alike.
    expect(titles).not.toContain("bilan-max.pdf"); // its last version is Léa's
    expect(titles).not.toContain("note-lea.pdf");
    expect(titles).not.toContain("Article Publié par Léa");
    expect(lea.find((i) => i.title === "releve-max.pdf")?.text).toContain("Déposé par Max Membre");
    expect(titles).toContain("Article Publié par Max");
    // And the other way round on Max's home.
    const max = (await allPages(c.max)).flatMap(feedOf);
    expect(max.find((i) => i.title === "Page Commencée par Max")?.text).toContain("Modifiée par Léa Atelier");
    expect(max.find((i) => i.title === "bilan-max.pdf")?.text).toContain("Version 2 déposée par Léa Atelier");
    expect(max.map((i) => i.title)).toEqual(expect.arrayContaining(["Page de Léa seule", "note-lea.pdf", "Article Publié par Léa"]));
    expect(max.map((i) => i.title)).not.toContain("Page Commencée par Léa");
  });

  test("drafts, scheduled and withdrawn articles are not news", async () => {
    const titles = await allTitles(c.lea);
    expect(titles).not.toContain("Article Brouillon Atelier");
    expect(titles).not.toContain("Article Programmé Atelier");
    expect(titles).not.toContain("Article Retiré Atelier");
  });

  test("a page, a file and an article put in the trash leave the home", async () => {
    const trashed = ["Page Corbeille Atelier", "corbeille-atelier.pdf", "Article Corbeille Atelier"];
    expect(await allTitles(c.lea)).toEqual(expect.arrayContaining(trashed));
    await pages.trashPage(w.store.db, trashedPage.id, w.people.lea.id, T);
    await files.trashFile(w.store.db, trashedFile.id, w.people.lea.id, T);
    await posts.trashPost(w.store.db, trashedPost.id, w.people.lea.id, T);
    const after = await allTitles(c.lea);
    for (const title of trashed) expect(after).not.toContain(title);
    expect(after).toContain("Article Publié par Max");
  });
});

// ---------------------------------------------------------------------------

describe("asks on the home: open ones, for my skills or my region", () => {
  beforeAll(async () => {
    await ask(atelier, "Demande Comptable", "max", T - 5 * HOUR, { skills: ["Comptabilité", "Droit"] });
    await ask(atelier, "Demande Sans Accent", "max", T - 5 * HOUR - MIN, { skills: ["comptabilite"] });
    await ask(atelier, "Demande Bretonne", "max", T - 5 * HOUR - 2 * MIN, { region: "bre" });
    await ask(atelier, "Demande Jardin", "max", T - 5 * HOUR - 3 * MIN, { skills: ["Jardinage"], region: "idf" });
    const resolved = await ask(atelier, "Demande Résolue", "max", T - 5 * HOUR - 4 * MIN, { skills: ["Comptabilité"] });
    await asks.setResolved(w.store.db, resolved.id, T - HOUR, T - HOUR);
    await ask(atelier, "Demande Échue", "max", T - 5 * HOUR - 5 * MIN, { skills: ["Comptabilité"], closesAt: T - HOUR });
    const trashed = await ask(atelier, "Demande Corbeille", "max", T - 5 * HOUR - 6 * MIN, { skills: ["Comptabilité"] });
    await asks.setDeleted(w.store.db, trashed.id, w.people.lea.id, T - HOUR);
    await ask(atelier, "Demande de Léa", "lea", T - 5 * HOUR - 7 * MIN, { skills: ["Comptabilité"], region: "bre" });
  });

  test("those that want my skill or my region show, saying why; the others do not", async () => {
    const items = (await allPages(c.lea)).flatMap(feedOf);
    const find = (t: string) => items.find((i) => i.title === t);
    expect(find("Demande Comptable")?.text).toContain("pour vos compétences : Comptabilité");
    expect(find("Demande Comptable")?.text).not.toContain("Droit");
    expect(find("Demande Sans Accent")?.text).toContain("pour vos compétences : comptabilite");
    expect(find("Demande Bretonne")?.text).toContain("dans votre région");
    expect(find("Demande Bretonne")?.text).not.toContain("pour vos compétences");
    const titles = items.map((i) => i.title);
    for (const absent of ["Demande Jardin", "Demande Résolue", "Demande Échue", "Demande Corbeille", "Demande de Léa"]) expect(titles, absent).not.toContain(absent);
  });

  test("a member without the skill or the region sees none of them", async () => {
    const titles = await allTitles(c.max);
    expect(titles.filter((t) => t.startsWith("Demande"))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

describe("paging on (time, kind, id)", () => {
  type Kind = "ask" | "file" | "member" | "page" | "post" | "workshop";
  const expected: Array<{ at: number; kind: Kind; id: string; title: string }> = [];

  beforeAll(async () => {
    // Groups of items at one moment each, mixing kinds and repeating some; the
    // fourth group straddles the end of the first page (items 19 to 24).
    const groups: Kind[][] = [
      ["page", "page", "file", "post", "ask", "member"],
      ["workshop", "workshop", "file", "file", "page", "ask"],
      ["post", "post", "member", "member", "page", "file"],
      ["page", "file", "post", "workshop", "ask", "ask"],
      ["page", "file", "workshop", "post"],
      ["page"],
      ["file"],
    ];
    let n = 0;
    for (const [g, kinds] of groups.entries()) {
      const at = T - 20 * HOUR - g * MIN;
      for (const kind of kinds) {
        const title = `Pagina ${String(++n).padStart(2, "0")}`;
        let id: string;
        switch (kind) {
          case "page":
            id = (await page(defile, title, "paul", at)).id;
            break;
          case "file":
            id = (await file(defile, `${title}.pdf`, "paul", at)).id;
            break;
          case "post":
            id = (await article(defile, title, "paul", at)).id;
            break;
          case "workshop":
            id = await workshop(defile, title, "paul", at);
            break;
          case "ask":
            id = (await ask(defile, title, "paul", at, { skills: ["Cartographie"] })).id;
            break;
          case "member": {
            const user = await createUser(w.store.db, { email: `pagina-${n}@home.test`, displayName: title });
            await join(defile, user, at, w.people.paul);
            id = `${user.id}:${defile.id}`;
            break;
          }
        }
        expected.push({ at, kind, id, title: kind === "file" ? `${title}.pdf` : title });
      }
    }
    // The feed's order: newest first, then kind, then id, each descending.
    expected.sort((a, b) => b.at - a.at || (a.kind < b.kind ? 1 : a.kind > b.kind ? -1 : 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  });

  test("30 items: 20 on the first page, the 10 others after its cursor, in order, nothing twice and nothing missing", async () => {
    expect(expected).toHaveLength(30);
    const first = await c.pia.get("/");
    expect(titlesOf(first)).toEqual(expected.slice(0, 20).map((e) => e.title));
    expect(pageText(first.text)).toContain("Plus ancien");
    expect(pageText(first.text)).not.toContain("Revenir au plus récent");
    const next = olderLink(first);
    const last = expected[19]!;
    expect(next).toBe(`/?before=${encodeURIComponent(`${last.at}.${last.kind}.${last.id}`)}`);

    const second = await c.pia.get(next!);
    expect(titlesOf(second)).toEqual(expected.slice(20).map((e) => e.title));
    expect(olderLink(second)).toBeNull();
    expect(pageText(second.text)).toContain("Vous avez tout vu.");
    expect(pageText(second.text)).toContain("Revenir au plus récent");

    const seen = [...titlesOf(first), ...titlesOf(second)];
    expect(new Set(seen).size, "nothing twice").toBe(seen.length);
    expect([...seen].sort()).toEqual(expected.map((e) => e.title).sort());
  });

  test("a cursor on any item, whatever its kind, goes on with exactly the items after it", async () => {
    for (const at of [0, 3, 5, 9, 17, 22, 26]) {
      const e = expected[at]!;
      const res = await c.pia.get(`/?before=${encodeURIComponent(`${e.at}.${e.kind}.${e.id}`)}`);
      expect(titlesOf(res), `after ${e.title} (${e.kind})`).toEqual(expected.slice(at + 1, at + 21).map((x) => x.title));
    }
  });

  test("a malformed cursor is the first page, not an error", async () => {
    const first = titlesOf(await c.pia.get("/"));
    for (const bad of ["abc", "1.nothing.x", "12.page.", "-5.page.abc"]) {
      expect(titlesOf(await c.pia.get(`/?before=${encodeURIComponent(bad)}`)), bad).toEqual(first);
    }
  });
});

// ---------------------------------------------------------------------------

describe("the club filter", () => {
  test("?club=<slug> shows that club's news only", async () => {
    const home = await c.sam.get("/");
    // Two clubs: the filter is offered, with both.
    expect(home.text).toMatch(/<select[^>]*name="club"/);
    expect(pageText(home.text)).toContain("Tous mes clubs");

    const secret = (await allPages(c.sam, "/?club=cenacle")).flatMap(feedOf).filter((i) => i.title !== "|");
    expect(secret.length).toBeGreaterThan(0);
    expect(new Set(secret.map((i) => i.club))).toEqual(new Set(["Cénacle Xylophone"]));
    expect(secret.map((i) => i.title)).toEqual(expect.arrayContaining(["Bilan Xylophone", "Entraide Xylophone"]));

    const next = (await allPages(c.sam, "/?club=voisin")).flatMap(feedOf).filter((i) => i.title !== "|");
    expect(new Set(next.map((i) => i.club))).toEqual(new Set(["Club Voisin"]));
    expect(next.map((i) => i.title)).toEqual(expect.arrayContaining(["Page Harpe Voisine", "Entraide Réseau Harpe", "Entraide Interne Harpe"]));
    expect(next.map((i) => i.title).join(" ")).not.toContain("Xylophone");
  });

  test("a club the viewer is not in shows nothing of that club", async () => {
    const items = (await allPages(c.lea, "/?club=voisin")).flatMap(feedOf);
    expect(items.filter((i) => i.club === "Club Voisin")).toEqual([]);
    expect(items.map((i) => i.title)).not.toContain("Page Harpe Voisine");
    const outsider = (await allPages(c.olga, "/?club=atelier")).flatMap(feedOf);
    expect(outsider.filter((i) => i.club === "Club Atelier")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

describe("new since the last visit", () => {
  const visitOf = () => w.store.db.selectFrom("user").select(["home_visit_at", "home_seen_at"]).where("id", "=", w.people.vera.id).executeTakeFirstOrThrow();
  const setVisit = (visitAt: number | null, seenAt: number | null) =>
    w.store.db.updateTable("user").set({ home_visit_at: visitAt, home_seen_at: seenAt }).where("id", "=", w.people.vera.id).execute();
  const shape = (res: HttpResponse) => feedOf(res).map((i) => (i.title === "|" ? "|" : `${i.title}${i.isNew ? " *" : ""}`));

  beforeAll(async () => {
    await page(veille, "Veille Ancienne A", "victor", T - 5 * HOUR);
    await file(veille, "veille-ancienne-b.pdf", "victor", T - 4 * HOUR);
    await article(veille, "Veille Nouvelle C", "victor", T - 90 * MIN);
    await workshop(veille, "Veille Nouvelle D", "victor", T - 80 * MIN);
  });

  test("a first visit marks nothing new and draws no line", async () => {
    expect(await visitOf()).toEqual({ home_visit_at: null, home_seen_at: null });
    const res = await c.vera.get("/");
    expect(shape(res)).toEqual(["Veille Nouvelle D", "Veille Nouvelle C", "veille-ancienne-b.pdf", "Veille Ancienne A"]);
    expect(pageText(res.text)).not.toContain("Vous êtes à jour");
    expect((await visitOf()).home_visit_at).not.toBeNull();
  });

  test("after a visit two hours ago: what came since is new, then the up-to-date line; a reload keeps it", async () => {
    await setVisit(T - 2 * HOUR, T - 6 * HOUR);
    const res = await c.vera.get("/");
    expect(shape(res)).toEqual(["Veille Nouvelle D *", "Veille Nouvelle C *", "|", "veille-ancienne-b.pdf", "Veille Ancienne A"]);
    const items = feedOf(res);
    expect(items[0]!.text).toContain("Nouveau");
    expect(items[3]!.text).not.toContain("Nouveau");
    expect(items[2]!.text).toContain("Vous êtes à jour : la suite date d’avant votre dernière visite");
    expect(await visitOf()).toMatchObject({ home_seen_at: T - 2 * HOUR });

    // A reload within 30 minutes is the same visit: the same line.
    const again = await c.vera.get("/");
    expect(shape(again)).toEqual(shape(res));
    expect(feedOf(again)[2]!.text).toBe(items[2]!.text);
    expect(await visitOf()).toMatchObject({ home_seen_at: T - 2 * HOUR });
  });

  test("with nothing new since the last visit, the line on top says so", async () => {
    await setVisit(Date.now() - 40 * MIN, T - 2 * HOUR);
    const res = await c.vera.get("/");
    expect(shape(res)).toEqual(["|", "Veille Nouvelle D", "Veille Nouvelle C", "veille-ancienne-b.pdf", "Veille Ancienne A"]);
    expect(pageText(res.text)).toContain("Vous êtes à jour : rien de nouveau depuis votre dernière visite");
  });
});

// ---------------------------------------------------------------------------

describe("what waits for me", () => {
  const mention = (u: TestUser): LexicalNode => ({ type: "mention", userId: u.id, text: `@${u.display_name}`, format: 0, style: "", mode: "token", detail: 0, version: 1 });

  async function commentOk(cl: Client, target: Page, body: string, parentId?: string): Promise<string> {
    const fields: Record<string, string> = { intent: "create", targetType: "page", targetId: target.id, body };
    if (parentId) fields.parentId = parentId;
    const res = await cl.post(`/spaces/${atelier.slug}/comments`, fields);
    expect(res.status, pageText(res.text).slice(0, 300)).toBe(303);
    return /#comment-([a-z0-9]+)$/.exec(res.location ?? "")![1]!;
  }

  test("a club admin sees co-optations, requests to join and workshop proposals to decide, with a link; a plain member does not", async () => {
    const before = section(await c.lea.get("/"), "home-waiting");
    expect(before).not.toContain("/spaces/atelier/approvals");
    await createInvitation(w.store.db, { spaceId: atelier.id, email: "ami@home.test", role: "member", message: "", sponsorId: w.people.max.id, needsApproval: true, now: T });
    await createJoinRequest(w.store.db, { spaceId: atelier.id, userId: w.people.olga.id, message: "Bonjour", now: T });
    await workshop(atelier, "Atelier Proposé par Max", "max", T, { state: "proposed" });
    await workshop(atelier, "Atelier Proposé aussi", "theo", T, { state: "proposed" });

    const lea = await c.lea.get("/");
    const waiting = section(lea, "home-waiting");
    expect(waiting).toContain('href="/spaces/atelier/approvals"');
    expect(pageText(waiting)).toContain("1 cooptation, 1 demande d’adhésion et 2 ateliers proposés à examiner");
    // A proposal is not news until it is scheduled.
    expect(titlesOf(lea)).not.toContain("Atelier Proposé par Max");

    const max = await c.max.get("/");
    expect(section(max, "home-waiting")).not.toContain("/approvals");
    expect(pageText(section(max, "home-waiting"))).not.toContain("à examiner");
  });

  test("a pending contact request to me shows, to me only", async () => {
    const conversationId = await conversations.insertConversation(w.store.db, { createdBy: w.people.olga.id, memberIds: [w.people.lea.id], now: T });
    await conversations.insertRequest(w.store.db, { fromId: w.people.olga.id, toId: w.people.lea.id, conversationId, now: T });
    const waiting = section(await c.lea.get("/"), "home-waiting");
    expect(pageText(waiting)).toContain("Olga Dehors souhaite vous écrire");
    expect(waiting).toContain(`href="/messages/${conversationId}"`);
    expect(pageText(section(await c.max.get("/"), "home-waiting"))).not.toContain("souhaite vous écrire");
  });

  test("a mention of me waits until I answer in its thread; one in another thread still waits", async () => {
    const first = await page(atelier, "Page Discussion Un", "lea", T - HOUR);
    const second = await page(atelier, "Page Discussion Deux", "lea", T - HOUR);
    const asked = await commentOk(c.max, first, doc(paragraph("Qu’en penses-tu ", mention(w.people.lea), " ?")));
    await commentOk(c.max, second, doc(paragraph("Et ici, ", mention(w.people.lea), " ?")));

    let waiting = pageText(section(await c.lea.get("/"), "home-waiting"));
    expect(waiting).toContain("Max Membre vous a mentionné dans « Page Discussion Un »");
    expect(waiting).toContain("Max Membre vous a mentionné dans « Page Discussion Deux »");
    expect(waiting).toContain("Qu’en penses-tu @Léa Atelier ?");
    // Not to anyone else.
    expect(pageText(section(await c.theo.get("/"), "home-waiting"))).not.toContain("vous a mentionné");

    await commentOk(c.lea, first, doc(paragraph("J’en pense du bien.")), asked);
    waiting = pageText(section(await c.lea.get("/"), "home-waiting"));
    expect(waiting).not.toContain("Page Discussion Un");
    expect(waiting).toContain("Max Membre vous a mentionné dans « Page Discussion Deux »");
  });
});

// ---------------------------------------------------------------------------

describe("my next workshops", () => {
  test("one I registered for shows in « Mes prochains ateliers »; once I leave its club, it no longer does", async () => {
    const id = await workshop(atelier, "Atelier Budget Prévisionnel", "lea", T - HOUR, { startsAt: T + 5 * 24 * HOUR });
    expect(section(await c.theo.get("/"), "home-workshops")).not.toContain("Atelier Budget Prévisionnel");

    const registered = await c.theo.post(`/spaces/atelier/workshops/${id}/registration`, { status: "going", note: "" });
    expect(registered.status).toBe(302);
    const mine = section(await c.theo.get("/"), "home-workshops");
    expect(pageText(mine)).toContain("Mes prochains ateliers");
    expect(mine).toContain(`href="/spaces/atelier/workshops/${id}"`);
    expect(pageText(mine)).toContain("Atelier Budget Prévisionnel J’y vais");
    expect(pageText(mine)).toContain("Club Atelier · Salle du fond");

    const left = await c.theo.post("/spaces/atelier/members", { intent: "leave" });
    expect(left.status).toBe(302);
    expect(left.location).toBe("/spaces");
    const after = await c.theo.get("/");
    expect(section(after, "home-workshops")).not.toContain("Atelier Budget Prévisionnel");
    expect(pageText(section(after, "home-workshops"))).toContain("Vous n’êtes inscrit à aucun atelier à venir.");
    expect(after.text).not.toContain("Atelier Budget Prévisionnel");
  });
});

// ---------------------------------------------------------------------------

describe("signed out", () => {
  test("GET / sends to the sign-in page, which comes back here", async () => {
    const res = await w.anonymous.get("/");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2F");
  });
});
