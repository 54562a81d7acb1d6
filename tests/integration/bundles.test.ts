import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { addMember, createNetwork, createSpace, createUser, signIn } from "#tests/factories.ts";
import { openTestDb } from "#tests/helpers/db.ts";
import { client, pageText, type Client } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import { repoRoot, startServer, type TestServer } from "#tests/helpers/server.ts";

/**
 * Pages that only show content load no editor code: the JavaScript a page
 * of the built app asks the browser to load up front (its
 * `<link rel="modulepreload">` list, which is the route's static imports)
 * holds no part of Lexical's editor. The editor is known by a line of its
 * core that only an editor runs — it marks the element it edits with
 * data-lexical-editor — so the check does not hang on chunk names, which
 * change with every build. The edit screens are the counterproof: theirs do
 * hold it. (The comment box loads its editor later, by a dynamic import,
 * only for those who may comment.)
 */

const EDITOR_CORE = /setAttribute\("data-lexical-editor",\s*"true"\)/;
const clientDir = path.join(repoRoot, "build", "client");

let server: TestServer;
let store: OpenedDatabase;
let editor: Client;
let space: Space;
let wikiPage = "";
let blogPost = "";
let networkPost = "";

beforeAll(async () => {
  server = await startServer();
  store = openTestDb(server.dbFile);
  await createNetwork(store.db);
  const admin = await createUser(store.db, { email: "admin@bundles.test" });
  const author = await createUser(store.db, { email: "editrice@bundles.test", displayName: "Éditrice" });
  space = await createSpace(store.db, { createdBy: admin.id, slug: "atelier-bundles", name: "Atelier" });
  await addMember(store.db, { space, user: author, role: "editor" });
  editor = client(server.url);
  await signIn(editor, author.email, author.password);

  const page = await editor.post(`/spaces/${space.slug}/wiki/new`, { title: "Une page à lire", content: doc(paragraph("Du texte, rien d’autre.")), summary: "" });
  expect(page.status, pageText(page.text).slice(0, 300)).toBe(302);
  wikiPage = page.location!;
  const draft = await editor.post(`/spaces/${space.slug}/blog/new`, {
    title: "Un article à lire",
    content: doc(paragraph("Le texte de l’article.")),
    excerpt: "",
    coverFileId: "",
    tags: "",
    visibility: "network",
  });
  expect(draft.status, pageText(draft.text).slice(0, 300)).toBe(302);
  const slug = draft.location!.replace(`/spaces/${space.slug}/blog/`, "").replace(/\/edit$/, "");
  const post = await store.db.selectFrom("post").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
  const published = await editor.post(`/spaces/${space.slug}/blog/${slug}/edit`, { postId: post.id, intent: "publish" });
  expect(published.status, pageText(published.text).slice(0, 300)).toBe(302);
  blogPost = `/spaces/${space.slug}/blog/${slug}`;
  networkPost = `/latest/${post.id}`;
});

afterAll(async () => {
  await store?.close();
  await server?.close();
});

/** The scripts a page has the browser load before it runs: its entry and every modulepreload. */
async function preloaded(path: string): Promise<string[]> {
  const res = await editor.get(path);
  expect(res.status, `${path}: ${pageText(res.text).slice(0, 200)}`).toBe(200);
  const hrefs = [...res.text.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
  expect(hrefs.length, `${path} lists no modulepreload`).toBeGreaterThan(3);
  return hrefs;
}

function holdingTheEditor(hrefs: string[]) {
  return hrefs.filter((href) => EDITOR_CORE.test(readFileSync(path.join(clientDir, href), "utf8")));
}

describe("pages that only show content load no editor code", () => {
  test.each([
    ["a wiki page", () => wikiPage],
    ["a blog article, comments shown", () => blogPost],
    ["the article as the network reads it", () => networkPost],
    ["the wiki's index", () => `/spaces/${space.slug}/wiki`],
  ])("%s", async (_what, where) => {
    const hrefs = await preloaded(where());
    expect(holdingTheEditor(hrefs)).toEqual([]);
    // The article's comment box is there for this editor, its editor left to load when the page runs.
    if (where() === blogPost) expect((await editor.get(blogPost)).text).toContain("comment-editor-placeholder");
  });
});

describe("the edit screens do load it (the check finds the editor where it is)", () => {
  test.each([
    ["editing a wiki page", () => `${wikiPage}/edit`],
    ["a new article", () => `/spaces/${space.slug}/blog/new`],
  ])("%s", async (_what, where) => {
    expect(holdingTheEditor(await preloaded(where()))).toHaveLength(1);
  });
});
