import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Ask, Comment, Message, Page, Post, Role, SearchKind, Space, StoredFile, Workshop } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canReadAsk } from "#app/policies/ask.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canReadNetworkPost, canReadPost } from "#app/policies/post.ts";
import { canReadSpace, type MembershipFacts } from "#app/policies/space.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { type Client } from "#tests/helpers/http.ts";
import { makers, search, suggestions } from "#tests/helpers/search.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * The search's two halves (a row's access words, db/search/access.ts, and
 * the viewer's, app/search/access.server.ts) held to the policies
 * themselves: one network with every kind of reader and every kind of
 * content, each item holding a word of its own; for every reader × item,
 * the policy is asked directly (app/policies/*) and the search is asked over
 * HTTP, as that reader, for the item's word. Found ⟺ the policy lets them
 * read it, with no leak and no miss; the count on the page, the listing of
 * everything at once and the suggestions under the search box say the same.
 *
 * Everything is made through the app's own forms, by the people who would
 * make it, before the spaces change under it: the "secret" club was listed
 * while its network article, workshop and ask were published, the archived
 * one was a live listed club, one member was removed from two clubs after
 * writing a draft and proposing a workshop in each, another was demoted to
 * guest after doing the same, one left the conversation.
 *
 * What the policies say a comment is read by: whoever reads, inside its
 * space, what it is on (the comments section of a wiki page, an article —
 * canReadPost, the space's own reading of it: an article opened to the
 * network is read at /latest without its comments —, a workshop — shown to
 * the space's readers only —) and, for an ask, whoever reads the ask (the
 * network answers a network ask in its thread).
 */

type P =
  | "netAdmin"
  | "admin"
  | "editor"
  | "member"
  | "guest"
  | "outsider"
  | "openOnly"
  | "listedOnly"
  | "secretOnly"
  | "archivedOnly"
  | "exMember"
  | "demoted"
  | "leaver";
type S = "open" | "listed" | "secret" | "archived";
const PEOPLE: readonly P[] = ["netAdmin", "admin", "editor", "member", "guest", "outsider", "openOnly", "listedOnly", "secretOnly", "archivedOnly", "exMember", "demoted", "leaver"];

let w: World<P, S>;

interface Item {
  key: string;
  kind: SearchKind;
  id: string;
  /** The one word nothing else holds. */
  code: string;
  /** What it is, for the table of mismatches. */
  label: string;
  /** Shown as a suggestion (titled kinds) under this title. */
  title: string | null;
}
const items: Item[] = [];
let serial = 0;
const nextCode = () => `zorglub${String(++serial).padStart(3, "0")}`;

function add(kind: SearchKind, id: string, code: string, label: string, title: string | null = null) {
  items.push({ key: `${kind}:${id}`, kind, id, code, label, title });
}

const core = { editor: "editor", member: "member", guest: "guest" } as const;

beforeAll(async () => {
  w = await world({
    domain: "search-access.test",
    people: {
      netAdmin: { displayName: "Nadia Réseau", isNetworkAdmin: true },
      admin: { displayName: "Claire Martin" },
      editor: { displayName: "Étienne Éditeur" },
      member: { displayName: "Julien Moreau" },
      guest: { displayName: "Gaëlle Invitée" },
      outsider: { displayName: "Omar Dehors" },
      openOnly: { displayName: "Odile Ouverte" },
      listedOnly: { displayName: "Lucien Listé" },
      secretOnly: { displayName: "Sébastien Secret" },
      archivedOnly: { displayName: "Agnès Archivée" },
      exMember: { displayName: "Xavier Parti" },
      demoted: { displayName: "Denise Rétrogradée" },
      leaver: { displayName: "Léa Quitte" },
    },
    spaces: {
      open: { createdBy: "admin", slug: "cercle-ouvert", name: "Cercle Ouvert", visibility: "open", members: { ...core, openOnly: "member", exMember: "member" } },
      listed: {
        createdBy: "admin",
        slug: "club-achats",
        name: "Club Achats",
        visibility: "listed",
        members: { ...core, listedOnly: "member", exMember: "member", demoted: "member", leaver: "member" },
      },
      // Listed while its network things are published; made secret below.
      secret: { createdBy: "admin", slug: "comite-direction", name: "Comité de direction", visibility: "listed", members: { ...core, secretOnly: "member" } },
      // A live club while its things are written; archived below.
      archived: { createdBy: "admin", slug: "club-lyon-2019", name: "Club Lyon 2019", visibility: "listed", members: { ...core, archivedOnly: "member" } },
    },
  });
  const make = makers(w.store.db);
  const c = w.c;
  const pages = {} as Record<S, string>;

  for (const key of ["open", "listed", "secret", "archived"] as const) {
    const space = w.spaces[key];
    const at = (what: string) => `${space.name} — ${what}`;

    let code = nextCode();
    let title = `Grille tarifaire des fournisseurs ${code}`;
    const page = await make.wikiPage(c.editor, space, title, `Les remises négociées l’été dernier avec nos fournisseurs, référence ${code}.`);
    add("page", page, code, at("page du wiki"), title);
    pages[key] = page;

    code = nextCode();
    title = `Retour sur la négociation annuelle ${code}`;
    const article = await make.post(c.member, space, { title, text: `Nous avons obtenu de meilleures conditions, dossier ${code}.`, to: "publish" });
    add("post", article, code, at("article publié, visible du club"), title);

    code = nextCode();
    title = `Les achats groupés expliqués au réseau ${code}`;
    const netArticle = await make.post(c.member, space, { title, text: `Un article ouvert à tout le réseau, dossier ${code}.`, visibility: "network", to: "publish" });
    add("post", netArticle, code, at("article publié, ouvert au réseau"), title);

    code = nextCode();
    title = `Brouillon sur les appels d’offres ${code}`;
    const draft = await make.post(c.member, space, { title, text: `Premier jet, à relire avant publication, dossier ${code}.`, visibility: "network" });
    add("post", draft, code, at("brouillon d’un membre"), title);

    code = nextCode();
    title = `Bilan semestriel programmé ${code}`;
    const scheduled = await make.post(c.member, space, { title, text: `Paraîtra en juin, dossier ${code}.`, to: { schedule: "2031-06-15T09:30" } });
    add("post", scheduled, code, at("article programmé d’un membre"), title);

    code = nextCode();
    title = `Atelier négocier avec un fournisseur ${code}`;
    const workshop = await make.workshop(c.admin, space, { title, text: `Une matinée d’exercices pratiques, session ${code}.` });
    add("workshop", workshop, code, at("atelier programmé, visible du club"), title);

    code = nextCode();
    title = `Atelier ouvert au réseau sur les contrats ${code}`;
    const netWorkshop = await make.workshop(c.admin, space, { title, text: `Ouvert à tous les membres du réseau, session ${code}.`, network: true });
    add("workshop", netWorkshop, code, at("atelier programmé, ouvert au réseau"), title);

    code = nextCode();
    title = `Proposition d’atelier sur la logistique ${code}`;
    const proposal = await make.workshop(c.member, space, { title, text: `Je propose une séance sur les transports, idée ${code}.` });
    add("workshop", proposal, code, at("atelier proposé par un membre"), title);

    code = nextCode();
    title = `Qui connaît un bon transporteur ${code}`;
    const clubAsk = await make.ask(c.member, space, { title, text: `Nous cherchons un transporteur fiable, demande ${code}.` });
    add("ask", clubAsk, code, at("demande au club"), title);

    code = nextCode();
    title = `Cherche un expert en droit des contrats ${code}`;
    const netAsk = await make.ask(c.member, space, { title, text: `Demande ouverte à tout le réseau, demande ${code}.`, audience: "network" });
    add("ask", netAsk, code, at("demande au réseau"), title);

    const comments: Array<[string, Client, { kind: "page" | "post" | "workshop" | "ask"; id: string }]> = [
      ["commentaire sur la page", c.guest, { kind: "page", id: page }],
      ["commentaire sur l’article du club", c.guest, { kind: "post", id: article }],
      ["commentaire sur l’article ouvert au réseau", c.guest, { kind: "post", id: netArticle }],
      ["commentaire sur le brouillon", c.editor, { kind: "post", id: draft }],
      ["commentaire sur l’atelier du club", c.guest, { kind: "workshop", id: workshop }],
      ["commentaire sur l’atelier ouvert au réseau", c.guest, { kind: "workshop", id: netWorkshop }],
      ["commentaire sur la proposition d’atelier", c.admin, { kind: "workshop", id: proposal }],
      ["réponse à la demande au club", c.guest, { kind: "ask", id: clubAsk }],
      ["réponse à la demande au réseau", c.guest, { kind: "ask", id: netAsk }],
    ];
    for (const [label, who, on] of comments) {
      code = nextCode();
      add("comment", await make.comment(who, space, on, `Merci pour ce partage, j’ajoute une précision ${code}.`), code, at(label));
    }

    code = nextCode();
    title = `devis-transport-${code}.txt`;
    add("file", await make.file(w.tus.member, space, title, "Devis de transport pour le second semestre."), code, at("fichier"), title);
  }

  // In the listed club: the trash, a deleted comment, and the writings of two people whose membership changes below.
  const listed = w.spaces.listed;
  let code = nextCode();
  let title = `Page mise à la corbeille ${code}`;
  const trashed = await make.wikiPage(c.editor, listed, title, `Ancienne procédure d’achat, ${code}.`);
  add("page", trashed, code, "Club Achats — page à la corbeille", title);
  code = nextCode();
  add("comment", await make.comment(c.guest, listed, { kind: "page", id: trashed }, `Commentaire sur une page supprimée ${code}.`), code, "Club Achats — commentaire sur la page à la corbeille");
  const trashedSlug = (await w.store.db.selectFrom("page").select("slug").where("id", "=", trashed).executeTakeFirstOrThrow()).slug;
  expect((await c.editor.post(`/spaces/${listed.slug}/wiki/${trashedSlug}`, { intent: "delete" })).status).toBe(302);

  code = nextCode();
  const gone = await make.comment(c.guest, listed, { kind: "page", id: pages.listed }, `Commentaire retiré par son auteur ${code}.`);
  add("comment", gone, code, "Club Achats — commentaire supprimé");
  expect((await c.guest.post(`/spaces/${listed.slug}/comments`, { intent: "delete", commentId: gone })).status).toBe(302);

  for (const [who, spaces] of [
    ["exMember", ["open", "listed"]],
    ["demoted", ["listed"]],
  ] as const) {
    for (const key of spaces) {
      const space = w.spaces[key];
      code = nextCode();
      title = `Brouillon de ${w.people[who].display_name} ${code}`;
      add("post", await make.post(c[who], space, { title, text: `Notes en cours ${code}.` }), code, `${space.name} — brouillon de ${who}`, title);
      code = nextCode();
      title = `Proposition de ${w.people[who].display_name} ${code}`;
      add("workshop", await make.workshop(c[who], space, { title, text: `Séance proposée ${code}.` }), code, `${space.name} — atelier proposé par ${who}`, title);
    }
  }

  // The conversation: Julien writes to Lucien and Léa (they share the listed club); Léa answers, then leaves it.
  code = nextCode();
  const conversation = await make.conversation(c.member, [w.people.listedOnly.id, w.people.leaver.id], `Bonjour à vous deux, on se retrouve jeudi ? ${code}`);
  const first = await w.store.db.selectFrom("message").select("id").where("conversation_id", "=", conversation).executeTakeFirstOrThrow();
  add("message", first.id, code, "message de Julien");
  for (const [who, text] of [
    ["listedOnly", "Jeudi me convient, à la salle habituelle"],
    ["leaver", "Je ne pourrai pas venir, je vous laisse"],
    ["member", "Message envoyé par erreur"],
  ] as const) {
    code = nextCode();
    add("message", await make.message(c[who], conversation, `${text} ${code}`), code, `message de ${who}`);
  }
  const mistaken = items.at(-1)!;
  mistaken.label = "message supprimé par son auteur";
  expect((await c.member.post(`/messages/${conversation}`, { intent: "delete", messageId: mistaken.id })).status).toBe(302);
  expect((await c.leaver.post(`/messages/${conversation}`, { intent: "leave" })).status).toBe(302);

  // Then the spaces change under what was written.
  for (const key of ["open", "listed"] as const)
    expect((await c.admin.post(`/spaces/${w.spaces[key].slug}/members`, { intent: "remove", userId: w.people.exMember.id })).status).toBe(302);
  expect((await c.admin.post(`/spaces/${listed.slug}/members`, { intent: "change-role", userId: w.people.demoted.id, role: "guest" })).status).toBe(302);
  const secret = w.spaces.secret;
  const made = await c.admin.post(`/spaces/${secret.slug}/settings`, {
    intent: "save",
    name: secret.name,
    slug: secret.slug,
    kind: secret.kind,
    description: secret.description,
    visibility: "secret",
    joinPolicy: secret.join_policy,
  });
  expect(made.status).toBe(302);
  expect((await c.netAdmin.post(`/spaces/${w.spaces.archived.slug}/settings`, { intent: "archive" })).status).toBe(302);
}, 240_000);

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// The policies, asked directly
// ---------------------------------------------------------------------------

interface Facts {
  spaces: Map<string, Space>;
  roles: Map<string, Role>;
  pages: Map<string, Page>;
  posts: Map<string, Post>;
  workshops: Map<string, Workshop>;
  asks: Map<string, Ask>;
  files: Map<string, StoredFile>;
  comments: Map<string, Comment>;
  messages: Map<string, Message>;
  /** conversation:user of those still in it. */
  activeMembers: Set<string>;
}

/** Every row as it stands now, trashed or not. */
async function loadFacts(): Promise<Facts> {
  const db = w.store.db;
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  return {
    spaces: byId(await db.selectFrom("space").selectAll().execute()),
    roles: new Map((await db.selectFrom("space_member").select(["space_id", "user_id", "role"]).execute()).map((m) => [`${m.space_id}:${m.user_id}`, m.role])),
    pages: byId(await db.selectFrom("page").selectAll().execute()),
    posts: byId(await db.selectFrom("post").selectAll().execute()),
    workshops: byId(await db.selectFrom("workshop").selectAll().execute()),
    asks: byId(await db.selectFrom("ask").selectAll().execute()),
    files: byId(await db.selectFrom("file").selectAll().execute()),
    comments: byId(await db.selectFrom("comment").selectAll().execute()),
    messages: byId(await db.selectFrom("message").selectAll().execute()),
    activeMembers: new Set(
      (await db.selectFrom("conversation_member").select(["conversation_id", "user_id"]).where("left_at", "is", null).execute()).map((m) => `${m.conversation_id}:${m.user_id}`),
    ),
  };
}

function found<T>(map: Map<string, T>, id: string): T {
  const row = map.get(id);
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

/** What the policies say this reader may read. */
function mayRead(facts: Facts, who: P, kind: SearchKind, id: string): boolean {
  const user = w.people[who];
  const actor: Actor = { id: user.id, isNetworkAdmin: user.is_network_admin === 1 };
  /** The reader's membership of a space and the space, in the order the policies take them. */
  const inSpace = (spaceId: string): [MembershipFacts, Space] => {
    const role = facts.roles.get(`${spaceId}:${user.id}`);
    return [role ? { role } : null, found(facts.spaces, spaceId)];
  };
  switch (kind) {
    case "message": {
      const message = found(facts.messages, id);
      return message.deleted_at === null && facts.activeMembers.has(`${message.conversation_id}:${user.id}`);
    }
    case "page": {
      const page = found(facts.pages, id);
      return page.deleted_at === null && canReadPages(actor, ...inSpace(page.space_id));
    }
    case "file": {
      const file = found(facts.files, id);
      return file.deleted_at === null && canReadFiles(actor, ...inSpace(file.space_id));
    }
    case "post": {
      const post = found(facts.posts, id);
      const [m, space] = inSpace(post.space_id);
      return post.deleted_at === null && (canReadPost(actor, m, space, post) || canReadNetworkPost(actor, space, post));
    }
    case "workshop": {
      const workshop = found(facts.workshops, id);
      return canReadWorkshop(actor, ...inSpace(workshop.space_id), workshop);
    }
    case "ask": {
      const ask = found(facts.asks, id);
      return canReadAsk(actor, ...inSpace(ask.space_id), ask);
    }
    case "comment": {
      const comment = found(facts.comments, id);
      if (comment.deleted_at !== null) return false;
      const [m, space] = inSpace(comment.space_id);
      if (comment.page_id) return mayRead(facts, who, "page", comment.page_id);
      if (comment.post_id) {
        // The article as its space reads it: /latest shows a network article without its comments.
        const post = found(facts.posts, comment.post_id);
        return post.deleted_at === null && canReadPost(actor, m, space, post);
      }
      // A workshop's comments are shown to the space's readers (app/routes/spaces.$space.workshops.$workshop.tsx).
      if (comment.workshop_id) return canReadSpace(actor, m, space) && mayRead(facts, who, "workshop", comment.workshop_id);
      if (comment.ask_id) return mayRead(facts, who, "ask", comment.ask_id);
      throw new Error(`comment ${id} on nothing`);
    }
  }
}

/** Runs `work` for every reader at once, each reader's calls one after another. */
async function everyReader<T>(work: (who: P, c: Client) => Promise<T>): Promise<Map<P, T>> {
  const out = await Promise.all(PEOPLE.map(async (who) => [who, await work(who, w.c[who])] as const));
  return new Map(out);
}

const table = (lines: string[]) => (lines.length ? `\n${lines.join("\n")}\n` : "");

// ---------------------------------------------------------------------------

describe("the search finds an item for a reader if and only if the policies let them read it", () => {
  test("the cast and the content are what this suite says they are", async () => {
    const facts = await loadFacts();
    // Every kind, in every space, and every kind of reader: a sanity check of the world, not of the search.
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(["page", "post", "workshop", "ask", "comment", "file", "message"]));
    const secret = facts.spaces.get(w.spaces.secret.id)!;
    const archived = facts.spaces.get(w.spaces.archived.id)!;
    expect(secret.visibility).toBe("secret");
    expect(archived.archived_at).not.toBeNull();
    expect(facts.roles.get(`${w.spaces.listed.id}:${w.people.demoted.id}`)).toBe("guest");
    expect(facts.roles.has(`${w.spaces.listed.id}:${w.people.exMember.id}`)).toBe(false);
    // Both answers occur for every reader, and most items are read by some and not by others.
    for (const who of PEOPLE) {
      const yes = items.filter((i) => mayRead(facts, who, i.kind, i.id)).length;
      expect(yes, who).toBeGreaterThan(0);
      expect(yes, who).toBeLessThan(items.length);
    }
    const split = items.filter((i) => PEOPLE.some((p) => mayRead(facts, p, i.kind, i.id)) && PEOPLE.some((p) => !mayRead(facts, p, i.kind, i.id)));
    expect(split.length).toBeGreaterThan(items.length / 2);
  });

  test("what the app shows a reader from another club of a network article's and a network workshop's comments: nothing", async () => {
    // The ground for this suite's reading of comments: the pages themselves, as the outsider opens them.
    const listed = w.spaces.listed;
    const onNetwork = items.filter((i) => i.kind === "comment" && i.label.startsWith(listed.name) && i.label.includes("ouvert au réseau"));
    expect(onNetwork).toHaveLength(2);
    const comments = await w.store.db.selectFrom("comment").select(["id", "post_id", "workshop_id"]).where("id", "in", onNetwork.map((i) => i.id)).execute();
    for (const comment of comments) {
      const code = onNetwork.find((i) => i.id === comment.id)!.code;
      const path = comment.post_id ? `/latest/${comment.post_id}` : `/spaces/${listed.slug}/workshops/${comment.workshop_id}`;
      const page = await w.c.outsider.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).not.toContain(code);
      expect(page.text, path).not.toContain('id="comments"');
      // The member reads them there.
      const inside = await w.c.member.get(comment.post_id ? `/spaces/${listed.slug}/blog/${(await w.store.db.selectFrom("post").select("slug").where("id", "=", comment.post_id).executeTakeFirstOrThrow()).slug}` : path);
      expect(inside.status).toBe(200);
      expect(inside.text).toContain(code);
    }
  });

  test("every reader × every item: searched for its own word, found ⟺ readable, counted ⟺ readable", async () => {
    const facts = await loadFacts();
    const mismatches: string[] = [];
    let checked = 0;
    await everyReader(async (who, c) => {
      for (const item of items) {
        const want = mayRead(facts, who, item.kind, item.id);
        const view = await search(c, item.code);
        const found = view.results.some((r) => r.key === item.key);
        const others = view.results.filter((r) => r.key !== item.key).map((r) => r.key);
        checked++;
        if (found !== want) mismatches.push(`${want ? "MISS" : "LEAK"}  ${who.padEnd(13)} ${item.label} (${item.key}, ${item.code})`);
        if (view.total !== (want ? 1 : 0)) mismatches.push(`COUNT ${who.padEnd(13)} ${item.label}: the page says ${view.total}, the policy ${want ? 1 : 0}`);
        if (others.length) mismatches.push(`OTHER ${who.padEnd(13)} ${item.code} also found ${others.join(", ")}`);
      }
    });
    expect(checked).toBe(PEOPLE.length * items.length);
    expect(mismatches, `reader × item disagreements between the search and the policies:${table(mismatches)}`).toEqual([]);
  }, 180_000);

  test("everything at once: the shared word lists exactly the readable items, page after page, and the total says how many", async () => {
    const facts = await loadFacts();
    const problems: string[] = [];
    await everyReader(async (who, c) => {
      const readable = items.filter((i) => mayRead(facts, who, i.kind, i.id)).map((i) => i.key);
      const first = await search(c, "zorglub");
      const keys = first.results.map((r) => r.key);
      for (let page = 2; page <= first.pageCount; page++) keys.push(...(await search(c, "zorglub", { page: String(page) })).results.map((r) => r.key));
      const label = (key: string) => items.find((i) => i.key === key)?.label ?? key;
      for (const key of keys.filter((k) => !readable.includes(k))) problems.push(`LEAK  ${who.padEnd(13)} ${label(key)}`);
      for (const key of readable.filter((k) => !keys.includes(k))) problems.push(`MISS  ${who.padEnd(13)} ${label(key)}`);
      if (new Set(keys).size !== keys.length) problems.push(`DUP   ${who.padEnd(13)} a result on two pages`);
      if (first.total !== readable.length) problems.push(`COUNT ${who.padEnd(13)} the page says ${first.total}, the policies ${readable.length}`);
    });
    expect(problems, `the listing of everything disagrees with the policies:${table(problems)}`).toEqual([]);
  }, 120_000);

  test("every result found leads somewhere the reader may open", async () => {
    const problems: string[] = [];
    await everyReader(async (who, c) => {
      const first = await search(c, "zorglub");
      const results = [...first.results];
      for (let page = 2; page <= first.pageCount; page++) results.push(...(await search(c, "zorglub", { page: String(page) })).results);
      for (const r of results) {
        const res = await c.get(r.url.split("#")[0]);
        if (res.status !== 200) problems.push(`${who.padEnd(13)} ${r.key} → ${r.url}: ${res.status}`);
      }
    });
    expect(problems, `results whose link the reader cannot open:${table(problems)}`).toEqual([]);
  }, 180_000);

  test("the suggestions under the search box name a title only to those who may read it", async () => {
    const facts = await loadFacts();
    const mismatches: string[] = [];
    const titled = items.filter((i) => i.title !== null && i.kind !== "comment" && i.kind !== "message");
    expect(titled.length).toBeGreaterThan(40);
    await everyReader(async (who, c) => {
      for (const item of titled) {
        const want = mayRead(facts, who, item.kind, item.id);
        const named = (await suggestions(c, item.code)).filter((s) => s.kind !== "person");
        const found = named.some((s) => s.label === item.title);
        if (found !== want) mismatches.push(`${want ? "MISS" : "LEAK"}  ${who.padEnd(13)} ${item.label} (${item.code})`);
        const strangers = named.filter((s) => s.label !== item.title).map((s) => s.label);
        if (strangers.length) mismatches.push(`OTHER ${who.padEnd(13)} ${item.code} also suggested ${strangers.join(", ")}`);
      }
      // And the shared prefix, as a member types it: only readable titles, whatever comes first.
      const readableTitles = new Set(titled.filter((i) => mayRead(facts, who, i.kind, i.id)).map((i) => i.title));
      for (const s of await suggestions(c, "zorg")) {
        if (s.kind !== "person" && !readableTitles.has(s.label)) mismatches.push(`LEAK  ${who.padEnd(13)} "zorg" suggested ${s.label}`);
      }
    });
    expect(mismatches, `suggestions that disagree with the policies:${table(mismatches)}`).toEqual([]);
  }, 180_000);
});
