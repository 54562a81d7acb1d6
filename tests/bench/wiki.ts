/**
 * npm run bench:wiki — a space with 10,000 pages and 100,000 revisions, then:
 *  - a signed-in GET of a page over HTTP with autocannon (10 connections, no
 *    pipelining) against the built server in its own process;
 *  - loader + render of that page in-process (the Remix handler, no network);
 *  - saving a page (a new revision) in-process;
 *  - SQL statements per page view, on this big wiki and on a tiny one: it must
 *    not grow with pages or revisions.
 * The last line printed is one JSON object with the figures.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import type { ServerBuild } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/node";
import { openDatabase } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { processContent } from "#app/editor/content.server.ts";
import { workThroughBacklog } from "#app/search/indexing.server.ts";
import { signIn as signInAs, startBuiltServer } from "./built-server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PAGES = Number(process.env.BENCH_PAGES ?? 10_000);
const REVISIONS_PER_PAGE = Number(process.env.BENCH_REVISIONS_PER_PAGE ?? 10);
const PASSWORD = "benchmark passphrase 2026";

function text(type: "heading" | "paragraph", words: string, tag?: string) {
  return {
    type,
    ...(tag ? { tag } : {}),
    version: 1,
    direction: "ltr",
    format: "",
    indent: 0,
    ...(type === "paragraph" ? { textFormat: 0, textStyle: "" } : {}),
    children: [{ type: "text", version: 1, text: words, format: 0, style: "", mode: "normal", detail: 0 }],
  };
}

/** A realistic page: a few headings and paragraphs, about 2 KB of text. */
function documentFor(title: string, n: number) {
  const para = `Compte rendu de l’atelier ${n} : les membres ont comparé leurs pratiques de négociation, de sourcing et de pilotage des fournisseurs, avec des exemples tirés de missions récentes et les outils qu’ils recommandent.`;
  return JSON.stringify({
    root: {
      type: "root",
      version: 1,
      direction: "ltr",
      format: "",
      indent: 0,
      children: [
        text("heading", title, "h2"),
        text("paragraph", para),
        text("heading", "Ce qu’il faut retenir", "h3"),
        text("paragraph", para.repeat(3)),
        text("paragraph", para.repeat(2)),
      ],
    },
  });
}

export function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function seed(dataDir: string, pages: number, revisionsPerPage: number) {
  const { db, sqlite, close } = openDatabase(path.join(dataDir, "cercle.db"));
  await migrateToLatest(db);
  const { hash } = await import("@node-rs/argon2");
  const now = Date.now();
  const userId = newId();
  const spaceId = newId();
  sqlite
    .prepare("INSERT INTO network (id, name, default_locale, created_at) VALUES ('network', 'Bench', 'fr', ?)")
    .run(now);
  sqlite
    .prepare(
      "INSERT INTO user (id, email, display_name, password_hash, is_network_admin, created_at, updated_at) VALUES (?, 'bench@example.org', 'Bench Reader', ?, 0, ?, ?)",
    )
    .run(userId, await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 }), now, now);
  sqlite
    .prepare(
      "INSERT INTO space (id, slug, name, kind, description, visibility, join_policy, storage_quota_bytes, created_at) VALUES (?, 'bench', 'Bench club', 'trade_club', '', 'secret', 'coopt_direct', 1, ?)",
    )
    .run(spaceId, now);
  sqlite.prepare("INSERT INTO space_member (space_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)").run(spaceId, userId, now);

  const insertPage = sqlite.prepare(
    `INSERT INTO page (id, space_id, parent_id, slug, title, title_search, position, content_json, content_html, content_text, revision, created_by, created_at, updated_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRevision = sqlite.prepare(
    `INSERT INTO page_revision (id, page_id, number, title, content_json, content_text, summary, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)`,
  );
  const insertLink = sqlite.prepare("INSERT OR IGNORE INTO page_link (from_page_id, to_page_id) VALUES (?, ?)");
  // A tree three levels deep: 10 sections, 10 topics each, the rest spread below.
  const ids: string[] = [];
  let target = "";
  sqlite.transaction(() => {
    for (let i = 0; i < pages; i++) {
      const id = newId();
      const parent = i < 10 ? null : i < 110 ? ids[Math.floor((i - 10) / 10)] : ids[10 + ((i - 110) % 100)];
      const title = `Atelier ${i} — pratiques achats`;
      const doc = processContent(documentFor(title, i));
      if (!doc.ok) throw new Error(`seed content refused: ${doc.error}`);
      insertPage.run(id, spaceId, parent, `atelier-${i}`, title, title.toLowerCase(), i, doc.json, doc.html, doc.text, revisionsPerPage, userId, now, userId, now);
      for (let r = 1; r <= revisionsPerPage; r++) insertRevision.run(newId(), id, r, title, doc.json, doc.text, userId, now - (revisionsPerPage - r) * 1000);
      if (i > 0) insertLink.run(ids[i - 1], id);
      ids.push(id);
    }
    target = ids[Math.floor(pages / 2)];
  })();
  const slug = sqlite.prepare("SELECT slug FROM page WHERE id = ?").get(target) as { slug: string };
  // The search index as a running server keeps it: otherwise the server's job would index
  // the 10,000 pages during the measurement.
  await workThroughBacklog(db);
  await close();
  return { pageSlug: slug.slug };
}

export async function signIn(origin: string): Promise<string> {
  return signInAs(origin, PASSWORD);
}

export async function startServer(dataDir: string) {
  // Unset: one worker per CPU, as `npm start` runs.
  const workers = process.env.WEB_CONCURRENCY;
  const server = await startBuiltServer(dataDir, workers ? { WEB_CONCURRENCY: workers } : {});
  return { origin: server.origin, stop: () => server.stop() };
}

/**
 * The built app in this process, on the given database file, to time loader +
 * render and saves. One database per process: the build's modules (several
 * chunks) hold the environment and the database as singletons.
 */
export async function inProcess(dataDir: string) {
  process.env.DATA_DIR = dataDir;
  // What server/load-env.ts does for build/server.js when NODE_ENV is unset; React
  // must see it before anything requires it, so measureInChildOf also starts the child with it.
  process.env.NODE_ENV = "production";
  process.env.BASE_URL = "http://bench.local";
  const build = (await import(pathToFileURL(path.join(root, "build", "server", "index.js")).href)) as ServerBuild;
  const entry = build.entry.module as unknown as { boot(): Promise<unknown>; queryCount(): number; shutdown(): Promise<void> };
  await entry.boot();
  const handler = createRequestHandler(build, "production");
  // A fresh load context per request, as server/app.ts makes: loaders of one
  // request share work through it (app/utils/memo.server.ts), requests never.
  const context = () => ({ cspNonce: "bench", clientIp: "127.0.0.1" });
  return { handler, context, entry };
}

async function measure(dataDir: string, pageSlug: string) {
  const { handler, context, entry } = await inProcess(dataDir);
  const origin = "http://bench.local";
  const login = await handler(
    new Request(`${origin}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "bench@example.org", password: PASSWORD }),
    }),
    context(),
  );
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith("cercle_session="))!.split(";")[0];
  const url = `${origin}/spaces/bench/wiki/${pageSlug}`;
  const view = async () => {
    const res = await handler(new Request(url, { headers: { Cookie: cookie } }), context());
    if (res.status !== 200) throw new Error(`view of ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.text();
  };
  // Warm, as the server is after the load above (the JIT needs thousands of views).
  for (let i = 0; i < 3000; i++) await view();
  const before = entry.queryCount();
  await view();
  const queriesPerView = entry.queryCount() - before;
  const viewTimes: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    await view();
    viewTimes.push(performance.now() - t0);
  }
  viewTimes.sort((a, b) => a - b);

  const saveTimes: number[] = [];
  const editUrl = `${origin}/spaces/bench/wiki/${pageSlug}/edit`;
  const form = await (await handler(new Request(editUrl, { headers: { Cookie: cookie } }), context())).text();
  let revision = Number(form.match(/name="baseRevision" value="(\d+)"/)?.[1]);
  if (!revision) throw new Error("no baseRevision in the edit form");
  const content = documentFor("Atelier modifié", 1);
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const res = await handler(
      new Request(editUrl, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ title: `Atelier ${pageSlug}`, content, summary: `bench ${i}`, baseRevision: String(revision) }),
      }),
      context(),
    );
    saveTimes.push(performance.now() - t0);
    if (res.status !== 302) throw new Error(`save answered ${res.status}`);
    revision += 1;
  }
  saveTimes.sort((a, b) => a - b);
  await entry.shutdown();
  return { viewTimes, saveTimes, queriesPerView };
}

type Measured = Awaited<ReturnType<typeof measure>>;

/**
 * A bench script's `measure` mode in a fresh process of its own (each
 * database gets its own module singletons); its last line of output is the
 * JSON answer.
 */
export async function measureInChildOf<T>(script: string, dataDir: string, arg: string): Promise<T> {
  // NODE_ENV from the start: React picks its production or development build
  // when first required, and the bench's own imports require it before the
  // server build is loaded (inProcess setting it then was too late: the
  // in-process figures up to 2026-12-05 were of development React).
  const child = spawn(process.execPath, ["--import", "tsx", script, "measure", dataDir, arg], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`in-process measure of ${dataDir} exited ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as T;
}

const measureInChild = (dataDir: string, pageSlug: string) => measureInChildOf<Measured>(fileURLToPath(import.meta.url), dataDir, pageSlug);

export interface Load {
  /** Every response's own time, sorted, for exact percentiles (autocannon's histogram has no p95). */
  times: number[];
  rps: number;
  /** Requests per second in each 2-s window of the warm-up. */
  warmUp: number[];
  /** Answers that were not 2xx, and requests that failed or timed out (10 s), in the measured run. */
  failures: { non2xx: number; errors: number; timeouts: number };
}

/**
 * The same load, before measuring, until the server is warm. On Node 20 the
 * JIT takes some 15–20 s of this load to optimise the render path: throughput
 * climbs from about a third of its steady value, then levels off (the warm-up
 * curve is printed). Measuring earlier measures the compiler, not the server.
 */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);

/** 10 connections, no pipelining, after the warm-up. */
export async function load(url: string, headers: Record<string, string>, options: { allowFailures?: boolean } = {}): Promise<Load> {
  const warmUp: number[] = [];
  let answered = 0;
  let counted = 0;
  const warming = autocannon({
    url,
    connections: 10,
    duration: WARM_UP_SECONDS,
    headers,
    setupClient: (client) => client.on("response", () => (answered += 1)),
  });
  const windows = setInterval(() => {
    warmUp.push((answered - counted) / 2);
    counted = answered;
  }, 2000);
  await warming;
  clearInterval(windows);
  const times: number[] = [];
  const result = await autocannon({
    url,
    connections: 10,
    pipelining: 1,
    duration: Number(process.env.BENCH_SECONDS ?? 10),
    headers,
    setupClient: (client) => {
      client.on("response", (_status: number, _bytes: number, responseTime: number) => times.push(responseTime));
    },
  });
  if (result.non2xx > 0 && !options.allowFailures) throw new Error(`${url}: ${result.non2xx} answers were not 2xx`);
  return {
    times: times.sort((a, b) => a - b),
    rps: result.requests.average,
    warmUp,
    failures: { non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts },
  };
}

async function main() {
  const round = (n: number) => Math.round(n * 100) / 100;
  // A tiny wiki first: the same view must cost the same number of queries.
  const small = mkdtempSync(path.join(os.tmpdir(), "cercle-bench-small-"));
  const smallSeed = await seed(small, 20, 2);
  const big = mkdtempSync(path.join(os.tmpdir(), "cercle-bench-wiki-"));
  console.log(`Seeding ${PAGES} pages × ${REVISIONS_PER_PAGE} revisions…`);
  const t0 = performance.now();
  const bigSeed = await seed(big, PAGES, REVISIONS_PER_PAGE);
  console.log(`Seeded in ${Math.round((performance.now() - t0) / 1000)} s.`);

  const server = await startServer(big);
  let pageView: Load;
  let signInView: Load;
  try {
    const cookie = await signIn(server.origin);
    pageView = await load(`${server.origin}/spaces/bench/wiki/${bigSeed.pageSlug}`, { Cookie: cookie });
    // The floor under the same load: the sign-in page runs no query beyond the
    // session lookup and renders a small form in the same root layout. What a
    // page view costs above it is ours; what it costs up to it is the stack.
    signInView = await load(`${server.origin}/login`, {});
  } finally {
    server.stop();
  }
  const smallRun = await measureInChild(small, smallSeed.pageSlug);
  const bigRun = await measureInChild(big, bigSeed.pageSlug);
  rmSync(small, { recursive: true, force: true });
  rmSync(big, { recursive: true, force: true });

  const figures = {
    pages: PAGES,
    revisions: PAGES * REVISIONS_PER_PAGE,
    page_view_p50_ms: round(percentile(pageView.times, 50)),
    page_view_p95_ms: round(percentile(pageView.times, 95)),
    page_view_rps: round(pageView.rps),
    sign_in_view_p50_ms: round(percentile(signInView.times, 50)),
    sign_in_view_p95_ms: round(percentile(signInView.times, 95)),
    sign_in_view_rps: round(signInView.rps),
    loader_render_p50_ms: round(percentile(bigRun.viewTimes, 50)),
    loader_render_p95_ms: round(percentile(bigRun.viewTimes, 95)),
    save_p50_ms: round(percentile(bigRun.saveTimes, 50)),
    save_p95_ms: round(percentile(bigRun.saveTimes, 95)),
    queries_per_view: bigRun.queriesPerView,
    queries_per_view_20_pages: smallRun.queriesPerView,
  };
  console.log(`Warm-up of the page view, requests per second in each 2-s window: ${pageView.warmUp.join(" ")}`);
  console.log(
    `Page view over HTTP: p50 ${figures.page_view_p50_ms} ms, p95 ${figures.page_view_p95_ms} ms, ${figures.page_view_rps} req/s ` +
      `(sign-in page under the same load: p95 ${figures.sign_in_view_p95_ms} ms, ${figures.sign_in_view_rps} req/s); ` +
      `loader+render p95 ${figures.loader_render_p95_ms} ms; save p95 ${figures.save_p95_ms} ms; ` +
      `${figures.queries_per_view} queries per view (${figures.queries_per_view_20_pages} with 20 pages).`,
  );
  console.log(JSON.stringify(figures));
}

// `tsx tests/bench/wiki.ts measure <dir> <slug>` is the child of measureInChild.
const [command, dataDirArg, slugArg] = process.argv.slice(2);
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
const run = command === "measure" ? () => measure(dataDirArg, slugArg).then((m) => console.log(JSON.stringify(m))) : main;
if (isMain) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
