import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createFolder } from "#db/queries/files.ts";
import { findPostBySlug } from "#db/queries/posts.ts";
import type { Post, Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { gradientPng } from "#tests/helpers/fixtures.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { doc, image, paragraph } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { fetchBytes, type Tus } from "#tests/helpers/tus.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * "Used by" covers articles as it covers wiki pages: a file an article has
 * as its cover, or shows in its text, is listed on the file's page under the
 * articles that use it, counted in the listing (what the confirmation before
 * the trash says), and counted among the used files of its folder. A draft
 * counts only for those who may read it: its title never reaches the others.
 * Over real HTTP, with files sent through tus and articles through the forms.
 */

let server: TestServer;
let store: OpenedDatabase;

const roles = ["admin", "editor", "alice", "guest", "dave"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
const tus = {} as Record<Who, Tus>;
let club: Space;
let w: World<Who, "club">;

beforeAll(async () => {
  w = await world({
    domain: "files-usage.test",
    displayName: (who) => `${who} Usage`,
    people: named(roles),
    spaces: {
      club: { createdBy: "admin", slug: "club-usage", name: "Club Usage", visibility: "secret", members: { editor: "editor", alice: "member", guest: "guest", dave: "member" } },
    },
  });
  ({ server, store } = w);
  club = w.spaces.club;
  Object.assign(people, w.people);
  Object.assign(c, w.c);
  Object.assign(tus, w.tus);
});

afterAll(() => w?.close());

let seq = 0;
const unique = (stem: string) => `${stem} ${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}`;
const blog = `/spaces/club-usage/blog`;

async function put(who: Who, bytes: Buffer, name: string, folderId: string | null = null): Promise<string> {
  return (await tus[who].upload(club.slug, bytes, { filename: name, folderId })).fileId;
}

/** A draft through the real form, published unless told otherwise. */
async function article(who: Who, fields: { title: string; content: string; coverFileId?: string }, publish = true): Promise<Post> {
  const res = await c[who].post(`${blog}/new`, { ...fields, coverFileId: fields.coverFileId ?? "", excerpt: "", tags: "", visibility: "space" });
  expect(res.status, `create: ${pageText(res.text).slice(0, 300)}`).toBe(302);
  const slug = res.location!.replace(`${blog}/`, "").replace(/\/edit$/, "");
  const post = await findPostBySlug(store.db, club.id, slug);
  expect(post, `no post at ${res.location}`).toBeDefined();
  if (publish) {
    const published = await c[who].post(`${blog}/${slug}/edit`, { postId: post!.id, intent: "publish" });
    expect(published.status, pageText(published.text).slice(0, 300)).toBe(302);
  }
  return post!;
}

/** The "used in these articles" section of a file's page, or "" if it has none. */
async function usedInPosts(who: Who, fileId: string): Promise<string> {
  const res = await c[who].get(`/spaces/club-usage/files/${fileId}`);
  expect(res.status).toBe(200);
  const start = res.text.indexOf('id="used-posts-title"');
  return start < 0 ? "" : res.text.slice(start, res.text.indexOf("</section>", start));
}

interface ListingFiles {
  files: Array<{ id: string; usedByPages: number; usedByPosts: number }>;
  folders: Array<{ id: string; usedFiles: number }>;
}

/** The listing's data, as client-side navigation asks for it (GET <path>.data). */
async function listing(who: Who): Promise<ListingFiles> {
  const res = await fetchBytes(server.url, c[who], `/spaces/club-usage/files.data`);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  const decoded = await decode(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(res.body));
        controller.close();
      },
    }),
  );
  await decoded.done;
  return (decoded.value as Record<string, { data: ListingFiles }>)["routes/spaces.$space.files._index"].data;
}

describe("files used by articles", () => {
  let coverId: string;
  let inlineId: string;
  let draftOnlyId: string;
  let folderId: string;
  let withCover: Post;
  let withImage: Post;
  let draft: Post;

  beforeAll(async () => {
    folderId = (await createFolder(store.db, { spaceId: club.id, parentId: null, name: unique("Couvertures"), userId: people.admin.id, now: Date.now() })).id;
    coverId = await put("alice", await gradientPng(20, 12, 50), unique("couverture") + ".png", folderId);
    inlineId = await put("dave", await gradientPng(20, 12, 51), unique("illustration") + ".png");
    draftOnlyId = await put("alice", await gradientPng(20, 12, 52), unique("brouillon") + ".png");
    withCover = await article("alice", { title: unique("Rentrée du club"), content: doc(paragraph("Le programme.")), coverFileId: coverId });
    withImage = await article("dave", { title: unique("Retour en images"), content: doc(paragraph("La sortie :"), image(`/files/${inlineId}/inline`, "La sortie")) });
    draft = await article("alice", { title: unique("Brouillon secret"), content: doc(image(`/files/${draftOnlyId}/inline`, "Pas encore")) }, false);
  });

  test("the file page lists the article whose cover it is, and the article showing it, linked", async () => {
    const cover = await usedInPosts("guest", coverId);
    expect(pageText(cover)).toContain("Utilisé dans ces articles du blog");
    expect(cover).toContain(`href="/spaces/club-usage/blog/${withCover.slug}"`);
    expect(pageText(cover)).toContain(withCover.title);
    expect(cover).not.toContain(withImage.slug);

    const inline = await usedInPosts("guest", inlineId);
    expect(inline).toContain(`href="/spaces/club-usage/blog/${withImage.slug}"`);
    expect(pageText(inline)).toContain(withImage.title);
    // No wiki page uses these files: the pages' section stays away.
    expect((await c.guest.get(`/spaces/club-usage/files/${inlineId}`)).text).not.toContain('id="used-title"');
  });

  test("in English too", async () => {
    await store.db.updateTable("user").set({ locale: "en" }).where("id", "=", people.dave.id).execute();
    try {
      expect(pageText(await usedInPosts("dave", inlineId))).toContain("Used in these blog articles");
    } finally {
      await store.db.updateTable("user").set({ locale: null }).where("id", "=", people.dave.id).execute();
    }
  });

  test("the listing counts the articles using each file, and the used files of a folder", async () => {
    const data = await listing("editor");
    expect(data.files.find((f) => f.id === inlineId)).toMatchObject({ usedByPages: 0, usedByPosts: 1 });
    expect(data.folders.find((f) => f.id === folderId)?.usedFiles).toBe(1);
  });

  test("a draft counts for who may read it only, and its title reaches nobody else", async () => {
    expect(pageText(await usedInPosts("alice", draftOnlyId))).toContain(draft.title);
    expect(pageText(await usedInPosts("editor", draftOnlyId))).toContain(draft.title);
    expect(await usedInPosts("dave", draftOnlyId)).toBe("");
    expect((await c.dave.get(`/spaces/club-usage/files/${draftOnlyId}`)).text).not.toContain(draft.title);
    expect((await listing("editor")).files.find((f) => f.id === draftOnlyId)?.usedByPosts).toBe(1);
    expect((await listing("dave")).files.find((f) => f.id === draftOnlyId)?.usedByPosts).toBe(0);
  });

  test("an article in the trash no longer counts", async () => {
    const trashed = await c.dave.post(`${blog}/${withImage.slug}/edit`, { postId: withImage.id, intent: "delete" });
    expect(trashed.status, pageText(trashed.text).slice(0, 300)).toBe(302);
    expect(await usedInPosts("guest", inlineId)).toBe("");
    expect((await listing("editor")).files.find((f) => f.id === inlineId)?.usedByPosts).toBe(0);
  });
});
