import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { decode } from "turbo-stream";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { doc, link, paragraph, text } from "#tests/helpers/lexical.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { freePort, spawnServer, waitFor } from "#tests/helpers/process.ts";
import { WORK_LIMITS } from "#app/editor/content-pool.server.ts";
import { formatSize, translate } from "#app/i18n/index.ts";
import { BODY_LIMITS } from "#server/body-limit.ts";

/** A refusal for overrunning comes after the time limit, plus a thread's start and the upload: never minutes. */
const BOUNDED_MS = 2 * WORK_LIMITS.timeMs;

/**
 * Input that costs the server more than it costs the sender, over real HTTP
 * against the real process as `npm start` runs it (build/server.js, one
 * process, production mode, so its log and its memory are what an operator
 * sees): oversized bodies are refused while they stream (413), Markdown and
 * rich text are converted and checked off the request thread with a time
 * limit, so /healthz keeps answering while a hostile import or save is
 * refused; expected bad input (a badly percent-encoded address, a
 * 100,000-deep document) is answered 400 and logged in one line.
 */

let child: ChildProcess;
let output = "";
let origin: string;
let dataDir: string;
let store: OpenedDatabase;
let member: TestUser;
let space: Space;
let c: Client;

let w: World<"admin" | "member", "space">;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-bounded-"));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const env = { NODE_ENV: "production", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin, WEB_CONCURRENCY: "1" };
  child = spawnServer(env, (chunk) => (output += chunk)).child;
  await waitFor(() => output.includes("listening") || child.exitCode !== null, "the server to listen", 30_000, () => output);
  if (!output.includes("listening")) throw new Error(`the server did not start:\n${output}`);
  w = await world({
    attach: { url: origin, dbFile: path.join(dataDir, "cercle.db") },
    people: { admin: { email: "admin@bounded.test", displayName: "Admin Bounded" }, member: { email: "member@bounded.test", displayName: "Member Bounded" } },
    spaces: { space: { createdBy: "admin", slug: "atelier", name: "Atelier", visibility: "secret", members: { member: "member" } } },
    signIn: ["member"],
  });
  store = w.store;
  ({ member } = w.people);
  ({ space } = w.spaces);
  c = w.c.member;
});

afterAll(async () => {
  await w?.close();
  child?.kill("SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** What the server printed since the test began, line by line. */
let mark = 0;
beforeEach(() => {
  mark = output.length;
});
/** Lets the server's last lines arrive through its pipes. */
const settle = () => new Promise((r) => setTimeout(r, 300));
const logged = () => output.slice(mark).split("\n").filter((line) => line.trim() !== "");

/** The server process's peak resident memory so far (VmHWM), in bytes. */
function peakMemory(): number {
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

interface Answer {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

/**
 * A raw request: the body is sent with its Content-Length when it is a
 * Buffer; when it is a generator, chunked (no length) unless the caller
 * announces a Content-Length itself. The answer is taken as
 * soon as it comes, even while the body is still being sent: a server that
 * refuses early may close the connection under the sender's feet.
 */
function send(path: string, options: { headers?: Record<string, string>; body: Buffer | (() => Generator<Buffer>) }): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      Origin: origin,
      "Sec-Fetch-Site": "same-origin",
      Cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      ...options.headers,
    };
    if (Buffer.isBuffer(options.body)) headers["Content-Length"] = String(options.body.length);
    else if (!("Content-Length" in headers)) headers["Transfer-Encoding"] = "chunked";
    let answered = false;
    const req = http.request(new URL(path, origin), { method: "POST", headers, agent: false }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("error", () => {});
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8"), headers: res.headers, ms: performance.now() - started }));
    });
    // Writes after an early answer fail with EPIPE / ECONNRESET: expected, not a failure of the test.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (Buffer.isBuffer(options.body)) {
      req.end(options.body);
      return;
    }
    const chunks = options.body();
    const pump = () => {
      if (answered || req.destroyed) return;
      const next = chunks.next();
      if (next.done) return void req.end();
      if (req.write(next.value)) setImmediate(pump);
      else req.once("drain", pump);
    };
    pump();
  });
}

function* repeat(chunk: Buffer, times: number): Generator<Buffer> {
  for (let i = 0; i < times; i++) yield chunk;
}

function multipart(fields: Record<string, string>, file: { name: string; content: string | Buffer }) {
  const boundary = `----cercle${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/markdown\r\n\r\n`));
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const form = (fields: Record<string, string>) => Buffer.from(new URLSearchParams(fields).toString());
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

/**
 * Runs `hostile` while /healthz is asked again and again, each time on a
 * fresh connection; returns the hostile answer and how long each health
 * check took.
 */
async function whilePolling(hostile: () => Promise<Answer>) {
  const latencies: number[] = [];
  let done = false;
  // The first fetch of a process sets up its client: not the server's time.
  await (await fetch(`${origin}/healthz`)).text();
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${origin}/healthz`, { headers: { Connection: "close" } });
      await res.text();
      expect(res.status).toBe(200);
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    return { answer: await hostile(), latencies };
  } finally {
    done = true;
    await poller;
  }
}

/**
 * The slowest health check must be short beside the hostile request: work
 * done on the request thread blocks /healthz for nearly all of it (35 s to
 * ten minutes before the fix), while a loaded machine can slow any answer
 * past a fixed second. So: under a second, or under half the hostile
 * request's own time when the machine made that long.
 */
function expectResponsiveThroughout(latencies: number[], answer: Answer) {
  expect(latencies.length).toBeGreaterThanOrEqual(1);
  expect(Math.max(...latencies)).toBeLessThan(Math.max(1_000, answer.ms / 2));
}

const pageCount = async () => Number((await store.db.selectFrom("page").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

// ---------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------

describe("request bodies are refused past their route family's limit, while they stream", () => {
  test("an anonymous 100 MB form to /login announced by Content-Length: 413 at once, nothing read", async () => {
    const before = peakMemory();
    const answer = await send("/login", { headers: { ...FORM, "Content-Length": String(100 * 1024 * 1024) }, body: () => repeat(Buffer.alloc(64 * 1024, 0x61), 1600) });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain("Request too large");
    expect(answer.text).toContain("Requête trop volumineuse");
    expect(answer.ms).toBeLessThan(5_000);
    expect(peakMemory() - before).toBeLessThan(50 * 1024 * 1024);
  });

  test("an anonymous chunked form to /login with no length: refused after the limit, memory stays flat", async () => {
    const before = peakMemory();
    // 100 MB in 64 KB chunks, with no Content-Length: only counting the bytes can stop it.
    const answer = await send("/login", { headers: FORM, body: () => repeat(Buffer.alloc(64 * 1024, 0x61), 1600) });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain("Request too large");
    expect(peakMemory() - before).toBeLessThan(50 * 1024 * 1024);
  });

  test("five chunked 20 MB posts to /forgot-password at once: five 413s, /healthz stays fast", async () => {
    const { answer, latencies } = await whilePolling(async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => send("/forgot-password", { headers: FORM, body: () => repeat(Buffer.alloc(64 * 1024, 0x61), 320) })),
      );
      expect(answers.map((a) => a.status)).toEqual([413, 413, 413, 413, 413]);
      return answers[0];
    });
    expect(answer.status).toBe(413);
    expectResponsiveThroughout(latencies, answer);
  });

  test("a form just under the limit still goes through to the route", async () => {
    const answer = await send("/login", { headers: FORM, body: form({ email: "x".repeat(60 * 1024), password: "p" }) });
    // Not refused for its size: the sign-in route itself answers.
    expect(answer.status).not.toBe(413);
    expect(answer.text).not.toContain("Request too large");
  });

  test("a chunked Markdown import of 3 MB with no length: 413 with the import's message, nothing created", async () => {
    const pages = await pageCount();
    const { body, contentType } = multipart({}, { name: "big.md", content: Buffer.alloc(3 * 1024 * 1024, 0x61) });
    const answer = await send(`/spaces/${space.slug}/wiki/import`, {
      headers: { "Content-Type": contentType },
      body: function* () {
        for (let at = 0; at < body.length; at += 64 * 1024) yield body.subarray(at, at + 64 * 1024);
      },
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain("Request too large");
    expect(await pageCount()).toBe(pages);
  });
});

describe("a browser's form refused for its size gets a page, in the reader's language; other clients keep the plain line", () => {
  // What Chromium sends with a form it submits itself (no JavaScript, or before hydration).
  const NAVIGATION = { ...FORM, "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
  const tooLong = () => form({ intent: "create", message: "x".repeat(100 * 1024) });

  test.each([
    ["fr-FR,fr;q=0.9", "fr"],
    ["en-GB,en;q=0.9", "en"],
  ] as const)("a form posted by the browser itself (%s): 413, an HTML page of the app saying it is too long, the limit and a way back", async (acceptLanguage, locale) => {
    const back = `${origin}/spaces/${space.slug}/invite`;
    const answer = await send(`/spaces/${space.slug}/invite`, { headers: { ...NAVIGATION, "Accept-Language": acceptLanguage, Referer: back }, body: tooLong() });
    expect(answer.status).toBe(413);
    expect(answer.headers["content-type"]).toMatch(/^text\/html/);
    expect(answer.text).toContain(`<html lang="${locale}"`);
    const shown = pageText(answer.text);
    expect(shown).toContain(translate(locale, "error.413.title"));
    // pageText reads every kind of space as one plain space, the size's non-breaking one too.
    expect(shown).toContain(translate(locale, "error.413.page", { limit: formatSize(locale, BODY_LIMITS.form) }).replace(/\s+/g, " "));
    // The app's shell (the network's name in the header), and the way back to the page the form was on.
    expect(answer.text).toMatch(/<header class="topbar"/);
    expect(answer.text).toContain(`<a href="/spaces/${space.slug}/invite" class="btn btn-primary">${translate(locale, "error.413.back")}</a>`);
    // Not hydrated at an address that is not its own: no scripts at all.
    expect(answer.text).not.toMatch(/<script/i);
  });

  test("the same form posted by Remix's client (.data): 413, the route's error boundary is told the limit", async () => {
    const answer = await send(`/spaces/${space.slug}/invite.data`, { headers: { ...FORM, "Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors" }, body: tooLong() });
    expect(answer.status).toBe(413);
    // Decoded as Remix's client does: an ErrorResponse, which it hands to the route's error boundary.
    const decoded = await decode(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(answer.text));
          controller.close();
        },
      }),
      { plugins: [(type: string, ...rest: unknown[]) => (type === "ErrorResponse" ? { value: { errorResponse: { data: rest[0], status: rest[1] } } } : undefined)] },
    );
    await decoded.done;
    expect(decoded.value).toEqual({ error: { errorResponse: { status: 413, data: { limit: BODY_LIMITS.form } } } });
  });

  test("a form from anything else (curl, a script) still gets the plain-text line, in both languages", async () => {
    const answer = await send(`/spaces/${space.slug}/invite`, { headers: { ...FORM, Accept: "*/*" }, body: tooLong() });
    expect(answer.status).toBe(413);
    expect(answer.headers["content-type"]).toMatch(/^text\/plain/);
    expect(answer.text).toContain("Requête trop volumineuse");
    expect(answer.text).toContain("Request too large");
  });

  test("the page exists only as that answer: asked for directly it is a 404", async () => {
    const res = await fetch(`${origin}/request-too-large`);
    expect(res.status).toBe(404);
  });
});

// ---------------------------------------------------------------------------
// Hostile Markdown and saves: refused in bounded time while the server answers
// ---------------------------------------------------------------------------

describe("hostile Markdown and saves are worked off the request thread, with a time limit", () => {
  const importMarkdown = (name: string, content: string) => {
    const { body, contentType } = multipart({}, { name, content });
    return send(`/spaces/${space.slug}/wiki/import`, { headers: { "Content-Type": contentType }, body });
  };

  test.each([
    { what: "230 KB of links", name: "links.md", content: "[a](https://e.example) ".repeat(10_000) },
    { what: "32 KB of **a*", name: "stars.md", content: "**a*".repeat(8_000) },
  ])("$what: refused with a clear 4xx in bounded time, /healthz answers all along", async ({ name, content }) => {
    const pages = await pageCount();
    const { answer, latencies } = await whilePolling(() => importMarkdown(name, content));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).toContain("trop complexe");
    expect(answer.ms).toBeLessThan(BOUNDED_MS);
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    expectResponsiveThroughout(latencies, answer);
    expect(await pageCount()).toBe(pages);
  });

  test("an ordinary Markdown file still imports", async () => {
    const answer = await importMarkdown("notes.md", "# Notes d’atelier\n\nUn **premier** point et un [lien](https://e.example).\n\n- un\n- deux\n");
    expect(answer.status).toBe(302);
    const page = await store.db.selectFrom("page").select(["slug"]).where("title", "=", "Notes d’atelier").executeTakeFirst();
    expect(answer.headers.location).toBe(`/spaces/${space.slug}/wiki/${page?.slug}`);
  });

  test("a 1 MB save of 4,000 links is checked while /healthz keeps answering", async () => {
    const links = Array.from({ length: 4_000 }, (_, i) => link(`https://e.example/${i}`, `lien ${i}`));
    const content = doc(paragraph(...links));
    expect(content.length).toBeGreaterThan(900_000);
    expect(content.length).toBeLessThan(1_000_000);
    const { answer, latencies } = await whilePolling(() =>
      send(`/spaces/${space.slug}/wiki/new`, { headers: FORM, body: form({ title: "Beaucoup de liens", content, summary: "" }) }),
    );
    expect(answer.status).toBe(302);
    expect(answer.ms).toBeLessThan(BOUNDED_MS);
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    expectResponsiveThroughout(latencies, answer);
  });
});

// ---------------------------------------------------------------------------
// Expected bad input: answered, one line in the log
// ---------------------------------------------------------------------------

describe("expected bad input is answered 400 and logged in one line", () => {
  test.each(["/%E0%A4%A", "/spaces/%E0%A4%A/wiki", "/spaces/atelier/wiki/%C0%AF"])("GET %s: 400, one line, no stack", async (path) => {
    const res = await fetch(`${origin}${path}`);
    expect(res.status).toBe(400);
    await res.text();
    await settle();
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toContain(path);
  });

  const deep = (open: string, close: string, depth = 100_000) =>
    `{"root":{"type":"root","children":[${open.repeat(depth)}${JSON.stringify(text("fond"))}${close.repeat(depth)}]}}`;
  test.each([
    ["arrays", `{"root":{"type":"root","children":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`],
    ["objects", deep('{"a":', "}")],
    // As deep as quotes go within the size limits.
    ["20,000 quotes", deep('{"type":"quote","children":[', "]}", 20_000)],
    // With a missing title the form goes back to the writer: the document must not be loaded into the editor.
    ["20,000 quotes, no title", deep('{"type":"quote","children":[', "]}", 20_000), ""],
  ])("a deep document (%s) saved: 400, at most one line, nothing written", async (_kind, content, title = "Profond") => {
    const pages = await pageCount();
    const answer = await send(`/spaces/${space.slug}/wiki/new`, { headers: FORM, body: form({ title, content, summary: "" }) });
    await settle();
    expect(answer.status, logged().join("\n").slice(0, 2000)).toBe(400);
    expect(logged().length, logged().join("\n").slice(0, 2000)).toBeLessThanOrEqual(1);
    expect(logged().join("\n")).not.toMatch(/Maximum call stack|^\s+at /m);
    expect(await pageCount()).toBe(pages);
  });
});
