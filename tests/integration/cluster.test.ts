import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { connect, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import type { Client } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { freePort, spawnServer, waitFor as waitUntil } from "#tests/helpers/process.ts";

/**
 * `npm start` as production runs it: build/server.js with two worker
 * processes on one SQLite file. Writes arriving at both workers at once must
 * all land (no SQLITE_BUSY halfway through a transaction), a stale save must
 * still be refused when the competing save went through the other process, a
 * dead worker is replaced, and SIGTERM drains both before the primary closes
 * the database.
 */

let child: ChildProcess;
let output = "";
let exited: Promise<number | null>;
let dataDir: string;
let origin: string;
let store: OpenedDatabase;
let closed = false;
let space: Space;
const members: Client[] = [];
let w: World<"admin" | "membre0" | "membre1" | "membre2" | "membre3", "space">;

/** Waits on the cluster's output, and shows it when the wait fails. */
const waitFor = (check: () => boolean, what: string, ms = 20_000) => waitUntil(check, what, ms, () => output);

/** How many replacement workers have started serving so far. */
const replacements = () => output.match(/is serving in place of/g)?.length ?? 0;

/** Process ids of the workers (the primary's children). */
function workerPids(): number[] {
  const out = execFileSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" });
  return out.split("\n").map((l) => Number(l.trim())).filter((n) => n > 0);
}

interface Outcome {
  /** Requests that got their answer (each, in the end, got one). */
  answered: number;
  /** Connections the server reset; the request was sent again. */
  resets: number;
  /** Connections refused (nobody listening); the request was sent again. */
  refused: number;
  /** Requests with no answer after 5 s: a hanging connection. */
  hung: number;
  /** Longest wait for one request's answer, retries included (ms). */
  slowest: number;
}

/**
 * GET /healthz, each on a connection of its own, from `parallel` clients in a
 * loop until `until()` says stop. A client sends a request again only when
 * its connection was reset or refused (it then knows nothing was done), and
 * gives up on one that has had no answer for 5 s, counting it as hung.
 */
async function requestStream(parallel: number, until: () => boolean, { retry = true } = {}): Promise<Outcome> {
  const outcome: Outcome = { answered: 0, resets: 0, refused: 0, hung: 0, slowest: 0 };
  const once = () =>
    new Promise<"ok" | "reset" | "refused" | "hung">((resolve) => {
      const req = http.get(`${origin}/healthz`, { agent: false, headers: { Connection: "close" } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200 ? "ok" : "reset"));
        res.on("error", () => resolve("reset"));
      });
      req.setTimeout(5_000, () => {
        resolve("hung");
        req.destroy();
      });
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED" ? "refused" : "reset"));
    });
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (!until()) {
        const started = Date.now();
        for (;;) {
          const result = await once();
          if (result === "ok") {
            if (!retry) outcome.answered += 1;
            break;
          }
          if (result === "hung") {
            outcome.hung += 1;
            break;
          }
          if (result === "reset") outcome.resets += 1;
          else outcome.refused += 1;
          if (!retry) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        if (retry) outcome.answered += 1;
        outcome.slowest = Math.max(outcome.slowest, Date.now() - started);
      }
    }),
  );
  return outcome;
}

/** Each request on a connection of its own, so the primary hands them to both workers in turn. */
const fresh = { headers: { Connection: "close" } };

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-cluster-"));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // No NODE_ENV, as in the README.
  const server = spawnServer({ DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin, WEB_CONCURRENCY: "2" }, (chunk) => (output += chunk));
  child = server.child;
  exited = server.exited.then(({ code }) => code);
  // Generous: on a loaded machine two workers have taken over 20 s to start.
  await waitFor(() => output.includes("listening"), "the cluster to listen", 60_000);

  // The primary has migrated; this test process is one more writer on the file.
  const editors = ["membre0", "membre1", "membre2", "membre3"] as const;
  w = await world({
    attach: { url: origin, dbFile: path.join(dataDir, "cercle.db") },
    domain: "cluster.test",
    displayName: (name) => `Membre ${name.slice(-1)}`,
    people: { admin: { displayName: "Admin Cluster" }, membre0: {}, membre1: {}, membre2: {}, membre3: {} },
    spaces: { space: { createdBy: "admin", slug: "grappe", name: "Club Grappe", visibility: "secret", members: { membre0: "editor", membre1: "editor", membre2: "editor", membre3: "editor" } } },
    signIn: editors,
  });
  store = w.store;
  ({ space } = w.spaces);
  members.push(...editors.map((name) => w.c[name]));
}, 120_000);

afterAll(async () => {
  if (!closed) await store?.close();
  child?.kill("SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("several worker processes on one database", () => {
  test("start as many workers as WEB_CONCURRENCY asks, and print the setup link once", () => {
    expect(output).toContain("2 worker processes");
    expect(workerPids()).toHaveLength(2);
    expect(output.match(/\/setup\?token=/g)).toHaveLength(1);
  });

  test("forty page creations at once, spread over both workers, all land", async () => {
    const titles = Array.from({ length: 40 }, (_, i) => `Compte rendu parallèle ${i}`);
    const answers = await Promise.all(
      titles.map((title, i) =>
        members[i % members.length].post(`/spaces/${space.slug}/wiki/new`, { title, content: doc(paragraph(`Texte ${i}`)), summary: "" }, fresh),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(titles.map(() => 302));
    const rows = await store.db.selectFrom("page").select(["title", "revision"]).where("space_id", "=", space.id).execute();
    expect(rows.map((r) => r.title).sort()).toEqual([...titles].sort());
    const revisions = await store.db
      .selectFrom("page_revision")
      .innerJoin("page", "page.id", "page_revision.page_id")
      .select("page_revision.id")
      .where("page.space_id", "=", space.id)
      .execute();
    expect(revisions).toHaveLength(40);
  });

  test("twelve saves on the same revision at once, through both workers: one wins, the others are refused as stale", async () => {
    const created = await members[0].post(`/spaces/${space.slug}/wiki/new`, { title: "Page disputée", content: doc(paragraph("Départ")), summary: "" });
    expect(created.status).toBe(302);
    const slug = created.location!.split("/").pop()!;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        members[i % members.length].post(
          `/spaces/${space.slug}/wiki/${slug}/edit`,
          { title: "Page disputée", content: doc(paragraph(`Version ${i}`)), summary: "", baseRevision: "1" },
          fresh,
        ),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([302, ...Array(11).fill(409)]);
    const page = await store.db.selectFrom("page").select(["id", "revision"]).where("slug", "=", slug).executeTakeFirstOrThrow();
    expect(page.revision).toBe(2);
    const revisions = await store.db.selectFrom("page_revision").select("number").where("page_id", "=", page.id).execute();
    expect(revisions.map((r) => r.number).sort()).toEqual([1, 2]);
  });

  test("a worker that dies is replaced, and the site keeps answering", async () => {
    const [victim] = workerPids();
    const before = replacements();
    process.kill(victim, "SIGKILL");
    await waitFor(() => output.includes("starting another"), "the primary to replace the worker");
    await waitFor(() => replacements() === before + 1, "the new worker to listen", 60_000);
    expect(workerPids()).toHaveLength(2);
    expect(workerPids()).not.toContain(victim);
    for (let i = 0; i < 6; i++) {
      const health = await fetch(`${origin}/healthz`, { headers: { Connection: "close" } });
      expect(health.status).toBe(200);
    }
  });

  test("kill -9 of a worker amid a stream of connections: none hangs, every request is answered", async () => {
    let stop = false;
    const running = requestStream(6, () => stop);
    await new Promise((r) => setTimeout(r, 700));
    const [victim] = workerPids();
    const before = replacements();
    process.kill(victim, "SIGKILL");
    await waitFor(() => replacements() === before + 1, "the new worker to listen", 60_000);
    await new Promise((r) => setTimeout(r, 700));
    stop = true;
    const outcome = await running;
    console.log("kill -9 of one worker of two:", JSON.stringify(outcome));
    expect(outcome.hung).toBe(0);
    expect(outcome.answered).toBeGreaterThan(20);
    // The other worker takes the connections waiting to be accepted: only those the dead one had taken are lost.
    expect(outcome.resets).toBeLessThanOrEqual(6);
    expect(outcome.slowest).toBeLessThan(3_000);
  });

  test("kill -9 of both workers at once: connections are refused (not left hanging) until the new workers listen", async () => {
    let stop = false;
    const running = requestStream(4, () => stop);
    await new Promise((r) => setTimeout(r, 500));
    const victims = workerPids();
    const killedAt = Date.now();
    const before = replacements();
    for (const pid of victims) process.kill(pid, "SIGKILL");
    await waitFor(() => replacements() === before + 2, "two new workers to listen", 60_000);
    console.log(`both workers killed: both replacements listening after ${Date.now() - killedAt} ms`);
    const back = await fetch(`${origin}/healthz`, { headers: { Connection: "close" } });
    expect(back.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    const outcome = await running;
    console.log("kill -9 of both workers:", JSON.stringify(outcome));
    expect(outcome.hung).toBe(0);
    // Waiting was being refused and trying again, never a connection left open.
    expect(outcome.answered).toBeGreaterThan(0);
  });

  test("SIGTERM finishes the requests in flight in every worker, then closes the database and exits 0", async () => {
    // This test's own connection goes first, so that the server's is the last one on the file.
    await store.close();
    closed = true;
    // In flight for sure: each request sends its headers and half its body,
    // and the rest only after the signal. (Waiting a fixed few milliseconds
    // instead was a race on a busy machine: a connection the primary had
    // accepted but not yet handed to a worker is not a request in flight.)
    const requests = Array.from({ length: 4 }, (_, i) => {
      const body = new URLSearchParams({ email: `nobody${i}@cluster.test`, password: "not the right one at all" }).toString();
      const req = http.request(`${origin}/login`, {
        method: "POST",
        agent: false,
        headers: { Origin: origin, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) },
      });
      const status = new Promise<number>((resolve, reject) => {
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
      });
      const half = Math.floor(body.length / 2);
      req.write(body.slice(0, half));
      return { req, status, rest: body.slice(half) };
    });
    const inFlight = requests.map((r) => r.status);
    // Every connection is open and its headers are in a worker's hands before the signal.
    await Promise.all(requests.map((r) => new Promise<void>((resolve) => (r.req.socket?.connecting === false ? resolve() : r.req.once("socket", (socket) => socket.once("connect", () => resolve()))))));
    // And connections opened just before the signal, whose request comes just after it.
    const fresh = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(new URL(origin).port), "127.0.0.1", () => resolve(socket));
            socket.on("error", reject);
          }),
      ),
    );
    const freshAnswers = fresh.map(
      (socket) =>
        new Promise<string>((resolve) => {
          let text = "";
          socket.on("data", (c: Buffer) => (text += c.toString()));
          socket.on("error", (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
          socket.on("close", () => resolve(text.split("\r\n")[0] || "closed without an answer"));
        }),
    );
    // And a stream of new connections across the signal: each is answered or
    // refused (the client then knows nothing was done), none hangs.
    let over = false;
    void exited.then(() => (over = true));
    const across = requestStream(4, () => over, { retry: false });
    await new Promise((r) => setTimeout(r, 500));
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    for (const r of requests) r.req.end(r.rest);
    for (const socket of fresh) socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(await Promise.all(inFlight)).toEqual([400, 400, 400, 400]);
    expect(await Promise.all(freshAnswers)).toEqual(Array(4).fill("HTTP/1.1 200 OK"));
    expect(await exited).toBe(0);
    const outcome = await across;
    console.log("connections across SIGTERM:", JSON.stringify(outcome));
    expect(outcome.answered).toBeGreaterThan(0);
    expect(outcome.hung).toBe(0);
    // The last copy of the listening socket closes when the one place left in
    // its queue holds the server's own connection (server/drain.ts): no client
    // is reset (tests/integration/shutdown.test.ts looks closer).
    expect(outcome.resets).toBe(0);
    expect(output).toContain("SIGTERM received");
    // SQLite removes the write-ahead log when the last connection closes cleanly.
    expect(existsSync(path.join(dataDir, "cercle.db-wal"))).toBe(false);
  });
});
