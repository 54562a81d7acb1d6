import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import * as pages from "#db/queries/pages.ts";
import type { Page, Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * /notifications a page of 50 at a time, newest first, over real HTTP with
 * real session cookies: following the "older" links shows every notification
 * exactly once and in order (many share a millisecond), a cursor is only a
 * position (someone else's shows nothing of theirs), and a malformed one is a
 * 400. Each notification is about a page of its own: those of one kind about
 * one thing are gathered on one line (tests/integration/notifications.test.ts).
 */

let server: TestServer;
let store: OpenedDatabase;
let me: TestUser; // French, 120 notifications
let other: TestUser; // English, 60 notifications
let author: TestUser;
let club: Space;
const c = {} as Record<"me" | "other", Client>;

/** Each user's notification ids, newest first (time, then id, both descending). */
const expected: Record<"me" | "other", string[]> = { me: [], other: [] };

let w: World<"me" | "other" | "author", "club">;

beforeAll(async () => {
  w = await world({
    people: {
      me: { email: "me@paging.test", locale: "fr" },
      other: { email: "other@paging.test", locale: "en" },
      author: { email: "author@paging.test", displayName: "Paul Auteur", locale: "fr" },
    },
    spaces: { club: { createdBy: "author", slug: "pages", name: "Club Pages", visibility: "secret", members: { me: "member", other: "member" } } },
  });
  ({ server, store } = w);
  ({ me, other, author } = w.people);
  ({ club } = w.spaces);
  const now = Date.now();
  const subjects: Page[] = [];
  for (let i = 0; i < 120; i++) {
    subjects.push(
      await pages.createPage(store.db, {
        spaceId: club.id,
        parentId: null,
        title: `Sujet ${i}`,
        slug: `sujet-${i}`,
        content: { json: doc(paragraph("x")), html: `<p class="rt-p">x</p>`, text: "x" },
        summary: "",
        authorId: author.id,
        now,
      }),
    );
  }
  const page = subjects[0]!;
  c.me = w.c.me;
  c.other = w.c.other;
  // One comment through the real flow; the many notifications about it go straight into the file.
  const ca = w.c.author;
  const res = await ca.post(`/spaces/${club.slug}/comments`, { intent: "create", targetType: "page", targetId: page.id, body: doc(paragraph("Bonjour")) });
  expect(res.status).toBe(303);
  const commentId = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")![1];

  // Seven to a millisecond, and the two users' rows interleaved in time, so a cursor of one falls among the other's.
  const base = now - 3_600_000;
  const rows = (userId: string, count: number, offset: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: newId(),
      user_id: userId,
      kind: "mention" as const,
      space_id: club.id,
      owner_kind: "page" as const,
      owner_id: subjects[i]!.id,
      comment_id: commentId,
      actor_id: author.id,
      created_at: base + offset + 2 * Math.floor(i / 7),
      read_at: null,
    }));
  const mine = rows(me.id, 120, 0);
  const theirs = rows(other.id, 60, 1);
  await store.db.insertInto("notification").values([...mine, ...theirs]).execute();
  const order = (list: typeof mine) =>
    [...list].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((n) => n.id);
  expected.me = order(mine);
  expected.other = order(theirs);
});

afterAll(() => w?.close());

/** The notifications a page lists, in the order shown. */
const shown = (res: HttpResponse) => [...res.text.matchAll(/href="\/notifications\/([a-z0-9]+)"/g)].map((m) => m[1]);
/** The page's "older" link, as a reader would follow it. */
const olderLink = (res: HttpResponse) => res.text.match(/href="(\/notifications\?before=[^"]+)"/)?.[1]?.replace(/&amp;/g, "&") ?? null;

async function walk(cl: Client, start = "/notifications") {
  const seen: string[] = [];
  const visited: HttpResponse[] = [];
  let path: string | null = start;
  while (path && visited.length < 10) {
    const res = await cl.get(path);
    expect(res.status, path).toBe(200);
    visited.push(res);
    seen.push(...shown(res));
    path = olderLink(res);
  }
  return { seen, visited };
}

describe("paging through /notifications", () => {
  test("50 a page, newest first: every notification once and in order, with links to older ones and back to the newest", async () => {
    const { seen, visited } = await walk(c.me);
    expect(visited.map((r) => shown(r).length)).toEqual([50, 50, 20]);
    expect(seen).toEqual(expected.me);
    expect(new Set(seen).size).toBe(120);

    const [first, second, last] = visited.map((r) => pageText(r.text));
    expect(first).toContain("Notifications plus anciennes");
    expect(first).not.toContain("Revenir aux plus récentes");
    expect(second).toContain("Notifications plus anciennes");
    expect(second).toContain("Revenir aux plus récentes");
    expect(visited[1].text).toContain('href="/notifications"');
    expect(last).not.toContain("Notifications plus anciennes");
    expect(last).toContain("Revenir aux plus récentes");
  });

  test("in English too, and the other user's pages hold only theirs", async () => {
    const { seen, visited } = await walk(c.other);
    expect(visited).toHaveLength(2);
    expect(seen).toEqual(expected.other);
    expect(pageText(visited[0].text)).toContain("Older notifications");
    expect(pageText(visited[1].text)).toContain("Back to the newest");
  });

  test("someone else's cursor is only a position: it lists the viewer's own notifications older than it, nothing of theirs", async () => {
    const theirs = olderLink(await c.other.get("/notifications"));
    expect(theirs).not.toBeNull();
    const [at, id] = decodeURIComponent(theirs!.split("before=")[1]).split(".");
    const res = await c.me.get(theirs!);
    expect(res.status).toBe(200);
    const listed = shown(res);
    expect(listed.some((n) => expected.other.includes(n))).toBe(false);
    const mine = await store.db.selectFrom("notification").select(["id", "created_at"]).where("user_id", "=", me.id).execute();
    const older = new Set(mine.filter((n) => n.created_at < Number(at) || (n.created_at === Number(at) && n.id < id)).map((n) => n.id));
    expect(listed).toEqual(expected.me.filter((n) => older.has(n)).slice(0, 50));
    expect(listed.length).toBeGreaterThan(0);
  });

  test("a malformed cursor is a 400, never a 500 nor a silent first page", async () => {
    for (const bad of ["", "abc", "123", "123.", ".abc", "12a.abc", "1.ABC", "1.a-b", "1.a.b", "99999999999999999999.abc", `1.${"a".repeat(65)}`, "1.abc%00"]) {
      const res = await c.me.get(`/notifications?before=${bad}`);
      expect(res.status, `before=${bad}`).toBe(400);
    }
    // A well-formed cursor past everything is simply an empty page.
    const res = await c.me.get("/notifications?before=0.a");
    expect(res.status).toBe(200);
    expect(shown(res)).toEqual([]);
  });

  // Last: it changes what is read.
  test("an older page whose items are all read still offers to mark everything read while newer ones are unread", async () => {
    const markAll = "Tout marquer comme lu";
    const oldest = expected.me.slice(100);
    await store.db.updateTable("notification").set({ read_at: Date.now() }).where("id", "in", oldest).execute();
    const last = (await walk(c.me)).visited.at(-1)!;
    expect(shown(last)).toEqual(oldest);
    expect(pageText(last.text)).toContain(markAll);

    const done = await c.me.post("/notifications", { intent: "read-all" });
    expect(done.status).toBe(302);
    const after = await walk(c.me);
    for (const page of after.visited) expect(pageText(page.text)).not.toContain(markAll);
  });
});
