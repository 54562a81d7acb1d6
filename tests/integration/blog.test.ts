import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import * as postQueries from "#db/queries/posts.ts";
import type { Post, Space } from "#db/schema.ts";
import { createSpace, type TestUser } from "#tests/factories.ts";
import { gradientPng, minimalPdf } from "#tests/helpers/fixtures.ts";
import { pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { doc, heading, link, paragraph, text } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { flashOf, tablesOf } from "#tests/helpers/state.ts";
import { Tus } from "#tests/helpers/tus.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * A space's blog over real HTTP, with real session cookies, the real SQLite
 * file and real uploads: who may read, write, edit and publish what (and
 * what answers 404 rather than 403), the states of an article (publish now,
 * schedule in the author's own time zone, unpublish, back to draft), the
 * autosave of drafts, stale saves, hostile content, the cover image, network
 * visibility, tags and pagination, and ids from another space. Every refused
 * write is followed by a look at the database.
 */

let server: TestServer;
let store: OpenedDatabase;

const roles = ["admin", "editor", "alice", "bob", "guest", "outsider", "nyc"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
let anonymous: Client;

let club: Space; // secret: admin, editor, alice, bob (members), guest, nyc (member in New York)
let listed: Space; // listed: admin; network visibility allowed; pagination
let other: Space; // secret: outsider (member), alice (member)

const images = {} as { own: string; foreign: string; pdf: string };

let w: World<Who, "club" | "listed" | "other">;

beforeAll(async () => {
  w = await world({
    domain: "blog.test",
    displayName: (who) => `${who[0].toUpperCase()}${who.slice(1)} Blog`,
    people: named(roles),
    spaces: {
      club: { createdBy: "admin", slug: "club-blog", name: "Club Blog", visibility: "secret", members: { editor: "editor", alice: "member", bob: "member", nyc: "member", guest: "guest" } },
      listed: { createdBy: "admin", slug: "listed-blog", name: "Listed Blog", visibility: "listed" },
      other: { createdBy: "outsider", slug: "other-blog", name: "Other Blog", visibility: "secret", members: { alice: "member" } },
    },
  });
  ({ server, store, anonymous } = w);
  ({ club, listed, other } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);
  await store.db.updateTable("user").set({ time_zone: "America/New_York" }).where("id", "=", people.nyc.id).execute();
  images.own = (await new Tus(server.url, c.alice).upload(club.slug, await gradientPng(64, 40, 1), { filename: "couverture.png" })).fileId;
  images.foreign = (await new Tus(server.url, c.alice).upload(other.slug, await gradientPng(64, 40, 2), { filename: "ailleurs.png" })).fileId;
  images.pdf = (await new Tus(server.url, c.alice).upload(club.slug, minimalPdf(), { filename: "compte-rendu.pdf" })).fileId;
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

let seq = 0;
const uniqueTitle = (base: string) => `${base} ${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}`;
const blog = (space: Space = club) => `/spaces/${space.slug}/blog`;

const postRow = (id: string) => store.db.selectFrom("post").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const revisionsOf = (id: string) => store.db.selectFrom("post_revision").selectAll().where("post_id", "=", id).orderBy("number").execute();
const tagsOf = async (id: string) => (await store.db.selectFrom("post_tag").select("tag").where("post_id", "=", id).orderBy("tag").execute()).map((t) => t.tag);
const filesOf = async (id: string) => (await store.db.selectFrom("post_file").select("file_id").where("post_id", "=", id).execute()).map((f) => f.file_id);

/** Every row of the blog's tables and of the activity: a refused write leaves them all as they were. */
function blogSnapshot() {
  return tablesOf(store.db, ["post", "post_revision", "post_tag", "post_file", "activity"]);
}

interface Fields {
  title?: string;
  content?: string;
  excerpt?: string;
  coverFileId?: string;
  tags?: string;
  visibility?: string;
  summary?: string;
}

/** Creates a draft through the real form; returns its row. */
async function createDraft(who: Who, fields: Fields = {}, space: Space = club): Promise<Post> {
  const res = await c[who].post(`${blog(space)}/new`, {
    title: fields.title ?? uniqueTitle("Article"),
    content: fields.content ?? doc(paragraph("Le texte de l’article.")),
    excerpt: fields.excerpt ?? "",
    coverFileId: fields.coverFileId ?? "",
    tags: fields.tags ?? "",
    visibility: fields.visibility ?? "space",
  });
  expect(res.status, `create: ${pageText(res.text).slice(0, 300)}`).toBe(302);
  const slug = res.location!.replace(`${blog(space)}/`, "").replace(/\/edit$/, "");
  const row = await postQueries.findPostBySlug(store.db, space.id, slug);
  expect(row, `no post at ${res.location}`).toBeDefined();
  return row!;
}

/** What the editing form posts for this article, with changes. */
function editForm(post: Post, changes: Fields & { intent?: string; baseRevision?: number; publishAt?: string } = {}): Record<string, string> {
  return {
    postId: post.id,
    baseRevision: String(changes.baseRevision ?? post.revision),
    title: changes.title ?? post.title,
    content: changes.content ?? post.content_json,
    excerpt: changes.excerpt ?? (post.excerpt_auto ? "" : post.excerpt),
    coverFileId: changes.coverFileId ?? post.cover_file_id ?? "",
    tags: changes.tags ?? "",
    visibility: changes.visibility ?? post.visibility,
    summary: changes.summary ?? "",
    intent: changes.intent ?? "save",
    ...(changes.publishAt !== undefined ? { publishAt: changes.publishAt } : {}),
  };
}

const edit = (who: Who, post: Post, fields: Record<string, string>, space: Space = club) => c[who].post(`${blog(space)}/${post.slug}/edit`, fields);

/** A bare change of state, as a form holding only the intent would post it. */
const stateChange = (who: Who, post: Post, intent: string, extra: Record<string, string> = {}) =>
  c[who].post(`${blog()}/${post.slug}/edit`, { postId: post.id, intent, ...extra });

async function publishedPost(who: Who = "alice", fields: Fields = {}, space: Space = club) {
  const post = await createDraft(who, fields, space);
  const res = await stateChange(who, post, "publish");
  expect(res.status, pageText(res.text).slice(0, 300)).toBe(302);
  return postRow(post.id);
}

function json(res: HttpResponse) {
  return JSON.parse(res.text) as Record<string, unknown>;
}

/** The article slugs a list page shows as cards, in order. */
function cardSlugs(res: HttpResponse, space: Space = club): string[] {
  const slugs: string[] = [];
  const re = /<article class="post-card"[\s\S]*?<h3[^>]*><a[^>]*href="([^"]+)"/g;
  for (let m = re.exec(res.text); m; m = re.exec(res.text)) slugs.push(m[1].replace(`${blog(space)}/`, ""));
  return slugs;
}

/** The "drafts and scheduled" box of the blog index. */
function pendingBox(res: HttpResponse): string {
  const start = res.text.indexOf('id="blog-pending-title"');
  if (start < 0) return "";
  return res.text.slice(start, res.text.indexOf("</section>", start));
}

// ---------------------------------------------------------------------------
// Rights
// ---------------------------------------------------------------------------

describe("who may do what", () => {
  test("a guest reads published articles only: no draft, no writing, no editing, no history", async () => {
    const published = await publishedPost("alice", { title: uniqueTitle("Publié pour tous") });
    const draft = await createDraft("alice", { title: uniqueTitle("Brouillon caché") });

    const index = await c.guest.get(blog());
    expect(index.status).toBe(200);
    expect(cardSlugs(index)).toContain(published.slug);
    expect(index.text).not.toContain(draft.title);
    expect(index.text).not.toContain(`${blog()}/new`);
    expect((await c.guest.get(`${blog()}/${published.slug}`)).status).toBe(200);

    expect((await c.guest.get(`${blog()}/${draft.slug}`)).status).toBe(404);
    expect((await c.guest.get(`${blog()}/${draft.slug}/edit`)).status).toBe(404);
    expect((await c.guest.get(`${blog()}/new`)).status).toBe(403);
    expect((await c.guest.get(`${blog()}/${published.slug}/edit`)).status).toBe(403);
    expect((await c.guest.get(`${blog()}/${published.slug}/history`)).status).toBe(403);

    const before = await blogSnapshot();
    expect((await c.guest.post(`${blog()}/new`, { title: uniqueTitle("Invité"), content: doc(paragraph("x")) })).status).toBe(403);
    expect((await edit("guest", published, editForm(published, { title: "Retouché par l’invité" }))).status).toBe(403);
    expect((await stateChange("guest", published, "unpublish")).status).toBe(403);
    expect((await stateChange("guest", published, "delete")).status).toBe(403);
    expect((await stateChange("guest", draft, "publish")).status).toBe(404);
    expect(await blogSnapshot()).toEqual(before);
  });

  test("a member writes an article of their own and edits it; the article view offers them edit and history", async () => {
    const post = await createDraft("bob", { title: uniqueTitle("Article de Bob"), tags: "Achats" });
    expect(post).toMatchObject({ author_id: people.bob.id, state: "draft", revision: 1, visibility: "space" });
    const res = await edit("bob", post, editForm(post, { title: `${post.title} (revu)`, summary: "Relu" }));
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${blog()}/${post.slug}`);
    expect(await flashOf(res)).toMatchObject({ key: "blog.savedFlash" });
    expect(await postRow(post.id)).toMatchObject({ title: `${post.title} (revu)`, revision: 2 });
    const view = await c.bob.get(`${blog()}/${post.slug}`);
    expect(view.text).toContain(`href="${blog()}/${post.slug}/edit"`);
    expect(view.text).toContain(`href="${blog()}/${post.slug}/history"`);
  });

  test("a member can neither see another member's draft nor edit another member's published article", async () => {
    const draft = await createDraft("alice", { title: uniqueTitle("Brouillon d’Alice") });
    const published = await publishedPost("alice", { title: uniqueTitle("Publié d’Alice") });
    const before = await blogSnapshot();

    // The draft does not exist for Bob: 404 everywhere, like an address that never existed.
    for (const path of [`${blog()}/${draft.slug}`, `${blog()}/${draft.slug}/edit`, `${blog()}/${draft.slug}/history`]) {
      expect((await c.bob.get(path)).status, path).toBe(404);
    }
    expect((await edit("bob", draft, editForm(draft, { title: "Pris par Bob" }))).status).toBe(404);
    expect((await stateChange("bob", draft, "publish")).status).toBe(404);
    expect((await c.bob.post(`${blog()}/${draft.slug}/autosave`, editForm(draft, { intent: "autosave" }))).status).toBe(404);

    // The published one he reads, without the editing links, and may not change.
    const view = await c.bob.get(`${blog()}/${published.slug}`);
    expect(view.status).toBe(200);
    expect(view.text).not.toContain(`${blog()}/${published.slug}/edit`);
    expect((await c.bob.get(`${blog()}/${published.slug}/edit`)).status).toBe(403);
    expect((await edit("bob", published, editForm(published, { title: "Pris par Bob" }))).status).toBe(403);
    for (const intent of ["unpublish", "delete"]) expect((await stateChange("bob", published, intent)).status, intent).toBe(403);

    // His own list of drafts does not name hers.
    expect(pendingBox(await c.bob.get(blog()))).not.toContain(draft.title);
    expect(pendingBox(await c.alice.get(blog()))).toContain(draft.title);
    expect(await blogSnapshot()).toEqual(before);
  });

  test("editors and admins see every draft, edit anyone's article, unpublish and delete it", async () => {
    const draft = await createDraft("alice", { title: uniqueTitle("Brouillon à relire") });
    for (const who of ["editor", "admin"] as const) {
      expect(pendingBox(await c[who].get(blog()))).toContain(draft.title);
      expect((await c[who].get(`${blog()}/${draft.slug}`)).status).toBe(200);
      expect((await c[who].get(`${blog()}/${draft.slug}/edit`)).status).toBe(200);
    }
    const res = await edit("editor", draft, editForm(draft, { title: `${draft.title} (corrigé)` }));
    expect(res.status).toBe(302);
    expect(await postRow(draft.id)).toMatchObject({ title: `${draft.title} (corrigé)`, updated_by: people.editor.id, author_id: people.alice.id });

    const published = await publishedPost("alice");
    expect((await stateChange("editor", published, "unpublish")).status).toBe(302);
    expect((await postRow(published.id)).state).toBe("unpublished");
    const other = await publishedPost("bob");
    const del = await stateChange("admin", other, "delete");
    expect(del.status).toBe(302);
    expect(del.location).toBe(blog());
    expect(await postRow(other.id)).toMatchObject({ deleted_by: people.admin.id });
    expect((await c.bob.get(`${blog()}/${other.slug}`)).status).toBe(404);
    expect((await c.admin.get(`${blog()}/${other.slug}`)).status).toBe(404);
  });

  test("an outsider gets 404 for everything of a secret space's blog; a visitor signed out is sent to sign in", async () => {
    const published = await publishedPost("alice");
    const before = await blogSnapshot();
    for (const path of [blog(), `${blog()}/new`, `${blog()}/${published.slug}`, `${blog()}/${published.slug}/edit`, `${blog()}/${published.slug}/history`, `${blog()}/tags/x`]) {
      const res = await c.outsider.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain(published.title);
    }
    expect((await c.outsider.post(`${blog()}/new`, { title: "Intrus", content: doc(paragraph("x")) })).status).toBe(404);
    expect((await edit("outsider", published, editForm(published, { title: "Intrus" }))).status).toBe(404);
    expect((await c.outsider.post(`${blog()}/${published.slug}/autosave`, editForm(published, { intent: "autosave" }))).status).toBe(404);
    const signedOut = await anonymous.get(`${blog()}/${published.slug}`);
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/login\?redirectTo=/);
    expect(await blogSnapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------

describe("states of an article", () => {
  test("a draft is shown to its author as readers will see it, under a banner; published now, it is listed, dated, and in the activity", async () => {
    const post = await createDraft("alice", { title: uniqueTitle("Publier maintenant"), content: doc(heading("h2", "Trois leçons"), paragraph("Écouter d’abord.")) });
    const preview = await c.alice.get(`${blog()}/${post.slug}`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('class="notice preview-banner');
    expect(preview.text).toContain(post.content_html);
    expect(cardSlugs(await c.bob.get(blog()))).not.toContain(post.slug);

    const started = Date.now();
    const res = await edit("alice", post, editForm(post, { intent: "publish" }));
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toMatchObject({ key: "blog.publishedFlash" });
    const row = await postRow(post.id);
    expect(row.state).toBe("published");
    expect(row.published_at).toBeGreaterThanOrEqual(started);
    // Nothing changed in the form: publishing made no revision.
    expect(row.revision).toBe(1);
    expect(await revisionsOf(post.id)).toHaveLength(1);

    expect(cardSlugs(await c.bob.get(blog()))[0]).toBe(post.slug);
    const view = await c.guest.get(`${blog()}/${post.slug}`);
    expect(view.status).toBe(200);
    expect(view.text).not.toContain("preview-banner");
    expect(view.text).toMatch(/<h2\b[^>]*>[\s\S]*Trois leçons/);
    const activity = await store.db.selectFrom("activity").selectAll().where("space_id", "=", club.id).where("verb", "=", "post_published").execute();
    expect(activity.map((a) => JSON.parse(a.data))).toContainEqual(expect.objectContaining({ slug: post.slug }));
  });

  test("the space's home lists its latest published articles, not drafts", async () => {
    const published = await publishedPost("alice", { title: uniqueTitle("Dernier paru") });
    const draft = await createDraft("alice", { title: uniqueTitle("Pas encore paru") });
    const home = await c.guest.get(`/spaces/${club.slug}`);
    expect(home.status).toBe(200);
    const start = home.text.indexOf('id="latest-posts"');
    expect(start).toBeGreaterThan(-1);
    const box = home.text.slice(start, home.text.indexOf("</section>", start));
    expect(box).toContain(`href="${blog()}/${published.slug}"`);
    expect(home.text).not.toContain(draft.title);
  });

  test("publishing with changes in the form saves them first (a draft in place)", async () => {
    const post = await createDraft("alice", { title: uniqueTitle("Publier avec retouches") });
    // Only the text changed…
    const res = await edit("alice", post, editForm(post, { intent: "publish", content: doc(paragraph("Version finale")) }));
    expect(res.status).toBe(302);
    const row = await postRow(post.id);
    expect(row).toMatchObject({ state: "published", revision: 1 });
    expect(row.content_text).toContain("Version finale");
    // …or only the title, on a schedule.
    const other = await createDraft("alice");
    expect((await edit("alice", other, editForm(other, { intent: "schedule", publishAt: "2031-03-01T10:00", title: `${other.title} !` }))).status).toBe(302);
    expect(await postRow(other.id)).toMatchObject({ state: "scheduled", title: `${other.title} !` });
  });

  test("scheduling reads the moment in the author's time zone: Europe/Paris in summer and in winter", async () => {
    const summer = await createDraft("alice");
    const res = await edit("alice", summer, editForm(summer, { intent: "schedule", publishAt: "2031-06-15T09:30" }));
    expect(res.status, pageText(res.text).slice(0, 300)).toBe(302);
    expect(await flashOf(res)).toMatchObject({ key: "blog.scheduledFlash" });
    // 09:30 in Paris in June is 07:30 UTC (CEST, UTC+2).
    expect(await postRow(summer.id)).toMatchObject({ state: "scheduled", publish_at: Date.UTC(2031, 5, 15, 7, 30), published_at: null });

    const winter = await createDraft("alice");
    expect((await stateChange("alice", winter, "schedule", { publishAt: "2031-01-15T09:30" })).status).toBe(302);
    expect((await postRow(winter.id)).publish_at).toBe(Date.UTC(2031, 0, 15, 8, 30));

    // Not listed for readers; the author sees "scheduled" in their list and on the article's banner.
    expect(cardSlugs(await c.bob.get(blog()))).not.toContain(summer.slug);
    expect(pendingBox(await c.alice.get(blog()))).toContain(summer.title);
    const preview = pageText((await c.alice.get(`${blog()}/${summer.slug}`)).text);
    expect(preview).toContain("Aperçu — publication programmée le dimanche 15 juin 2031 à 09:30 (Europe/Paris)");
  });

  test("…and America/New_York for an author who lives there, shown back to them in their zone", async () => {
    const post = await createDraft("nyc");
    expect((await stateChange("nyc", post, "schedule", { publishAt: "2031-06-15T09:30" })).status).toBe(302);
    // 09:30 in New York in June is 13:30 UTC (EDT, UTC−4).
    expect((await postRow(post.id)).publish_at).toBe(Date.UTC(2031, 5, 15, 13, 30));
    const editor = await c.nyc.get(`${blog()}/${post.slug}/edit`);
    expect(editor.text).toMatch(/name="publishAt"[^>]*value="2031-06-15T09:30"|value="2031-06-15T09:30"[^>]*name="publishAt"/);
    expect(pageText(editor.text)).toContain("America/New York");
    // Alice (Paris) reads the same instant at 15:30.
    expect(pageText((await c.editor.get(`${blog()}/${post.slug}`)).text)).toContain("15:30 (Europe/Paris)");
  });

  test("a moment already past, or no moment at all, is refused and nothing changes", async () => {
    const post = await createDraft("alice");
    const before = await blogSnapshot();
    const past = await stateChange("alice", post, "schedule", { publishAt: "2020-03-01T10:00" });
    expect(past.status).toBe(400);
    expect(pageText(past.text)).toContain("Ce moment est déjà passé");
    for (const publishAt of ["", "demain", "2031-02-30T10:00"]) {
      const res = await stateChange("alice", post, "schedule", { publishAt });
      expect(res.status, publishAt).toBe(400);
      expect(pageText(res.text)).toContain("Indiquez une date et une heure valides");
    }
    // A past moment with the whole form: the form's changes are not saved either.
    expect((await edit("alice", post, editForm(post, { intent: "schedule", publishAt: "2020-03-01T10:00", title: "Changé" }))).status).toBe(400);
    expect(await blogSnapshot()).toEqual(before);
  });

  test("unpublishing takes an article off the list and its tag page; readers get 404, its author still sees it", async () => {
    const post = await publishedPost("alice", { tags: "Retrait" });
    expect(cardSlugs(await c.bob.get(blog()))).toContain(post.slug);
    expect((await c.bob.get(`${blog()}/tags/retrait`)).status).toBe(200);

    const res = await stateChange("alice", post, "unpublish");
    expect(res.status).toBe(302);
    expect((await postRow(post.id)).state).toBe("unpublished");
    expect(cardSlugs(await c.bob.get(blog()))).not.toContain(post.slug);
    expect((await c.bob.get(`${blog()}/tags/retrait`)).status).toBe(404);
    expect((await c.bob.get(`${blog()}/${post.slug}`)).status).toBe(404);
    expect((await c.guest.get(`${blog()}/${post.slug}`)).status).toBe(404);
    const own = await c.alice.get(`${blog()}/${post.slug}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain("preview-banner");
  });

  test("back to draft cancels a schedule; changes that make no sense from the current state are refused", async () => {
    const post = await createDraft("alice");
    expect((await stateChange("alice", post, "schedule", { publishAt: "2031-09-01T08:00" })).status).toBe(302);
    const res = await stateChange("alice", post, "draft");
    expect(res.status).toBe(302);
    expect(await postRow(post.id)).toMatchObject({ state: "draft", publish_at: null });

    const before = await blogSnapshot();
    expect((await stateChange("alice", post, "unpublish")).status).toBe(409);
    expect((await stateChange("alice", post, "draft")).status).toBe(409);
    expect((await stateChange("alice", post, "teleport")).status).toBe(400);
    expect(await blogSnapshot()).toEqual(before);
    const published = await publishedPost("alice");
    const snap = await blogSnapshot();
    expect((await stateChange("alice", published, "publish")).status).toBe(409);
    expect((await stateChange("alice", published, "schedule", { publishAt: "2031-09-01T08:00" })).status).toBe(409);
    expect(await blogSnapshot()).toEqual(snap);
  });
});

// ---------------------------------------------------------------------------
// Saving: revisions, autosave, conflicts, hostile content
// ---------------------------------------------------------------------------

describe("saving", () => {
  test("every save by hand is a revision with its summary; an empty excerpt follows the text, a written one stays", async () => {
    const post = await createDraft("alice", { content: doc(paragraph("Le début du texte, qui sert de chapeau.")) });
    expect(post).toMatchObject({ excerpt: "Le début du texte, qui sert de chapeau.", excerpt_auto: 1 });
    expect((await edit("alice", post, editForm(post, { content: doc(paragraph("Un autre début.")), summary: "Nouveau début" }))).status).toBe(302);
    expect(await postRow(post.id)).toMatchObject({ revision: 2, excerpt: "Un autre début.", excerpt_auto: 1 });
    const second = await postRow(post.id);
    expect((await edit("alice", second, editForm(second, { excerpt: "Mon chapeau à moi." }))).status).toBe(302);
    expect(await postRow(post.id)).toMatchObject({ revision: 3, excerpt: "Mon chapeau à moi.", excerpt_auto: 0 });
    const revisions = await revisionsOf(post.id);
    expect(revisions.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(revisions[1]).toMatchObject({ summary: "Nouveau début", author_id: people.alice.id });

    const history = await c.alice.get(`${blog()}/${post.slug}/history?from=1&to=2`);
    expect(history.status).toBe(200);
    expect(history.text).toContain('data-testid="diff"');
    expect(history.text).toMatch(/<ins>[^<]*autre/);
    expect(pageText(history.text)).toContain("Nouveau début");
  });

  test("autosave updates a draft in place: same revision, no new revision row, the latest text kept", async () => {
    const post = await createDraft("alice", { content: doc(paragraph("Premier jet")) });
    // What the browser posts (JSON answer)…
    const res = await c.alice.post(`${blog()}/${post.slug}/autosave`, editForm(post, { intent: "autosave", content: doc(paragraph("Deuxième jet")) }));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(json(res)).toMatchObject({ ok: true, revision: 1 });
    // …and the edit form's own intent=autosave.
    const again = await edit("alice", post, editForm(post, { intent: "autosave", content: doc(paragraph("Troisième jet")), tags: "Brouillon" }));
    expect(again.status).toBe(200);
    const row = await postRow(post.id);
    expect(row).toMatchObject({ revision: 1, state: "draft" });
    expect(row.content_text).toContain("Troisième jet");
    expect(await tagsOf(post.id)).toEqual(["brouillon"]);
    const revisions = await revisionsOf(post.id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0].content_text).toContain("Troisième jet");
  });

  test("an autosave on top of someone else's revision makes a revision of its own first, so theirs stays in the history", async () => {
    const post = await createDraft("alice", { content: doc(paragraph("Le texte d’Alice")) });
    const first = await c.editor.post(`${blog()}/${post.slug}/autosave`, editForm(post, { intent: "autosave", content: doc(paragraph("Corrigé par l’éditeur")) }));
    expect(json(first)).toMatchObject({ ok: true, revision: 2 });
    const second = await c.editor.post(`${blog()}/${post.slug}/autosave`, editForm(post, { intent: "autosave", baseRevision: 2, content: doc(paragraph("Corrigé deux fois")) }));
    expect(json(second)).toMatchObject({ ok: true, revision: 2 });
    const revisions = await revisionsOf(post.id);
    expect(revisions.map((r) => [r.number, r.author_id])).toEqual([
      [1, people.alice.id],
      [2, people.editor.id],
    ]);
    expect(revisions[0].content_text).toContain("Le texte d’Alice");
    expect(revisions[1].content_text).toContain("Corrigé deux fois");
  });

  test("autosave is for drafts only, on top of the revision it knows, by whoever may edit; every refusal is JSON and writes nothing", async () => {
    const published = await publishedPost("alice");
    const draft = await createDraft("alice");
    const before = await blogSnapshot();
    const notDraft = await c.alice.post(`${blog()}/${published.slug}/autosave`, editForm(published, { intent: "autosave", title: "Autosauvé" }));
    expect(notDraft.status).toBe(409);
    expect(json(notDraft)).toMatchObject({ ok: false, error: "notDraft" });
    const stale = await c.alice.post(`${blog()}/${draft.slug}/autosave`, editForm(draft, { intent: "autosave", baseRevision: 7, title: "Autosauvé" }));
    expect(stale.status).toBe(409);
    expect(json(stale)).toMatchObject({ ok: false, error: "conflict" });
    const invalid = await c.alice.post(`${blog()}/${draft.slug}/autosave`, editForm(draft, { intent: "autosave", title: "" }));
    expect(invalid.status).toBe(400);
    expect(json(invalid)).toMatchObject({ ok: false, error: "invalid", message: "v.required" });
    const stranger = await c.bob.post(`${blog()}/${draft.slug}/autosave`, editForm(draft, { intent: "autosave", title: "Autosauvé" }));
    expect(stranger.status).toBe(404);
    expect(json(stranger)).toMatchObject({ ok: false, error: "notFound" });
    const signedOut = await anonymous.post(`${blog()}/${draft.slug}/autosave`, editForm(draft, { intent: "autosave", title: "Autosauvé" }));
    expect(signedOut.status).toBe(401);
    expect(json(signedOut)).toMatchObject({ ok: false, error: "signedOut" });
    expect(await blogSnapshot()).toEqual(before);
  });

  test("a save on top of an outdated revision writes nothing and answers 409 with both versions and their difference", async () => {
    const post = await createDraft("alice", { title: uniqueTitle("Conflit"), content: doc(paragraph("Texte commun")) });
    expect((await edit("editor", post, editForm(post, { content: doc(paragraph("Texte commun et la version de l’éditeur")), summary: "Éditeur" }))).status).toBe(302);
    const before = await blogSnapshot();
    const res = await edit("alice", post, editForm(post, { baseRevision: 1, content: doc(paragraph("Texte commun et la version d’Alice")) }));
    expect(res.status).toBe(409);
    expect(await blogSnapshot()).toEqual(before);
    const text = pageText(res.text);
    expect(text).toContain("Quelqu’un a modifié cet article pendant que vous écriviez");
    expect(text).toContain("Editor Blog");
    expect(res.text).toContain("la version de l’éditeur"); // theirs, rendered
    expect(res.text).toContain('data-testid="diff"');
    expect(res.text).toMatch(/<ins>[^<]*Alice/);
    expect(res.text).toContain("la version d’Alice"); // mine, back in the form
    // The form now stands on their revision, so the next save goes through.
    expect(res.text).toMatch(/name="baseRevision" value="2"/);
    expect((await edit("alice", post, editForm(post, { baseRevision: 2, content: doc(paragraph("Fusion")) }))).status).toBe(302);
    expect((await postRow(post.id)).revision).toBe(3);
  });

  test("hostile content is refused with 400, on creation and on save, and nothing is stored", async () => {
    const script = JSON.stringify({ root: { type: "root", direction: null, format: "", indent: 0, version: 1, children: [{ type: "script", version: 1, text: "alert(1)" }] } });
    const jsLink = doc(paragraph(link("javascript:alert(1)", "clic")));
    const post = await createDraft("alice");
    const before = await blogSnapshot();
    for (const content of [script, jsLink, "{not json", doc(paragraph({ ...text("x"), type: "html", html: "<img src=x onerror=alert(1)>" }))]) {
      const created = await c.alice.post(`${blog()}/new`, { title: uniqueTitle("Hostile"), content });
      expect(created.status, content.slice(0, 60)).toBe(400);
      expect(pageText(created.text)).toMatch(/rien n’a été enregistré/i);
      const saved = await edit("alice", post, editForm(post, { content }));
      expect(saved.status, content.slice(0, 60)).toBe(400);
      const auto = await c.alice.post(`${blog()}/${post.slug}/autosave`, editForm(post, { intent: "autosave", content }));
      expect(auto.status).toBe(400);
    }
    expect(await blogSnapshot()).toEqual(before);
    // Markup typed as text stays text.
    const typed = await createDraft("alice", { content: doc(paragraph("<script>alert(1)</script>")) });
    expect(typed.content_html).not.toContain("<script>");
    expect(typed.content_html).toContain("&lt;script&gt;");
  });

  test("a title is required, tags are limited; refusals name the field and store nothing", async () => {
    const post = await createDraft("alice");
    const before = await blogSnapshot();
    const noTitle = await edit("alice", post, editForm(post, { title: "  " }));
    expect(noTitle.status).toBe(400);
    expect(pageText(noTitle.text)).toContain("Ce champ est obligatoire");
    const tooMany = await edit("alice", post, editForm(post, { tags: "a1, b2, c3, d4, e5, f6, g7, h8, i9" }));
    expect(tooMany.status).toBe(400);
    expect(pageText(tooMany.text)).toContain("Huit étiquettes au plus");
    expect((await c.alice.post(`${blog()}/new`, { title: "", content: doc(paragraph("x")) })).status).toBe(400);
    expect(await blogSnapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// Cover, visibility, ids from elsewhere
// ---------------------------------------------------------------------------

describe("cover image and visibility", () => {
  test("the cover is an image of this space: recorded as used, shown on the list and on the article", async () => {
    const post = await publishedPost("alice", { coverFileId: images.own, title: uniqueTitle("Avec couverture") });
    expect(post.cover_file_id).toBe(images.own);
    expect(await filesOf(post.id)).toContain(images.own);
    const index = await c.bob.get(blog());
    expect(index.text).toMatch(new RegExp(`src="(/files/${images.own}/inline|/spaces/${club.slug}/files/${images.own}/thumbnail\\?version=1)"`));
    const view = await c.guest.get(`${blog()}/${post.slug}`);
    expect(view.text).toContain(`src="/files/${images.own}/inline"`);
    expect((await c.guest.get(`/files/${images.own}/inline`)).status).toBe(200);
    // And it can be taken off again.
    expect((await edit("alice", post, editForm(post, { coverFileId: "" }))).status).toBe(302);
    expect((await postRow(post.id)).cover_file_id).toBeNull();
  });

  test("another space's image, a PDF, or an id that is no file is refused as a cover, and nothing is stored", async () => {
    const post = await createDraft("alice");
    const before = await blogSnapshot();
    for (const coverFileId of [images.foreign, images.pdf, "nosuchfile0000000000"]) {
      const created = await c.alice.post(`${blog()}/new`, { title: uniqueTitle("Couverture"), content: doc(paragraph("x")), coverFileId });
      expect(created.status, coverFileId).toBe(400);
      expect(pageText(created.text)).toContain("La couverture doit être une image");
      expect((await edit("alice", post, editForm(post, { coverFileId }))).status).toBe(400);
    }
    expect(await blogSnapshot()).toEqual(before);
  });

  test("network visibility is refused in a secret space (the choice is offered disabled) and accepted in a listed one", async () => {
    const form = await c.alice.get(`${blog()}/new`);
    expect(form.text).toMatch(/<input[^>]*value="network"[^>]*disabled=""|<input[^>]*disabled=""[^>]*value="network"/);
    const post = await createDraft("alice");
    const before = await blogSnapshot();
    const refused = await c.alice.post(`${blog()}/new`, { title: uniqueTitle("Au réseau"), content: doc(paragraph("x")), visibility: "network" });
    expect(refused.status).toBe(400);
    expect(pageText(refused.text)).toContain("ne peut pas être ouvert à tout le réseau");
    expect((await edit("alice", post, editForm(post, { visibility: "network" }))).status).toBe(400);
    expect(await blogSnapshot()).toEqual(before);

    const open = await createDraft("admin", { visibility: "network" }, listed);
    expect(open.visibility).toBe("network");
    const listedForm = await c.admin.get(`${blog(listed)}/new`);
    expect(listedForm.text).not.toMatch(/<input[^>]*value="network"[^>]*disabled=""/);
  });

  test("ids from another space are refused: an article of another space through this one's addresses", async () => {
    // Alice writes in both spaces: her own article of the other space, named through this space's addresses, gets nowhere.
    const foreign = await createDraft("alice", { title: uniqueTitle("Ailleurs") }, other);
    const mine = await createDraft("alice");
    const before = await blogSnapshot();
    const viaId = await c.alice.post(`${blog()}/${mine.slug}/edit`, { ...editForm(foreign, { title: "Détourné" }), postId: foreign.id });
    expect(viaId.status).toBe(404);
    const viaAutosave = await c.alice.post(`${blog()}/${mine.slug}/autosave`, { ...editForm(foreign, { intent: "autosave", title: "Détourné" }), postId: foreign.id });
    expect(viaAutosave.status).toBe(404);
    expect((await c.alice.post(`${blog()}/${mine.slug}/edit`, { postId: foreign.id, intent: "delete" })).status).toBe(404);
    for (const path of [`${blog()}/${foreign.slug}`, `${blog()}/${foreign.slug}/edit`, `${blog()}/${foreign.slug}/history`]) {
      expect((await c.alice.get(path)).status, path).toBe(404);
    }
    expect((await c.alice.get(`${blog(other)}/${foreign.slug}`)).status).toBe(200);
    expect(await blogSnapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// Tags and pagination
// ---------------------------------------------------------------------------

describe("tags and pages", () => {
  test("a tag page lists the published articles of that tag, with counts; an unknown tag, or one only drafts carry, is 404", async () => {
    const a = await publishedPost("alice", { tags: "Supply chain, Négociation" });
    const b = await publishedPost("bob", { tags: "négociation" });
    const hidden = await createDraft("alice", { tags: "Secret de brouillon, Négociation" });
    expect(await tagsOf(a.id)).toEqual(["negociation", "supply-chain"]);

    const page = await c.guest.get(`${blog()}/tags/negociation`);
    expect(page.status).toBe(200);
    const slugs = cardSlugs(page);
    expect(slugs).toEqual(expect.arrayContaining([a.slug, b.slug]));
    expect(slugs).not.toContain(hidden.slug);
    expect(pageText((await c.guest.get(`${blog()}/tags/supply-chain`)).text)).toContain("Supply chain");
    expect(cardSlugs(await c.guest.get(`${blog()}/tags/supply-chain`))).toEqual([a.slug]);
    // The index's tag list links there with the count.
    const index = await c.guest.get(blog());
    expect(index.text).toContain(`href="${blog()}/tags/negociation"`);
    expect(index.text).toMatch(/négociation : \d+ articles|Négociation : \d+ articles/);

    expect((await c.guest.get(`${blog()}/tags/jamais-vu`)).status).toBe(404);
    expect((await c.guest.get(`${blog()}/tags/secret-de-brouillon`)).status).toBe(404);
  });

  test("25 published articles make 3 pages of 10, newest first, with previous and next links", async () => {
    const space = await createSpace(store.db, { createdBy: people.admin.id, slug: "pages-blog", visibility: "listed" });
    const base = Date.UTC(2026, 0, 1);
    const slugs: string[] = [];
    for (let i = 0; i < 25; i++) {
      const post = await postQueries.createPost(store.db, {
        spaceId: space.id,
        slug: `article-${String(i).padStart(2, "0")}`,
        title: `Article ${i}`,
        excerpt: "",
        excerptAuto: true,
        coverFileId: null,
        content: { json: doc(paragraph(`n${i}`)), html: `<p>n${i}</p>`, text: `n${i}` },
        visibility: "space",
        authorId: people.admin.id,
        summary: "",
        now: base,
      });
      await postQueries.setPostState(store.db, post.id, { state: "published", userId: people.admin.id, now: base + i * 60_000 });
      slugs.push(post.slug);
    }
    const newestFirst = [...slugs].reverse();
    const pages = await Promise.all([1, 2, 3].map((n) => c.admin.get(n === 1 ? blog(space) : `${blog(space)}?page=${n}`)));
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    expect(cardSlugs(pages[0], space)).toEqual(newestFirst.slice(0, 10));
    expect(cardSlugs(pages[1], space)).toEqual(newestFirst.slice(10, 20));
    expect(cardSlugs(pages[2], space)).toEqual(newestFirst.slice(20, 25));
    expect(pages[0].text).toContain(`href="${blog(space)}?page=2"`);
    expect(pages[0].text).not.toContain('rel="prev"');
    expect(pages[1].text).toMatch(new RegExp(`href="${blog(space)}"[^>]*rel="prev"|rel="prev"[^>]*href="${blog(space)}"`));
    expect(pages[1].text).toContain(`href="${blog(space)}?page=3"`);
    expect(pages[2].text).not.toContain('rel="next"');
    // Past the end: an empty page that leads back, not an error.
    const beyond = await c.admin.get(`${blog(space)}?page=4`);
    expect(beyond.status).toBe(200);
    expect(cardSlugs(beyond, space)).toEqual([]);
    // Nonsense is the first page.
    expect(cardSlugs(await c.admin.get(`${blog(space)}?page=abc`), space)).toEqual(newestFirst.slice(0, 10));
  });
});
