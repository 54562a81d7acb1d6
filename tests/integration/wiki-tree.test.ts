import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import * as pagesDb from "#db/queries/pages.ts";
import type { Page, Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { flashOf, tablesOf } from "#tests/helpers/state.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { doc as lexicalDoc, pageLink, paragraph, textDoc } from "#tests/helpers/lexical.ts";

/**
 * The shape of a space's wiki over real HTTP: moving pages in the tree (never
 * under themselves), the trash (sub-pages go and come back with their page;
 * who may delete and who may restore), the tree JSON (one level, no content)
 * and the title search behind the [[ picker.
 */

let server: TestServer;
let store: OpenedDatabase;

let admin: TestUser;
let editor: TestUser;
let alice: TestUser; // member
let bob: TestUser; // member
let dave: TestUser; // member here and in the other space

let club: Space;
let other: Space;

const c = {} as Record<"admin" | "editor" | "alice" | "bob" | "dave", Client>;

let w: World<"admin" | "editor" | "alice" | "bob" | "dave", "club" | "other">;

beforeAll(async () => {
  w = await world({
    domain: "wiki-tree.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Arbre`,
    people: { admin: {}, editor: {}, alice: {}, bob: {}, dave: {} },
    spaces: {
      club: { createdBy: "admin", slug: "club-arbre", name: "Club Arbre", visibility: "listed", members: { editor: "editor", alice: "member", bob: "member", dave: "member" } },
      other: { createdBy: "admin", slug: "club-voisin", name: "Club Voisin", visibility: "secret", members: { dave: "member" } },
    },
  });
  ({ server, store } = w);
  ({ admin, editor, alice, bob, dave } = w.people);
  ({ club, other } = w.spaces);
  Object.assign(c, w.c);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

const doc = textDoc;

let seq = 0;
const uniqueTitle = (base: string) => `${base} ${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}`;
const wiki = (space: Space = club) => `/spaces/${space.slug}/wiki`;

const pageRow = (id: string) => store.db.selectFrom("page").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

function wikiSnapshot() {
  return tablesOf(store.db, ["page", "page_revision", "page_link", "activity"]);
}

async function createPage(cl: Client, title: string, options: { parentId?: string; content?: string; space?: Space } = {}): Promise<Page> {
  const space = options.space ?? club;
  const fields: Record<string, string> = { title, content: options.content ?? doc(`Contenu de ${title}`), summary: "" };
  if (options.parentId) fields.parentId = options.parentId;
  const res = await cl.post(`${wiki(space)}/new`, fields);
  expect(res.status, `create “${title}”: ${pageText(res.text).slice(0, 300)}`).toBe(302);
  const slug = res.location!.replace(`${wiki(space)}/`, "");
  return store.db.selectFrom("page").selectAll().where("space_id", "=", space.id).where("slug", "=", slug).executeTakeFirstOrThrow();
}

const move = (cl: Client, page: Page, parentId: string | null, index: number | string) =>
  cl.post(`${wiki()}/${page.slug}/move`, { parentId: parentId ?? "", index: String(index) });

interface TreeEntry {
  id: string;
  title: string;
  slug: string;
  childCount: number;
}

async function tree(cl: Client, parent?: string, space: Space = club): Promise<TreeEntry[]> {
  const res = await cl.get(`${wiki(space)}/tree${parent === undefined ? "" : `?parent=${encodeURIComponent(parent)}`}`);
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  return (JSON.parse(res.text) as { pages: TreeEntry[] }).pages;
}

async function search(cl: Client, q: string, space: Space = club): Promise<string[]> {
  const res = await cl.get(`${wiki(space)}/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  return (JSON.parse(res.text) as { pages: Array<{ id: string; title: string }> }).pages.map((p) => p.title);
}

const siblingsOrder = async (parentId: string | null) =>
  (
    await store.db
      .selectFrom("page")
      .select(["id", "position"])
      .where("space_id", "=", club.id)
      .where((eb) => (parentId === null ? eb("parent_id", "is", null) : eb("parent_id", "=", parentId)))
      .where("deleted_at", "is", null)
      .orderBy("position")
      .execute()
  ).map((r) => r.id);

// ---------------------------------------------------------------------------
// Moving pages
// ---------------------------------------------------------------------------

describe("moving a page", () => {
  let p: Page; // top
  let child: Page; // under p
  let grandchild: Page; // under child

  beforeAll(async () => {
    p = await createPage(c.alice, uniqueTitle("Processus"));
    child = await createPage(c.alice, uniqueTitle("Etape"), { parentId: p.id });
    grandchild = await createPage(c.alice, uniqueTitle("Detail"), { parentId: child.id });
  });

  test.each([
    ["under itself", () => p.id],
    ["under its child", () => child.id],
    ["under its grandchild", () => grandchild.id],
  ])("%s is refused: an error flash, the tree unchanged", async (_label, target) => {
    const before = await wikiSnapshot();
    const res = await move(c.alice, p, target(), 0);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${wiki()}/${p.slug}/move`);
    expect(await flashOf(res)).toMatchObject({ kind: "error", key: "wiki.moveLoop" });
    expect(await wikiSnapshot()).toEqual(before);
    expect((await pageRow(p.id)).parent_id).toBeNull();
  });

  test("a child moved under its own descendant is refused too", async () => {
    const res = await move(c.bob, child, grandchild.id, 0);
    expect(await flashOf(res)).toMatchObject({ kind: "error" });
    expect((await pageRow(child.id)).parent_id).toBe(p.id);
    expect((await pageRow(grandchild.id)).parent_id).toBe(child.id);
  });

  test("a legal move changes parent_id and the sibling positions (any member may move)", async () => {
    const lone = await createPage(c.bob, uniqueTitle("Annexe"));
    const res = await move(c.alice, lone, p.id, 0);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${wiki()}/${lone.slug}`);
    expect(await flashOf(res)).toMatchObject({ kind: "success", key: "wiki.moved" });
    expect((await pageRow(lone.id)).parent_id).toBe(p.id);
    // First among p's children, before the child that was there.
    expect(await siblingsOrder(p.id)).toEqual([lone.id, child.id]);
    expect((await tree(c.alice, p.id)).map((e) => e.id)).toEqual([lone.id, child.id]);

    // Then last.
    expect((await move(c.alice, lone, p.id, 99)).status).toBe(302);
    expect(await siblingsOrder(p.id)).toEqual([child.id, lone.id]);
    const positions = await store.db.selectFrom("page").select(["id", "position"]).where("parent_id", "=", p.id).orderBy("position").execute();
    expect(positions.map((r) => r.position)).toEqual([0, 1]);

    // Back to the top level, first.
    expect((await move(c.alice, lone, null, 0)).status).toBe(302);
    expect((await pageRow(lone.id)).parent_id).toBeNull();
    expect((await siblingsOrder(null))[0]).toBe(lone.id);
    expect(await siblingsOrder(p.id)).toEqual([child.id]);
    // The moved page's breadcrumb follows.
    const grandView = await c.alice.get(`${wiki()}/${grandchild.slug}`);
    expect(grandView.text).toContain(`href="${wiki()}/${p.slug}"`);
    expect(grandView.text).toContain(`href="${wiki()}/${child.slug}"`);
  });

  test("moving a subtree keeps its pages below it", async () => {
    const top = await createPage(c.alice, uniqueTitle("Nouveau chapitre"));
    expect((await move(c.alice, child, top.id, 0)).status).toBe(302);
    expect((await pageRow(child.id)).parent_id).toBe(top.id);
    expect((await pageRow(grandchild.id)).parent_id).toBe(child.id);
    expect((await tree(c.alice, top.id)).map((e) => [e.id, e.childCount])).toEqual([[child.id, 1]]);
    // And the old parent's loop check now follows the new shape: top cannot go under grandchild.
    const res = await move(c.alice, top, grandchild.id, 0);
    expect(await flashOf(res)).toMatchObject({ kind: "error" });
    expect((await pageRow(top.id)).parent_id).toBeNull();
    expect((await move(c.alice, child, p.id, 0)).status).toBe(302);
  });

  test("under a page of another space → 404, nothing moved", async () => {
    const elsewhere = await createPage(c.dave, uniqueTitle("Voisin"), { space: other });
    const before = await wikiSnapshot();
    const res = await move(c.dave, p, elsewhere.id, 0);
    expect(res.status).toBe(404);
    expect(await wikiSnapshot()).toEqual(before);
    expect((await pageRow(p.id)).parent_id).toBeNull();
  });

  test("under a page in the trash, or under an id that exists nowhere → 404", async () => {
    const gone = await createPage(c.alice, uniqueTitle("Partie"));
    expect((await c.alice.post(`${wiki()}/${gone.slug}`, { intent: "delete" })).status).toBe(302);
    const before = await wikiSnapshot();
    expect((await move(c.alice, p, gone.id, 0)).status).toBe(404);
    expect((await move(c.alice, p, "nosuchpageanywhere0000", 0)).status).toBe(404);
    expect(await wikiSnapshot()).toEqual(before);
  });

  test("a bad index → 400, nothing moved", async () => {
    const before = await wikiSnapshot();
    expect((await move(c.alice, grandchild, p.id, -1)).status).toBe(400);
    expect((await move(c.alice, grandchild, p.id, "abc")).status).toBe(400);
    expect(await wikiSnapshot()).toEqual(before);
  });

  test("the move form never offers the page itself or its descendants as the new parent", async () => {
    // From the child's form, a search naming the grandchild and p: p is offered, the grandchild is not.
    const fromChild = await c.alice.get(`${wiki()}/${child.slug}/move?q=${encodeURIComponent(grandchild.title)}`);
    expect(fromChild.status).toBe(200);
    expect(fromChild.text.includes(`id="parent-${grandchild.id}"`), "a descendant is offered as parent").toBe(false);
    const offered = await c.alice.get(`${wiki()}/${grandchild.slug}/move?q=${encodeURIComponent(p.title)}`);
    expect(offered.text.includes(`id="parent-${p.id}"`), "an ancestor is a fine new parent: the search found nothing at all").toBe(true);
    const fromP = await c.alice.get(`${wiki()}/${p.slug}/move?q=${encodeURIComponent(p.title)}`);
    expect(fromP.status).toBe(200);
    expect(fromP.text.includes(`id="parent-${p.id}"`), "the page itself is offered as its parent").toBe(false);
  });
});

describe("a deep tree (deeper than the 64 levels the recursive queries walk)", () => {
  // Pages may be nested without limit through the forms; the chain is arranged
  // straight in the database (70 levels) through the app's query module.
  let chain: Page[];

  beforeAll(async () => {
    chain = [];
    let parentId: string | null = null;
    for (let depth = 0; depth < 70; depth++) {
      const title = uniqueTitle(`Niveau ${depth}`);
      const page: Page = await pagesDb.createPage(store.db, {
        spaceId: club.id,
        parentId,
        title,
        slug: await pagesDb.uniqueSlug(store.db, club.id, title.toLowerCase().replace(/[^a-z0-9]+/g, "-")),
        content: { json: doc(title), html: `<p>${title}</p>`, text: title },
        summary: "",
        authorId: alice.id,
        now: Date.now(),
      });
      chain.push(page);
      parentId = page.id;
    }
  });

  test("moving the top page under its deepest descendant is refused (no cycle)", async () => {
    const top = chain[0];
    const bottom = chain[chain.length - 1];
    const res = await move(c.alice, top, bottom.id, 0);
    // BUG (db/queries/pages.ts isSelfOrDescendant): the upward walk stops after 64 levels,
    // so a descendant deeper than that is not recognised and the move makes a cycle.
    expect(await flashOf(res), "moving a page under its 69th-level descendant was accepted").toMatchObject({ kind: "error", key: "wiki.moveLoop" });
    expect((await pageRow(top.id)).parent_id).toBeNull();
    // Put the fixture back if the move went through, so later tests see a tree.
    if ((await pageRow(top.id)).parent_id !== null) await store.db.updateTable("page").set({ parent_id: null }).where("id", "=", top.id).execute();
  });

  test("trashing the top page trashes every level below it", async () => {
    const top = chain[0];
    const res = await c.alice.post(`${wiki()}/${top.slug}`, { intent: "delete" });
    expect(res.status).toBe(302);
    const live = await store.db
      .selectFrom("page")
      .select("id")
      .where("id", "in", chain.map((p) => p.id))
      .where("deleted_at", "is", null)
      .execute();
    // BUG (db/queries/pages.ts subtreeIds): the downward walk stops at depth 64, so the
    // deepest pages stay live under a trashed parent: reachable by URL, absent from the tree.
    expect(live, "pages below level 64 were left out of the trash").toEqual([]);
    expect((await c.bob.get(`${wiki()}/${chain[69].slug}`)).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------
// Trash
// ---------------------------------------------------------------------------

describe("the trash", () => {
  test("deleting a page trashes its sub-pages too; they vanish from the views, the tree and the search; the trash lists the top page only; restoring brings both back", async () => {
    const tag = `Trk${Date.now().toString(36).slice(-5)}`;
    const top = await createPage(c.alice, uniqueTitle(`${tag} parent`));
    const sub = await createPage(c.bob, uniqueTitle(`${tag} enfant`), { parentId: top.id });
    const linker = await createPage(c.dave, uniqueTitle("Lien vers corbeille"), {
      content: lexicalDoc(paragraph(pageLink(top.id, "voir"))),
    });
    expect((await search(c.alice, tag)).sort()).toEqual([top.title, sub.title].sort());

    // The member who created it may delete it (the sub-page is someone else's: it goes along).
    const del = await c.alice.post(`${wiki()}/${top.slug}`, { intent: "delete" });
    expect(del.status).toBe(302);
    expect(del.location).toBe(wiki());
    expect(await flashOf(del)).toMatchObject({ kind: "success", key: "wiki.deleted" });
    const [t1, s1] = [await pageRow(top.id), await pageRow(sub.id)];
    expect(t1.deleted_at).not.toBeNull();
    expect(t1.deleted_by).toBe(alice.id);
    expect(s1.deleted_at).toBe(t1.deleted_at);
    expect(s1.deleted_by).toBe(alice.id);
    expect(s1.parent_id).toBe(top.id);
    const deleted = await store.db.selectFrom("activity").select(["actor_id", "data"]).where("verb", "=", "page_deleted").execute();
    expect(deleted.filter((a) => JSON.parse(a.data).title === top.title).map((a) => a.actor_id)).toEqual([alice.id]);

    // Gone from everything a reader reaches.
    for (const path of [`${wiki()}/${top.slug}`, `${wiki()}/${sub.slug}`, `${wiki()}/${top.slug}/history`, `/pages/${top.id}`, `/pages/${sub.id}`]) {
      expect((await c.bob.get(path)).status, path).toBe(404);
    }
    expect((await tree(c.bob)).map((e) => e.id)).not.toContain(top.id);
    expect(await tree(c.bob, top.id)).toEqual([]);
    expect(await search(c.bob, tag)).toEqual([]);
    expect((await c.bob.get(wiki())).text.includes(`${wiki()}/${top.slug}"`), "the wiki home still links the trashed page").toBe(false);
    expect((await c.bob.get(`${wiki()}/${linker.slug}`)).status).toBe(200);

    // A member cannot see or use the trash.
    expect((await c.bob.get(`${wiki()}/trash`)).status).toBe(403);
    expect((await c.alice.get(`${wiki()}/trash`)).status).toBe(403);
    const before = await wikiSnapshot();
    expect((await c.alice.post(`${wiki()}/trash`, { intent: "restore", pageId: top.id })).status).toBe(403);
    expect(await wikiSnapshot()).toEqual(before);

    // An editor sees the top page only.
    const trash = await c.editor.get(`${wiki()}/trash`);
    expect(trash.status).toBe(200);
    expect(pageText(trash.text)).toContain(top.title);
    expect(pageText(trash.text)).not.toContain(sub.title);
    expect(trash.text).toContain(`value="${top.id}"`);
    expect(trash.text).not.toContain(`value="${sub.id}"`);

    // …and restores it, with its sub-page.
    const restore = await c.editor.post(`${wiki()}/trash`, { intent: "restore", pageId: top.id });
    expect(restore.status).toBe(302);
    expect(restore.location).toBe(`${wiki()}/${top.slug}`);
    expect(await flashOf(restore)).toMatchObject({ kind: "success", key: "wiki.pageRestored" });
    const [t2, s2] = [await pageRow(top.id), await pageRow(sub.id)];
    expect([t2.deleted_at, t2.deleted_by, s2.deleted_at, s2.deleted_by]).toEqual([null, null, null, null]);
    expect(t2.parent_id).toBeNull();
    expect(s2.parent_id).toBe(top.id);
    expect((await c.bob.get(`${wiki()}/${top.slug}`)).status).toBe(200);
    expect((await c.bob.get(`${wiki()}/${sub.slug}`)).status).toBe(200);
    expect((await tree(c.bob)).find((e) => e.id === top.id)).toMatchObject({ childCount: 1 });
    expect((await tree(c.bob, top.id)).map((e) => e.id)).toEqual([sub.id]);
    expect((await search(c.bob, tag)).sort()).toEqual([top.title, sub.title].sort());
    // (The flash of the restore names the page on the next answer: look at the list's forms.)
    expect((await c.editor.get(`${wiki()}/trash`)).text).not.toContain(`value="${top.id}"`);
    const restored = await store.db.selectFrom("activity").select(["actor_id", "data"]).where("verb", "=", "page_restored").execute();
    expect(restored.filter((a) => JSON.parse(a.data).title === top.title).map((a) => a.actor_id)).toEqual([editor.id]);
  });

  test("a trashed page's backlinks disappear from the page it linked to, and come back with it", async () => {
    const target = await createPage(c.alice, uniqueTitle("Cible corbeille"));
    const source = await createPage(c.bob, uniqueTitle("Source corbeille"), {
      content: lexicalDoc(paragraph(pageLink(target.id, "cible"))),
    });
    const backlinked = async () => {
      const html = (await c.alice.get(`${wiki()}/${target.slug}`)).text;
      const start = html.indexOf('id="backlinks-title"');
      return html.slice(start, html.indexOf("</section>", start)).includes(`href="${wiki()}/${source.slug}"`);
    };
    expect(await backlinked()).toBe(true);
    expect((await c.bob.post(`${wiki()}/${source.slug}`, { intent: "delete" })).status).toBe(302);
    expect(await backlinked()).toBe(false);
    expect((await c.admin.post(`${wiki()}/trash`, { intent: "restore", pageId: source.id })).status).toBe(302);
    expect(await backlinked()).toBe(true);
  });

  test("a member may not delete someone else's page (403, nothing changes); an editor may", async () => {
    const theirs = await createPage(c.alice, uniqueTitle("Page d'Alice"));
    const before = await wikiSnapshot();
    const res = await c.bob.post(`${wiki()}/${theirs.slug}`, { intent: "delete" });
    expect(res.status).toBe(403);
    expect(await wikiSnapshot()).toEqual(before);
    // The view offers bob no delete button either.
    expect((await c.bob.get(`${wiki()}/${theirs.slug}`)).text.includes('value="delete"')).toBe(false);

    const byEditor = await c.editor.post(`${wiki()}/${theirs.slug}`, { intent: "delete" });
    expect(byEditor.status).toBe(302);
    expect((await pageRow(theirs.id)).deleted_by).toBe(editor.id);
  });

  test("a sub-page restored on its own, while its parent stays in the trash, comes back at the top level", async () => {
    const top = await createPage(c.alice, uniqueTitle("Parent perdu"));
    const sub = await createPage(c.alice, uniqueTitle("Enfant retrouve"), { parentId: top.id });
    expect((await c.alice.post(`${wiki()}/${top.slug}`, { intent: "delete" })).status).toBe(302);
    const res = await c.editor.post(`${wiki()}/trash`, { intent: "restore", pageId: sub.id });
    expect(res.status).toBe(302);
    const s = await pageRow(sub.id);
    expect(s.deleted_at).toBeNull();
    expect(s.parent_id).toBeNull();
    expect((await pageRow(top.id)).deleted_at).not.toBeNull();
    expect((await tree(c.alice)).map((e) => e.id)).toContain(sub.id);
    // Put the fixture back.
    expect((await c.editor.post(`${wiki()}/trash`, { intent: "restore", pageId: top.id })).status).toBe(302);
  });

  test("restoring a page of another space, a live page, or an id that exists nowhere → 404", async () => {
    const elsewhere = await createPage(c.dave, uniqueTitle("Corbeille voisine"), { space: other });
    expect((await c.admin.post(`${wiki(other)}/${elsewhere.slug}`, { intent: "delete" })).status).toBe(302);
    const live = await createPage(c.alice, uniqueTitle("Bien vivante"));
    const before = await wikiSnapshot();
    for (const pageId of [elsewhere.id, live.id, "nosuchpageanywhere0000"]) {
      expect((await c.editor.post(`${wiki()}/trash`, { intent: "restore", pageId })).status, pageId).toBe(404);
    }
    expect(await wikiSnapshot()).toEqual(before);
    expect((await pageRow(elsewhere.id)).deleted_at).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------
// Tree JSON and title search
// ---------------------------------------------------------------------------

describe("the tree JSON", () => {
  test("one level at a time, titles and child counts, never the content", async () => {
    const root = await createPage(c.alice, uniqueTitle("Racine arbre"), { content: doc("SECRETCONTENTROOT") });
    const k1 = await createPage(c.alice, uniqueTitle("Branche un"), { parentId: root.id, content: doc("SECRETCONTENTK1") });
    const k2 = await createPage(c.alice, uniqueTitle("Branche deux"), { parentId: root.id, content: doc("SECRETCONTENTK2") });
    const leaf = await createPage(c.alice, uniqueTitle("Feuille"), { parentId: k1.id, content: doc("SECRETCONTENTLEAF") });

    const top = await c.bob.get(`${wiki()}/tree`);
    expect(top.status).toBe(200);
    expect(top.headers["content-type"]).toMatch(/^application\/json/);
    expect(top.text).not.toMatch(/SECRETCONTENT/);
    const topPages = (JSON.parse(top.text) as { pages: Array<Record<string, unknown>> }).pages;
    const entry = topPages.find((e) => e.id === root.id);
    expect(entry).toEqual({ id: root.id, title: root.title, slug: root.slug, childCount: 2 });
    for (const e of topPages) {
      expect(Object.keys(e).sort()).toEqual(["childCount", "id", "slug", "title"]);
    }
    // Only the top level: no child shows at the root.
    expect(topPages.map((e) => e.id)).not.toContain(k1.id);
    expect(topPages.map((e) => e.id)).not.toContain(leaf.id);

    const level2 = await c.bob.get(`${wiki()}/tree?parent=${root.id}`);
    expect(level2.text).not.toMatch(/SECRETCONTENT|content_json|content_html|content_text/);
    expect(JSON.parse(level2.text).pages).toEqual([
      { id: k1.id, title: k1.title, slug: k1.slug, childCount: 1 },
      { id: k2.id, title: k2.title, slug: k2.slug, childCount: 0 },
    ]);
    expect(await tree(c.bob, k1.id)).toEqual([{ id: leaf.id, title: leaf.title, slug: leaf.slug, childCount: 0 }]);
  });

  test("a parent id from another space lists nothing of that space", async () => {
    const elsewhere = await createPage(c.dave, uniqueTitle("Parent voisin"), { space: other });
    await createPage(c.dave, uniqueTitle("Enfant voisin"), { space: other, parentId: elsewhere.id });
    expect(await tree(c.dave, elsewhere.id)).toEqual([]);
  });
});

describe("the title search JSON", () => {
  let titles: Record<"planA" | "planifier" | "planXA" | "budget" | "mille", string>;

  beforeAll(async () => {
    const tag = `Qz${Date.now().toString(36).slice(-4)}`;
    titles = {
      planA: `${tag} Plan_A fournisseurs`,
      planifier: `${tag} Planifier les achats`,
      planXA: `${tag} PlanXA interne`,
      budget: `${tag} Budget 100% realise`,
      mille: `${tag} Budget 1000 euros`,
    };
    for (const t of Object.values(titles)) await createPage(c.alice, t);
    await createPage(c.dave, `${tag} Plan voisin`, { space: other });
  });

  test("finds by title substring, ignoring case, in this space only", async () => {
    const found = await search(c.bob, "PLAN");
    expect(found.sort()).toEqual([titles.planA, titles.planifier, titles.planXA].sort());
    expect(await search(c.bob, "aChAtS")).toContain(titles.planifier);
    expect(await search(c.bob, "fournisseurs")).toContain(titles.planA);
  });

  test("% and _ are matched literally, not as wildcards", async () => {
    expect(await search(c.bob, "n_A")).toEqual([titles.planA]);
    expect(await search(c.bob, "_")).toEqual([titles.planA]);
    expect(await search(c.bob, "100%")).toEqual([titles.budget]);
    expect(await search(c.bob, "%")).toEqual([titles.budget]);
    expect(await search(c.bob, "0%r")).toEqual([]);
    expect(await search(c.bob, "\\")).toEqual([]);
  });

  test("ignores case for accented capitals too (French titles: É, À, Ç…)", async () => {
    const title = `${Date.now().toString(36)} École des achats`;
    await createPage(c.alice, title);
    expect(await search(c.bob, "École des")).toEqual([title]);
    expect(await search(c.bob, "cole DES")).toEqual([title]);
    // BUG (db/queries/pages.ts searchTitles): SQLite's LIKE folds ASCII letters only,
    // so "école" and "ÉCOLE" do not find "École".
    expect(await search(c.bob, "école des"), "a lower-case é does not match É").toEqual([title]);
    expect(await search(c.bob, "ÉCOLE DES"), "ÉCOLE does not match École").toEqual([title]);
  });

  test("answers with ids and titles only", async () => {
    const res = await c.bob.get(`${wiki()}/search?q=${encodeURIComponent("Plan_A")}`);
    const pages = (JSON.parse(res.text) as { pages: Array<Record<string, unknown>> }).pages;
    expect(pages).toHaveLength(1);
    expect(Object.keys(pages[0]).sort()).toEqual(["id", "title"]);
    expect(res.headers["cache-control"]).toMatch(/no-store/);
  });
});
