import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createPost, findPostInSpace, setPostState } from "#db/queries/posts.ts";
import type { Post, Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * Deleting an article puts it in the blog's trash; the space's editors and
 * admins see it there and restore it, in the state it had. Over real HTTP
 * with session cookies.
 */

let server: TestServer;
let store: OpenedDatabase;
const roles = ["admin", "editor", "alice", "guest", "outsider"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
let club: Space;
let other: Space;

let w: World<Who, "club" | "other">;

beforeAll(async () => {
  w = await world({
    domain: "blog-trash.test",
    people: named(roles),
    spaces: {
      club: { createdBy: "admin", slug: "club-corbeille", visibility: "secret", members: { editor: "editor", alice: "member", guest: "guest" } },
      other: { createdBy: "admin", slug: "autre-corbeille", visibility: "secret", members: { outsider: "member" } },
    },
  });
  ({ server, store } = w);
  ({ club, other } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);
});

afterAll(() => w?.close());

let seq = 0;
async function article(space: Space, author: TestUser, state: "draft" | "published") {
  const title = `Article ${++seq}`;
  const now = Date.now();
  const post = await createPost(store.db, {
    spaceId: space.id,
    slug: `article-${seq}`,
    title,
    excerpt: "",
    excerptAuto: true,
    coverFileId: null,
    content: { json: doc(paragraph(title)), html: `<p>${title}</p>`, text: title },
    visibility: "space",
    authorId: author.id,
    summary: "",
    now,
  });
  if (state === "published") await setPostState(store.db, post.id, { state, userId: author.id, now });
  return post;
}

const trashUrl = (space: Space) => `/spaces/${space.slug}/blog/trash`;
const remove = (who: Who, post: Post, space = club) => c[who].post(`/spaces/${space.slug}/blog/${post.slug}/edit`, { postId: post.id, intent: "delete" });

describe("the blog's trash", () => {
  test("an author deletes their article: gone from the blog and its address, listed in the trash for editors", async () => {
    const post = await article(club, people.alice, "published");
    expect((await remove("alice", post)).status).toBe(302);
    expect((await c.guest.get(`/spaces/${club.slug}/blog/${post.slug}`)).status).toBe(404);
    expect(pageText((await c.guest.get(`/spaces/${club.slug}/blog`)).text)).not.toContain(post.title);
    const trash = await c.editor.get(trashUrl(club));
    expect(trash.status).toBe(200);
    expect(pageText(trash.text)).toContain(post.title);
  });

  test("an editor restores it, in the state it had: published again, readable by all", async () => {
    const post = await article(club, people.alice, "published");
    await remove("alice", post);
    const res = await c.editor.post(trashUrl(club), { intent: "restore", postId: post.id });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/spaces/${club.slug}/blog/${post.slug}`);
    expect((await findPostInSpace(store.db, club.id, post.id))?.deleted_at).toBeNull();
    expect((await c.guest.get(`/spaces/${club.slug}/blog/${post.slug}`)).status).toBe(200);
  });

  test("members and guests may not see or use the trash; outsiders do not learn the space exists", async () => {
    const post = await article(club, people.alice, "draft");
    await remove("alice", post);
    for (const who of ["alice", "guest"] as const) {
      expect((await c[who].get(trashUrl(club))).status).toBe(403);
      expect((await c[who].post(trashUrl(club), { intent: "restore", postId: post.id })).status).toBe(403);
    }
    expect((await c.outsider.get(trashUrl(club))).status).toBe(404);
    expect((await c.outsider.post(trashUrl(club), { intent: "restore", postId: post.id })).status).toBe(404);
    expect((await findPostInSpace(store.db, club.id, post.id))?.deleted_at).not.toBeNull();
  });

  test("a live article, an unknown id, or an article of another space cannot be 'restored' here", async () => {
    const live = await article(club, people.alice, "published");
    expect((await c.admin.post(trashUrl(club), { intent: "restore", postId: live.id })).status).toBe(404);
    expect((await c.admin.post(trashUrl(club), { intent: "restore", postId: "zzzzzzzzzzzzzzzz" })).status).toBe(404);
    const elsewhere = await article(other, people.outsider, "published");
    await store.db.updateTable("post").set({ deleted_at: Date.now(), deleted_by: people.outsider.id }).where("id", "=", elsewhere.id).execute();
    expect((await c.admin.post(trashUrl(club), { intent: "restore", postId: elsewhere.id })).status).toBe(404);
    expect((await findPostInSpace(store.db, other.id, elsewhere.id))?.deleted_at).not.toBeNull();
    expect((await c.admin.post(trashUrl(club), { intent: "empty" })).status).toBe(400);
  });
});
