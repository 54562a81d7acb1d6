import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { DB, OpenedDatabase } from "#db/client.ts";
import { createPost, setPostState } from "#db/queries/posts.ts";
import type { Post, Space } from "#db/schema.ts";
import { signIn, type TestUser } from "#tests/factories.ts";
import { client, type Client } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import { freshPostgres } from "#tests/helpers/postgres.ts";
import { isSignedIn } from "#tests/helpers/session.ts";
import { startSmtp, type TestSmtp } from "#tests/helpers/smtp.ts";
import { freePort, spawnServer, waitFor, type ServerProcess } from "#tests/helpers/process.ts";
import { s3Env, startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";
import { binaryBytes, fetchBytes, sha256Hex, Tus } from "#tests/helpers/tus.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Issue 21: any number of Cercle servers against one PostgreSQL database and
 * one S3 bucket. Two servers (build/server.js, as `npm start` runs it, one
 * process each) on two ports share a fresh database and an s3rver bucket; a
 * person's client goes back and forth between them through a whole journey:
 * signed in on A and known on B, a page saved on A and the stale save on B
 * refused with both versions, an upload started on A and finished on B, a
 * scheduled article published once by the two schedulers racing, and, once
 * B is killed, A doing the jobs alone. Then the set-ups that cannot work:
 * local disk storage beside another server is refused at start.
 */

const MB = 1024 * 1024;

interface Running extends ServerProcess {
  origin: string;
  dataDir: string;
}

const started: Running[] = [];
const cleanup: Array<() => Promise<unknown> | void> = [];


/** One server: its own port and data folder (another machine, as far as it knows), the shared database. */
function spawnOne(databaseUrl: string, port: number, env: Record<string, string>): Running {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-servers-"));
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawnServer({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    BASE_URL: origin,
    WEB_CONCURRENCY: "1",
    ...env,
  });
  const running = { ...proc, origin, dataDir };
  started.push(running);
  return running;
}

/** Starts a server and waits until it listens (or throws with what it printed). */
async function startOne(databaseUrl: string, env: Record<string, string>): Promise<Running> {
  const server = spawnOne(databaseUrl, await freePort(), env);
  await waitFor(() => server.output().includes("listening") || server.child.exitCode !== null, "the server to listen", 60_000, server.output);
  if (!server.output().includes("listening")) throw new Error(`the server did not start:\n${server.output()}`);
  return server;
}

/** Starts a server that must refuse to start: its exit code and what it said. */
async function refusedStart(databaseUrl: string, env: Record<string, string>) {
  const server = spawnOne(databaseUrl, await freePort(), env);
  const exit = await Promise.race([server.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 60_000))]);
  return { exit, output: server.output() };
}

afterAll(async () => {
  for (const s of started) s.child.kill("SIGKILL");
  await Promise.all(started.map((s) => s.exited));
  for (const s of started) rmSync(s.dataDir, { recursive: true, force: true });
  while (cleanup.length) await cleanup.pop()!();
});

/** The value of a hidden input of an answer, or undefined. */
function inputValue(html: string, name: string): string | undefined {
  const tag = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0];
  return tag?.match(/value="([^"]*)"/)?.[1];
}

/** The same person's browser, pointed at the other server: the cookies it holds go along. */
function sameBrowserOn(origin: string, from: Client): Client {
  const other = client(origin);
  for (const [name, value] of from.cookies) other.setCookie(name, value);
  return other;
}

describe("two servers on one PostgreSQL database and one S3 bucket", () => {
  let s3: TestS3Server;
  let smtp: TestSmtp;
  let a: Running;
  let b: Running;
  let w: World<"admin" | "alice" | "bob", "space">;
  let db: DB;
  let store: OpenedDatabase;
  let alice: TestUser;
  let bob: TestUser;
  let space: Space;
  /** Alice's browser on A and on B (one cookie jar's worth, copied). */
  let onA: Client;
  let onB: Client;

  beforeAll(async () => {
    s3 = await startS3rver();
    cleanup.push(() => s3.close());
    // One mail server for both, as one relay serves a whole site.
    smtp = await startSmtp();
    cleanup.push(() => smtp.close());
    const pg = await freshPostgres();
    cleanup.push(() => pg.drop());
    const env = { ...s3Env(s3), SMTP_URL: smtp.url };
    // A first: it migrates (nothing to do on the fresh copy of the template) and prints the setup link.
    a = await startOne(pg.url, env);
    b = await startOne(pg.url, env);
    w = await world({
      attach: { url: a.origin, dbFile: pg.url },
      domain: "servers.test",
      people: { admin: {}, alice: { displayName: "Alice Serveurs" }, bob: { displayName: "Bob Serveurs" } },
      spaces: { space: { createdBy: "admin", slug: "deux-serveurs", name: "Club Deux Serveurs", visibility: "secret", storageQuotaBytes: 1024 * MB, members: { alice: "editor" } } },
      signIn: ["alice"],
    });
    // Before the servers are killed: the world's connection is this test's own.
    cleanup.push(() => w.close());
    store = w.store;
    db = store.db;
    ({ alice, bob } = w.people);
    ({ space } = w.spaces);
    onA = w.c.alice;
    onB = sameBrowserOn(b.origin, onA);
  }, 180_000);

  test("each server says it lives in app_server, under the id it claims jobs by", async () => {
    const rows = await db.selectFrom("app_server").selectAll().orderBy("started_at").execute();
    expect(rows.map((r) => [r.pid, r.storage_driver])).toEqual([
      [a.child.pid, "s3"],
      [b.child.pid, "s3"],
    ]);
    expect(rows.every((r) => r.id.includes(`:${r.pid}:`))).toBe(true);
  });

  test("signed in on A, the same cookie is signed in on B", async () => {
    expect((await onA.get("/spaces")).status).toBe(200);
    const there = await onB.get(`/spaces/${space.slug}`);
    expect(there.status).toBe(200);
    expect(there.text).toContain("Club Deux Serveurs");
  });

  test("the editor open on A and on B: A's save wins, B's stale save is refused with 409 and both versions", async () => {
    const title = "Page des deux serveurs";
    const created = await onA.post(`/spaces/${space.slug}/wiki/new`, { title, content: doc(paragraph("Texte de départ")), summary: "" });
    expect(created.status, created.text.slice(0, 500)).toBe(302);
    const slug = created.location!.split("/").pop()!;
    const edit = `/spaces/${space.slug}/wiki/${slug}/edit`;
    for (const browser of [onA, onB]) {
      const form = await browser.get(edit);
      expect(form.status).toBe(200);
      expect(inputValue(form.text, "baseRevision")).toBe("1");
    }

    const first = await onA.post(edit, { title, content: doc(paragraph("Départ complété par ALPHASERVEUR")), summary: "", baseRevision: "1" });
    expect(first.status, first.text.slice(0, 500)).toBe(302);
    const second = await onB.post(edit, { title, content: doc(paragraph("Départ revu par BRAVOSERVEUR")), summary: "", baseRevision: "1" });
    expect(second.status).toBe(409);
    // The other version (A's, saved through the other server) and the writer's own, with an offer to save on revision 2.
    expect(second.text).toContain("ALPHASERVEUR");
    expect(second.text).toContain("BRAVOSERVEUR");
    expect(inputValue(second.text, "baseRevision")).toBe("2");
    const page = await db.selectFrom("page").select(["id", "revision", "content_text"]).where("slug", "=", slug).executeTakeFirstOrThrow();
    expect(page.revision).toBe(2);
    expect(page.content_text).toContain("ALPHASERVEUR");
    expect(page.content_text).not.toContain("BRAVOSERVEUR");
  });

  test("an upload started on A (first part) is resumed on B (HEAD, then PATCH the rest) and listed complete on both", async () => {
    // 6 MB first: one S3 part of 5 MB and the rest kept in the bucket as an incomplete part, not on A's disk.
    const bytes = binaryBytes(9 * MB + 4321, "two-servers");
    const tusA = new Tus(a.origin, onA);
    const tusB = new Tus(b.origin, onB);
    const { location } = await tusA.start(space.slug, bytes.length, { filename: "compte-rendu commun.bin" });
    const firstPart = await tusA.patch(location, 0, bytes.subarray(0, 6 * MB));
    expect(firstPart.status, firstPart.text).toBe(204);
    expect(Number(firstPart.headers["upload-offset"])).toBe(6 * MB);

    const head = await tusB.head(location);
    expect(head.status).toBe(200);
    expect(Number(head.headers["upload-offset"])).toBe(6 * MB);
    const rest = await tusB.patch(location, 6 * MB, bytes.subarray(6 * MB));
    expect(rest.status, rest.text).toBe(204);
    expect(Number(rest.headers["upload-offset"])).toBe(bytes.length);
    const fileId = rest.headers["upload-file-id"];
    expect(typeof fileId).toBe("string");

    const version = await db.selectFrom("file_version").selectAll().where("file_id", "=", fileId as string).executeTakeFirstOrThrow();
    expect(version.size).toBe(bytes.length);
    expect(version.sha256).toBe(sha256Hex(bytes));
    for (const [origin, browser] of [
      [a.origin, onA],
      [b.origin, onB],
    ] as const) {
      const listing = await browser.get(`/spaces/${space.slug}/files`);
      expect(listing.status).toBe(200);
      expect(listing.text).toContain("compte-rendu commun.bin");
      const download = await fetchBytes(origin, browser, `/spaces/${space.slug}/files/${fileId as string}/download`);
      expect(download.status).toBe(200);
      expect(sha256Hex(download.body)).toBe(sha256Hex(bytes));
    }
    // Asked again on either server, the finished upload names its file (A never saw its last byte).
    for (const tus of [tusA, tusB]) {
      const again = await tus.head(location);
      expect(again.status).toBe(200);
      expect(again.headers["upload-offset"]).toBe(String(bytes.length));
      expect(again.headers["upload-file-id"]).toBe(fileId);
    }
    expect(await s3.pendingMultipartUploads()).toEqual([]);
  }, 120_000);

  test("an upload going back and forth (A, B, A), each server resuming after the other wrote: whole and exact", async () => {
    const bytes = binaryBytes(13 * MB + 77, "back-and-forth");
    const tusA = new Tus(a.origin, onA);
    const tusB = new Tus(b.origin, onB);
    const { location } = await tusA.start(space.slug, bytes.length, { filename: "aller-retour.bin" });
    let offset = 0;
    let last;
    // Each server asks where the upload stands before sending, as a tus client does after a change of connection.
    for (const [tus, end] of [
      [tusA, 6 * MB],
      [tusB, 11 * MB],
      [tusA, bytes.length],
    ] as const) {
      const head = await tus.head(location);
      expect(head.status).toBe(200);
      expect(Number(head.headers["upload-offset"])).toBe(offset);
      last = await tus.patch(location, offset, bytes.subarray(offset, end));
      expect(last.status, last.text).toBe(204);
      expect(Number(last.headers["upload-offset"])).toBe(end);
      offset = end;
    }
    const fileId = last!.headers["upload-file-id"] as string;
    const version = await db.selectFrom("file_version").selectAll().where("file_id", "=", fileId).executeTakeFirstOrThrow();
    expect(version.size).toBe(bytes.length);
    expect(version.sha256).toBe(sha256Hex(bytes));
    const download = await fetchBytes(b.origin, onB, `/spaces/${space.slug}/files/${fileId}/download`);
    expect(sha256Hex(download.body)).toBe(sha256Hex(bytes));
  }, 120_000);

  test("two PATCHes of one upload at once, one to each server: the lock holds across them, and the upload ends whole and exact", async () => {
    const bytes = binaryBytes(8 * MB + 5, "both-at-once");
    const tusA = new Tus(a.origin, onA);
    const tusB = new Tus(b.origin, onB);
    const { location } = await tusA.start(space.slug, bytes.length, { filename: "deux-à-la-fois.bin" });
    // The same bytes from offset 0 through both servers at the same moment (a client retrying on another connection).
    const answers = await Promise.all([tusA.patch(location, 0, bytes), tusB.patch(location, 0, bytes)]);
    const statuses = answers.map((r) => r.status);
    // Whatever each got, no answer is a server error, and at most one took the bytes to the end.
    expect(statuses.every((s) => s < 500), JSON.stringify(answers.map((r) => [r.status, r.text]))).toBe(true);
    expect(answers.filter((r) => r.status === 204 && r.headers["upload-offset"] === String(bytes.length)).length).toBeLessThanOrEqual(1);
    // Then the client finishes from wherever the upload stands (on either server).
    let fileId = answers.find((r) => typeof r.headers["upload-file-id"] === "string")?.headers["upload-file-id"] as string | undefined;
    for (let i = 0; !fileId && i < 4; i++) {
      const tus = i % 2 === 0 ? tusB : tusA;
      const head = await tus.head(location);
      expect(head.status, head.text).toBe(200);
      fileId = head.headers["upload-file-id"] as string | undefined;
      if (fileId) break;
      const offset = Number(head.headers["upload-offset"]);
      const rest = await tus.patch(location, offset, bytes.subarray(offset));
      expect(rest.status, rest.text).toBe(204);
      fileId = rest.headers["upload-file-id"] as string | undefined;
    }
    expect(fileId).toBeDefined();
    const versions = await db.selectFrom("file_version").selectAll().where("file_id", "=", fileId!).execute();
    expect(versions).toHaveLength(1);
    expect(versions[0].size).toBe(bytes.length);
    expect(versions[0].sha256).toBe(sha256Hex(bytes));
    const named = await db.selectFrom("file").select("id").where("space_id", "=", space.id).where("name", "=", "deux-à-la-fois.bin").execute();
    expect(named).toHaveLength(1);
    const download = await fetchBytes(a.origin, onA, `/spaces/${space.slug}/files/${fileId!}/download`);
    expect(sha256Hex(download.body)).toBe(sha256Hex(bytes));
  }, 120_000);

  test("a password reset asked on B: one mail (both servers' outboxes running), its link works on A, and the new password signs in on B", async () => {
    const res = await client(b.origin).post("/forgot-password", { email: bob.email });
    expect(res.status).toBe(200);
    const mail = await smtp.waitForMail((m) => m.to.includes(bob.email.toLowerCase()) && /\/reset-password\//.test(m.text), 20_000);
    const link = new URL(mail.text.match(/https?:\/\/\S+\/reset-password\/[a-z0-9]+/)![0]);
    // Written by the server that was asked.
    expect(link.origin).toBe(b.origin);
    const onAAsBob = client(a.origin);
    expect((await onAAsBob.get(link.pathname)).status).toBe(200);
    const NEW_PASSWORD = "un tout nouveau mot de passe, 2026";
    const reset = await onAAsBob.post(link.pathname, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(reset.status).toBe(302);
    expect(await isSignedIn(onAAsBob)).toBe(true);
    await signIn(client(b.origin), bob.email, NEW_PASSWORD);
    // Sent once: neither server's retry sweep takes up a mail the other sent.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(smtp.messages.filter((m) => m.to.includes(bob.email.toLowerCase()) && /\/reset-password\//.test(m.text))).toHaveLength(1);
    const rows = await db.selectFrom("mail_outbox").select(["attempts"]).where("recipient", "=", bob.email).execute();
    // No mail of Bob's (the reset, a new-device notice) tried twice.
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.attempts > 1)).toEqual([]);
  }, 60_000);

  test("sign-in throttling counts failures on both servers together: five wrong passwords split over A and B lock the account on both", async () => {
    // A browser that never signed in to Alice's account: the lock applies to it (throttling.test.ts).
    for (const [i, origin] of [a.origin, b.origin, a.origin, b.origin].entries()) {
      const res = await client(origin).post("/login", { email: alice.email, password: `pas le bon ${i}` });
      expect(res.status).toBe(400);
    }
    // Four failures: the right password still gets in, on either server.
    expect((await client(b.origin).post("/login", { email: alice.email, password: alice.password })).status).toBe(302);
    // A success cleared them; five more, split again, lock her on both.
    for (const [i, origin] of [b.origin, a.origin, b.origin, a.origin, b.origin].entries())
      expect((await client(origin).post("/login", { email: alice.email, password: `toujours pas ${i}` })).status).toBe(400);
    for (const origin of [a.origin, b.origin]) expect((await client(origin).post("/login", { email: alice.email, password: alice.password })).status).toBe(429);
    // Her signed-in browser is not signed out by it.
    expect((await onB.get("/spaces")).status).toBe(200);
    await db.deleteFrom("sign_in_attempt").where("email", "=", alice.email.toLowerCase()).execute();
  });

  let seq = 0;
  /** An article of Alice's scheduled for `publishAt` (a draft, then scheduled, as the app writes one). */
  async function scheduled(publishAt: number, title: string): Promise<Post> {
    const post = await createPost(db, {
      spaceId: space.id,
      slug: `article-deux-serveurs-${seq++}`,
      title,
      excerpt: "",
      excerptAuto: true,
      coverFileId: null,
      content: { json: doc(paragraph(title)), html: `<p>${title}</p>`, text: title },
      visibility: "space",
      authorId: alice.id,
      summary: "",
      now: Date.now(),
    });
    await setPostState(db, post.id, { state: "scheduled", publishAt, userId: alice.id, now: Date.now() });
    return post;
  }

  const postRow = (id: string) => db.selectFrom("post").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const publishedLines = (slug: string) =>
    db
      .selectFrom("activity")
      .select("data")
      .where("space_id", "=", space.id)
      .where("verb", "=", "post_published")
      .execute()
      .then((rows) => rows.filter((r) => (JSON.parse(r.data) as { slug: string }).slug === slug));
  const printed = (title: string) => [a, b].map((s) => s.output().split(`Published 1 scheduled article(s): ${title}`).length - 1);

  test("an article scheduled a few seconds ahead, with both servers' publishers running: published once", async () => {
    const title = "Publié une seule fois";
    const post = await scheduled(Date.now() + 3_000, title);
    // The publisher runs every 15 s, on both servers at the same instants: they race for every slot.
    await waitFor(async () => (await postRow(post.id)).state === "published", "the article to be published", 45_000);
    const row = await postRow(post.id);
    expect(row.published_at).toBe(row.publish_at);
    expect(await publishedLines(post.slug)).toHaveLength(1);
    // One server said so, once; the other published nothing.
    await new Promise((r) => setTimeout(r, 500));
    expect(printed(title).sort()).toEqual([0, 1]);
    // Both schedulers ran the publisher, each claiming its slots in job_run.
    const claimants = await db.selectFrom("job_run").select("claimed_by").distinct().where("name", "=", "publisher").execute();
    const servers = await db.selectFrom("app_server").select("id").execute();
    expect(claimants.every((c) => servers.some((s) => s.id === c.claimed_by))).toBe(true);
  }, 60_000);

  test("B killed (SIGKILL): A still does the jobs, and a later scheduled article gets published, once", async () => {
    b.child.kill("SIGKILL");
    await b.exited;
    const title = "Publié par le survivant";
    const post = await scheduled(Date.now() + 2_000, title);
    // A run B left unfinished blocks the job at most until B is taken for dead (app/servers/presence.server.ts, STALE_MS).
    await waitFor(async () => (await postRow(post.id)).state === "published", "the article to be published by A", 60_000, a.output);
    expect(await publishedLines(post.slug)).toHaveLength(1);
    expect(printed(title)).toEqual([1, 0]);
    // A still serves Alice.
    expect((await onA.get(`/spaces/${space.slug}`)).status).toBe(200);
  }, 90_000);

  test("a third server with local disk storage is refused at start, in one line saying why and what to do; A goes on", async () => {
    const { exit, output } = await refusedStart(w.server.dbFile, {});
    expect(exit?.code).toBe(1);
    expect(output).toContain("Another Cercle server uses this database");
    expect(output).toContain("STORAGE_DRIVER=local");
    expect(output).toContain("STORAGE_DRIVER=s3");
    expect(output).not.toContain("listening");
    // It left no row: only A lives (B's row stays until it is swept, taken for dead).
    const rows = await db.selectFrom("app_server").select("pid").execute();
    expect(rows.map((r) => r.pid).sort()).toEqual([a.child.pid, b.child.pid].sort());
    expect((await onA.get(`/spaces/${space.slug}`)).status).toBe(200);
  }, 90_000);
});

describe("a server with local disk storage on a shared database", () => {
  test("a second server with S3 is refused while it runs; after it stops, one starts", async () => {
    const s3 = await startS3rver({ bucket: "cercle-servers-local" });
    cleanup.push(() => s3.close());
    const pg = await freshPostgres();
    cleanup.push(() => pg.drop());
    const local = await startOne(pg.url, {});

    const refused = await refusedStart(pg.url, s3Env(s3));
    expect(refused.exit?.code).toBe(1);
    expect(refused.output).toContain("with STORAGE_DRIVER=local");
    expect(refused.output).toContain(`pid ${local.child.pid}`);
    expect(refused.output).not.toContain("listening");

    // A server that stops (SIGTERM) removes its row: the next one starts at once.
    local.child.kill("SIGTERM");
    expect((await local.exited).code).toBe(0);
    const next = await startOne(pg.url, s3Env(s3));
    expect(next.output()).toContain("listening");
  }, 180_000);

  test("a local-storage server killed (SIGKILL) and started again on this machine is not refused by its own leftover row", async () => {
    const pg = await freshPostgres();
    cleanup.push(() => pg.drop());
    const first = await startOne(pg.url, {});
    first.child.kill("SIGKILL");
    await first.exited;
    const again = await startOne(pg.url, {});
    expect(again.output()).toContain("listening");
  }, 180_000);
});
