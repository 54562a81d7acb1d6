import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { openDatabase, type DB } from "#db/client.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { createPost, publishDuePosts, setPostState } from "#db/queries/posts.ts";
import type { Post, Space, User } from "#db/schema.ts";
import { createNetwork, createSpace, createUser } from "#tests/factories.ts";
import { freePort, spawnScript, spawnServer, waitFor } from "#tests/helpers/process.ts";

/**
 * Scheduled articles go out once: an article due while the server was down
 * is published when it starts (before it serves), a restart publishes
 * nothing twice, several worker processes leave it to the primary, the
 * running server publishes on its 15-second tick, and two publishers racing
 * on one file publish each article once. The server is the built one
 * (build/server.js) in a child process, as `npm start` runs it, on a fresh
 * DATA_DIR whose database the test writes before starting it.
 */

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

const cleanup: Array<() => void> = [];
afterAll(() => {
  while (cleanup.length) cleanup.pop()!();
});

interface Running {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/** build/server.js on this data folder; resolves once it listens. */
async function startServer(dataDir: string, workers: number): Promise<Running> {
  const port = await freePort();
  const server = spawnServer({ NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", WEB_CONCURRENCY: String(workers) });
  const { child, output: out } = server;
  cleanup.push(() => child.kill("SIGKILL"));
  await waitFor(() => out().includes("listening") || child.exitCode !== null, "the server to listen", 30_000, out);
  if (!out().includes("listening")) throw new Error(`the server did not start:\n${out()}`);
  return {
    child,
    output: out,
    async stop() {
      child.kill("SIGTERM");
      return (await server.exited).code;
    },
  };
}

/** A fresh data folder with a migrated database, a network, an author and a club. */
async function freshDataDir() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-schedule-"));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const dbFile = path.join(dataDir, "cercle.db");
  const opened = openDatabase(dbFile);
  await migrateToLatest(opened.db);
  await createNetwork(opened.db);
  const author = await createUser(opened.db, { email: "autrice@schedule.test", displayName: "Autrice Programmée" });
  const space = await createSpace(opened.db, { createdBy: author.id, slug: "club-programme", name: "Club Programmé" });
  return { dataDir, dbFile, db: opened.db, close: opened.close, author, space };
}

let seq = 0;

/** An article scheduled for `publishAt` (written as the app writes one: a draft, then scheduled). */
async function scheduled(db: DB, space: Space, author: User, publishAt: number, title = `Article programmé ${seq}`): Promise<Post> {
  const post = await createPost(db, {
    spaceId: space.id,
    slug: `article-programme-${(seq++).toString(36)}`,
    title,
    excerpt: "",
    excerptAuto: true,
    coverFileId: null,
    content: { json: '{"root":{"type":"root","children":[]}}', html: "", text: "" },
    visibility: "space",
    authorId: author.id,
    summary: "",
    now: publishAt - 2 * HOUR,
  });
  await setPostState(db, post.id, { state: "scheduled", publishAt, userId: author.id, now: publishAt - HOUR });
  return post;
}

const postRow = (db: DB, id: string) => db.selectFrom("post").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** The post_published lines of the space's activity, per article slug. */
async function publishedActivity(db: DB, spaceId: string) {
  const rows = await db.selectFrom("activity").select(["data", "created_at"]).where("space_id", "=", spaceId).where("verb", "=", "post_published").execute();
  return rows.map((r) => ({ slug: (JSON.parse(r.data) as { slug: string }).slug, at: r.created_at }));
}

describe("an article due while the server was down", () => {
  test("is published once at start, before the server serves, dated when it was due; a restart publishes nothing again; the tick publishes what falls due", async () => {
    const data = await freshDataDir();
    const dueAt = Date.now() - 3 * HOUR;
    const due = await scheduled(data.db, data.space, data.author, dueAt, "Tombé pendant la panne");
    const later = await scheduled(data.db, data.space, data.author, Date.now() + 24 * HOUR, "Pour demain");
    await data.close();

    // First start.
    const first = await startServer(data.dataDir, 1);
    const db = openDatabase(data.dbFile);
    cleanup.push(() => void db.close());
    const out = first.output();
    expect(out).toContain("Published 1 scheduled article(s): Tombé pendant la panne");
    expect(out.indexOf("Published 1 scheduled article(s)")).toBeLessThan(out.indexOf("listening"));
    let row = await postRow(db.db, due.id);
    expect(row.state).toBe("published");
    expect(row.published_at).toBe(dueAt);
    expect(row.publish_at).toBe(dueAt);
    expect(await publishedActivity(db.db, data.space.id)).toEqual([{ slug: due.slug, at: dueAt }]);
    expect((await postRow(db.db, later.id)).state).toBe("scheduled");
    expect(await first.stop()).toBe(0);

    // Second start on the same data: nothing new to publish.
    const second = await startServer(data.dataDir, 1);
    expect(second.output()).not.toContain("Published");
    row = await postRow(db.db, due.id);
    expect(row.state).toBe("published");
    expect(row.published_at).toBe(dueAt);
    expect(await publishedActivity(db.db, data.space.id)).toEqual([{ slug: due.slug, at: dueAt }]);

    // While it runs: an article due two seconds from now goes out on the next 15-second tick.
    const soonAt = Date.now() + 2000;
    const soon = await scheduled(db.db, data.space, data.author, soonAt, "Dans deux secondes");
    await waitFor(async () => (await postRow(db.db, soon.id)).state === "published", "the tick to publish it", 20_000, second.output);
    expect(Date.now() - soonAt).toBeLessThan(18_000);
    const published = await postRow(db.db, soon.id);
    expect(published.published_at).toBe(soonAt);
    expect((await publishedActivity(db.db, data.space.id)).filter((a) => a.slug === soon.slug)).toEqual([{ slug: soon.slug, at: soonAt }]);
    // The line is printed after the commit the database shows: it may still be in the pipe.
    await waitFor(async () => second.output().includes("Published 1 scheduled article(s): Dans deux secondes"), "the publisher's line", 5_000, second.output);
    expect((await postRow(db.db, later.id)).state).toBe("scheduled");
    expect(await second.stop()).toBe(0);
    expect(await publishedActivity(db.db, data.space.id)).toHaveLength(2);
  }, 90_000);

  test("with two worker processes, only the primary publishes: each article once", async () => {
    const data = await freshDataDir();
    const dues = [];
    for (let i = 0; i < 5; i++) dues.push(await scheduled(data.db, data.space, data.author, Date.now() - (i + 1) * MINUTE));
    await data.close();

    const cluster = await startServer(data.dataDir, 2);
    expect(cluster.output()).toContain("2 worker processes");
    const db = openDatabase(data.dbFile);
    cleanup.push(() => void db.close());
    expect(cluster.output().match(/Published \d+ scheduled article/g)).toEqual(["Published 5 scheduled article"]);
    for (const due of dues) {
      const row = await postRow(db.db, due.id);
      expect(row.state).toBe("published");
      expect(row.published_at).toBe(row.publish_at);
    }
    const activity = await publishedActivity(db.db, data.space.id);
    expect(activity.map((a) => a.slug).sort()).toEqual(dues.map((d) => d.slug).sort());
    expect(await cluster.stop()).toBe(0);
  }, 60_000);
});

describe("two publishers on one database file", () => {
  test("two connections racing publishDuePosts publish each article once", async () => {
    const data = await freshDataDir();
    const a = data;
    const b = openDatabase(data.dbFile);
    cleanup.push(() => void b.close());
    const all: Post[] = [];
    for (let round = 0; round < 5; round++) {
      const now = Date.now();
      const batch = [];
      for (let i = 0; i < 20; i++) batch.push(await scheduled(a.db, a.space, a.author, now - (i + 1) * 1000));
      // One that is not due yet stays out of both.
      const notYet = await scheduled(a.db, a.space, a.author, now + HOUR);
      const [fromA, fromB] = await Promise.all([publishDuePosts(a.db, now), publishDuePosts(b.db, now)]);
      const ids = [...fromA, ...fromB].map((p) => p.id);
      expect(new Set(ids).size, "an article published by both").toBe(ids.length);
      expect(ids.sort()).toEqual(batch.map((p) => p.id).sort());
      expect((await postRow(a.db, notYet.id)).state).toBe("scheduled");
      await setPostState(a.db, notYet.id, { state: "draft", userId: a.author.id, now });
      all.push(...batch);
    }
    // A third call, later, finds nothing left.
    expect(await publishDuePosts(b.db, Date.now())).toEqual([]);
    for (const post of all) {
      const row = await postRow(a.db, post.id);
      expect(row.state).toBe("published");
      expect(row.published_at).toBe(row.publish_at);
    }
    await a.close();
  });

  test("two processes racing the app's publisher, each on its own connection, while articles keep falling due: each once, one activity line each", async () => {
    const data = await freshDataDir();
    const due: Post[] = [];
    const now = Date.now();
    for (let i = 0; i < 50; i++) due.push(await scheduled(data.db, data.space, data.author, now - (i + 1) * 1000));

    const children = [0, 1].map(() => {

      const script = spawnScript("publisher-child.ts", [data.dbFile, "2500"]);

      cleanup.push(() => script.child.kill("SIGKILL"));

      return script;

    });
    await waitFor(() => children.every((c) => c.out().startsWith("ready\n")), "both publishers to load", 30_000, () => children.map((c) => c.err()).join("\n"));
    for (const c of children) c.child.stdin!.end("go\n");
    // More articles fall due while both run: one every few milliseconds for about two seconds.
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      due.push(await scheduled(data.db, data.space, data.author, Date.now() - 10));
      await new Promise((r) => setTimeout(r, 5));
    }
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes, children.map((c) => c.err()).join("\n")).toEqual([0, 0]);
    const lists = children.map((c) => JSON.parse(c.out().split("\n")[1]) as string[]);
    const ids = lists.flat();
    expect(new Set(ids).size, "an article published by both").toBe(ids.length);
    // On a loaded machine the last articles may fall due after both publishers stopped: those
    // stay scheduled. What must hold: none published twice, none lost, none half-published.
    const published = new Set(ids);
    const first = due.slice(0, 50);
    expect(first.filter((p) => !published.has(p.id)), "due before the publishers started").toEqual([]);
    expect(ids.every((id) => due.some((p) => p.id === id))).toBe(true);

    const activity = await publishedActivity(data.db, data.space.id);
    expect(activity).toHaveLength(ids.length);
    expect(new Set(activity.map((a) => a.slug)).size).toBe(ids.length);
    for (const post of due) {
      const row = await postRow(data.db, post.id);
      if (published.has(post.id)) {
        expect(row.state).toBe("published");
        expect(row.published_at).toBe(row.publish_at);
      } else {
        expect(row.state).toBe("scheduled");
        expect(row.published_at).toBeNull();
      }
    }
    await data.close();
  }, 60_000);
});
