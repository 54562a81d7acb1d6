/**
 * npm run bench:search — the issue's network: 200 clubs, 100,000 wiki pages
 * (~2 KB of French text each), 10,000 articles, 50,000 comments and 2,000
 * extracted file texts, a viewer in 10 of the clubs. Then:
 *  - the full index build of all of it, and an online reindex in place;
 *  - over HTTP with autocannon (10 connections, after warm-up, the
 *    bench:wiki method) against the built server: a word found in more than
 *    90% of what the viewer may read (first page of 20, snippets), a typical
 *    two-word query, a word found in fewer than 1% of documents, and
 *    suggestions as one types; the first two also as the loaded app asks
 *    for them (the loaders' data, without the page around it);
 *  - the index work a page save adds (in the save's transaction);
 *  - the index's size as a share of the database.
 * The last line printed is one JSON object with the figures. With
 * DATABASE_URL (an empty PostgreSQL database, migrated here) the same
 * network goes there and two servers run on it (bench:wiki's startServer):
 * the same figures, on PostgreSQL's full text.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql, type InsertObject } from "kysely";
import { openDatabase, type Executor } from "#db/client.ts";
import { dialectOf } from "#db/dialect.ts";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { Database } from "#db/schema.ts";
import { beginOwnChanges, indexOwnChanges } from "#db/search/indexer.ts";
import { indexSize, optimizeIndex } from "#db/search/maintenance.ts";
import { searchScope } from "#app/search/access.server.ts";
import { reindex, workThroughBacklog } from "#app/search/indexing.server.ts";
import { BENCH_EMAIL, signIn } from "./built-server.ts";
import { load, percentile, startServer } from "./wiki.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const CLUBS = 200;
const VIEWER_CLUBS = 10;
const PAGES = Math.round(100_000 * SCALE);
const ARTICLES = Math.round(10_000 * SCALE);
const COMMENTS = Math.round(50_000 * SCALE);
const FILES = Math.round(2_000 * SCALE);
const PASSWORD = "benchmark passphrase 2026";

/**
 * A vocabulary with a natural spread: a few hundred words of the trade that
 * come back often (Zipf's law), and thousands of rarer ones. "membres"
 * is in every text: the word found in nearly every document.
 */
const TRADE = `achats fournisseur fournisseurs négociation négocier contrat contrats prix coûts sourcing appel offres cahier charges qualité délais
logistique transport entrepôt stock stocks prévision prévisions demande planification production usine atelier ateliers méthode méthodes
mission missions client clients consultant consultants cabinet associé associés honoraires facturation facture devis proposition
stratégie stratégique direction comité pilotage indicateurs tableau bord performance risque risques conformité audit audits
ressources humaines recrutement formation compétences management équipe équipes projet projets planning jalons livrables budget
investissement financement trésorerie marge rentabilité croissance marché marchés concurrence innovation numérique données outil outils
transformation changement organisation processus amélioration continue lean agilité dirigeant dirigeants entreprise entreprises
industrie industriel industriels service services public privé collectivité région régional national international export
sous-traitance partenaire partenaires réseau rencontre rencontres retour expérience pratique pratiques cas exemple exemples
énergie carbone bilan environnement durable responsable éthique achat responsable juridique social fiscal comptable
réunion compte rendu synthèse présentation support séance matinée journée programme intervenant témoignage question questions`.split(/\s+/);
const RARE = Array.from({ length: 20_000 }, (_, i) => `lexique${i.toString(36)}`);

/** A deterministic generator, so every run seeds the same network. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = random(17);
const zipf = (n: number) => Math.min(n - 1, Math.floor(n ** rand() - 1));

function sentence(words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rand() < 0.93 ? TRADE[zipf(TRADE.length)] : RARE[Math.floor(rand() * RARE.length)]);
  out[0] = out[0][0].toUpperCase() + out[0].slice(1);
  return `${out.join(" ")}.`;
}

/** About `bytes` of text: sentences of 8 to 20 words, "membres" in the first. */
function prose(bytes: number): string {
  const parts = [`Les membres du club ont échangé sur ${sentence(6).toLowerCase()}`];
  let size = parts[0].length;
  while (size < bytes) {
    const s = sentence(8 + Math.floor(rand() * 12));
    parts.push(s);
    size += s.length + 1;
  }
  return parts.join(" ");
}

const lexical = (text: string) =>
  JSON.stringify({
    root: {
      type: "root",
      version: 1,
      direction: "ltr",
      format: "",
      indent: 0,
      children: [
        {
          type: "paragraph",
          version: 1,
          direction: "ltr",
          format: "",
          indent: 0,
          textFormat: 0,
          textStyle: "",
          children: [{ type: "text", version: 1, text, format: 0, style: "", mode: "normal", detail: 0 }],
        },
      ],
    },
  });
const html = (text: string) => `<p>${text}</p>`;

/** Rows inserted this many at a time: under both engines' limits on bound parameters. */
const CHUNK = 500;

async function insertAll<T extends keyof Database>(db: Executor, table: T, rows: Array<InsertObject<Database, T>>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto(table).values(rows.slice(i, i + CHUNK)).execute();
}

/**
 * The network, in the SQLite file of `dataDir` or, with DATABASE_URL, in
 * that PostgreSQL database (empty: migrated here). Through Kysely, in one
 * transaction, so both engines get the same rows.
 */
export async function seed(dataDir: string, databaseUrl = process.env.DATABASE_URL) {
  const opened = openDatabase(databaseUrl || path.join(dataDir, "cercle.db"));
  const { db, close } = opened;
  await migrateToLatest(db);
  const { hash } = await import("@node-rs/argon2");
  const now = Date.now();
  const viewer = newId();
  const others = Array.from({ length: 50 }, () => newId());
  const clubs = Array.from({ length: CLUBS }, () => newId());
  const day = 86_400_000;
  const when = (i: number, n: number) => now - Math.floor(((n - i) / n) * 3 * 365) * day;
  const pageIds: Array<[string, string]> = [];
  const postIds: Array<[string, string]> = [];
  const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("network").values({ id: "network", name: "Bench", default_locale: "fr", created_at: now }).execute();
    const user = (id: string, email: string, name: string, password: string) => ({ id, email, display_name: name, password_hash: password, is_network_admin: 0, created_at: now, updated_at: now });
    await insertAll(trx, "user", [user(viewer, BENCH_EMAIL, "Bench Reader", passwordHash), ...others.map((id, i) => user(id, `member${i}@example.org`, `Membre ${i}`, "x"))] as never);
    // A third listed (their network articles reach everyone), the rest secret.
    await insertAll(
      trx,
      "space",
      clubs.map((id, i) => ({ id, slug: `club-${i}`, name: `Club ${i}`, kind: "trade_club", description: "", visibility: i % 3 === 0 ? "listed" : "secret", join_policy: "coopt_direct", storage_quota_bytes: 1, created_at: now })) as never,
    );
    await insertAll(trx, "space_member", [
      ...clubs.map((id, i) => ({ space_id: id, user_id: others[i % others.length], role: "admin", joined_at: now })),
      ...clubs.slice(0, VIEWER_CLUBS).map((id) => ({ space_id: id, user_id: viewer, role: "member", joined_at: now })),
    ] as never);

    const pages = [];
    for (let i = 0; i < PAGES; i++) {
      const id = newId();
      const space = clubs[i % CLUBS];
      const title = `${sentence(3 + (i % 4)).slice(0, -1)} (${i})`;
      const text = prose(2000);
      const author = others[i % others.length];
      const at = when(i, PAGES);
      pages.push({ id, space_id: space, parent_id: null, slug: `page-${i}`, title, title_search: title.toLowerCase(), position: i, content_json: lexical(text), content_html: html(text), content_text: text, revision: 1, created_by: author, created_at: at, updated_by: author, updated_at: at });
      pageIds.push([id, space]);
      if (pages.length === CHUNK) await insertAll(trx, "page", pages.splice(0) as never);
    }
    await insertAll(trx, "page", pages as never);
    const posts = [];
    for (let i = 0; i < ARTICLES; i++) {
      const id = newId();
      const space = clubs[i % CLUBS];
      const title = `${sentence(5).slice(0, -1)} — article ${i}`;
      const text = prose(3000);
      const author = others[i % others.length];
      const at = when(i, ARTICLES);
      // One in ten opened to the network (read by everyone where its club is listed).
      posts.push({ id, space_id: space, slug: `article-${i}`, title, excerpt: text.slice(0, 200), excerpt_auto: 1, content_json: lexical(text), content_html: html(text), content_text: text, state: "published", visibility: i % 10 === 0 ? "network" : "space", published_at: at, revision: 1, author_id: author, created_at: at, updated_by: author, updated_at: at });
      postIds.push([id, space]);
      if (posts.length === CHUNK) await insertAll(trx, "post", posts.splice(0) as never);
    }
    await insertAll(trx, "post", posts as never);
    const comments = [];
    for (let i = 0; i < COMMENTS; i++) {
      const onPost = i % 2 === 0;
      const [target, space] = onPost ? postIds[i % postIds.length] : pageIds[i % pageIds.length];
      const text = prose(300);
      comments.push({ id: newId(), space_id: space, post_id: onPost ? target : null, page_id: onPost ? null : target, author_id: others[i % others.length], body_json: lexical(text), body_html: html(text), body_text: text, created_at: when(i, COMMENTS) });
      if (comments.length === CHUNK) await insertAll(trx, "comment", comments.splice(0) as never);
    }
    await insertAll(trx, "comment", comments as never);
    for (let i = 0; i < FILES; i++) {
      const id = newId();
      const version = newId();
      const space = clubs[i % CLUBS];
      const name = `Support ${sentence(2).slice(0, -1)} ${i}.pdf`;
      const author = others[i % others.length];
      const at = when(i, FILES);
      await trx
        .insertInto("file")
        .values({ id, space_id: space, name, name_key: name.toLowerCase(), version: 1, size: 100_000, content_type: "application/pdf", created_by: author, created_at: at, updated_by: author, updated_at: at } as never)
        .execute();
      await trx
        .insertInto("file_version")
        .values({ id: version, file_id: id, space_id: space, number: 1, storage_key: `bench/${version}`, size: 100_000, content_type: "application/pdf", sha256: "", original_name: name, uploaded_by: author, created_at: at } as never)
        .execute();
      // The trigger listed the version's text as pending; here it is, extracted.
      await trx.updateTable("file_text").set({ state: "done", text: prose(10_000), finished_at: now }).where("version_id", "=", version).execute();
    }
  });
  return { db, opened, close, viewer, pageIds };
}

/** How many documents the viewer may read: rows holding one of their access words, as the search counts them. Raw SQL: MATCH and `&&`. */
async function readableCount(db: Executor, access: readonly string[]): Promise<number> {
  if (dialectOf(db) === "postgres") {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM search_doc WHERE access_words && ${[...access]}::text[]`.execute(db);
    return Number(rows[0].n);
  }
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM search_fts WHERE search_fts MATCH ${`access : (${access.map((w) => `"${w}"`).join(" OR ")})`}`.execute(db);
  return Number(rows[0].n);
}

async function main() {
  const round = (n: number) => Math.round(n * 100) / 100;
  const dir = mkdtempSync(path.join(os.tmpdir(), "cercle-bench-search-"));
  console.log(`Seeding ${CLUBS} clubs, ${PAGES} pages, ${ARTICLES} articles, ${COMMENTS} comments, ${FILES} file texts…`);
  let t0 = performance.now();
  const seeded = await seed(dir);
  console.log(`Seeded in ${Math.round((performance.now() - t0) / 1000)} s.`);

  // The first build: what the triggers listed, worked through as the background job does.
  t0 = performance.now();
  const built = await workThroughBacklog(seeded.db);
  await optimizeIndex(seeded.db);
  const buildSeconds = (performance.now() - t0) / 1000;
  console.log(`Index built: ${built.done} things in ${buildSeconds.toFixed(1)} s.`);
  t0 = performance.now();
  await reindex(seeded.db);
  const reindexSeconds = (performance.now() - t0) / 1000;
  console.log(`Reindexed in place in ${reindexSeconds.toFixed(1)} s.`);

  // The index work a page save adds: the save's own change to the page, then indexOwnChanges in its transaction.
  const saveTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const [pageId] = seeded.pageIds[(i * 331) % seeded.pageIds.length];
    const text = prose(2000);
    await seeded.db.transaction().execute(async (trx) => {
      const own = await beginOwnChanges(trx);
      await trx.updateTable("page").set({ content_text: text, title: `Page revue ${i}`, updated_at: Date.now() }).where("id", "=", pageId).execute();
      const t = performance.now();
      while ((await indexOwnChanges(trx, own)) > 0);
      saveTimes.push(performance.now() - t);
    });
  }
  saveTimes.sort((a, b) => a - b);

  // What the viewer may read: rows holding one of their access words, counted as the search counts.
  const scope = await searchScope(seeded.db, { id: seeded.viewer, isNetworkAdmin: false });
  const readable = { n: await readableCount(seeded.db, scope.access) };
  const size = await indexSize(seeded.db);
  await seeded.close();

  // As bench:wiki runs it: on PostgreSQL two servers sharing an S3 bucket, the load spread over both.
  const servers = await startServer({ dataDir: dir, url: process.env.DATABASE_URL || null });
  const at = (path: string) => servers.origins.map((origin) => `${origin}${path}`);
  const results: Record<string, Awaited<ReturnType<typeof load>>> = {};
  const found: Record<string, number> = {};
  try {
    const cookie = await signIn(servers.origins[0], PASSWORD);
    // Typical: two words, one of the trade's common ones and a rarer one (a few hundred results);
    // broad: two of the commonest, each in nearly every document (thousands of results).
    const queries = {
      common: "membres",
      typical: `négociation ${RARE[1234]}`,
      broad: "négociation fournisseurs",
      rare: RARE[4321],
    };
    for (const [name, q] of Object.entries(queries)) {
      const url = `/search?q=${encodeURIComponent(q)}`;
      const html = await (await fetch(at(url)[0], { headers: { Cookie: cookie } })).text();
      // "8 400 résultats": French groups digits with a narrow no-break space.
      found[name] = Number(html.match(/<h2 id="search-count"[^>]*>([\d\s\u00a0\u202f.,]+)/)?.[1]?.replace(/\D/g, "") ?? "0");
      console.log(`"${q}": ${found[name]} results of ${readable.n} readable documents`);
      results[name] = await load(at(url), { Cookie: cookie });
    }
    // What a member's search costs once the app is loaded: the search box and the filters ask
    // for the loaders' data (Remix's single fetch, root and search), not a whole page.
    for (const name of ["typical", "common"] as const)
      results[`${name}Data`] = await load(at(`/search.data?q=${encodeURIComponent(queries[name])}`), { Cookie: cookie });
    results.suggest = await load(at(`/search/suggest?q=${encodeURIComponent("négoc")}`), { Cookie: cookie });
  } finally {
    await servers.stop();
  }
  rmSync(dir, { recursive: true, force: true });

  const figures = {
    database: process.env.DATABASE_URL ? "postgres" : "sqlite",
    servers: servers.origins.length,
    clubs: CLUBS,
    pages: PAGES,
    articles: ARTICLES,
    comments: COMMENTS,
    file_texts: FILES,
    viewer_readable_docs: readable.n,
    common_word_hits: found.common,
    common_rps: round(results.common.rps),
    common_p50_ms: round(percentile(results.common.times, 50)),
    common_p95_ms: round(percentile(results.common.times, 95)),
    typical_hits: found.typical,
    typical_rps: round(results.typical.rps),
    typical_p95_ms: round(percentile(results.typical.times, 95)),
    typical_data_rps: round(results.typicalData.rps),
    typical_data_p95_ms: round(percentile(results.typicalData.times, 95)),
    common_data_rps: round(results.commonData.rps),
    common_data_p95_ms: round(percentile(results.commonData.times, 95)),
    broad_hits: found.broad,
    broad_rps: round(results.broad.rps),
    broad_p95_ms: round(percentile(results.broad.times, 95)),
    rare_hits: found.rare,
    rare_rps: round(results.rare.rps),
    rare_p95_ms: round(percentile(results.rare.times, 95)),
    suggest_rps: round(results.suggest.rps),
    suggest_p95_ms: round(percentile(results.suggest.times, 95)),
    index_on_save_p50_ms: round(percentile(saveTimes, 50)),
    index_on_save_p95_ms: round(percentile(saveTimes, 95)),
    index_build_s: round(buildSeconds),
    reindex_s: round(reindexSeconds),
    index_mb: round(size.searchBytes / 1e6),
    database_mb: round(size.databaseBytes / 1e6),
    index_share: round(size.searchBytes / size.databaseBytes),
  };
  console.log(JSON.stringify(figures));
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain)
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
