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
import type { Insertable } from "kysely";
import { openDatabase, type Executor } from "#db/client.ts";
import type { Database } from "#db/schema.ts";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { processContent } from "#app/editor/content.server.ts";
import { workThroughBacklog } from "#app/search/indexing.server.ts";
import { BENCH_EMAIL, signIn as signInAs, startBuiltServer } from "./built-server.ts";

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

/**
 * Where a bench's database lives: DATA_DIR's SQLite file, or, when
 * DATABASE_URL is set, a database of its own on that PostgreSQL server
 * (`cercle_bench_<name>`, made afresh and dropped at the end: the URL's role
 * must be allowed to create databases).
 */
export interface BenchDatabase {
  dataDir: string;
  /** The PostgreSQL URL, or null on SQLite. */
  url: string | null;
  drop(): Promise<void>;
}

export const BENCH_POSTGRES = process.env.DATABASE_URL || null;

export async function benchDatabase(name: string): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `cercle-bench-${name}-`));
  if (!BENCH_POSTGRES) return sqliteBench(dataDir);
  const database = `cercle_bench_${name.replace(/\W/g, "_")}`;
  const url = new URL(BENCH_POSTGRES);
  url.pathname = `/${database}`;
  const { default: pg } = await import("pg");
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: BENCH_POSTGRES! });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`);
  return {
    dataDir,
    url: url.toString(),
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An SQLite bench database already in `dataDir` (the people bench runs on SQLite only). */
export function sqliteBench(dataDir: string): BenchDatabase {
  return { dataDir, url: null, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** The bench database opened through Cercle's own client (db/client.ts), either engine. */
export function openBench(target: BenchDatabase) {
  return openDatabase(target.url ?? path.join(target.dataDir, "cercle.db"));
}

/** Rows in statements of `size` (PostgreSQL takes 65,535 parameters a statement, SQLite 32,766). */
async function insertAll<T extends keyof Database>(db: Executor, table: T, rows: Insertable<Database[T]>[], size = 500) {
  for (let i = 0; i < rows.length; i += size) await db.insertInto(table).values(rows.slice(i, i + size) as never).execute();
}

export async function seed(target: BenchDatabase, pages: number, revisionsPerPage: number) {
  const { db, close } = openBench(target);
  await migrateToLatest(db);
  const { hash } = await import("@node-rs/argon2");
  const now = Date.now();
  const userId = newId();
  const spaceId = newId();
  const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  // The tree three levels deep: 10 sections, 10 topics each, the rest spread below.
  const ids: string[] = [];
  const target_ = Math.floor(pages / 2);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("network").values({ id: "network", name: "Bench", default_locale: "fr", created_at: now }).execute();
    await trx
      .insertInto("user")
      .values({ id: userId, email: BENCH_EMAIL, display_name: "Bench Reader", password_hash: passwordHash, is_network_admin: 0, headline: "", bio: "", skills: "[]", region: "", created_at: now, updated_at: now })
      .execute();
    await trx
      .insertInto("space")
      .values({ id: spaceId, slug: "bench", name: "Bench club", kind: "trade_club", description: "", visibility: "secret", join_policy: "coopt_direct", storage_quota_bytes: 1, created_at: now })
      .execute();
    await trx.insertInto("space_member").values({ space_id: spaceId, user_id: userId, role: "member", joined_at: now }).execute();
    // Written a hundred pages at a time: 100,000 revisions of a few KB each do not all fit in memory at once.
    for (let from = 0; from < pages; from += 100) {
      const pageRows: Insertable<Database["page"]>[] = [];
      const revisionRows: Insertable<Database["page_revision"]>[] = [];
      const linkRows: Insertable<Database["page_link"]>[] = [];
      for (let i = from; i < Math.min(pages, from + 100); i++) {
        const id = newId();
        const parent = i < 10 ? null : i < 110 ? ids[Math.floor((i - 10) / 10)] : ids[10 + ((i - 110) % 100)];
        const title = `Atelier ${i} — pratiques achats`;
        const doc = processContent(documentFor(title, i));
        if (!doc.ok) throw new Error(`seed content refused: ${doc.error}`);
        pageRows.push({
          id,
          space_id: spaceId,
          parent_id: parent,
          slug: `atelier-${i}`,
          title,
          title_search: title.toLowerCase(),
          position: i,
          content_json: doc.json,
          content_html: doc.html,
          content_text: doc.text,
          revision: revisionsPerPage,
          created_by: userId,
          created_at: now,
          updated_by: userId,
          updated_at: now,
        });
        for (let r = 1; r <= revisionsPerPage; r++) {
          revisionRows.push({ id: newId(), page_id: id, number: r, title, content_json: doc.json, content_text: doc.text, summary: "", author_id: userId, created_at: now - (revisionsPerPage - r) * 1000 });
        }
        if (i > 0) linkRows.push({ from_page_id: ids[i - 1], to_page_id: id });
        ids.push(id);
      }
      await insertAll(trx, "page", pageRows, 100);
      await insertAll(trx, "page_revision", revisionRows, 200);
      await insertAll(trx, "page_link", linkRows);
    }
  });
  const slug = await db.selectFrom("page").select("slug").where("id", "=", ids[target_]).executeTakeFirstOrThrow();
  // The search index as a running server keeps it: otherwise the server's job would index
  // the 10,000 pages during the measurement.
  await workThroughBacklog(db);
  await close();
  return { pageSlug: slug.slug };
}

export async function signIn(origin: string): Promise<string> {
  return signInAs(origin, PASSWORD);
}

/** Application servers, and their load balancing: the client spreads its connections over them. */
export interface BenchServers {
  origins: string[];
  stop(): Promise<void>;
}

/**
 * The built server as `npm start` runs it: on SQLite one server, a worker per
 * CPU (WEB_CONCURRENCY unset); on PostgreSQL two servers of one process each,
 * the same number of processes on this machine, sharing one S3 bucket
 * (s3rver) as several servers must (issue 21).
 */
export async function startServer(target: Pick<BenchDatabase, "dataDir" | "url">): Promise<BenchServers> {
  if (!target.url) {
    const workers = process.env.WEB_CONCURRENCY;
    const server = await startBuiltServer(target.dataDir, workers ? { WEB_CONCURRENCY: workers } : {});
    return { origins: [server.origin], stop: () => server.stop() };
  }
  const { s3Env, startS3rver } = await import("#tests/helpers/s3rver.ts");
  const s3 = await startS3rver();
  const env = { DATABASE_URL: target.url, WEB_CONCURRENCY: "1", ...s3Env(s3) };
  const first = await startBuiltServer(target.dataDir, env);
  const second = await startBuiltServer(mkdtempSync(path.join(os.tmpdir(), "cercle-bench-second-")), env);
  return {
    origins: [first.origin, second.origin],
    async stop() {
      await Promise.all([first.stop(), second.stop()]);
      await s3.close();
    },
  };
}

/**
 * The built app in this process, on the given database file, to time loader +
 * render and saves. One database per process: the build's modules (several
 * chunks) hold the environment and the database as singletons.
 */
export async function inProcess(dataDir: string, databaseUrl?: string) {
  process.env.DATA_DIR = dataDir;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
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

async function measure(dataDir: string, pageSlug: string, databaseUrl?: string) {
  const { handler, context, entry } = await inProcess(dataDir, databaseUrl);
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
export async function measureInChildOf<T>(script: string, target: BenchDatabase | string, arg: string): Promise<T> {
  const dataDir = typeof target === "string" ? target : target.dataDir;
  const databaseUrl = typeof target === "string" ? null : target.url;
  // NODE_ENV from the start: React picks its production or development build
  // when first required, and the bench's own imports require it before the
  // server build is loaded (inProcess setting it then was too late: the
  // in-process figures up to 2026-12-05 were of development React).
  const child = spawn(process.execPath, ["--import", "tsx", script, "measure", dataDir, arg, ...(databaseUrl ? [databaseUrl] : [])], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`in-process measure of ${dataDir} exited ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1)!) as T;
}

const measureInChild = (target: BenchDatabase, pageSlug: string) => measureInChildOf<Measured>(fileURLToPath(import.meta.url), target, pageSlug);

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

/**
 * 10 connections, no pipelining, after the warm-up. Several URLs (one path
 * on several application servers) share the 10 connections evenly, as a
 * load balancer would; their answers are counted together.
 */
export async function load(urls: string | string[], headers: Record<string, string>, options: { allowFailures?: boolean } = {}): Promise<Load> {
  const targets = typeof urls === "string" ? [urls] : urls;
  const connections = 10 / targets.length;
  const warmUp: number[] = [];
  let answered = 0;
  let counted = 0;
  const warming = Promise.all(
    targets.map((url) =>
      autocannon({
        url,
        connections,
        duration: WARM_UP_SECONDS,
        headers,
        setupClient: (client) => client.on("response", () => (answered += 1)),
      }),
    ),
  );
  const windows = setInterval(() => {
    warmUp.push((answered - counted) / 2);
    counted = answered;
  }, 2000);
  await warming;
  clearInterval(windows);
  const times: number[] = [];
  const results = await Promise.all(
    targets.map((url) =>
      autocannon({
        url,
        connections,
        pipelining: 1,
        duration: Number(process.env.BENCH_SECONDS ?? 10),
        headers,
        setupClient: (client) => {
          client.on("response", (_status: number, _bytes: number, responseTime: number) => times.push(responseTime));
        },
      }),
    ),
  );
  const sum = (f: (r: autocannon.Result) => number) => results.reduce((n, r) => n + f(r), 0);
  if (sum((r) => r.non2xx) > 0 && !options.allowFailures) throw new Error(`${targets.join(", ")}: ${sum((r) => r.non2xx)} answers were not 2xx`);
  return {
    times: times.sort((a, b) => a - b),
    rps: sum((r) => r.requests.average),
    warmUp,
    failures: { non2xx: sum((r) => r.non2xx), errors: sum((r) => r.errors), timeouts: sum((r) => r.timeouts) },
  };
}

async function main() {
  const round = (n: number) => Math.round(n * 100) / 100;
  // A tiny wiki first: the same view must cost the same number of queries.
  const small = await benchDatabase("small");
  const smallSeed = await seed(small, 20, 2);
  const big = await benchDatabase("wiki");
  console.log(`Seeding ${PAGES} pages × ${REVISIONS_PER_PAGE} revisions${big.url ? " into PostgreSQL" : ""}…`);
  const t0 = performance.now();
  const bigSeed = await seed(big, PAGES, REVISIONS_PER_PAGE);
  console.log(`Seeded in ${Math.round((performance.now() - t0) / 1000)} s.`);

  const servers = await startServer(big);
  let pageView: Load;
  let signInView: Load;
  try {
    // One session, good on every server: sessions live in the database.
    const cookie = await signIn(servers.origins[0]);
    pageView = await load(
      servers.origins.map((origin) => `${origin}/spaces/bench/wiki/${bigSeed.pageSlug}`),
      { Cookie: cookie },
    );
    // The floor under the same load: the sign-in page runs no query beyond the
    // session lookup and renders a small form in the same root layout. What a
    // page view costs above it is ours; what it costs up to it is the stack.
    signInView = await load(
      servers.origins.map((origin) => `${origin}/login`),
      {},
    );
  } finally {
    await servers.stop();
  }
  const smallRun = await measureInChild(small, smallSeed.pageSlug);
  const bigRun = await measureInChild(big, bigSeed.pageSlug);
  await small.drop();
  await big.drop();

  const figures = {
    database: big.url ? "postgres" : "sqlite",
    servers: big.url ? 2 : 1,
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

// `tsx tests/bench/wiki.ts measure <dir> <slug> [<database url>]` is the child of measureInChild.
const [command, dataDirArg, slugArg, databaseArg] = process.argv.slice(2);
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
const run = command === "measure" ? () => measure(dataDirArg, slugArg, databaseArg).then((m) => console.log(JSON.stringify(m))) : main;
if (isMain) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
