/**
 * npm run bench:people — a network of 10,000 members in 200 clubs with
 * realistic profiles (tests/bench/people-vocabulary.ts), then the directory
 * with a skill filter and a text query (`/people?skill=negociation&q=ach`),
 * signed in as a member of three clubs:
 *  - loader + render in-process (the Remix handler, no network);
 *  - over HTTP with autocannon (10 connections, no pipelining) against the
 *    built server in its own process, after a warm-up (the bench:wiki method);
 *  - SQL statements per view, on this network and on a tiny one: it must not
 *    grow with the members;
 *  - each directory query on its own, timed, with SQLite's plan for it.
 * The last line printed is one JSON object with the figures.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CompiledQuery, Kysely, SqliteDialect } from "kysely";
import { openDatabase } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { defaultAudiences, LANGUAGES, type Audience, type Language, type OpenTo, type ProfileField, type Region, type Sector } from "#db/profile-fields.ts";
import { writeProfile, type ProfileInput } from "#db/queries/people.ts";
import type { Database, JoinPolicy, ProfessionalStatus, Role, SpaceKind, Visibility } from "#db/schema.ts";
import { searchable } from "#db/text.ts";
import { processCommentContent } from "#app/editor/content.server.ts";
import { loadDirectory } from "#app/people/directory.server.ts";
import { parseDirectoryParams } from "#app/people/params.ts";
import { actorOf } from "#app/policies/actor.ts";
import { BENCH_EMAIL, signIn } from "./built-server.ts";
import { FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, REGION_SPREAD, SHARED_SKILLS, TRADES } from "./people-vocabulary.ts";
import { inProcess, load, measureInChildOf, percentile, sqliteBench, startServer, type Load } from "./wiki.ts";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const CLUBS = Number(process.env.BENCH_CLUBS ?? 200);
const PASSWORD = "benchmark passphrase 2026";
/** The view measured: a skill filter and a text query, as a member looking for a negotiator in purchasing types it. */
export const VIEW = process.env.BENCH_PEOPLE_PATH ?? "/people?skill=negociation&q=ach";
const DAY = 24 * 60 * 60 * 1000;

/** mulberry32: the same network on every run, so runs compare. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
function weighted<T>(rng: Rng, list: readonly T[], weight: (t: T) => number): T {
  const total = list.reduce((s, t) => s + weight(t), 0);
  let r = rng() * total;
  for (const t of list) if ((r -= weight(t)) < 0) return t;
  return list[list.length - 1];
}
/** Index 0 most likely, then 1/(rank+1)^s: how tags are used in any real network. */
function zipf(rng: Rng, n: number, s = 1.1): number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s);
  return weighted(rng, weights.map((_, i) => i), (i) => weights[i]);
}

/** How members type a skill now and then: lower case, without accents, or shouting the first letter. */
function spelling(rng: Rng, label: string): string {
  const r = rng();
  if (r < 0.05) return label.toLowerCase();
  if (r < 0.08) return label.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  return label;
}

const slugOf = (name: string) =>
  searchable(name)
    .trim()
    .replace(/ /g, "-");

interface Club {
  id: string;
  slug: string;
  name: string;
  kind: SpaceKind;
  trade: string | null;
  region: Region | "" | null;
  visibility: Visibility;
  members: string[];
}

function bioDocument(text: string): { json: string; html: string } {
  const format = { direction: null, format: "", indent: 0, version: 1 };
  const raw = JSON.stringify({
    root: {
      type: "root",
      ...format,
      children: [{ type: "paragraph", ...format, textFormat: 0, textStyle: "", children: [{ type: "text", text, format: 0, style: "", mode: "normal", detail: 0, version: 1 }] }],
    },
  });
  const checked = processCommentContent(raw);
  if (!checked.ok) throw new Error(`bio refused: ${checked.error}`);
  return { json: checked.json, html: checked.html };
}

/**
 * The network, written into a fresh database file in one transaction: users
 * and memberships through prepared inserts, every profile through the app's
 * own writeProfile (the searchable forms and the skill rows with it), one
 * password hash for all. The reader (bench@example.org) is a purchasing
 * consultant in Île-de-France, member of the largest purchasing club, the
 * largest Paris circle and a coaching club.
 */
export async function seed(dataDir: string, members: number, clubs: number) {
  const { db, sqlite, close } = openDatabase(path.join(dataDir, "cercle.db"));
  await migrateToLatest(db);
  const { hash } = await import("@node-rs/argon2");
  const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const rng = random(20261205);
  const now = Date.now();
  sqlite.prepare("INSERT INTO network (id, name, default_locale, created_at) VALUES ('network', 'Réseau Conseil & Associés', 'fr', ?)").run(now - 4 * 365 * DAY);

  // The clubs: regional circles by region (CLUBS × 0.35), trade clubs by trade, then their regional chapters.
  const scale = clubs / 200;
  const circles: Club[] = [];
  for (const region of REGION_SPREAD) {
    // The reader's circle (Paris) exists in the tiniest network too.
    const count = Math.max(region.code === "idf" ? 1 : 0, Math.round(region.circles * scale));
    for (let i = 0; i < count; i++) {
      const city = region.cities[i % region.cities.length];
      const name = i < region.cities.length ? `Cercle ${city}` : `Cercle ${region.cities[0]} ${["Est", "Ouest", "Nord", "Sud", "Centre"][i - region.cities.length]}`;
      circles.push({ id: newId(), slug: slugOf(name), name, kind: "regional_circle", trade: null, region: region.code, visibility: rng() < 0.1 ? "secret" : rng() < 0.55 ? "open" : "listed", members: [] });
    }
  }
  const tradeClubs: Club[] = [];
  for (const trade of TRADES) {
    for (const name of trade.clubs) {
      if (tradeClubs.length + circles.length >= clubs) break;
      tradeClubs.push({ id: newId(), slug: slugOf(name), name, kind: "trade_club", trade: trade.key, region: null, visibility: rng() < 0.1 ? "secret" : rng() < 0.2 ? "open" : "listed", members: [] });
    }
  }
  // Chapters of the broadest clubs in the big regions' cities, by the trade's weight.
  const bigRegions = REGION_SPREAD.filter((r) => r.weight >= 40);
  const used = new Set([...circles, ...tradeClubs].map((c) => c.slug));
  for (let attempt = 0; tradeClubs.length + circles.length < clubs && attempt < 100 * clubs; attempt++) {
    const trade = weighted(rng, TRADES, (t) => t.weight);
    const region = weighted(rng, bigRegions, (r) => r.weight);
    const name = `${pick(rng, trade.clubs)} ${pick(rng, region.cities.slice(0, 3))}`;
    if (used.has(slugOf(name))) continue;
    used.add(slugOf(name));
    tradeClubs.push({ id: newId(), slug: slugOf(name), name, kind: "trade_club", trade: trade.key, region: region.code, visibility: rng() < 0.1 ? "secret" : "listed", members: [] });
  }
  const bios = new Map<string, { json: string; html: string }>();
  for (const trade of TRADES) trade.bios.forEach((b, i) => bios.set(`${trade.key}:${i}`, bioDocument(b)));

  const insertUser = sqlite.prepare(
    "INSERT INTO user (id, email, display_name, password_hash, is_network_admin, locale, sponsor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'fr', ?, ?, ?)",
  );
  const insertSpace = sqlite.prepare(
    "INSERT INTO space (id, slug, name, kind, description, visibility, join_policy, storage_quota_bytes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertMember = sqlite.prepare("INSERT INTO space_member (space_id, user_id, role, sponsor_id, joined_at) VALUES (?, ?, ?, ?, ?)");
  const statuses: Array<[ProfessionalStatus | null, number]> = [["independent", 55], ["company", 14], ["partner", 15], ["retired", 8], ["other", 5], [null, 3]];
  const otherLanguages: Array<[Language, number]> = [["en", 70], ["es", 14], ["de", 10], ["it", 6], ["pt", 3], ["ar", 4], ["nl", 2], ["zh", 1]];
  let readerId = "";
  let hiddenSome = 0;
  let listedToClubs = 0;

  await db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (let i = 0; i <= members; i++) {
      const isReader = i === members;
      const female = rng() < 0.45;
      const first = pick(rng, female ? FIRST_NAMES_F : FIRST_NAMES_M);
      const last = pick(rng, LAST_NAMES);
      const name = isReader ? "Mathilde Achard" : `${first} ${last}`;
      const trade = isReader ? TRADES.find((t) => t.key === "achats")! : weighted(rng, TRADES, (t) => t.weight);
      const region = isReader ? REGION_SPREAD.find((r) => r.code === "idf")! : weighted(rng, REGION_SPREAD, (r) => r.weight);
      const id = newId();
      const created = now - Math.floor(rng() * 3 * 365) * DAY - Math.floor(rng() * DAY);
      const email = isReader ? BENCH_EMAIL : `${slugOf(`${first} ${last}`).replace(/-/g, ".")}.${i}@bench.example`;
      const sponsor = ids.length > 20 && rng() < 0.85 ? ids[Math.floor(rng() * ids.length)] : null;
      insertUser.run(id, email, name, passwordHash, i === 0 ? 1 : 0, sponsor, created, created);

      // 3 to 8 skills of the trade (the first ones most), 0 to 2 shared ones, negotiation the most shared.
      const own = new Set<string>();
      const count = 3 + Math.floor(rng() * 6);
      for (let k = 0; k < count * 2 && own.size < count; k++) own.add(trade.skills[zipf(rng, trade.skills.length)]);
      const shared = Math.floor(rng() * 3);
      for (let k = 0; k < shared; k++) own.add(SHARED_SKILLS[zipf(rng, SHARED_SKILLS.length, 1.3)]);
      const skills = isReader ? ["Achats", "Négociation", "Sourcing", "Category management"] : [...own].map((s) => spelling(rng, s));

      const visibility: Record<ProfileField, Audience> = defaultAudiences();
      let listing: "network" | "clubs" = "network";
      // About one in five hides something or lists their profile to their clubs only.
      if (!isReader && rng() < 0.2) {
        hiddenSome += 1;
        const r = rng();
        if (r < 0.3) {
          listing = "clubs";
          listedToClubs += 1;
        } else if (r < 0.55) visibility.city = "me";
        else if (r < 0.7) visibility.skills = "clubs";
        else if (r < 0.8) visibility.region = "clubs";
        else if (r < 0.9) visibility.headline = "clubs";
        else visibility.openTo = "me";
      }
      const openTo: OpenTo[] = [];
      if (rng() < 0.4) openTo.push("missions");
      if (rng() < 0.15) openTo.push("subcontracting");
      if (rng() < 0.12) openTo.push("mentoring");
      if (rng() < 0.08) openTo.push("speaking");
      const languages: Language[] = ["fr"];
      for (const [code, pct] of otherLanguages) if (rng() * 100 < pct) languages.push(code);
      const sectors = new Set<Sector>();
      for (let k = 1 + Math.floor(rng() * 3); k > 0; k--) sectors.add(pick(rng, trade.sectors));
      const headline = isReader ? "Consultante achats indirects, ex-directrice achats d'un groupe de services" : pick(rng, trade.headlines)[female ? 1 : 0];
      const slug = slugOf(name);
      const input: ProfileInput = {
        displayName: name,
        headline,
        bio: rng() < 0.7 ? bios.get(`${trade.key}:${Math.floor(rng() * trade.bios.length)}`)! : { json: "", html: "" },
        skills,
        sectors: [...sectors],
        region: region.code,
        city: region.code === "" ? "" : rng() < 0.85 ? pick(rng, region.cities) : "",
        professionalStatus: weighted(rng, statuses, ([, w]) => w)[0],
        languages: languages.filter((l) => (LANGUAGES as readonly string[]).includes(l)),
        website: rng() < 0.3 ? `https://www.${slug}-conseil.fr` : "",
        linkedin: rng() < 0.6 ? `https://www.linkedin.com/in/${slug}-${i}` : "",
        openTo,
        availableFrom: openTo.includes("missions") && rng() < 0.15 ? new Date(now + Math.floor(rng() * 120) * DAY).toISOString().slice(0, 10) : null,
        listing,
        visibility,
        locale: "fr",
        timeZone: "Europe/Paris",
      };
      await writeProfile(trx, id, input, created);
      ids.push(id);

      // 1 to 3 clubs: the trade's (a chapter in one's region now and then) and the region's circle.
      const inTrade = tradeClubs.filter((c) => c.trade === trade.key && (c.region === null || c.region === region.code));
      const inRegion = circles.filter((c) => c.region === region.code);
      const joined = new Set<Club>();
      if (isReader) {
        joined.add(tradeClubs.find((c) => c.trade === "achats")!);
        joined.add(circles.find((c) => c.region === "idf")!);
        joined.add(tradeClubs.find((c) => c.trade === "coaching") ?? tradeClubs[1] ?? circles[1]);
      } else {
        const r = rng();
        const wanted = r < 0.45 ? 1 : r < 0.83 ? 2 : 3;
        const tries = [
          () => (inTrade.length ? inTrade[zipf(rng, inTrade.length, 0.9)] : undefined),
          () => (inRegion.length ? inRegion[zipf(rng, inRegion.length, 0.8)] : undefined),
          () => pick(rng, tradeClubs),
        ];
        const order = rng() < 0.6 ? [0, 1, 2, 0, 2] : [1, 0, 2, 0, 2];
        for (const t of order) {
          if (joined.size >= wanted) break;
          const c = tries[t]();
          if (c) joined.add(c);
        }
        if (joined.size === 0) joined.add(pick(rng, tradeClubs));
      }
      for (const c of joined) c.members.push(id);
    }
    readerId = ids[ids.length - 1];

    const joinPolicies: JoinPolicy[] = ["admins_invite", "coopt_approval", "coopt_direct"];
    for (const [n, c] of [...circles, ...tradeClubs].entries()) {
      const founder = c.members[0] ?? ids[0];
      const createdAt = now - (3 * 365 - n) * DAY;
      insertSpace.run(c.id, c.slug, c.name, c.kind, `${c.name} : rencontres, retours d'expérience et missions partagées.`, c.visibility, pick(rng, joinPolicies), 5 * 1024 ** 3, founder, createdAt);
      for (const [m, userId] of c.members.entries()) {
        const role: Role = m === 0 ? "admin" : rng() < 0.04 ? "editor" : rng() < 0.03 ? "guest" : "member";
        const sponsorId = m === 0 ? null : c.members[Math.floor(rng() * m)];
        insertMember.run(c.id, userId, role, sponsorId, createdAt + (m + 1) * 3600_000);
      }
    }
  });
  const all = [...circles, ...tradeClubs];
  const memberships = all.reduce((s, c) => s + c.members.length, 0);
  const sizes = all.map((c) => c.members.length).sort((a, b) => a - b);
  const readerClubs = all.filter((c) => c.members.includes(readerId)).map((c) => `${c.name} (${c.members.length})`);
  const skillRow = sqlite.prepare("SELECT count(*) AS n, count(DISTINCT skill_key) AS k FROM user_skill").get() as { n: number; k: number };
  const stats = { members: members + 1, clubs: all.length, memberships, clubSizes: { min: sizes[0], median: sizes[sizes.length >> 1], max: sizes[sizes.length - 1] }, readerClubs, hiddenSome, listedToClubs, skillRows: skillRow.n, distinctSkills: skillRow.k };
  await close();
  return { readerId, stats };
}

/**
 * Each query of the measured view on its own, as the page's loader runs them
 * (loadDirectory, on a Kysely that records them), with its time and SQLite's
 * plan: where the time goes, query by query.
 */
async function explain(dataDir: string, readerId: string) {
  const { sqlite, close } = openDatabase(path.join(dataDir, "cercle.db"));
  const captured: CompiledQuery[] = [];
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => void (e.level === "query" && captured.push(e.query)) });
  const user = await db.selectFrom("user").select(["id", "is_network_admin"]).where("id", "=", readerId).executeTakeFirstOrThrow();
  // The first view reads the directory into the process's index (decision 83): timed apart, as it happens once per change.
  const params = parseDirectoryParams(new URL(VIEW, "http://bench.local"));
  const t0 = performance.now();
  await loadDirectory(db, actorOf(user), params);
  const indexBuildMs = performance.now() - t0;
  captured.length = 0;
  const view = await loadDirectory(db, actorOf(user), params);
  const queries = captured.map((q) => {
    const statement = sqlite.prepare(q.sql);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      statement.all(...(q.parameters as unknown[]));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail);
    return { sql: q.sql, median_ms: Math.round(times[10] * 100) / 100, plan };
  });
  await db.destroy().catch(() => {});
  await close().catch(() => {});
  return { total: view.total, firstCards: view.people.slice(0, 3).map((c) => c.name), queries, indexBuildMs };
}

/** Loader + render of the view in this process (a child of main, one database per process). */
async function measure(dataDir: string, expectName: string) {
  const { handler, context, entry } = await inProcess(dataDir);
  const origin = "http://bench.local";
  const login = await handler(
    new Request(`${origin}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: BENCH_EMAIL, password: PASSWORD }),
    }),
    context(),
  );
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith("cercle_session="))!.split(";")[0];
  const url = `${origin}${VIEW}`;
  const view = async () => {
    const res = await handler(new Request(url, { headers: { Cookie: cookie } }), context());
    const body = await res.text();
    if (res.status !== 200) throw new Error(`view of ${url} answered ${res.status}: ${body.slice(0, 300)}`);
    return body;
  };
  // The page must show the first card the directory query gives: it measures the directory, not an error page.
  const first = await view();
  if (expectName && !first.includes(expectName)) throw new Error(`${VIEW} does not show ${expectName}`);
  // Warm for 600 views or 20 s, then measure 400 views or 60 s, whichever comes first: a slow view must not hold the bench for an hour.
  const warmEnd = performance.now() + Number(process.env.BENCH_WARM_SECONDS ?? 20) * 1000;
  for (let i = 0; i < Number(process.env.BENCH_WARM_VIEWS ?? 600) && performance.now() < warmEnd; i++) await view();
  const before = entry.queryCount();
  await view();
  const queriesPerView = entry.queryCount() - before;
  const viewTimes: number[] = [];
  const end = performance.now() + Number(process.env.BENCH_MEASURE_SECONDS ?? 60) * 1000;
  for (let i = 0; i < Number(process.env.BENCH_VIEWS ?? 400) && (i < 30 || performance.now() < end); i++) {
    const t0 = performance.now();
    await view();
    viewTimes.push(performance.now() - t0);
  }
  viewTimes.sort((a, b) => a - b);
  await entry.shutdown();
  return { viewTimes, queriesPerView, bytes: Buffer.byteLength(first) };
}

type Measured = Awaited<ReturnType<typeof measure>>;

const measureInChild = (dataDir: string, expectName: string) => measureInChildOf<Measured>(fileURLToPath(import.meta.url), dataDir, expectName);

/** React escapes these in text; the name is looked for as the page spells it. */
const htmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");

async function main() {
  const round = (n: number) => Math.round(n * 100) / 100;
  const small = mkdtempSync(path.join(os.tmpdir(), "cercle-bench-people-small-"));
  const smallSeed = await seed(small, 30, 4);
  const big = mkdtempSync(path.join(os.tmpdir(), "cercle-bench-people-"));
  console.log(`Seeding ${MEMBERS} members in ${CLUBS} clubs…`);
  const t0 = performance.now();
  const bigSeed = await seed(big, MEMBERS, CLUBS);
  const seedSeconds = (performance.now() - t0) / 1000;
  console.log(`Seeded in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(bigSeed.stats)}`);

  const plans = await explain(big, bigSeed.readerId);
  const smallPlans = await explain(small, smallSeed.readerId);
  console.log(`${VIEW}: ${plans.total} members match; first cards ${plans.firstCards.join(", ")}.`);
  for (const q of plans.queries) console.log(`\n${q.median_ms} ms  ${q.sql}\n  plan: ${q.plan.join(" | ")}`);

  let directory: Load | null = null;
  if (process.env.BENCH_SKIP_HTTP !== "1") {
    const server = await startServer(sqliteBench(big));
    try {
      const cookie = await signIn(server.origins[0], PASSWORD);
      // A slow directory must still give its figures: failures are counted, not thrown.
      directory = await load(`${server.origins[0]}${VIEW}`, { Cookie: cookie }, { allowFailures: true });
    } finally {
      await server.stop();
    }
  }
  const smallRun = await measureInChild(small, smallPlans.firstCards[0] ? htmlText(smallPlans.firstCards[0]) : "");
  const bigRun = await measureInChild(big, htmlText(plans.firstCards[0]));
  rmSync(small, { recursive: true, force: true });
  rmSync(big, { recursive: true, force: true });

  const figures = {
    members: bigSeed.stats.members,
    clubs: bigSeed.stats.clubs,
    memberships: bigSeed.stats.memberships,
    seed_s: round(seedSeconds),
    view: VIEW,
    matches: plans.total,
    directory_p50_ms: directory ? round(percentile(directory.times, 50)) : null,
    directory_p95_ms: directory ? round(percentile(directory.times, 95)) : null,
    directory_rps: directory ? round(directory.rps) : null,
    directory_answers: directory ? directory.times.length : null,
    directory_failures: directory ? directory.failures : null,
    loader_render_p50_ms: round(percentile(bigRun.viewTimes, 50)),
    loader_render_p95_ms: round(percentile(bigRun.viewTimes, 95)),
    directory_sql_ms: round(plans.queries.reduce((s, q) => s + q.median_ms, 0)),
    slowest_query_ms: Math.max(...plans.queries.map((q) => q.median_ms)),
    index_build_ms: round(plans.indexBuildMs),
    queries_per_view: bigRun.queriesPerView,
    queries_per_view_tiny: smallRun.queriesPerView,
    tiny_members: smallSeed.stats.members,
  };
  if (directory) console.log(`Warm-up of the directory, requests per second in each 2-s window: ${directory.warmUp.join(" ")}`);
  console.log(
    `Directory over HTTP: p50 ${figures.directory_p50_ms} ms, p95 ${figures.directory_p95_ms} ms, ${figures.directory_rps} req/s; ` +
      `(${figures.directory_answers} answers, failures ${JSON.stringify(figures.directory_failures)}); loader+render p50 ${figures.loader_render_p50_ms} ms, p95 ${figures.loader_render_p95_ms} ms (${bigRun.bytes} bytes); ` +
      `directory SQL alone ${figures.directory_sql_ms} ms (index read once per change: ${figures.index_build_ms} ms); ${figures.queries_per_view} queries per view (${figures.queries_per_view_tiny} with ${figures.tiny_members} members).`,
  );
  console.log(JSON.stringify(figures));
}

// `tsx tests/bench/people.ts measure <dir> <name>` is the child of measureInChild; `seed <dir>` only seeds (to look at a plan).
const [command, dataDirArg, nameArg] = process.argv.slice(2);
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
const run =
  command === "measure"
    ? () => measure(dataDirArg, nameArg ?? "").then((m) => console.log(JSON.stringify(m)))
    : command === "seed"
      ? async () => {
          const t = performance.now();
          const s = await seed(dataDirArg, MEMBERS, CLUBS);
          console.log(`Seeded in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(s.stats)} reader ${s.readerId}`);
          const e = await explain(dataDirArg, s.readerId);
          console.log(`${e.total} match; ${e.firstCards.join(", ")}`);
          for (const q of e.queries) console.log(`\n${q.median_ms} ms  ${q.sql}\n  plan: ${q.plan.join(" | ")}`);
        }
      : main;
if (isMain) {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
