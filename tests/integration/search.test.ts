import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { newId } from "#db/ids.ts";
import { pendingChanges } from "#db/search/indexer.ts";
import { reindex, workThroughBacklog } from "#app/search/indexing.server.ts";
import { pageText } from "#tests/helpers/http.ts";
import { textDoc } from "#tests/helpers/lexical.ts";
import { describeResults, indexedTerms, makers, search, searchView, suggestions } from "#tests/helpers/search.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The search over real HTTP, with real session cookies, the built server and
 * its SQLite file: French as members type it (accents, stems, elisions,
 * phrases, exclusions, a word being typed), ranking and paging, the
 * filters (a club one may not read is ignored, never a way in), what
 * changes at the next search when a member leaves, a page goes to the
 * trash and back, a club is made secret or archived, a message is deleted;
 * hostile input answered calmly; marked snippets and escaped titles; and
 * the index kept by the writers' transactions equal to one rebuilt from
 * scratch, a change made outside them found once the backlog is worked
 * through. Content is made through the app's own forms.
 */

type P = "ana" | "bea" | "chloe" | "gus" | "dan" | "eve" | "fred" | "nadia";
type S = "achats" | "comite" | "autre" | "lyon";
let w: World<P, S>;
let make: ReturnType<typeof makers>;

beforeAll(async () => {
  w = await world({
    domain: "search.test",
    people: {
      ana: { displayName: "Ana Martin" },
      bea: { displayName: "Béatrice Roux" },
      chloe: { displayName: "Chloé Lefèvre" },
      gus: { displayName: "Gustave Invité" },
      dan: { displayName: "Daniel Voisin" },
      eve: { displayName: "Ève Passagère" },
      fred: { displayName: "Frédéric Lyonnais" },
      nadia: { displayName: "Nadia Réseau", isNetworkAdmin: true },
    },
    spaces: {
      achats: { createdBy: "ana", slug: "club-achats", name: "Club Achats", visibility: "listed", members: { bea: "member", chloe: "editor", gus: "guest", eve: "member" } },
      comite: { createdBy: "ana", slug: "comite", name: "Comité de pilotage", visibility: "secret", members: { chloe: "member" } },
      autre: { createdBy: "dan", slug: "autre-club", name: "Autre Club", visibility: "listed" },
      lyon: { createdBy: "ana", slug: "club-lyon", name: "Club Lyon", visibility: "listed", members: { fred: "member" } },
    },
  });
  make = makers(w.store.db);
}, 60_000);
afterAll(() => w?.close());

const keysOf = (view: { results: Array<{ key: string }> }) => view.results.map((r) => r.key);
const textOf = (pieces: Array<{ text: string }>) => pieces.map((p) => p.text).join("");

// ---------------------------------------------------------------------------

describe("French as members type it", () => {
  const ids = {} as Record<"summer" | "negotiate" | "workshop" | "floorPrice" | "priceFloor", string>;

  beforeAll(async () => {
    const { achats } = w.spaces;
    ids.summer = await make.wikiPage(w.c.chloe, achats, "L’Été des consultants", "Retour sur les rencontres de juillet avec les cabinets de conseil.");
    ids.negotiate = await make.wikiPage(w.c.chloe, achats, "Négocier avec les fournisseurs", "Comment obtenir de meilleures remises sur les volumes.");
    ids.workshop = await make.wikiPage(w.c.chloe, achats, "Compte rendu de printemps", "Nous avons tenu un Atelier sur les contrats-cadres en avril.");
    ids.floorPrice = await make.wikiPage(w.c.chloe, achats, "Barème du carton", "Le prix plancher est fixé à dix euros la palette.");
    ids.priceFloor = await make.wikiPage(w.c.chloe, achats, "Barème du bois", "Le plancher du chêne reste bas, le prix suit le marché.");
  });

  test("accents: “ete” finds “Été”, typed or followed by a space", async () => {
    for (const q of ["ete", "ete ", "ÉTÉ", "Ete consultants"]) expect(keysOf(await search(w.c.bea, q)), q).toEqual([`page:${ids.summer}`]);
  });

  test("stems: “negociations” finds “Négocier”, and “négocier” finds it too", async () => {
    for (const q of ["negociations", "negociations ", "négocier", "NÉGOCIATION"]) expect(keysOf(await search(w.c.bea, q)), q).toEqual([`page:${ids.negotiate}`]);
  });

  test("elisions: “l'atelier” and “l’atelier” find “Atelier”", async () => {
    for (const q of ["l'atelier", "l’atelier", "d'atelier ", "atelier"]) expect(keysOf(await search(w.c.bea, q)), q).toEqual([`page:${ids.workshop}`]);
  });

  test("a quoted phrase wants its words in a row; unquoted, anywhere", async () => {
    expect(keysOf(await search(w.c.bea, '"prix plancher"'))).toEqual([`page:${ids.floorPrice}`]);
    expect(keysOf(await search(w.c.bea, "prix plancher")).sort()).toEqual([`page:${ids.floorPrice}`, `page:${ids.priceFloor}`].sort());
    expect(keysOf(await search(w.c.bea, '"plancher du chêne"'))).toEqual([`page:${ids.priceFloor}`]);
  });

  test("-word and -\"phrase\" leave out what holds them", async () => {
    expect(keysOf(await search(w.c.bea, "plancher -chêne"))).toEqual([`page:${ids.floorPrice}`]);
    expect(keysOf(await search(w.c.bea, 'plancher -"prix plancher"'))).toEqual([`page:${ids.priceFloor}`]);
    expect(keysOf(await search(w.c.bea, "plancher -palette -marché"))).toEqual([]);
  });

  test("a word being typed: “nego” suggests “Négocier avec les fournisseurs”; the search box's page finds it as well", async () => {
    const found = await suggestions(w.c.bea, "nego");
    expect(found.filter((s) => s.kind === "page").map((s) => s.label)).toEqual(["Négocier avec les fournisseurs"]);
    expect(found.find((s) => s.kind === "page")).toMatchObject({ detail: "Club Achats", url: expect.stringMatching(/^\/spaces\/club-achats\/wiki\//) });
    expect(keysOf(await search(w.c.bea, "nego"))).toEqual([`page:${ids.negotiate}`]);
    // A finished word is not a prefix: "nego " is a word of its own, found nowhere.
    expect(keysOf(await search(w.c.bea, "nego "))).toEqual([]);
    // Suggestions are titles: a word only in a text suggests nothing.
    expect((await suggestions(w.c.bea, "remises")).filter((s) => s.kind !== "person")).toEqual([]);
  });
});

describe("ranking and paging", () => {
  test("a title that holds the word comes before a text that mentions it, even an older title", async () => {
    const inTitle = await make.wikiPage(w.c.chloe, w.spaces.achats, "Tarification des transports", "Document de référence pour le club.");
    const inText = await make.wikiPage(w.c.chloe, w.spaces.achats, "Note interne", "Quelques remarques sur la tarification des transports et le reste.");
    const view = await search(w.c.bea, "tarification");
    expect(keysOf(view)).toEqual([`page:${inTitle}`, `page:${inText}`]);
    // Marked where found: the title of the first, the text of the second.
    expect(view.results[0].title.filter((p) => p.mark).map((p) => p.text)).toEqual(["Tarification"]);
    expect(view.results[1].snippet.filter((p) => p.mark).map((p) => p.text)).toEqual(["tarification"]);
  });

  test("more than a page of results: page 2 holds the rest, nothing twice, nothing lost, a page past the end is empty", async () => {
    const made: string[] = [];
    for (let i = 1; i <= 27; i++) made.push(`page:${await make.wikiPage(w.c.chloe, w.spaces.achats, `Inventaire de l’entrepôt n° ${i}`, `Comptage trimestriel des palettes, allée ${i}.`)}`);
    const first = await search(w.c.bea, "inventaire");
    const second = await search(w.c.bea, "inventaire", { page: "2" });
    expect([first.total, first.pageCount, first.results.length]).toEqual([27, 2, 20]);
    expect([second.total, second.pageCount, second.results.length]).toEqual([27, 2, 7]);
    const all = [...keysOf(first), ...keysOf(second)];
    expect(new Set(all).size).toBe(27);
    expect(all.sort()).toEqual([...made].sort());
    const past = await search(w.c.bea, "inventaire", { page: "3" });
    expect([past.results.length, past.total]).toEqual([0, 27]);
    // The page's own links: "next" on the first, "previous" on the second.
    const html = (await w.c.bea.get("/search?q=inventaire")).text;
    expect(html).toMatch(/href="\/search\?q=inventaire&amp;page=2"[^>]*rel="next"|rel="next"[^>]*href="\/search\?q=inventaire&amp;page=2"/);
  });

  test("past the 200 results one read lists: counted apart, every page in order, titles first, nothing twice", async () => {
    const titled: string[] = [];
    const inText: string[] = [];
    // Made ten at a time; one in twelve holds the word in its title, the others in their text.
    for (let batch = 0; batch < 23; batch++)
      await Promise.all(
        Array.from({ length: 10 }, async (_, j) => {
          const i = batch * 10 + j;
          if (i % 12 === 0) titled.push(`page:${await make.wikiPage(w.c.chloe, w.spaces.achats, `Référentiel fournisseurs ${i}`, `Fiche ${i}.`)}`);
          else inText.push(`page:${await make.wikiPage(w.c.chloe, w.spaces.achats, `Fiche d’évaluation ${i}`, `Selon le référentiel, note ${i}.`)}`);
        }),
      );
    expect([titled.length, inText.length]).toEqual([20, 210]);
    const expectOrder = async (q: string) => {
      const pages = [];
      for (let page = 1; page <= 12; page++) pages.push(await search(w.c.bea, q, { page: String(page) }));
      expect(pages.map((p) => [p.total, p.pageCount])).toEqual(Array.from({ length: 12 }, () => [230, 12]));
      expect(pages.map((p) => p.results.length)).toEqual([...Array.from({ length: 11 }, () => 20), 10]);
      const results = pages.flatMap((p) => p.results);
      expect(new Set(results.map((r) => r.key)).size).toBe(230);
      // The twenty title matches first, then the others; newest first in each.
      expect(results.slice(0, 20).map((r) => r.key).sort()).toEqual([...titled].sort());
      expect(results.slice(20).map((r) => r.key).sort()).toEqual([...inText].sort());
      for (const tier of [results.slice(0, 20), results.slice(20)]) expect(tier.map((r) => r.at)).toEqual(tier.map((r) => r.at).sort((a, b) => b - a));
    };
    await expectOrder("référentiel");
    // An exclusion that leaves everything in takes the other way to the title matches: the same answer.
    await expectOrder("référentiel -zygomatique");
  }, 60_000);
});

describe("filters", () => {
  const made = {} as Record<"page" | "post" | "ask" | "workshop" | "comment" | "secretPage" | "otherPage", string>;

  beforeAll(async () => {
    const { achats, comite, autre } = w.spaces;
    made.page = await make.wikiPage(w.c.chloe, achats, "Plan de logistique du club", "Qui reçoit les livraisons, et où.");
    made.post = await make.post(w.c.ana, achats, { title: "Notre nouvelle logistique", text: "Un transporteur unique pour tout le club.", to: "publish" });
    made.ask = await make.ask(w.c.bea, achats, { title: "Un conseil en logistique ?", text: "Je cherche un entrepôt partagé près de Lyon." });
    made.workshop = await make.workshop(w.c.ana, achats, { title: "Atelier logistique du dernier kilomètre", text: "Livrer en ville sans camion." });
    made.comment = await make.comment(w.c.gus, achats, { kind: "page", id: made.page }, "La logistique du samedi manque de bras.");
    made.secretPage = await make.wikiPage(w.c.ana, comite, "Logistique confidentielle du comité", "Les marges du transporteur.");
    made.otherPage = await make.wikiPage(w.c.dan, autre, "Logistique de l’autre club", "Nos propres livraisons.");
  });

  const achatsKeys = () => [`page:${made.page}`, `post:${made.post}`, `ask:${made.ask}`, `workshop:${made.workshop}`, `comment:${made.comment}`].sort();

  test("by type: each kind alone; people apart", async () => {
    expect(keysOf(await search(w.c.bea, "logistique")).sort()).toEqual(achatsKeys());
    for (const kind of ["page", "post", "ask", "workshop", "comment"] as const) {
      const view = await search(w.c.bea, "logistique", { type: kind });
      expect(keysOf(view), kind).toEqual([`${kind}:${made[kind]}`]);
      expect(view.total, kind).toBe(1);
    }
    for (const kind of ["file", "message"]) expect((await search(w.c.bea, "logistique", { type: kind })).total, kind).toBe(0);
    const people = await search(w.c.bea, "Lefèvre", { type: "person" });
    expect(people.results).toEqual([]);
    expect(people.people.map((p) => p.name)).toContain("Chloé Lefèvre");
    // An unknown type is no type: everything.
    expect(keysOf(await search(w.c.bea, "logistique", { type: "secret" })).sort()).toEqual(achatsKeys());
  });

  test("by club: the club's alone; a club the reader may not read is ignored, never a way in", async () => {
    expect(keysOf(await search(w.c.bea, "logistique", { club: "club-achats" })).sort()).toEqual(achatsKeys());
    for (const club of ["comite", "autre-club", "no-such-club", "../comite"]) {
      const view = await search(w.c.bea, "logistique", { club });
      expect(keysOf(view).sort(), club).toEqual(achatsKeys());
      expect(view.clubs.map((c) => c.slug), club).not.toContain("comite");
      expect(JSON.stringify(view), club).not.toContain("confidentielle");
    }
    // Chloé sits on the committee: hers to narrow to.
    expect(keysOf(await search(w.c.chloe, "logistique", { club: "comite" }))).toEqual([`page:${made.secretPage}`]);
    expect(keysOf(await search(w.c.chloe, "logistique")).sort()).toEqual([...achatsKeys(), `page:${made.secretPage}`].sort());
    // Daniel reads his own club only.
    expect(keysOf(await search(w.c.dan, "logistique", { club: "club-achats" }))).toEqual([`page:${made.otherPage}`]);
  });

  test("by author: what they wrote (a workshop is its organiser's), an unknown id finds nothing", async () => {
    expect(keysOf(await search(w.c.bea, "logistique", { author: w.people.ana.id })).sort()).toEqual([`post:${made.post}`, `workshop:${made.workshop}`].sort());
    expect(keysOf(await search(w.c.bea, "logistique", { author: w.people.gus.id }))).toEqual([`comment:${made.comment}`]);
    const view = await search(w.c.bea, "logistique", { author: w.people.gus.id });
    expect(view.author).toEqual({ id: w.people.gus.id, name: "Gustave Invité" });
    expect((await search(w.c.bea, "logistique", { author: "nobody-at-all" })).total).toBe(0);
    // Someone else's secret page stays out, whoever is named.
    expect((await search(w.c.bea, "logistique", { author: w.people.ana.id, club: "comite" })).results.map((r) => r.key)).not.toContain(`page:${made.secretPage}`);
  });

  test("by date: an article published two months ago is out of the month, in the year", async () => {
    const old = await make.post(w.c.ana, w.spaces.achats, { title: "Ancienne logistique", text: "Avant le transporteur unique.", to: "publish" });
    await w.store.db
      .updateTable("post")
      .set({ published_at: Date.now() - 60 * 86_400_000 })
      .where("id", "=", old)
      .execute();
    // Written outside the app's transactions: indexed by the backlog.
    await workThroughBacklog(w.store.db);
    const everything = keysOf(await search(w.c.bea, "logistique"));
    expect(everything).toContain(`post:${old}`);
    expect(keysOf(await search(w.c.bea, "logistique", { when: "month" }))).not.toContain(`post:${old}`);
    expect(keysOf(await search(w.c.bea, "logistique", { when: "week" }))).not.toContain(`post:${old}`);
    expect(keysOf(await search(w.c.bea, "logistique", { when: "year" })).sort()).toEqual([...everything].sort());
    expect(keysOf(await search(w.c.bea, "logistique", { when: "month" })).sort()).toEqual(everything.filter((k) => k !== `post:${old}`).sort());
  });
});

describe("what changes at the next search", () => {
  test("a member removed from a club stops finding its content", async () => {
    const page = await make.wikiPage(w.c.chloe, w.spaces.achats, "Calendrier des commandes groupées", "Les commandes de papeterie partent le premier lundi.");
    expect(keysOf(await search(w.c.eve, "papeterie"))).toEqual([`page:${page}`]);
    expect(keysOf(await search(w.c.eve, "papeterie", { club: "club-achats" }))).toEqual([`page:${page}`]);
    expect((await w.c.ana.post("/spaces/club-achats/members", { intent: "remove", userId: w.people.eve.id })).status).toBe(302);
    expect(keysOf(await search(w.c.eve, "papeterie"))).toEqual([]);
    expect((await search(w.c.eve, "papeterie", { club: "club-achats" })).total).toBe(0);
    expect((await suggestions(w.c.eve, "calendrier")).filter((s) => s.kind !== "person")).toEqual([]);
  });

  test("a page moved to the trash is not found, nor its comments; restored, both come back", async () => {
    const { achats } = w.spaces;
    const page = await make.wikiPage(w.c.chloe, achats, "Procédure de réclamation", "Envoyer la réclamation au fournisseur sous huit jours.");
    const comment = await make.comment(w.c.bea, achats, { kind: "page", id: page }, "Penser à garder une copie de chaque réclamation.");
    const both = [`comment:${comment}`, `page:${page}`];
    expect(keysOf(await search(w.c.bea, "reclamation")).sort()).toEqual(both);
    const slug = (await w.store.db.selectFrom("page").select("slug").where("id", "=", page).executeTakeFirstOrThrow()).slug;
    expect((await w.c.chloe.post(`/spaces/${achats.slug}/wiki/${slug}`, { intent: "delete" })).status).toBe(302);
    for (const who of ["bea", "chloe", "ana", "nadia"] as const) expect(keysOf(await search(w.c[who], "reclamation")), who).toEqual([]);
    expect((await suggestions(w.c.chloe, "procedure")).filter((s) => s.kind !== "person")).toEqual([]);
    expect((await w.c.chloe.post(`/spaces/${achats.slug}/wiki/trash`, { intent: "restore", pageId: page })).status).toBe(302);
    expect(keysOf(await search(w.c.bea, "reclamation")).sort()).toEqual(both);
  });

  test("an article unpublished takes its comments with it, for those who no longer read it; published again, both are back", async () => {
    const { achats } = w.spaces;
    const post = await make.post(w.c.ana, achats, { title: "Sur la gouvernance du club", text: "Qui décide de quoi, et comment.", to: "publish" });
    const comment = await make.comment(w.c.bea, achats, { kind: "post", id: post }, "Une gouvernance partagée me semble préférable.");
    const both = [`comment:${comment}`, `post:${post}`];
    expect(keysOf(await search(w.c.bea, "gouvernance")).sort()).toEqual(both);
    const slug = (await w.store.db.selectFrom("post").select("slug").where("id", "=", post).executeTakeFirstOrThrow()).slug;
    expect((await w.c.ana.post(`/spaces/${achats.slug}/blog/${slug}/edit`, { postId: post, intent: "unpublish" })).status).toBe(302);
    // Béatrice, a member, reads published articles only; Chloé moderates, Ana wrote it.
    expect(keysOf(await search(w.c.bea, "gouvernance"))).toEqual([]);
    expect(keysOf(await search(w.c.gus, "gouvernance"))).toEqual([]);
    for (const who of ["chloe", "ana"] as const) expect(keysOf(await search(w.c[who], "gouvernance")).sort(), who).toEqual(both);
    expect((await w.c.ana.post(`/spaces/${achats.slug}/blog/${slug}/edit`, { postId: post, intent: "publish" })).status).toBe(302);
    expect(keysOf(await search(w.c.bea, "gouvernance")).sort()).toEqual(both);
  });

  test("a club made secret, then archived, then back: its members keep what they read, the network loses what it read", async () => {
    const { lyon } = w.spaces;
    const page = `page:${await make.wikiPage(w.c.fred, lyon, "Annuaire des transporteurs rhodaniens", "Coordonnées vérifiées en mars.")}`;
    const article = `post:${await make.post(w.c.fred, lyon, { title: "Les transporteurs rhodaniens", text: "Un article pour tout le réseau.", visibility: "network", to: "publish" })}`;
    const draft = `post:${await make.post(w.c.fred, lyon, { title: "Brouillon rhodanien", text: "À finir." })}`;
    const found = async (who: P) => keysOf(await search(w.c[who], "rhodanien")).sort();
    const settle = (visibility: "listed" | "secret") =>
      w.c.ana.post(`/spaces/${lyon.slug}/settings`, { intent: "save", name: lyon.name, slug: lyon.slug, kind: lyon.kind, description: lyon.description, visibility, joinPolicy: lyon.join_policy });

    // A live listed club: its member and its admin read everything, the network its network article.
    const before = { fred: [page, article, draft].sort(), ana: [page, article, draft].sort(), nadia: [page, article, draft].sort(), dan: [article], bea: [article] };
    for (const [who, want] of Object.entries(before)) expect(await found(who as P), who).toEqual(want);

    // Secret: nothing changes inside; the network article is the club's alone.
    expect((await settle("secret")).status).toBe(302);
    for (const [who, want] of Object.entries({ ...before, dan: [], bea: [] })) expect(await found(who as P), `secret, ${who}`).toEqual(want);

    // Archived: read only — what is out stays readable inside, drafts are nobody's to write any more, the network sees nothing.
    expect((await w.c.nadia.post(`/spaces/${lyon.slug}/settings`, { intent: "archive" })).status).toBe(302);
    const archived = { fred: [page, article].sort(), ana: [page, article].sort(), nadia: [page, article].sort(), dan: [], bea: [] };
    for (const [who, want] of Object.entries(archived)) expect(await found(who as P), `archived, ${who}`).toEqual(want);

    // Back as it was: the same answers as before, nothing reindexed by hand.
    expect((await w.c.nadia.post(`/spaces/${lyon.slug}/settings`, { intent: "unarchive" })).status).toBe(302);
    expect((await settle("listed")).status).toBe(302);
    for (const [who, want] of Object.entries(before)) expect(await found(who as P), `back, ${who}`).toEqual(want);
  });

  test("a message deleted by its author is found by nobody; a message is never found outside its conversation", async () => {
    const conversation = await make.conversation(w.c.ana, [w.people.bea.id], "Rendez-vous devant l’entrepôt de Vénissieux à huit heures.");
    const message = (await w.store.db.selectFrom("message").select("id").where("conversation_id", "=", conversation).executeTakeFirstOrThrow()).id;
    const other = await make.message(w.c.bea, conversation, "D’accord pour Vénissieux, je prends le camion.");
    for (const who of ["ana", "bea"] as const) expect(keysOf(await search(w.c[who], "venissieux")).sort(), who).toEqual([`message:${message}`, `message:${other}`].sort());
    // In the same club, a network admin: not in the conversation, nothing found.
    for (const who of ["chloe", "nadia", "gus"] as const) expect((await search(w.c[who], "venissieux")).total, who).toBe(0);
    const view = await search(w.c.bea, "venissieux", { type: "message" });
    expect(view.results.find((r) => r.key === `message:${message}`)).toMatchObject({ url: `/messages/${conversation}#message-${message}`, context: "Ana Martin" });
    expect((await w.c.ana.post(`/messages/${conversation}`, { intent: "delete", messageId: message })).status).toBe(302);
    for (const who of ["ana", "bea"] as const) expect(keysOf(await search(w.c[who], "venissieux")), who).toEqual([`message:${other}`]);
    expect(keysOf(await search(w.c.bea, "huit heures"))).toEqual([]);
  });
});

describe("hostile input", () => {
  const queries = [
    '"',
    '""',
    '"logistique',
    "*",
    "logistique*",
    "NEAR(",
    "NEAR(logistique inexistantissime, 2)",
    "OR",
    "logistique OR inexistantissime",
    "logistique AND",
    "NOT logistique",
    ")",
    "((logistique",
    "col:",
    "title:logistique",
    "access:r",
    "{title body}: logistique",
    "^logistique",
    "logistique + inexistantissime",
    "-",
    "--",
    "-logistique",
    "- - -",
    `x") OR access:("r`,
    "'; DROP TABLE search_doc; --",
    "' OR '1'='1",
    "\\",
    "%",
    "_",
    "\u0000logistique\u0007",
    "\u001b[31mlogistique",
    "logistique\r\n\t",
    "‮ logistique",
    "🚚 logistique",
    "𝔩𝔬𝔤𝔦𝔰𝔱𝔦𝔮𝔲𝔢",
    "ﬁnance",
    "l'",
    "'",
    "’’’",
    "a".repeat(6000),
    `${"logistique ".repeat(400)}`,
    `${'"'.repeat(300)}`,
    `${"(".repeat(300)}`,
    `${"-".repeat(300)}logistique`,
  ];

  test.each(queries.map((q) => [JSON.stringify(q).slice(0, 60), q]))("%s: 200 everywhere, never more than what is readable", async (_, q) => {
    for (const path of [`/search?${new URLSearchParams({ q })}`, `/search/suggest?${new URLSearchParams({ q })}`]) {
      const res = await w.c.bea.get(path);
      expect(res.status, `${path.slice(0, 80)}: ${pageText(res.text).slice(0, 200)}`).toBe(200);
    }
    const view = await search(w.c.bea, q);
    // Whatever it asks, no result from a club Béatrice does not read.
    for (const r of view.results) expect(["Club Achats", null], r.key).toContain(r.club?.name ?? null);
    expect(JSON.stringify(view)).not.toContain("confidentielle");
  });

  test("FTS5 operators are words, not operators: they never widen a search", async () => {
    const plain = (await search(w.c.bea, "logistique")).total;
    expect(plain).toBeGreaterThan(3);
    for (const q of ["logistique OR inexistantissime", "NEAR(logistique inexistantissime)", "logistique + inexistantissime", "title:logistique", `x") OR access:("r`, "logistique AND inexistantissime"]) {
      expect((await search(w.c.bea, q)).total, q).toBe(0);
    }
    // Control characters split words, they do not hide them.
    expect((await search(w.c.bea, "\u0000logistique\u0007")).total).toBe(plain);
    expect((await search(w.c.bea, "logistique*")).total).toBe(plain);
  });

  test("the other parameters: anything unknown is dropped, never an error", async () => {
    const odd: Array<Record<string, string>> = [
      { page: "0" },
      { page: "-3" },
      { page: "1e3" },
      { page: "99999999999999999999999" },
      { page: "abc" },
      { type: "<script>" },
      { club: "' OR 1=1 --" },
      { author: "'; DELETE FROM user; --" },
      { when: "forever" },
      { club: "x".repeat(5000) },
    ];
    for (const params of odd) {
      const res = await w.c.bea.get(`/search?${new URLSearchParams({ q: "logistique", ...params })}`);
      expect(res.status, JSON.stringify(params).slice(0, 80)).toBe(200);
      const { status } = await searchView(w.c.bea, { q: "logistique", ...params });
      expect(status).toBe(200);
    }
    expect((await w.store.db.selectFrom("user").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n).toBe(8);
  });

  test("signed out: the sign-in page, for the search and the suggestions", async () => {
    for (const path of ["/search?q=logistique", "/search/suggest?q=logi"]) {
      const res = await w.anonymous.get(path);
      expect(res.status, path).toBe(302);
      expect(res.location, path).toMatch(/^\/login/);
    }
  });
});

describe("what a result shows", () => {
  test("the snippet is plain text around the found words, marked; a long text is cut around them", async () => {
    const filler = "Le comité a relu les comptes et validé le budget prévisionnel du trimestre. ".repeat(30);
    const page = await make.wikiPage(w.c.chloe, w.spaces.achats, "Rapport annuel", `${filler}La mutualisation des achats de fournitures a permis une économie nette. ${filler}`);
    const view = await search(w.c.bea, "mutualisation");
    expect(keysOf(view)).toEqual([`page:${page}`]);
    const snippet = view.results[0].snippet;
    for (const piece of snippet) expect(Object.keys(piece).sort()).toEqual(piece.mark ? ["mark", "text"] : ["text"]);
    expect(snippet.filter((p) => p.mark).map((p) => p.text)).toEqual(["mutualisation"]);
    expect(snippet[0].text).toBe("…");
    expect(snippet.at(-1)!.text).toBe("…");
    expect(textOf(snippet).length).toBeLessThan(300);
    expect(textOf(snippet)).toContain("des achats de fournitures");
    const html = (await w.c.bea.get("/search?q=mutualisation")).text;
    expect(html).toContain("<mark>mutualisation</mark>");
  });

  test("a title or a text holding markup is shown as text: escaped, never run", async () => {
    const title = `<script>alert("pirate")</script> Consignes de quai`;
    const text = `<img src=x onerror=alert(1)> Les consignes de quai <b>gras</b> s’appliquent à tous.`;
    const page = await make.wikiPage(w.c.chloe, w.spaces.achats, title, text);
    const view = await search(w.c.bea, "consignes");
    expect(keysOf(view)).toEqual([`page:${page}`]);
    expect(textOf(view.results[0].title)).toBe(title);
    const res = await w.c.bea.get("/search?q=consignes");
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<script>alert/i);
    expect(res.text).not.toMatch(/<img src=x/i);
    expect(res.text).not.toMatch(/<b>gras/i);
    expect(res.text).toContain(">&lt;script&gt;alert(&quot;pirate&quot;)&lt;/script&gt; <mark>Consignes</mark>");
    expect(res.text).toContain("&lt;img src=x onerror=alert(1)&gt; Les <mark>consignes</mark>");
    const suggested = await w.c.bea.get(`/search/suggest?q=consign`);
    expect(suggested.headers["content-type"]).toMatch(/^application\/json/);
    expect((JSON.parse(suggested.text) as { suggestions: Array<{ label: string }> }).suggestions.map((s) => s.label)).toContain(title);
  });
});

/** A comment on a page as an import writes it: straight into the table, outside transact(). */
function importedComment(c: { id: string; page: string; body: string; label: string; at: number }) {
  return {
    id: c.id,
    space_id: w.spaces.achats.id,
    post_id: null,
    page_id: c.page,
    ask_id: null,
    workshop_id: null,
    parent_id: null,
    author_id: w.people.bea.id,
    body_json: textDoc(c.label),
    body_html: `<p>${c.body}</p>`,
    body_text: c.body,
    created_at: c.at,
    edited_at: null,
    deleted_at: null,
    deleted_by: null,
  };
}

describe("the index itself", () => {
  test("a change written outside transact() waits in the backlog, and is found once the backlog is worked through", async () => {
    const page = (await w.store.db.selectFrom("page").select(["id", "space_id"]).where("title", "=", "Plan de logistique du club").executeTakeFirstOrThrow()).id;
    // Away from the server's own backlog job (every 5 s, at the start of its slot), so that this test is what works it through.
    while (Date.now() % 5000 < 300 || Date.now() % 5000 > 2500) await new Promise((r) => setTimeout(r, 50));
    const id = newId();
    const now = Date.now();
    await w.store.db
      .insertInto("comment")
      .values(importedComment({ id, page, body: "Importé de l’ancien outil : quincaillerie", label: "Importé", at: now }))
      .execute();
    const dirty = await w.store.db.selectFrom("search_dirty").select(["kind", "ref_id"]).where("ref_id", "=", id).execute();
    expect(dirty).toEqual([{ kind: "comment", ref_id: id }]);
    expect((await search(w.c.bea, "quincaillerie")).total).toBe(0);
    await workThroughBacklog(w.store.db);
    expect(keysOf(await search(w.c.bea, "quincaillerie"))).toEqual([`comment:${id}`]);
    expect(await pendingChanges(w.store.db)).toBe(0);
  });

  test("3,000 things of one millisecond (an import) are all indexed, newest first around them, and never hang the indexer", async () => {
    const page = await make.wikiPage(w.c.chloe, w.spaces.achats, "Archives importées", "Ce qui vient de l’ancien outil.");
    // A row number holds its date to the millisecond, 1,024 to a millisecond: three times that, at once.
    const at = Date.now() - 3_600_000;
    const comment = (id: string, body: string, label: string, when: number) => importedComment({ id, page, body, label, at: when });
    await w.store.db.transaction().execute(async (trx) => {
      const crowd = Array.from({ length: 3000 }, (_, i) => comment(newId(), `Archive tourbillon ${i}`, "Archive", at));
      for (let i = 0; i < crowd.length; i += 500) await trx.insertInto("comment").values(crowd.slice(i, i + 500)).execute();
    });
    // One found an hour later, one an hour before: the crowd stays between them.
    const later = newId();
    const earlier = newId();
    await w.store.db.insertInto("comment").values(comment(later, "Tourbillon suivant", "Après", at + 3_600_000 - 1000)).execute();
    await w.store.db.insertInto("comment").values(comment(earlier, "Tourbillon précédent", "Avant", at - 3_600_000)).execute();
    await workThroughBacklog(w.store.db);
    expect(await pendingChanges(w.store.db)).toBe(0);
    const first = await search(w.c.bea, "tourbillon");
    expect(first.total).toBe(3002);
    expect(first.results[0].key).toBe(`comment:${later}`);
    expect(first.results.slice(1).every((r) => r.at === at)).toBe(true);
    // Past the pages one may open (50): the row numbers themselves say the crowd is between the two.
    const numbers = await w.store.db
      .selectFrom("search_doc as d")
      .innerJoin("comment as c", "c.id", "d.ref_id")
      .select(["d.id", "c.body_text as text"])
      .where("d.kind", "=", "comment")
      .where("c.body_text", "like", "%ourbillon%")
      .orderBy("d.id")
      .execute();
    expect(new Set(numbers.map((n) => n.id)).size).toBe(3002);
    expect([numbers[0].text, numbers.at(-1)!.text]).toEqual(["Tourbillon suivant", "Tourbillon précédent"]);
  }, 60_000);

  test("a reindex from scratch leaves the index as the writers' transactions kept it: every row, every term at every place", async () => {
    await workThroughBacklog(w.store.db);
    const snapshot = async () => {
      const docs = await w.store.db.selectFrom("search_doc").select(["kind", "ref_id", "space_id", "title", "body", "author_id", "at", "access"]).execute();
      const rows = docs.map((d) => JSON.stringify(d)).sort();
      return { rows, terms: await indexedTerms(w.store) };
    };
    const before = await snapshot();
    // The world holds every kind, and things trashed, restored, deleted and moved between states.
    const kinds = new Set(before.rows.map((r) => (JSON.parse(r) as { kind: string }).kind));
    expect([...kinds].sort()).toEqual(["ask", "comment", "message", "page", "post", "workshop"]);
    expect(before.terms.length).toBeGreaterThan(1000);
    expect(before.terms.filter((t) => t.startsWith("orphan"))).toEqual([]);
    expect(before.terms.some((t) => t.endsWith(" title 0 negoci"))).toBe(true);

    const { left } = await reindex(w.store.db);
    expect(left).toBe(0);
    const after = await snapshot();
    const missing = (a: string[], b: string[]) => {
      const set = new Set(b);
      return a.filter((x) => !set.has(x));
    };
    expect({ rowsOnlyBefore: missing(before.rows, after.rows), rowsOnlyAfter: missing(after.rows, before.rows) }).toEqual({ rowsOnlyBefore: [], rowsOnlyAfter: [] });
    expect({ termsOnlyBefore: missing(before.terms, after.terms).slice(0, 20), termsOnlyAfter: missing(after.terms, before.terms).slice(0, 20) }).toEqual({ termsOnlyBefore: [], termsOnlyAfter: [] });
    expect(after.rows.length).toBe(before.rows.length);
    expect(after.terms.length).toBe(before.terms.length);
    // And the search answers as before.
    expect(describeResults(await search(w.c.bea, "logistique")).length).toBeGreaterThan(3);
  });
});
