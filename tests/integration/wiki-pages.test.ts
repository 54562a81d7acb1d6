import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Page, Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { flashOf, tablesOf } from "#tests/helpers/state.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { ELEMENT, doc, heading, link, pageLink, paragraph, text, type LexicalNode as Node } from "#tests/helpers/lexical.ts";

/**
 * The wiki's writing path over real HTTP, with real session cookies and the
 * real SQLite file: creating a page (revision, derived HTML, server-side
 * rendering, activity), refusal of hostile content, history / diff / restore,
 * refusal of a stale save (409, nothing written, both versions shown) and
 * backlinks that survive a rename. Every write is followed by a look at the
 * database. (Tree, move, trash and search: wiki-tree.test.ts; rights: wiki-rights.test.ts.)
 */

let server: TestServer;
let store: OpenedDatabase;

let admin: TestUser; // admin of the atelier space and of the other space
let editor: TestUser; // editor of the atelier space
let alice: TestUser; // member
let bob: TestUser; // member
let dave: TestUser; // member of the atelier space and of the other space

let atelier: Space;
let other: Space;

const c = {} as Record<"admin" | "editor" | "alice" | "bob" | "dave", Client>;

let w: World<"admin" | "editor" | "alice" | "bob" | "dave", "atelier" | "other">;

beforeAll(async () => {
  w = await world({
    domain: "wiki-pages.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Wiki`,
    people: { admin: {}, editor: {}, alice: {}, bob: {}, dave: {} },
    spaces: {
      atelier: { createdBy: "admin", slug: "atelier", name: "Atelier Achats", visibility: "secret", members: { editor: "editor", alice: "member", bob: "member", dave: "member" } },
      other: { createdBy: "admin", slug: "autre", name: "Autre Club", visibility: "secret", members: { dave: "member" } },
    },
  });
  ({ server, store } = w);
  ({ admin, editor, alice, bob, dave } = w.people);
  ({ atelier, other } = w.spaces);
  Object.assign(c, w.c);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Lexical documents, as the editor posts them
// ---------------------------------------------------------------------------


// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

let seq = 0;
/** A title no other test uses, so slugs never collide. */
const uniqueTitle = (base: string) => `${base} ${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}`;

const wiki = (space: Space = atelier) => `/spaces/${space.slug}/wiki`;

const pageRow = (id: string) => store.db.selectFrom("page").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const pageBySlug = (space: Space, slug: string) =>
  store.db.selectFrom("page").selectAll().where("space_id", "=", space.id).where("slug", "=", slug).executeTakeFirst();
const revisionsOf = (pageId: string) =>
  store.db.selectFrom("page_revision").selectAll().where("page_id", "=", pageId).orderBy("number").execute();
const linksFrom = (pageId: string) => store.db.selectFrom("page_link").selectAll().where("from_page_id", "=", pageId).execute();

/** Every row of the wiki's tables and of the activity: a refused write leaves them all as they were. */
function wikiSnapshot() {
  return tablesOf(store.db, ["page", "page_revision", "page_link", "activity"]);
}

/** Creates a page through the real form; returns its row. */
async function createPage(
  cl: Client,
  input: { title: string; content: string; summary?: string; parentId?: string },
  space: Space = atelier,
): Promise<Page> {
  const fields: Record<string, string> = { title: input.title, content: input.content, summary: input.summary ?? "" };
  if (input.parentId) fields.parentId = input.parentId;
  const res = await cl.post(`${wiki(space)}/new`, fields);
  expect(res.status, `create “${input.title}”: ${pageText(res.text).slice(0, 300)}`).toBe(302);
  const slug = res.location!.replace(`${wiki(space)}/`, "");
  const row = await pageBySlug(space, slug);
  expect(row, `no page row at ${res.location}`).toBeDefined();
  return row!;
}

/** Saves through the edit form. */
/** Posts what the edit form posts, the page's id included (its slug may have changed meanwhile). */
function save(cl: Client, page: Pick<Page, "slug"> & { id?: string }, input: { title: string; content: string; summary?: string; baseRevision: number }, space: Space = atelier) {
  return cl.post(`${wiki(space)}/${page.slug}/edit`, {
    ...(page.id ? { pageId: page.id } : {}),
    title: input.title,
    content: input.content,
    summary: input.summary ?? "",
    baseRevision: String(input.baseRevision),
  });
}

/** The HTML of the "pages that link here" section of a page view. */
function backlinksSection(res: HttpResponse): string {
  const start = res.text.indexOf('id="backlinks-title"');
  expect(start, "the page view has no backlinks section").toBeGreaterThan(-1);
  return res.text.slice(start, res.text.indexOf("</section>", start));
}

/** The value of a hidden input of the answer, or undefined. */
function inputValue(html: string, name: string): string | undefined {
  const tag = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0];
  return tag?.match(/value="([^"]*)"/)?.[1];
}

// ---------------------------------------------------------------------------
// Creating a page
// ---------------------------------------------------------------------------

describe("creating a page", () => {
  test("a member creates a page: revision 1 with author and summary, HTML derived on the server, rendered without JavaScript, activity recorded", async () => {
    const title = uniqueTitle("Compte rendu atelier achats");
    const content = doc(heading("h1", "Negociation fournisseurs"), paragraph("Trois leviers: ", { ...text("volume", 1) }, ", delais, qualite."));
    const res = await c.alice.post(`${wiki()}/new`, { title, content, summary: "Premiere version" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toMatchObject({ kind: "success", key: "wiki.created" });
    const slug = res.location!.replace(`${wiki()}/`, "");
    expect(slug).toMatch(/^compte-rendu-atelier-achats-/);

    const page = (await pageBySlug(atelier, slug))!;
    expect(page).toMatchObject({ title, parent_id: null, revision: 1, created_by: alice.id, updated_by: alice.id, deleted_at: null });
    // The derived HTML is the server's: the heading as <h1>, bold as <strong>, no inline style.
    expect(page.content_html).toMatch(/<h1\b[^>]*>[\s\S]*Negociation fournisseurs[\s\S]*<\/h1>/);
    expect(page.content_html).toMatch(/<strong\b[^>]*>[\s\S]*volume/);
    expect(page.content_html).not.toMatch(/style=/);
    expect(page.content_text).toContain("Negociation fournisseurs");
    expect(page.content_text).toContain("Trois leviers");

    const revisions = await revisionsOf(page.id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ number: 1, title, author_id: alice.id, summary: "Premiere version", content_json: page.content_json });
    expect(JSON.parse(revisions[0].content_json).root.children[0]).toMatchObject({ type: "heading", tag: "h1" });

    // Read by someone else, as a plain HTML document (no JavaScript needed).
    const view = await c.bob.get(res.location!);
    expect(view.status).toBe(200);
    expect(view.text).toContain(page.content_html);
    expect(view.text).toMatch(/<h1\b[^>]*>[\s\S]*Negociation fournisseurs[\s\S]*<\/h1>/);
    expect(pageText(view.text)).toContain(title);

    const activity = await store.db
      .selectFrom("activity")
      .selectAll()
      .where("space_id", "=", atelier.id)
      .where("verb", "=", "page_created")
      .where("actor_id", "=", alice.id)
      .execute();
    expect(activity.map((a) => JSON.parse(a.data))).toContainEqual(expect.objectContaining({ title, slug }));
  });

  test("the wiki home lists the new page in the tree and the recent changes", async () => {
    const page = await createPage(c.alice, { title: uniqueTitle("Page d'accueil listee"), content: doc(paragraph("x")) });
    const res = await c.bob.get(wiki());
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="${wiki()}/${page.slug}"`);
  });

  test("a page created under a parent gets it as parent_id and is listed among its sub-pages", async () => {
    const parent = await createPage(c.alice, { title: uniqueTitle("Parent"), content: doc(paragraph("p")) });
    const child = await createPage(c.bob, { title: uniqueTitle("Enfant"), content: doc(paragraph("e")), parentId: parent.id });
    expect(child.parent_id).toBe(parent.id);
    const view = await c.alice.get(`${wiki()}/${parent.slug}`);
    expect(view.text).toContain(`href="${wiki()}/${child.slug}"`);
    // And the child's breadcrumb names the parent.
    const childView = await c.alice.get(`${wiki()}/${child.slug}`);
    expect(childView.text).toContain(`href="${wiki()}/${parent.slug}"`);
  });

  test("a parent in the trash, or that exists nowhere → 404, nothing stored", async () => {
    const parent = await createPage(c.alice, { title: uniqueTitle("Parent jete"), content: doc(paragraph("p")) });
    expect((await c.alice.post(`${wiki()}/${parent.slug}`, { intent: "delete" })).status).toBe(302);
    const before = await wikiSnapshot();
    for (const parentId of [parent.id, "nosuchpageanywhere0000"]) {
      const res = await c.alice.post(`${wiki()}/new`, { title: uniqueTitle("Orphelin"), content: doc(paragraph("x")), summary: "", parentId });
      expect(res.status, parentId).toBe(404);
    }
    expect(await wikiSnapshot()).toEqual(before);
  });

  test("the same title twice gets a second address; a title with no letters still gets one", async () => {
    const title = uniqueTitle("Ordre du jour");
    const first = await createPage(c.alice, { title, content: doc(paragraph("1")) });
    const second = await createPage(c.bob, { title, content: doc(paragraph("2")) });
    expect(second.slug).toBe(`${first.slug}-2`);
    expect((await c.alice.get(`${wiki()}/${first.slug}`)).text).toContain(first.content_html);
    expect((await c.alice.get(`${wiki()}/${second.slug}`)).text).toContain(second.content_html);
    const symbols = await createPage(c.alice, { title: "!!! ??? !!!", content: doc(paragraph("symboles")) });
    expect(symbols.slug).toMatch(/^page(-\d+)?$/);
    expect((await c.alice.get(`${wiki()}/${symbols.slug}`)).status).toBe(200);
  });

  test("a missing title is refused with 400 and nothing stored", async () => {
    const before = await wikiSnapshot();
    const res = await c.alice.post(`${wiki()}/new`, { title: "   ", content: doc(paragraph("x")), summary: "" });
    expect(res.status).toBe(400);
    expect(await wikiSnapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// Hostile content
// ---------------------------------------------------------------------------

describe("hostile content is refused with 400 and nothing is stored", () => {
  let nested: Node = paragraph("au fond");
  for (let i = 0; i < 50; i++) nested = { type: "quote", ...ELEMENT, children: [nested] };

  const HOSTILE: Array<[string, string, string]> = [
    ["an unknown node type", doc({ type: "script", ...ELEMENT, children: [text("alert(1)")] }), "unknown_node"],
    ["an unknown node type (iframe) deep inside a paragraph", doc(paragraph("x", { type: "iframe", src: "https://evil.example", version: 1 })), "unknown_node"],
    ["a javascript: link", doc(paragraph(link("javascript:alert(document.cookie)", "cliquez"))), "bad_url"],
    ["a javascript: link in disguise", doc(paragraph(link("JaVaScRiPt:alert(1)", "cliquez"))), "bad_url"],
    ["a data: link", doc(paragraph(link("data:text/html,<script>alert(1)</script>", "cliquez"))), "bad_url"],
    ["a page link whose id is a URL", doc(paragraph(pageLink("javascript:alert(1)", "page"))), "bad_url"],
    ["50 levels of nesting", doc(nested), "too_deep"],
    ["a data: image", doc(paragraph({ type: "image", src: "data:image/svg+xml,<svg onload=alert(1)>", altText: "x", version: 1 })), "bad_url"],
    ["an image from another site", doc(paragraph({ type: "image", src: "https://evil.example/pixel.png", altText: "x", version: 1 })), "bad_url"],
    ["invalid JSON", '{"root": {"type": "root", "children": [', "malformed"],
    ["JSON that is not an editor state", JSON.stringify({ hello: "world" }), "malformed"],
    ["a __proto__ key", '{"root":{"type":"root","version":1,"direction":null,"format":"","indent":0,"children":[],"__proto__":{"polluted":1}}}', "malformed"],
    ["more than a megabyte", doc(paragraph("x".repeat(1024 * 1024 + 10))), "too_large"],
  ];

  test.each(HOSTILE)("creating a page with %s → 400, no page row, no revision", async (_label, content) => {
    const title = uniqueTitle("Hostile");
    const before = await wikiSnapshot();
    const res = await c.alice.post(`${wiki()}/new`, { title, content, summary: "" });
    expect(res.status).toBe(400);
    // A clear message in the form, not a crash page.
    expect(res.text).toContain('id="content-error"');
    expect(await wikiSnapshot()).toEqual(before);
    expect(await store.db.selectFrom("page").select("id").where("title", "=", title).executeTakeFirst()).toBeUndefined();
  });

  test.each(HOSTILE)("saving a page with %s → 400, the page and its history unchanged", async (_label, content) => {
    const page = await createPage(c.alice, { title: uniqueTitle("Cible"), content: doc(paragraph("intact")) });
    const before = await wikiSnapshot();
    const res = await save(c.bob, page, { title: page.title, content, baseRevision: 1 });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="content-error"');
    expect(await wikiSnapshot()).toEqual(before);
    expect((await pageRow(page.id)).revision).toBe(1);
  });

  test("script-like text is stored as text and always shown escaped, never as a tag", async () => {
    const payload = "<script>alert(1)</script>";
    const img = '<img src=x onerror="alert(2)">';
    const title = uniqueTitle(`${payload} titre`);
    const page = await createPage(c.alice, { title, content: doc(heading("h2", payload), paragraph(img)) });
    expect(JSON.parse(page.content_json).root.children[0].children[0].text).toBe(payload);
    expect(page.content_text).toContain(payload);
    expect(page.content_html).not.toContain("<script");
    expect(page.content_html).not.toContain("<img");
    expect(page.content_html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

    for (const path of [`${wiki()}/${page.slug}`, `${wiki()}/${page.slug}/history`, `${wiki()}/${page.slug}/edit`, wiki()]) {
      const res = await c.bob.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text.includes(payload), `${path} holds a live <script> tag`).toBe(false);
      expect(res.text.includes("<img src=x"), `${path} holds a live <img> tag`).toBe(false);
    }
    const view = await c.bob.get(`${wiki()}/${page.slug}`);
    expect(view.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(pageText(view.text)).toContain(payload);
  });

  test("HTML sent beside the JSON is never trusted: only what the server derives is stored", async () => {
    const page = await createPage(c.alice, { title: uniqueTitle("Sans HTML client"), content: doc(paragraph("propre")) });
    const res = await c.alice.post(`${wiki()}/${page.slug}/edit`, {
      title: page.title,
      content: doc(paragraph("toujours propre")),
      html: "<script>alert(1)</script>",
      content_html: "<script>alert(1)</script>",
      summary: "",
      baseRevision: "1",
    });
    expect(res.status).toBe(302);
    const row = await pageRow(page.id);
    expect(row.content_html).toContain("toujours propre");
    expect(row.content_html).not.toContain("<script");
  });
});

// ---------------------------------------------------------------------------
// History, compare, restore
// ---------------------------------------------------------------------------

describe("history", () => {
  test("every save is a revision; history lists them newest first; compare marks the changed words; restore makes a new revision", async () => {
    const page = await createPage(c.alice, {
      title: uniqueTitle("Methode sourcing"),
      content: doc(paragraph("The quick brown fox jumps over the lazy dog")),
      summary: "premier jet",
    });
    const saved = await save(c.bob, page, { title: page.title, content: doc(paragraph("The quick red fox leaps over the lazy dog")), summary: "couleur", baseRevision: 1 });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`${wiki()}/${page.slug}`);
    expect(await flashOf(saved)).toMatchObject({ kind: "success", key: "wiki.saved" });

    const afterSave = await revisionsOf(page.id);
    expect(afterSave.map((r) => [r.number, r.author_id, r.summary])).toEqual([
      [1, alice.id, "premier jet"],
      [2, bob.id, "couleur"],
    ]);
    expect(await pageRow(page.id)).toMatchObject({ revision: 2, updated_by: bob.id });
    expect((await pageRow(page.id)).content_text).toContain("red fox leaps");
    const edited = await store.db.selectFrom("activity").select("data").where("verb", "=", "page_edited").where("actor_id", "=", bob.id).execute();
    expect(edited.map((a) => JSON.parse(a.data).slug)).toContain(page.slug);

    // The list, newest first.
    const history = await c.alice.get(`${wiki()}/${page.slug}/history`);
    expect(history.status).toBe(200);
    const listed = [...history.text.matchAll(/data-testid="revision"[\s\S]*?<strong>([^<]*)<\/strong>/g)].map((m) => Number(m[1].match(/\d+/)?.[0]));
    expect(listed).toEqual([2, 1]);
    const text = pageText(history.text);
    expect(text.indexOf("couleur")).toBeGreaterThan(-1);
    expect(text.indexOf("couleur")).toBeLessThan(text.indexOf("premier jet"));

    // Compare 1 → 2: removed and added words marked, the rest unmarked.
    const diff = await c.alice.get(`${wiki()}/${page.slug}/history?from=1&to=2`);
    expect(diff.status).toBe(200);
    const dels = [...diff.text.matchAll(/<del>([^<]*)<\/del>/g)].map((m) => m[1]).join("|");
    const inss = [...diff.text.matchAll(/<ins>([^<]*)<\/ins>/g)].map((m) => m[1]).join("|");
    expect(dels).toContain("brown");
    expect(dels).toContain("jumps");
    expect(inss).toContain("red");
    expect(inss).toContain("leaps");
    for (const same of ["quick", "fox", "lazy"]) {
      expect(dels.includes(same) || inss.includes(same), `“${same}” did not change`).toBe(false);
    }
    // Any two, in either direction.
    const back = await c.alice.get(`${wiki()}/${page.slug}/history?from=2&to=1`);
    expect([...back.text.matchAll(/<ins>([^<]*)<\/ins>/g)].map((m) => m[1]).join("|")).toContain("brown");

    // Restore 1 (an editor): revision 3 with revision 1's content; 1 and 2 untouched.
    const restore = await c.editor.post(`${wiki()}/${page.slug}/history`, { intent: "restore", revision: "1" });
    expect(restore.status).toBe(302);
    expect(restore.location).toBe(`${wiki()}/${page.slug}`);
    expect(await flashOf(restore)).toMatchObject({ kind: "success", key: "wiki.restored" });
    const afterRestore = await revisionsOf(page.id);
    expect(afterRestore).toHaveLength(3);
    expect(afterRestore.slice(0, 2)).toEqual(afterSave);
    expect(afterRestore[2]).toMatchObject({ number: 3, author_id: editor.id, title: afterSave[0].title, content_json: afterSave[0].content_json });
    const current = await pageRow(page.id);
    expect(current).toMatchObject({ revision: 3, updated_by: editor.id, content_json: afterSave[0].content_json });
    expect(current.content_html).toContain("brown fox jumps");
    // The restored revision reads as such in the history.
    const history3 = await c.alice.get(`${wiki()}/${page.slug}/history`);
    const listed3 = [...history3.text.matchAll(/data-testid="revision"[\s\S]*?<strong>([^<]*)<\/strong>/g)].map((m) => Number(m[1].match(/\d+/)?.[0]));
    expect(listed3).toEqual([3, 2, 1]);
    // And the page view shows the restored content.
    expect((await c.bob.get(`${wiki()}/${page.slug}`)).text).toContain(current.content_html);
  });

  test("a member may not restore a revision (403), and nothing changes", async () => {
    const page = await createPage(c.alice, { title: uniqueTitle("Pas de restauration"), content: doc(paragraph("un")) });
    expect((await save(c.alice, page, { title: page.title, content: doc(paragraph("deux")), baseRevision: 1 })).status).toBe(302);
    const before = await wikiSnapshot();
    const res = await c.bob.post(`${wiki()}/${page.slug}/history`, { intent: "restore", revision: "1" });
    expect(res.status).toBe(403);
    expect(await wikiSnapshot()).toEqual(before);
  });

  test("comparing or restoring a revision the page does not have → 404", async () => {
    const page = await createPage(c.alice, { title: uniqueTitle("Une seule revision"), content: doc(paragraph("seule")) });
    expect((await c.alice.get(`${wiki()}/${page.slug}/history?from=1&to=7`)).status).toBe(404);
    const before = await wikiSnapshot();
    expect((await c.editor.post(`${wiki()}/${page.slug}/history`, { intent: "restore", revision: "7" })).status).toBe(404);
    expect((await c.editor.post(`${wiki()}/${page.slug}/history`, { intent: "restore", revision: "abc" })).status).toBe(400);
    expect(await wikiSnapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// Two people editing one page
// ---------------------------------------------------------------------------

describe("a save made on top of an outdated revision", () => {
  test("the first save wins (302), the second is refused with 409 and writes nothing, shows both versions, and may be saved again on the new base", async () => {
    const title = uniqueTitle("Page disputee");
    const page = await createPage(c.alice, { title, content: doc(paragraph("Texte commun de depart")) });

    // Both open the editor on revision 1.
    for (const cl of [c.alice, c.bob]) {
      const form = await cl.get(`${wiki()}/${page.slug}/edit`);
      expect(form.status).toBe(200);
      expect(inputValue(form.text, "baseRevision")).toBe("1");
    }

    const first = await save(c.alice, page, { title, content: doc(paragraph("Texte commun de depart, complete par ALPHAWRITER")), baseRevision: 1 });
    expect(first.status).toBe(302);
    const afterFirst = await pageRow(page.id);
    expect(afterFirst.revision).toBe(2);

    const before = await wikiSnapshot();
    const bobText = "Texte commun de depart, revu par BRAVOWRITER";
    const second = await save(c.bob, page, { title, content: doc(paragraph(bobText)), summary: "ma version", baseRevision: 1 });
    expect(second.status).toBe(409);
    // Nothing written: same revisions, the page holds the first save, no activity line.
    expect(await wikiSnapshot()).toEqual(before);
    expect(await revisionsOf(page.id)).toHaveLength(2);
    const now = await pageRow(page.id);
    expect(now.content_json).toBe(afterFirst.content_json);
    expect(now.content_text).toContain("ALPHAWRITER");
    expect(now.content_text).not.toContain("BRAVOWRITER");

    // The answer shows the other person's version and keeps the writer's own text, with the diff.
    expect(second.text).toContain(afterFirst.content_html);
    expect(second.text).toContain("ALPHAWRITER");
    expect(second.text).toContain("BRAVOWRITER");
    expect([...second.text.matchAll(/<ins>([^<]*)<\/ins>/g)].map((m) => m[1]).join("|")).toContain("BRAVOWRITER");
    expect([...second.text.matchAll(/<del>([^<]*)<\/del>/g)].map((m) => m[1]).join("|")).toContain("ALPHAWRITER");
    // …and offers to save on top of the revision that is now current.
    expect(inputValue(second.text, "baseRevision")).toBe("2");

    // Saving again on that base works.
    const merged = await save(c.bob, page, { title, content: doc(paragraph("Fusion: ALPHAWRITER et BRAVOWRITER")), summary: "fusion", baseRevision: 2 });
    expect(merged.status).toBe(302);
    const revisions = await revisionsOf(page.id);
    expect(revisions.map((r) => [r.number, r.author_id])).toEqual([
      [1, alice.id],
      [2, alice.id],
      [3, bob.id],
    ]);
    expect((await pageRow(page.id)).content_text).toContain("Fusion: ALPHAWRITER et BRAVOWRITER");
  });

  test("two saves on the same base at the same moment: exactly one is written, the other is told", async () => {
    const page = await createPage(c.alice, { title: uniqueTitle("Course"), content: doc(paragraph("depart")) });
    const [a, b] = await Promise.all([
      save(c.alice, page, { title: page.title, content: doc(paragraph("ecrit par CHARLIEONE")), baseRevision: 1 }),
      save(c.bob, page, { title: page.title, content: doc(paragraph("ecrit par DELTATWO")), baseRevision: 1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const revisions = await revisionsOf(page.id);
    expect(revisions.map((r) => r.number)).toEqual([1, 2]);
    const winner = a.status === 302 ? "CHARLIEONE" : "DELTATWO";
    expect((await pageRow(page.id)).content_text).toContain(winner);
    expect(revisions[1].content_text).toContain(winner);
  });

  test("when the first save renamed the page, the second writer still gets the conflict screen with their text, not a 404", async () => {
    const title = uniqueTitle("Avant renommage");
    const page = await createPage(c.alice, { title, content: doc(paragraph("Texte initial")) });
    // Both opened /wiki/<old slug>/edit; the first renames the page.
    const renamedTitle = uniqueTitle("Apres renommage");
    expect((await save(c.alice, page, { title: renamedTitle, content: doc(paragraph("Texte initial, ECHOFIRST")), baseRevision: 1 })).status).toBe(302);
    expect((await pageRow(page.id)).slug).not.toBe(page.slug);
    const before = await wikiSnapshot();
    // The second form still posts to the address it was loaded from.
    const second = await save(c.bob, page, { title, content: doc(paragraph("Texte initial, FOXTROTSECOND")), baseRevision: 1 });
    expect(await wikiSnapshot()).toEqual(before);
    expect(second.status, "the stale save to the page's old address answered").toBe(409);
    expect(second.text).toContain("FOXTROTSECOND");
    expect(second.text).toContain("ECHOFIRST");
    expect(inputValue(second.text, "baseRevision")).toBe("2");
  });

  test("a base revision from the future is a conflict too, and a base that is not a number is refused — nothing written either way", async () => {
    const page = await createPage(c.alice, { title: uniqueTitle("Base inventee"), content: doc(paragraph("x")) });
    const before = await wikiSnapshot();
    expect((await save(c.bob, page, { title: page.title, content: doc(paragraph("y")), baseRevision: 5 })).status).toBe(409);
    const bad = await c.bob.post(`${wiki()}/${page.slug}/edit`, { title: page.title, content: doc(paragraph("y")), summary: "", baseRevision: "" });
    expect(bad.status).toBe(400);
    expect(await wikiSnapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// Backlinks
// ---------------------------------------------------------------------------

describe("backlinks", () => {
  test("A links to B: B lists A; after B is renamed its slug changes, /pages/<id> follows, and A is still listed", async () => {
    const b = await createPage(c.alice, { title: uniqueTitle("Fournisseurs cles"), content: doc(paragraph("La liste.")) });
    const a = await createPage(c.bob, {
      title: uniqueTitle("Guide achats"),
      content: doc(paragraph("Voir ", pageLink(b.id, "la liste des fournisseurs"), " avant tout.")),
    });
    expect(await linksFrom(a.id)).toEqual([{ from_page_id: a.id, to_page_id: b.id }]);
    // The link is by id, through /pages/<id>.
    expect(a.content_html).toContain(`href="/pages/${b.id}"`);
    expect(a.content_html).toContain(`data-page-id="${b.id}"`);

    const bView = await c.dave.get(`${wiki()}/${b.slug}`);
    expect(bView.status).toBe(200);
    expect(backlinksSection(bView)).toContain(`href="${wiki()}/${a.slug}"`);
    expect(backlinksSection(bView)).toContain(a.title);

    // Rename B.
    const newTitle = uniqueTitle("Fournisseurs strategiques");
    const renamed = await save(c.alice, b, { title: newTitle, content: b.content_json, summary: "renommage", baseRevision: 1 });
    expect(renamed.status).toBe(302);
    const b2 = await pageRow(b.id);
    expect(b2.title).toBe(newTitle);
    expect(b2.slug).not.toBe(b.slug);
    expect(b2.slug).toMatch(/^fournisseurs-strategiques-/);
    expect(renamed.location).toBe(`${wiki()}/${b2.slug}`);
    expect((await revisionsOf(b.id)).map((r) => r.title)).toEqual([b.title, newTitle]);

    // The old address (a bookmark) leads on to the new one, and so does the id link.
    const old = await c.dave.get(`${wiki()}/${b.slug}`);
    expect(old.status).toBe(301);
    expect(old.location).toBe(`${wiki()}/${b2.slug}`);
    const follow = await c.dave.get(`/pages/${b.id}`);
    expect(follow.status).toBe(302);
    expect(follow.location).toBe(`${wiki()}/${b2.slug}`);

    // The link from A still stands.
    expect(await linksFrom(a.id)).toEqual([{ from_page_id: a.id, to_page_id: b.id }]);
    const b2View = await c.dave.get(`${wiki()}/${b2.slug}`);
    expect(b2View.status).toBe(200);
    expect(backlinksSection(b2View)).toContain(`href="${wiki()}/${a.slug}"`);
  });

  test("removing the link from A's content removes the backlink", async () => {
    const b = await createPage(c.alice, { title: uniqueTitle("Cible de lien"), content: doc(paragraph("cible")) });
    const a = await createPage(c.alice, { title: uniqueTitle("Source de lien"), content: doc(paragraph(pageLink(b.id, "vers B"))) });
    expect(await linksFrom(a.id)).toHaveLength(1);
    expect((await save(c.alice, a, { title: a.title, content: doc(paragraph("plus de lien")), baseRevision: 1 })).status).toBe(302);
    expect(await linksFrom(a.id)).toEqual([]);
    expect(backlinksSection(await c.alice.get(`${wiki()}/${b.slug}`))).not.toContain(`href="${wiki()}/${a.slug}"`);
  });

  test("a page link to a page of another space, or to no page at all, is not recorded", async () => {
    const elsewhere = await createPage(c.dave, { title: uniqueTitle("Page d'un autre club"), content: doc(paragraph("ailleurs")) }, other);
    const a = await createPage(c.dave, {
      title: uniqueTitle("Lien vers ailleurs"),
      content: doc(paragraph(pageLink(elsewhere.id, "autre club"), " et ", pageLink("zzzzzzzzzzzzzzzzzzzzzzzz", "nulle part"))),
    });
    expect(await linksFrom(a.id)).toEqual([]);
    expect(await store.db.selectFrom("page_link").selectAll().where("to_page_id", "=", elsewhere.id).execute()).toEqual([]);
    const view = await c.dave.get(`/spaces/${other.slug}/wiki/${elsewhere.slug}`);
    expect(view.status).toBe(200);
    expect(backlinksSection(view)).not.toContain(a.title);
    // A reader of this space following the link gets no further than the other space lets them.
    expect((await c.alice.get(`/pages/${elsewhere.id}`)).status).toBe(404);
  });
});
