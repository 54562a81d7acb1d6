import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { createPost, setPostFiles, setPostState, setTags, trashPost } from "#db/queries/posts.ts";
import { setArchived } from "#db/queries/spaces.ts";
import type { Post, PostVisibility, Space } from "#db/schema.ts";
import { processContent } from "#app/editor/content.server.ts";
import { createSpace, type TestUser } from "#tests/factories.ts";
import { gradientPng } from "#tests/helpers/fixtures.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { doc, heading, image, link, pageLink, paragraph } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { fetchBytes, Tus, type RawResponse } from "#tests/helpers/tus.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * "Latest from the clubs" over real HTTP with real session cookies: an
 * article opened to the network is listed at /latest and readable at
 * /latest/<id> by a network member outside its club, with its cover and the
 * images it shows — and nothing else of the club opens to them: not its
 * other articles (space-only, drafts, scheduled, unpublished, trashed), not
 * its blog, wiki or files, not the article's own address in the space, not
 * its comments, not its other images. Articles are written straight into the
 * database with the app's own query module and content pipeline; everything
 * checked goes through HTTP.
 */

let server: TestServer;
let store: OpenedDatabase;

const roles = ["author", "member", "outsider"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
let anonymous: Client;

let club: Space; // listed: author (admin), member
let openClub: Space; // open: author (admin); readable by every network member
let secretClub: Space; // secret: author (admin)
let busyClub: Space; // listed: author (admin); a dozen network articles, for paging

const files = {} as Record<"cover" | "inline" | "other" | "draftImage" | "pdf" | "secretImage", string>;
const bytes = {} as Record<"cover" | "inline", Buffer>;
let wikiPageId: string;

let netPost: Post; // network, published, cover, images, links, tags, a comment
let spacePost: Post; // space only, published, with a cover
let draftPost: Post; // network, draft, shows draftImage
let scheduledPost: Post; // network, scheduled tomorrow
let unpublishedPost: Post; // network, unpublished
let trashedPost: Post; // network, published, then trashed
let openPost: Post; // network, published, in the open club
let secretPost: Post; // network, published, in the secret club (written straight in: the app refuses it)

const HOUR = 60 * 60 * 1000;
const base = Date.now() - 48 * HOUR;

let w: World<Who, "club" | "openClub" | "secretClub" | "busyClub">;

beforeAll(async () => {
  w = await world({
    domain: "blog-network.test",
    displayName: (who) => `${who} Réseau`,
    people: named(roles),
    spaces: {
      club: { createdBy: "author", slug: "club-achats-reseau", name: "Club Achats Réseau", visibility: "listed", description: "Description du club", members: { member: "member" } },
      openClub: { createdBy: "author", slug: "cercle-ouvert-reseau", name: "Cercle Ouvert", visibility: "open" },
      secretClub: { createdBy: "author", slug: "club-secret-reseau", name: "Club Très Secret", visibility: "secret" },
      busyClub: { createdBy: "author", slug: "club-bavard-reseau", name: "Club Bavard", visibility: "listed" },
    },
  });
  ({ server, store, anonymous } = w);
  ({ club, openClub, secretClub, busyClub } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);

  // Files go in through the real upload endpoint, as the author.
  const tus = new Tus(server.url, c.author);
  bytes.cover = await gradientPng(640, 360, 10);
  bytes.inline = await gradientPng(300, 200, 200);
  files.cover = (await tus.upload(club.slug, bytes.cover, { filename: "couverture.png" })).fileId;
  files.inline = (await tus.upload(club.slug, bytes.inline, { filename: "schema.png" })).fileId;
  files.other = (await tus.upload(club.slug, await gradientPng(120, 80, 50), { filename: "confidentiel.png" })).fileId;
  files.draftImage = (await tus.upload(club.slug, await gradientPng(120, 80, 90), { filename: "brouillon.png" })).fileId;
  files.pdf = (await tus.upload(club.slug, Buffer.from("%PDF-1.4\n%%EOF\n"), { filename: "compte-rendu.pdf" })).fileId;
  files.secretImage = (await tus.upload(secretClub.slug, await gradientPng(120, 80, 70), { filename: "secret.png" })).fileId;

  const page = await c.author.post(`/spaces/${club.slug}/wiki/new`, { title: "Grille de négociation", content: doc(paragraph("Page du wiki")), summary: "" });
  expect(page.status).toBe(302);
  wikiPageId = (await store.db.selectFrom("page").select("id").where("space_id", "=", club.id).executeTakeFirstOrThrow()).id;

  netPost = await article(club, "Retour sur l’atelier négociation", {
    visibility: "network",
    state: "published",
    at: base + 10 * HOUR,
    cover: files.cover,
    tags: ["Négociation", "Achats"],
    content: doc(
      heading("h2", "Ce que nous avons appris"),
      paragraph("Le schéma présenté à l’atelier :"),
      paragraph(image(`/files/${files.inline}/inline`, "Schéma de l’atelier")),
      paragraph("Voir aussi ", pageLink(wikiPageId, "la grille du wiki"), ", ", link(`/files/${files.pdf}`, "le compte rendu"), " et ", link("https://example.org/negociation", "un article public"), "."),
    ),
  });
  spacePost = await article(club, "Article réservé au club", { visibility: "space", state: "published", at: base + 11 * HOUR, cover: files.cover });
  draftPost = await article(club, "Brouillon pour le réseau", {
    visibility: "network",
    state: "draft",
    at: base + 12 * HOUR,
    content: doc(paragraph(image(`/files/${files.draftImage}/inline`, "brouillon"))),
  });
  scheduledPost = await article(club, "Programmé pour demain", { visibility: "network", state: "scheduled", at: Date.now() + 24 * HOUR });
  unpublishedPost = await article(club, "Retiré de la publication", { visibility: "network", state: "unpublished", at: base + 13 * HOUR });
  trashedPost = await article(club, "Article à la corbeille", { visibility: "network", state: "published", at: base + 14 * HOUR });
  await trashPost(store.db, trashedPost.id, people.author.id, Date.now());
  openPost = await article(openClub, "Nouvelles du cercle ouvert", { visibility: "network", state: "published", at: base + 9 * HOUR });
  secretPost = await article(secretClub, "Annonce du club secret", {
    visibility: "network",
    state: "published",
    at: base + 15 * HOUR,
    cover: files.secretImage,
    content: doc(paragraph(image(`/files/${files.secretImage}/inline`, "secret"))),
  });
  // A comment on the network article: it stays in the club.
  await store.db
    .insertInto("comment")
    .values({
      id: newId(),
      space_id: club.id,
      post_id: netPost.id,
      page_id: null,
      parent_id: null,
      author_id: people.member.id,
      body_json: "{}",
      body_html: "<p>Commentaire entre membres du club</p>",
      body_text: "Commentaire entre membres du club",
      created_at: Date.now(),
      edited_at: null,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

let seq = 0;

/** An article written with the app's content pipeline and query module; `at` is its publication (or schedule) moment. */
async function article(
  space: Space,
  title: string,
  options: { visibility: PostVisibility; state: Post["state"]; at: number; cover?: string; tags?: string[]; content?: string },
): Promise<Post> {
  const content = processContent(options.content ?? doc(paragraph(`Texte de « ${title} ».`)));
  if (!content.ok) throw new Error(`content refused: ${content.error}`);
  const post = await createPost(store.db, {
    spaceId: space.id,
    slug: `article-${(seq++).toString(36)}-${Date.now().toString(36)}`,
    title,
    excerpt: `Résumé de « ${title} »`,
    excerptAuto: false,
    coverFileId: options.cover ?? null,
    content: { json: content.json, html: content.html, text: content.text },
    visibility: options.visibility,
    authorId: people.author.id,
    summary: "",
    now: options.at,
  });
  await setPostFiles(store.db, post, [...content.fileIds, ...(options.cover ? [options.cover] : [])]);
  await setTags(store.db, post.id, (options.tags ?? []).map((label) => ({ tag: label.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""), label })));
  if (options.state !== "draft") {
    await setPostState(store.db, post.id, { state: options.state, publishAt: options.at, userId: people.author.id, now: options.at });
  }
  return store.db.selectFrom("post").selectAll().where("id", "=", post.id).executeTakeFirstOrThrow();
}

function get(who: Who | null, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return fetchBytes(server.url, who ? c[who] : null, path, headers);
}

/** The titles listed on a feed page, in order (from the article links). */
function listedIds(html: string): string[] {
  return [...html.matchAll(/<h2 class="latest-item-title"><a [^>]*href="\/latest\/([a-z0-9]+)"/g)].map((m) => m[1]);
}

function expectSignInRedirect(res: { status: number; headers: Record<string, unknown> }, from: string) {
  expect(res.status).toBe(302);
  const location = new URL(String(res.headers.location), server.url);
  expect(location.pathname).toBe("/login");
  expect(location.searchParams.get("redirectTo")).toBe(from);
}

/** What every stored byte goes out with. */
function expectFileHeaders(res: RawResponse) {
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  expect(String(res.headers["content-security-policy"])).toMatch(/^sandbox;/);
  expect(String(res.headers["content-disposition"])).toMatch(/^inline;/);
}

const everyoneElse = () => [draftPost, scheduledPost, unpublishedPost, trashedPost, spacePost, secretPost];

// ---------------------------------------------------------------------------

describe("the network feed, /latest", () => {
  test("lists the network article to a member of the network outside its club, labelled with the club's name and nothing more", async () => {
    const res = await c.outsider.get("/latest");
    expect(res.status).toBe(200);
    const ids = listedIds(res.text);
    expect(ids).toContain(netPost.id);
    expect(ids).toContain(openPost.id);
    const text = pageText(res.text);
    expect(text).toContain("Retour sur l’atelier négociation");
    expect(text).toContain("Club Achats Réseau");
    expect(text).toContain(`Résumé de « Retour sur l’atelier négociation »`);
    expect(text).toContain("author Réseau");
    expect(text).toContain("Négociation");
    // The cover comes through the article's own address, never the space's files.
    expect(res.text).toContain(`/latest/${netPost.id}/cover?thumbnail&amp;v=1`);
    expect(res.text).not.toContain(`/files/${files.cover}`);
    // No way into the club, anywhere in the page or its data.
    expect(res.text).not.toContain(`/spaces/${club.slug}`);
    expect(res.text).not.toContain(netPost.slug);
    expect(res.text).not.toContain("Description du club");
  });

  test("lists nothing else of the club: space-only, draft, scheduled, unpublished, trashed; nor a secret club's article", async () => {
    for (const who of ["outsider", "member", "author"] as const) {
      const res = await c[who].get("/latest");
      const ids = listedIds(res.text);
      for (const post of everyoneElse()) {
        expect(ids, `${who} sees “${post.title}”`).not.toContain(post.id);
        expect(res.text, `${who} sees “${post.title}”`).not.toContain(post.title);
      }
      expect(res.text).not.toContain("Club Très Secret");
    }
  });

  test("newest first, ten a page, ?page= for the next ones", async () => {
    const busy: Post[] = [];
    for (let i = 0; i < 12; i++) busy.push(await article(busyClub, `Brève numéro ${i}`, { visibility: "network", state: "published", at: base + 20 * HOUR + i * 60_000 }));
    try {
      const first = await c.outsider.get("/latest");
      expect(listedIds(first.text)).toEqual(busy.slice(2).reverse().map((p) => p.id));
      expect(first.text).toContain('href="/latest?page=2"');
      expect(first.text).not.toContain('rel="prev"');
      const second = await c.outsider.get("/latest?page=2");
      expect(second.status).toBe(200);
      // The two oldest of the dozen, then the club articles, newest first.
      expect(listedIds(second.text)).toEqual([busy[1].id, busy[0].id, netPost.id, openPost.id]);
      expect(second.text).not.toContain('href="/latest?page=3"');
      expect(second.text).toContain('href="/latest"');
      for (const bad of ["0", "-1", "abc", "1.5", "3"]) expect((await c.outsider.get(`/latest?page=${bad}`)).status, `?page=${bad}`).toBe(404);
    } finally {
      for (const p of busy) await trashPost(store.db, p.id, people.author.id, Date.now());
    }
  });

  test("the club's name links to its space only for those who may read it", async () => {
    const member = await c.member.get("/latest");
    expect(member.text).toContain(`href="/spaces/${club.slug}"`);
    // Everyone reads an open space: its name is a link for the outsider too.
    const outsider = await c.outsider.get("/latest");
    expect(outsider.text).toContain(`href="/spaces/${openClub.slug}"`);
    expect(outsider.text).not.toContain(`href="/spaces/${club.slug}"`);
  });

  test("signed-out visitors are sent to sign in, and come back here", async () => {
    expectSignInRedirect(await get(null, "/latest?page=2"), "/latest?page=2");
    expectSignInRedirect(await get(null, `/latest/${netPost.id}`), `/latest/${netPost.id}`);
    expectSignInRedirect(await get(null, `/latest/${netPost.id}/cover`), `/latest/${netPost.id}/cover`);
    expectSignInRedirect(await get(null, `/files/${files.inline}/inline`), `/files/${files.inline}/inline`);
    expect((await anonymous.get("/latest")).status).toBe(302);
  });

  test("the main navigation leads here", async () => {
    const res = await c.outsider.get("/spaces");
    expect(res.text).toMatch(/<nav[^>]*class="mainnav"[\s\S]*href="\/latest"[\s\S]*<\/nav>/);
    expect(pageText(res.text)).toContain("À la une des clubs");
  });
});

describe("one network article, /latest/<id>", () => {
  test("reads whole for a network member outside the club: title, club, author, date, tags, cover, content", async () => {
    const res = await c.outsider.get(`/latest/${netPost.id}`);
    expect(res.status).toBe(200);
    const text = pageText(res.text);
    expect(text).toContain("Retour sur l’atelier négociation");
    expect(text).toContain("Club Achats Réseau");
    expect(text).toContain("Par author Réseau");
    expect(text).toContain("Achats");
    expect(text).toContain("Ce que nous avons appris");
    expect(res.text).toContain(`src="/latest/${netPost.id}/cover?v=1"`);
    expect(res.text).toContain(`src="/files/${files.inline}/inline"`);
    expect(res.text).toContain('href="https://example.org/negociation"');
  });

  test("…with no way into the club: its links inside the site are plain text, no link to the space, no comments", async () => {
    const res = await c.outsider.get(`/latest/${netPost.id}`);
    const text = pageText(res.text);
    // The words stay, the links go.
    expect(text).toContain("la grille du wiki");
    expect(text).toContain("le compte rendu");
    expect(res.text).not.toContain(`/pages/${wikiPageId}`);
    expect(res.text).not.toContain(`href="/files/${files.pdf}"`);
    expect(res.text).not.toContain(`/spaces/${club.slug}`);
    expect(res.text).not.toContain(netPost.slug);
    expect(res.text).not.toContain("Commentaire entre membres du club");
    expect(res.text).not.toContain("Description du club");
  });

  test("a member of the club gets the links, and the way to the article in the club", async () => {
    const res = await c.member.get(`/latest/${netPost.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="/pages/${wikiPageId}"`);
    expect(res.text).toContain(`href="/files/${files.pdf}"`);
    expect(res.text).toContain(`href="/spaces/${club.slug}/blog/${netPost.slug}"`);
    expect(res.text).toContain(`href="/spaces/${club.slug}"`);
  });

  test("every other article of the club answers 404, as does one that never existed, to members and outsiders alike", async () => {
    for (const post of everyoneElse()) {
      for (const who of ["outsider", "member", "author"] as const) {
        const res = await c[who].get(`/latest/${post.id}`);
        expect(res.status, `${who} opens “${post.title}”`).toBe(404);
        expect(res.text).not.toContain(post.title);
      }
    }
    expect((await c.outsider.get("/latest/doesnotexist0000")).status).toBe(404);
    expect((await c.outsider.get(`/latest/${"x".repeat(200)}`)).status).toBe(404);
  });
});

describe("the rest of the club stays closed to the outsider", () => {
  test("its blog, wiki, files and the article's own address in the space", async () => {
    for (const path of [
      `/spaces/${club.slug}/blog`,
      `/spaces/${club.slug}/blog/${netPost.slug}`,
      `/spaces/${club.slug}/wiki`,
      `/pages/${wikiPageId}`,
      `/spaces/${club.slug}/files`,
      `/spaces/${club.slug}/files/${files.inline}`,
      `/spaces/${club.slug}/files/${files.inline}/download`,
      `/spaces/${club.slug}/files/${files.inline}/thumbnail`,
      `/files/${files.inline}`,
      `/files/${files.pdf}`,
    ]) {
      const res = await get("outsider", path);
      expect([403, 404], `${path} answered ${res.status}`).toContain(res.status);
      expect(res.text).not.toContain("Retour sur l’atelier négociation");
    }
    // The same addresses open for the member, so the refusals above are about who asks.
    expect((await get("member", `/spaces/${club.slug}/wiki`)).status).toBe(200);
    expect((await get("member", `/spaces/${club.slug}/blog/${netPost.slug}`)).status).toBe(200);
    expect((await get("member", `/files/${files.inline}/inline`)).status).toBe(200);
  });

  test("the secret club's article, cover and images answer 404 to the outsider, as if they did not exist", async () => {
    expect((await get("outsider", `/latest/${secretPost.id}`)).status).toBe(404);
    expect((await get("outsider", `/latest/${secretPost.id}/cover`)).status).toBe(404);
    expect((await get("outsider", `/files/${files.secretImage}/inline`)).status).toBe(404);
  });
});

describe("images of a network article, for readers outside its club", () => {
  test("an image the article shows loads, as an inline image with the usual headers", async () => {
    const res = await get("outsider", `/files/${files.inline}/inline`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expectFileHeaders(res);
    expect(res.body.equals(bytes.inline)).toBe(true);
  });

  test("another image of the same club does not; nor one only a draft shows; nor a PDF the article links to", async () => {
    expect((await get("outsider", `/files/${files.other}/inline`)).status).toBe(403);
    expect((await get("outsider", `/files/${files.draftImage}/inline`)).status).toBe(403);
    expect((await get("outsider", `/files/${files.pdf}/inline`)).status).toBe(403);
    // Only the inline address opens: the file's page and download stay the club's.
    expect((await get("outsider", `/files/${files.inline}`)).status).toBe(403);
    expect((await get("outsider", `/spaces/${club.slug}/files/${files.inline}/download`)).status).toBe(403);
  });
});

describe("the cover, /latest/<id>/cover", () => {
  test("is served to the outsider: the current version inline, or its thumbnail", async () => {
    const res = await get("outsider", `/latest/${netPost.id}/cover?v=1`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expectFileHeaders(res);
    expect(res.body.equals(bytes.cover)).toBe(true);
    const thumb = await get("outsider", `/latest/${netPost.id}/cover?thumbnail&v=1`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers["content-type"]).toBe("image/webp");
    expect(thumb.headers["x-content-type-options"]).toBe("nosniff");
  });

  test("a cover whose new version is not an image is no longer served, here or by its inline address", async () => {
    const tus = new Tus(server.url, c.author);
    const cover = (await tus.upload(club.slug, await gradientPng(200, 100, 150), { filename: "couverture-changeante.png" })).fileId;
    const post = await article(club, "Couverture changeante", { visibility: "network", state: "published", at: base + 4 * HOUR, cover });
    expect((await get("outsider", `/latest/${post.id}/cover`)).status).toBe(200);
    expect((await get("outsider", `/files/${cover}/inline`)).status).toBe(200);
    // Its author uploads a PDF as the file's new version.
    const version = await tus.upload(club.slug, Buffer.from("%PDF-1.4\n%%EOF\n"), { filename: "couverture-changeante.png", fileId: cover, onConflict: "version" });
    expect(version.fileId).toBe(cover);
    expect((await get("outsider", `/latest/${post.id}/cover`)).status).toBe(404);
    expect((await get("outsider", `/latest/${post.id}/cover?thumbnail`)).status).toBe(404);
    expect((await get("outsider", `/files/${cover}/inline`)).status).toBe(403);
    expect((await c.outsider.get(`/latest/${post.id}`)).text).not.toContain(`/latest/${post.id}/cover`);
  });

  test("is 404 for an article that is not open to the network, or has no cover", async () => {
    expect((await get("outsider", `/latest/${spacePost.id}/cover`)).status).toBe(404);
    expect((await get("member", `/latest/${spacePost.id}/cover`)).status).toBe(404);
    expect((await get("outsider", `/latest/${openPost.id}/cover`)).status).toBe(404);
    expect((await get("outsider", `/latest/${draftPost.id}/cover`)).status).toBe(404);
  });
});

describe("what closes the article again", () => {
  test("unpublishing it: gone from the feed, 404, and its images close with it", async () => {
    const post = await article(club, "Bientôt retiré", { visibility: "network", state: "published", at: base + 16 * HOUR, content: doc(paragraph(image(`/files/${files.other}/inline`, "autre"))) });
    expect(listedIds((await c.outsider.get("/latest")).text)).toContain(post.id);
    expect((await get("outsider", `/files/${files.other}/inline`)).status).toBe(200);
    await setPostState(store.db, post.id, { state: "unpublished", userId: people.author.id, now: Date.now() });
    expect(listedIds((await c.outsider.get("/latest")).text)).not.toContain(post.id);
    expect((await get("outsider", `/latest/${post.id}`)).status).toBe(404);
    expect((await get("outsider", `/files/${files.other}/inline`)).status).toBe(403);
  });

  test("a file of the article put in the trash is served to no one: closed to the outsider, 404 to the member", async () => {
    const extra = (await new Tus(server.url, c.author).upload(club.slug, await gradientPng(64, 64, 33), { filename: "ephemere.png" })).fileId;
    await article(club, "Avec une image éphémère", { visibility: "network", state: "published", at: base + 5 * HOUR, content: doc(paragraph(image(`/files/${extra}/inline`, "éphémère"))) });
    expect((await get("outsider", `/files/${extra}/inline`)).status).toBe(200);
    await store.db.updateTable("file").set({ deleted_at: Date.now(), deleted_by: people.author.id }).where("id", "=", extra).execute();
    // As before network articles: one who cannot read the club's files is refused before the trash is looked at.
    expect((await get("outsider", `/files/${extra}/inline`)).status).toBe(403);
    expect((await get("member", `/files/${extra}/inline`)).status).toBe(404);
  });

  test("a space turned secret takes its network articles out of the feed", async () => {
    const space = await createSpace(store.db, { createdBy: people.author.id, slug: "club-bientot-secret", name: "Club Bientôt Secret", visibility: "listed" });
    const post = await article(space, "Avant le secret", { visibility: "network", state: "published", at: base + 17 * HOUR });
    expect(listedIds((await c.outsider.get("/latest")).text)).toContain(post.id);
    await store.db.updateTable("space").set({ visibility: "secret" }).where("id", "=", space.id).execute();
    const feed = await c.outsider.get("/latest");
    expect(listedIds(feed.text)).not.toContain(post.id);
    expect(feed.text).not.toContain("Club Bientôt Secret");
    expect((await get("outsider", `/latest/${post.id}`)).status).toBe(404);
  });

  test("archiving its club: the article leaves the feed and answers 404, cover and images too", async () => {
    expect(listedIds((await c.outsider.get("/latest")).text)).toContain(netPost.id);
    await setArchived(store.db, club.id, Date.now());
    try {
      for (const who of ["outsider", "member"] as const) {
        const feed = await c[who].get("/latest");
        expect(listedIds(feed.text), who).not.toContain(netPost.id);
        expect(feed.text).not.toContain("Club Achats Réseau");
        expect((await get(who, `/latest/${netPost.id}`)).status, who).toBe(404);
        expect((await get(who, `/latest/${netPost.id}/cover`)).status, who).toBe(404);
      }
      expect([403, 404]).toContain((await get("outsider", `/files/${files.inline}/inline`)).status);
    } finally {
      await setArchived(store.db, club.id, null);
    }
    expect(listedIds((await c.outsider.get("/latest")).text)).toContain(netPost.id);
  });
});
