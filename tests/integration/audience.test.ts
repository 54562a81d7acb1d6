import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as asks from "#db/queries/asks.ts";
import * as files from "#db/queries/files.ts";
import * as pages from "#db/queries/pages.ts";
import * as posts from "#db/queries/posts.ts";
import type { Ask, Folder, Page, Post, Role, Space, Workshop } from "#db/schema.ts";
import { describeAudience, threadAudience, type AudienceView } from "#app/audience/load.server.ts";
import { translate } from "#app/i18n/index.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { resolveOwner, mayReadThread } from "#app/owners/resolve.server.ts";
import type { ReadRule } from "#app/policies/audience.ts";
import { canReadAsk, canRestoreAsk } from "#app/policies/ask.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canReadNetworkPost, canReadPost } from "#app/policies/post.ts";
import { canReadSpace, type Actor, type MembershipFacts } from "#app/policies/space.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { pageText, type HttpResponse } from "#tests/helpers/http.ts";
import { textDoc } from "#tests/helpers/lexical.ts";
import { seedWorkshop } from "#tests/helpers/workshops.ts";
import { addMember, createSpace, createUser } from "#tests/factories.ts";
import { STANDARD_PEOPLE, STANDARD_SPACES, world, type World } from "#tests/helpers/world.ts";

/**
 * "Who can see this" (issue 19): the audience line of every kind of item,
 * in every kind of space and state, against what the policies decide when
 * they are asked about every real person of the world with their real
 * membership. The table calls describeAudience / threadAudience in process
 * with the rule each loader hands it; a few lines are read over HTTP from
 * the built server, in French and in English, with their words written out.
 */

type P = keyof typeof STANDARD_PEOPLE | "second" | "english";
type S = keyof typeof STANDARD_SPACES | "archived";
const ROLES = { editor: "editor", member: "member", guest: "guest" } as const;

let w: World<P, S>;
const NOW = Date.now();

beforeAll(async () => {
  w = await world<P, S>({
    domain: "world.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Monde`,
    people: { ...STANDARD_PEOPLE, second: {}, english: { locale: "en" } },
    spaces: {
      open: STANDARD_SPACES.open,
      // Two more members in the club: a second member, and one who reads English.
      listed: { ...STANDARD_SPACES.listed, members: { ...ROLES, second: "member", english: "member" } },
      secret: STANDARD_SPACES.secret,
      // A listed club archived once its items were made: read only, for everyone, drafts and proposals included.
      archived: { createdBy: "admin", slug: "archive", name: "Club Archivé", visibility: "listed", members: { ...ROLES, second: "guest" } },
    },
  });
  await seedItems();
  await w.store.db.updateTable("space").set({ archived_at: NOW }).where("id", "=", w.spaces.archived.id).execute();
}, 120_000);
afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// The items: every kind and state, in each space
// ---------------------------------------------------------------------------

interface SpaceItems {
  page: Page;
  published: Post;
  draft: Post;
  networkPost: Post;
  scheduledNetworkPost: Post;
  folder: Folder;
  scheduled: Workshop;
  proposal: Workshop;
  networkWorkshop: Workshop;
  cancelledNetworkWorkshop: Workshop;
  networkProposal: Workshop;
  spaceAsk: Ask;
  networkAsk: Ask;
  trashedAsk: Ask;
}
const items = {} as Record<S, SpaceItems>;
/** A real file of the club, uploaded through tus. */
let clubFileId: string;

const body = (t: string) => ({ json: textDoc(t), html: `<p>${t}</p>`, text: t });

async function post(space: Space, author: P, title: string, state: "draft" | "published" | "scheduled", visibility: "space" | "network"): Promise<Post> {
  const db = w.store.db;
  const created = await posts.createPost(db, {
    spaceId: space.id,
    slug: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    title,
    excerpt: "",
    excerptAuto: true,
    coverFileId: null,
    content: body(`Texte de ${title}`),
    visibility,
    authorId: w.people[author].id,
    summary: "",
    now: NOW,
  });
  if (state === "published") await db.updateTable("post").set({ state: "published", published_at: NOW }).where("id", "=", created.id).execute();
  if (state === "scheduled") await db.updateTable("post").set({ state: "scheduled", publish_at: NOW + 86_400_000 }).where("id", "=", created.id).execute();
  return db.selectFrom("post").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
}

async function ask(space: Space, author: P, title: string, audience: "space" | "network", trashed = false): Promise<Ask> {
  const db = w.store.db;
  const created = await asks.insertAsk(db, {
    spaceId: space.id,
    authorId: w.people[author].id,
    fields: { kind: "question", audience, title, body: body(`Question : ${title}`), skills: [], region: "", deadline: null, closesAt: null },
    now: NOW,
  });
  if (trashed) await db.updateTable("ask").set({ deleted_at: NOW, deleted_by: w.people.admin.id }).where("id", "=", created.id).execute();
  return db.selectFrom("ask").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
}

async function workshop(space: Space, title: string, input: { state?: "scheduled" | "proposed" | "cancelled"; proposedBy?: P; visibility?: "space" | "network" }): Promise<Workshop> {
  const db = w.store.db;
  const { id } = await seedWorkshop(db, {
    spaceId: space.id,
    createdBy: w.people[input.proposedBy ?? "admin"].id,
    title,
    state: input.state ?? "scheduled",
    proposedBy: input.proposedBy ? w.people[input.proposedBy].id : null,
    visibility: input.visibility ?? "space",
  });
  return db.selectFrom("workshop").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function seedItems() {
  const db = w.store.db;
  clubFileId = (await w.tus.member.upload("club", Buffer.from("Compte rendu du club\n"), { filename: "compte-rendu.txt" })).fileId;
  for (const key of ["open", "listed", "secret", "archived"] as const) {
    const space = w.spaces[key];
    const tag = `${key}`;
    items[key] = {
      page: await pages.createPage(db, {
        spaceId: space.id,
        parentId: null,
        title: `Page ${tag}`,
        slug: `page-${tag}`,
        content: body(`Contenu ${tag}`),
        summary: "",
        authorId: w.people.editor.id,
        now: NOW,
      }),
      published: await post(space, "editor", `Article ${tag}`, "published", "space"),
      // A member's draft: theirs and the moderators'.
      draft: await post(space, "member", `Brouillon ${tag}`, "draft", "space"),
      // Opened to the network (a secret club cannot: the policy says so, the line must follow).
      networkPost: await post(space, "editor", `Reseau ${tag}`, "published", "network"),
      // Meant for the network, not out yet: the club's moderators and its author.
      scheduledNetworkPost: await post(space, "member", `Programme ${tag}`, "scheduled", "network"),
      folder: await files.createFolder(db, { spaceId: space.id, parentId: null, name: `Dossier ${tag}`, userId: w.people.editor.id, now: NOW }),
      scheduled: await workshop(space, `Atelier ${tag}`, {}),
      proposal: await workshop(space, `Proposition ${tag}`, { state: "proposed", proposedBy: "member" }),
      networkWorkshop: await workshop(space, `Atelier ouvert ${tag}`, { visibility: "network" }),
      cancelledNetworkWorkshop: await workshop(space, `Atelier annule ${tag}`, { state: "cancelled", visibility: "network" }),
      // A member's proposal marked for the network: not shown to the network until scheduled.
      networkProposal: await workshop(space, `Proposition ouverte ${tag}`, { state: "proposed", proposedBy: "member", visibility: "network" }),
      spaceAsk: await ask(space, "member", `Demande ${tag}`, "space"),
      networkAsk: await ask(space, "member", `Demande au reseau ${tag}`, "network"),
      trashedAsk: await ask(space, "member", `Demande jetee ${tag}`, "space", true),
    };
  }
}

// ---------------------------------------------------------------------------
// The real people of the world, with their real memberships
// ---------------------------------------------------------------------------

interface Person {
  key: P;
  id: string;
  name: string;
  isNetworkAdmin: boolean;
}

function everyone(): Person[] {
  return (Object.keys(w.people) as P[]).map((key) => ({
    key,
    id: w.people[key].id,
    name: w.people[key].display_name,
    isNetworkAdmin: w.people[key].is_network_admin === 1,
  }));
}

/** Each person's role in each space, read from the database (not from the world's spec). */
async function realMemberships(): Promise<Map<string, Role>> {
  const rows = await w.store.db.selectFrom("space_member").select(["space_id", "user_id", "role"]).execute();
  return new Map(rows.map((r) => [`${r.space_id}:${r.user_id}`, r.role]));
}

let roleOf: Map<string, Role>;
const membershipOf = (space: Space, person: Person): MembershipFacts => {
  const role = roleOf.get(`${space.id}:${person.id}`);
  return role ? { role } : null;
};
const actorOf = (person: Person): Actor => ({ id: person.id, isNetworkAdmin: person.isNetworkAdmin });

/** Fresh space rows (the world's were read when they were made). */
async function spaceRow(key: S): Promise<Space> {
  return w.store.db.selectFrom("space").selectAll().where("id", "=", w.spaces[key].id).executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

interface Row {
  label: string;
  space: S;
  /** The rule the item's loader asks, bound to its space and item: the same the loader hands describeAudience. */
  rule: (space: Space) => ReadRule;
  /** Who wrote it, as the loader says (describeAudience's authorId). */
  authorOf?: (i: SpaceItems) => string | null;
  /** The comment thread of this item instead of the item itself. */
  thread?: (i: SpaceItems) => { kind: "page" | "post" | "workshop" | "ask"; id: string };
}

function rowsOf(space: S): Row[] {
  const i = () => items[space];
  return [
    { label: "wiki page", space, rule: (s) => (a, m) => canReadPages(a, m, s) },
    { label: "published article", space, rule: (s) => (a, m) => canReadPost(a, m, s, i().published) || canReadNetworkPost(a, s, i().published), authorOf: (x) => x.published.author_id },
    { label: "draft article (by a member)", space, rule: (s) => (a, m) => canReadPost(a, m, s, i().draft) || canReadNetworkPost(a, s, i().draft), authorOf: (x) => x.draft.author_id },
    { label: "network article", space, rule: (s) => (a, m) => canReadPost(a, m, s, i().networkPost) || canReadNetworkPost(a, s, i().networkPost), authorOf: (x) => x.networkPost.author_id },
    { label: "scheduled network article (by a member)", space, rule: (s) => (a, m) => canReadPost(a, m, s, i().scheduledNetworkPost) || canReadNetworkPost(a, s, i().scheduledNetworkPost), authorOf: (x) => x.scheduledNetworkPost.author_id },
    { label: "file", space, rule: (s) => (a, m) => canReadFiles(a, m, s) },
    { label: "folder", space, rule: (s) => (a, m) => canReadFiles(a, m, s) },
    { label: "scheduled workshop", space, rule: (s) => (a, m) => canReadWorkshop(a, m, s, i().scheduled), authorOf: (x) => x.scheduled.proposed_by },
    { label: "proposed workshop (by a member)", space, rule: (s) => (a, m) => canReadWorkshop(a, m, s, i().proposal), authorOf: (x) => x.proposal.proposed_by },
    { label: "workshop opened to the network", space, rule: (s) => (a, m) => canReadWorkshop(a, m, s, i().networkWorkshop), authorOf: (x) => x.networkWorkshop.proposed_by },
    { label: "cancelled workshop opened to the network", space, rule: (s) => (a, m) => canReadWorkshop(a, m, s, i().cancelledNetworkWorkshop), authorOf: (x) => x.cancelledNetworkWorkshop.proposed_by },
    { label: "proposal marked for the network", space, rule: (s) => (a, m) => canReadWorkshop(a, m, s, i().networkProposal), authorOf: (x) => x.networkProposal.proposed_by },
    { label: "space ask", space, rule: (s) => (a, m) => canReadAsk(a, m, s, i().spaceAsk), authorOf: (x) => x.spaceAsk.author_id },
    { label: "network ask", space, rule: (s) => (a, m) => canReadAsk(a, m, s, i().networkAsk), authorOf: (x) => x.networkAsk.author_id },
    // In the trash, the ask page is its moderators' (the loader's own rule there).
    { label: "ask in the trash", space, rule: (s) => (a, m) => canRestoreAsk(a, m, s), authorOf: (x) => x.trashedAsk.author_id },
    ...(
      [
        ["page", (x: SpaceItems) => x.page.id],
        ["post", (x: SpaceItems) => x.published.id],
        ["post", (x: SpaceItems) => x.draft.id],
        ["post", (x: SpaceItems) => x.networkPost.id],
        ["post", (x: SpaceItems) => x.scheduledNetworkPost.id],
        ["workshop", (x: SpaceItems) => x.scheduled.id],
        ["workshop", (x: SpaceItems) => x.proposal.id],
        ["workshop", (x: SpaceItems) => x.networkWorkshop.id],
        ["workshop", (x: SpaceItems) => x.networkProposal.id],
        ["ask", (x: SpaceItems) => x.spaceAsk.id],
        ["ask", (x: SpaceItems) => x.networkAsk.id],
      ] as const
    ).map(([kind, id], n) => ({
      label: `comment thread #${n} (${kind})`,
      space,
      rule: () => () => false, // replaced below by mayReadThread on the resolved owner
      thread: (x: SpaceItems) => ({ kind, id: id(x) }),
    })),
  ];
}

const TABLE: Row[] = [...rowsOf("open"), ...rowsOf("listed"), ...rowsOf("secret"), ...rowsOf("archived")];

/** The group name a set of roles reads as: written out here, not read from roleGroup. */
function expectedGroup(roles: Set<Role>): string {
  const key = ["admin", "editor", "member", "guest"].filter((r) => roles.has(r as Role)).join(",");
  const names: Record<string, string> = { "": "none", "admin,editor,member,guest": "members", "admin,editor,member": "membersNotGuests", "admin,editor": "editors", admin: "admins" };
  return names[key] ?? "roles";
}

describe("the audience of every item agrees with its policy asked about every real person", () => {
  test.each(TABLE.map((row) => [`${row.space} space: ${row.label}`, row] as const))("%s", async (_, row) => {
    roleOf = await realMemberships();
    const space = await spaceRow(row.space);
    const i = items[row.space];
    const db = w.store.db;
    const people = everyone();
    const admins = people.filter((p) => p.isNetworkAdmin);
    const ordinary = people.filter((p) => !p.isNetworkAdmin);

    let rule: ReadRule;
    let describe: (viewer: Person) => Promise<AudienceView>;
    if (row.thread) {
      const target = row.thread(i);
      // The owner as the thread's loader resolves it (with a reader who may read it: a network admin).
      const owner = await resolveOwner(db, { space, actor: actorOf(admins[0]), membership: null }, target);
      if (row.space !== "archived") expect(owner, `${row.label}: the owner resolves`).not.toBeNull();
      // An archived club's draft: nobody reads it, a network admin included (no write ability there), nor its thread.
      if (!owner) return;
      rule = (a, m) => mayReadThread({ space, actor: a, membership: m }, owner!);
      describe = (viewer) => threadAudience(db, { space, actor: actorOf(viewer), membership: membershipOf(space, viewer) }, owner!);
    } else {
      rule = row.rule(space);
      const authorId = row.authorOf?.(i) ?? null;
      describe = (viewer) => describeAudience(db, { space, actor: actorOf(viewer), membership: membershipOf(space, viewer) }, rule, authorId);
    }

    // What the policy says of every real person, with their real role.
    const admitted = new Set(ordinary.filter((p) => rule(actorOf(p), membershipOf(space, p))).map((p) => p.id));
    // Who it admits for their role alone: the same role under another id reads it too.
    const byRole = ordinary.filter((p) => rule({ id: `not-${p.id}`, isNetworkAdmin: false }, membershipOf(space, p)));
    const beyondRole = ordinary.filter((p) => admitted.has(p.id) && !byRole.some((q) => q.id === p.id));
    const everyOrdinary = ordinary.every((p) => admitted.has(p.id));

    const viewers = people.filter((p) => rule(actorOf(p), membershipOf(space, p)));
    // In an archived club, the drafts and the trash are read by nobody (moderating is a write); elsewhere someone reads every item.
    if (row.space !== "archived") expect(viewers.length, `${row.label}: someone may read it`).toBeGreaterThan(0);
    for (const viewer of viewers) {
      const view = await describe(viewer);
      const where = `${row.space} / ${row.label} / seen by ${viewer.key}`;
      if (view.reach === "network") {
        expect(everyOrdinary, `${where}: "every member of the network", but the policy turns away ${ordinary.filter((p) => !admitted.has(p.id)).map((p) => p.key)}`).toBe(true);
        continue;
      }
      // A space reach: someone of the network is left out, and the words name exactly who is in.
      expect(everyOrdinary, `${where}: the policy admits every member of the network, the line says "${view.group}" of ${view.space}`).toBe(false);
      expect(view.space).toBe(space.name);
      expect(view.count, `${where}: count`).toBe(byRole.filter((p) => roleOf.has(`${space.id}:${p.id}`)).length);
      expect(byRole.every((p) => roleOf.has(`${space.id}:${p.id}`)), `${where}: a non-member reads it for their role`).toBe(true);
      expect(view.group, `${where}: group`).toBe(expectedGroup(new Set(byRole.map((p) => membershipOf(space, p)!.role))));
      expect(beyondRole.length, `${where}: at most the author reads beyond their role`).toBeLessThanOrEqual(1);
      const author = beyondRole[0];
      if (!author) expect(view.author, `${where}: author`).toBeNull();
      else if (author.id === viewer.id) expect(view.author, `${where}: author`).toBe("you");
      else expect(view.author, `${where}: author`).toEqual({ name: author.name });
      const seesMembers = canReadSpace(actorOf(viewer), membershipOf(space, viewer), space);
      if (!seesMembers) {
        expect(view.people, `${where}: names shown to someone who may not read the space`).toBeNull();
        continue;
      }
      expect(view.people, `${where}: names`).not.toBeNull();
      const named = new Set(view.people!.map((p) => p.id).filter((id) => !admins.some((a) => a.id === id)));
      expect([...named].sort(), `${where}: the people named`).toEqual([...admitted].sort());
      expect(view.more).toBe(0);
      for (const p of view.people!) expect(p.name).toBe(people.find((q) => q.id === p.id)?.name);
    }
  });

  test("the table covers network, space-wide, moderators-only and author cases", async () => {
    // Guards the table itself: each kind of answer occurs at least once, so a table that only ever says "network" fails.
    const space = await spaceRow("listed");
    const viewer = { space, actor: { id: w.people.admin.id, isNetworkAdmin: false }, membership: { role: "admin" as const } };
    const draft = items.listed.draft;
    const seen = [
      await describeAudience(w.store.db, viewer, (a, m) => canReadPages(a, m, space)),
      await describeAudience(w.store.db, viewer, (a, m) => canReadPost(a, m, space, draft) || canReadNetworkPost(a, space, draft), draft.author_id),
      await describeAudience(w.store.db, viewer, (a, m) => canReadAsk(a, m, space, items.listed.networkAsk), items.listed.networkAsk.author_id),
    ];
    expect(seen.map((v) => (v.reach === "network" ? "network" : `${v.group}${v.author ? "+author" : ""}`))).toEqual(["members", "editors+author", "network"]);
  });
});

describe("names only for a reader of the space", () => {
  test("an outsider told of a club-only audience gets the count and no names", async () => {
    const space = await spaceRow("listed");
    const outsider = { space, actor: { id: w.people.outsider.id, isNetworkAdmin: false }, membership: null };
    const view = await describeAudience(w.store.db, outsider, (a, m) => canReadPages(a, m, space));
    expect(view.reach).toBe("space");
    if (view.reach !== "space") return;
    expect(view.people).toBeNull();
    // admin, editor, member, guest, second, english
    expect(view.count).toBe(6);
  });

  test("a network admin outside the secret club is given its names", async () => {
    const space = await spaceRow("secret");
    const view = await describeAudience(w.store.db, { space, actor: { id: w.people.netAdmin.id, isNetworkAdmin: true }, membership: null }, (a, m) => canReadPages(a, m, space));
    expect(view.reach === "space" && view.people?.map((p) => p.name).sort()).toEqual(["Admin Monde", "Editor Monde", "Guest Monde", "Member Monde"]);
  });
});

// ---------------------------------------------------------------------------
// Over HTTP: the words on the real pages
// ---------------------------------------------------------------------------

/** The audience lines of a page, as text: the item's first, then the comments'. */
function audienceLines(res: HttpResponse): { sentence: string; names: string[] | null }[] {
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(200);
  const lines: { sentence: string; names: string[] | null }[] = [];
  const re = /<(p|details) class="audience-line[^"]*"[^>]*>([\s\S]*?)<\/\1>/g;
  for (const m of res.text.matchAll(re)) {
    const html = m[2];
    const summary = /<summary>([\s\S]*?)<\/summary>/.exec(html)?.[1] ?? html;
    const sentence = pageText(summary.replace(/<span class="audience-who">[\s\S]*?<\/span>/, ""));
    const list = /<ul class="audience-people">([\s\S]*?)<\/ul>/.exec(html)?.[1];
    const names = list ? [...list.matchAll(/<a [^>]*>([\s\S]*?)<\/a>/g)].map((a) => pageText(a[1])) : null;
    lines.push({ sentence, names });
  }
  return lines;
}

const fr = (key: MessageKey, params?: Record<string, string | number>) => translate("fr", key, params);
const en = (key: MessageKey, params?: Record<string, string | number>) => translate("en", key, params);
const CLUB_MEMBERS = ["Admin Monde", "Editor Monde", "English Monde", "Guest Monde", "Member Monde", "Second Monde"];

describe("the words on the pages", () => {
  test("a page of a listed club: its members, named, in French; its comments likewise", async () => {
    const lines = audienceLines(await w.c.member.get(`/spaces/club/wiki/${items.listed.page.slug}`));
    expect(lines[0].sentence).toBe("Visible par les 6 membres de Club Achats");
    expect(lines[0].sentence).toBe(fr("seenBy.item", { audience: fr("seenBy.members", { count: 6, space: "Club Achats" }) }));
    expect(lines[0].names?.sort()).toEqual(CLUB_MEMBERS);
    expect(lines[1]?.sentence).toBe("Commentaires visibles par les 6 membres de Club Achats");
  });

  test("the same page in English for a member who reads English", async () => {
    const lines = audienceLines(await w.c.english.get(`/spaces/club/wiki/${items.listed.page.slug}`));
    expect(lines[0].sentence).toBe("Visible to the 6 members of Club Achats");
    expect(lines[0].sentence).toBe(en("seenBy.item", { audience: en("seenBy.members", { count: 6, space: "Club Achats" }) }));
  });

  test("a member's draft: “you and the 2 editors and admins” for its author, their name for an admin", async () => {
    const path = `/spaces/club/blog/${items.listed.draft.slug}`;
    const mine = audienceLines(await w.c.member.get(path));
    expect(mine[0].sentence).toBe("Visible par vous et les 2 éditeurs et administrateurs de Club Achats");
    expect(mine[0].names?.sort()).toEqual(["Admin Monde", "Editor Monde", "Member Monde"]);
    const admins = audienceLines(await w.c.admin.get(path));
    expect(admins[0].sentence).toBe("Visible par Member Monde et les 2 éditeurs et administrateurs de Club Achats");
    // Another member does not read it at all.
    expect((await w.c.second.get(path)).status).toBe(404);
  });

  test("a member's proposal: “you and the administrator”", async () => {
    const lines = audienceLines(await w.c.member.get(`/spaces/club/workshops/${items.listed.proposal.id}`));
    expect(lines[0].sentence).toBe("Visible par vous et l’administrateur de Club Achats");
    expect(lines[0].sentence).toBe(fr("seenBy.item", { audience: fr("seenBy.adminsAndYou", { count: 1, space: "Club Achats" }) }));
    const admin = audienceLines(await w.c.admin.get(`/spaces/club/workshops/${items.listed.proposal.id}`));
    expect(admin[0].sentence).toBe("Visible par Member Monde et l’administrateur de Club Achats");
  });

  test("an open space's page: every member of the network, no names", async () => {
    const lines = audienceLines(await w.c.outsider.get(`/spaces/ouvert/wiki/${items.open.page.slug}`));
    expect(lines[0]).toEqual({ sentence: "Visible par tous les membres du réseau", names: null });
  });

  test("a network article, in its club: the network for the article, the club for its comments", async () => {
    const member = audienceLines(await w.c.member.get(`/spaces/club/blog/${items.listed.networkPost.slug}`));
    expect(member[0]).toEqual({ sentence: "Visible par tous les membres du réseau", names: null });
    expect(member[0].sentence).toBe(fr("seenBy.item", { audience: fr("seenBy.network") }));
    expect(member[1]?.sentence).toBe("Commentaires visibles par les 6 membres de Club Achats");
    expect(member[1]?.names?.sort()).toEqual(CLUB_MEMBERS);
    // An outsider reads it on the network's articles (/latest/<id>), not at the club's address.
    expect((await w.c.outsider.get(`/latest/${items.listed.networkPost.id}`)).status).toBe(200);
    expect((await w.c.outsider.get(`/spaces/club/blog/${items.listed.networkPost.slug}`)).status).toBe(404);
  });

  test("an outsider on a network ask or workshop of a club they are not in: no member's name anywhere in the line", async () => {
    for (const path of [`/spaces/club/asks/${items.listed.networkAsk.id}`, `/spaces/club/workshops/${items.listed.networkWorkshop.id}`]) {
      const res = await w.c.outsider.get(path);
      const lines = audienceLines(res);
      expect(lines.length, path).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.names, path).toBeNull();
        for (const name of CLUB_MEMBERS.filter((n) => n !== "Member Monde")) expect(line.sentence, path).not.toContain(name);
      }
      expect(res.text).not.toContain('class="audience-people"');
    }
  });

  test("a secret club's article opened to the network stays the club's (the policy refuses the network)", async () => {
    const lines = audienceLines(await w.c.member.get(`/spaces/secret/blog/${items.secret.networkPost.slug}`));
    expect(lines[0].sentence).toBe("Visible par les 4 membres de Club Secret");
    expect((await w.c.outsider.get(`/spaces/secret/blog/${items.secret.networkPost.slug}`)).status).toBe(404);
  });

  test("a file, a folder listing and a space ask in the club", async () => {
    const file = audienceLines(await w.c.guest.get(`/spaces/club/files/${clubFileId}`));
    expect(file[0].sentence).toBe("Visible par les 6 membres de Club Achats");
    const folder = audienceLines(await w.c.guest.get(`/spaces/club/files/folders/${items.listed.folder.id}`));
    expect(folder[0].sentence).toBe("Visible par les 6 membres de Club Achats");
    const spaceAsk = audienceLines(await w.c.guest.get(`/spaces/club/asks/${items.listed.spaceAsk.id}`));
    expect(spaceAsk[0].sentence).toBe("Visible par les 6 membres de Club Achats");
  });

  test("an ask in the trash: its moderators", async () => {
    const lines = audienceLines(await w.c.editor.get(`/spaces/club/asks/${items.listed.trashedAsk.id}`));
    expect(lines[0].sentence).toBe("Visible par les 2 éditeurs et administrateurs de Club Achats");
    expect(lines[0].names?.sort()).toEqual(["Admin Monde", "Editor Monde"]);
  });
});

describe("a club larger than the list", () => {
  test("60 names, then “and N more” leading to the member list; the count stays whole", async () => {
    const db = w.store.db;
    const big = await createSpace(db, { createdBy: w.people.admin.id, slug: "grand", name: "Grand Club", visibility: "listed" });
    for (let n = 1; n <= 64; n++) {
      const user = await createUser(db, { email: `grand-${n}@world.test`, displayName: `Membre ${String(n).padStart(2, "0")}` });
      await addMember(db, { space: big, user, role: n === 64 ? "guest" : "member" });
    }
    const bigPage = await pages.createPage(db, {
      spaceId: big.id,
      parentId: null,
      title: "Page du grand club",
      slug: "page-grand",
      content: body("Pour tous"),
      summary: "",
      authorId: w.people.admin.id,
      now: NOW,
    });
    const space = await db.selectFrom("space").selectAll().where("id", "=", big.id).executeTakeFirstOrThrow();
    const view = await describeAudience(db, { space, actor: { id: w.people.admin.id, isNetworkAdmin: false }, membership: { role: "admin" } }, (a, m) => canReadPages(a, m, space));
    expect(view.reach).toBe("space");
    if (view.reach !== "space") return;
    expect(view.count).toBe(65);
    expect(view.people).toHaveLength(60);
    expect(view.more).toBe(5);

    const res = await w.c.admin.get(`/spaces/grand/wiki/${bigPage.slug}`);
    const [line] = audienceLines(res);
    expect(line.sentence).toBe("Visible par les 65 membres de Grand Club");
    expect(line.names).toHaveLength(60);
    expect(new Set(line.names).size).toBe(60);
    const details = /<details class="audience-line[\s\S]*?<\/details>/.exec(res.text)?.[0] ?? "";
    expect(pageText(details)).toContain("et 5 autres personnes : voir les membres");
    expect(details).toContain('href="/spaces/grand/members"');
  }, 60_000);
});
