import { sql } from "kysely";
import type { Executor } from "../../client.ts";
import { filterWord } from "../access.ts";
import { lastRowSince } from "../indexer.ts";
import type { DocHit, DocQuery } from "../query.ts";
import type { Clause } from "../text.ts";

/**
 * SQLite's half of a search: an FTS5 MATCH made of the query, the viewer's
 * access words and the filters, ordered by row number (a date). Raw SQL
 * here: Kysely has no words for MATCH or column filters.
 */

/** FTS5 string literal: stems hold letters and digits only, doubled quotes make it safe whatever they hold. */
const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;

function clauseExpression(clause: Clause): string {
  switch (clause.kind) {
    case "word":
      return quoted(clause.stem);
    case "phrase":
      return clause.stems.map(quoted).join(" + ");
    case "typing":
      return `(${[`${quoted(clause.stem)} *`, ...(clause.folded !== clause.stem ? [`${quoted(clause.folded)} *`] : []), ...clause.shorter.map(quoted)].join(" OR ")})`;
  }
}

/** The MATCH expression of a query, or null when it asks for nothing. */
export function matchExpression(request: Pick<DocQuery, "query" | "access" | "kinds" | "spaceId" | "authorId">, table: "search_fts" | "search_title" = "search_fts"): string | null {
  const columns = table === "search_fts" ? "{title body}" : "{title}";
  const { query } = request;
  if (query.all.length === 0 || request.access.length === 0) return null;
  let expression = `${columns} : (${query.all.map(clauseExpression).join(" AND ")})`;
  if (query.none.length) expression = `(${expression}) NOT ${columns} : (${query.none.map(clauseExpression).join(" OR ")})`;
  const filters = [`access : (${request.access.map(quoted).join(" OR ")})`];
  if (request.kinds?.length) filters.push(`access : (${request.kinds.map((k) => quoted(filterWord.kind(k))).join(" OR ")})`);
  if (request.spaceId) filters.push(`access : ${quoted(filterWord.space(request.spaceId))}`);
  if (request.authorId) filters.push(`access : ${quoted(filterWord.author(request.authorId))}`);
  return `(${expression}) AND ${filters.join(" AND ")}`;
}

/** A query on the FTS table, up to row number `upTo` (a date: indexer.ts, lastRowSince). */
function matching(db: Executor, match: string, upTo: number | null) {
  const query = db.selectFrom("search_fts").where(sql<boolean>`search_fts MATCH ${match}`);
  return upTo !== null ? query.where("search_fts.rowid", "<=", upTo) : query;
}

async function newestTitles(db: Executor, match: string, upTo: number | null, limit: number): Promise<number[]> {
  let query = db.selectFrom("search_title").select("search_title.rowid").where(sql<boolean>`search_title MATCH ${match}`);
  if (upTo !== null) query = query.where("search_title.rowid", "<=", upTo);
  return (await query.orderBy("search_title.rowid").limit(limit).execute()).map((r) => r.rowid);
}

async function count(db: Executor, match: string, upTo: number | null): Promise<number> {
  const row = await matching(db, match, upTo)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row numbers, newest first (the smallest: indexer.ts, rowAt); FTS5 stops at the limit. */
async function newest(db: Executor, match: string, upTo: number | null, limit: number): Promise<number[]> {
  const rows = await matching(db, match, upTo).select("search_fts.rowid").orderBy("search_fts.rowid").limit(limit).execute();
  return rows.map((r) => r.rowid);
}

/**
 * Up to this many results, one read lists them all and counts them; most
 * searches find fewer (a few words together), and a count is a second pass
 * over the same lists.
 */
const LISTED = 200;

/**
 * One page of readable results and how many readable results there are in
 * all. The order: things whose title holds every word searched, then the
 * others, newest first in each (a row's number is its date). Not bm25: FTS5
 * stores no document frequencies and computes them at each query by
 * reading the whole list of every phrase of the MATCH — the viewer's access
 * words included — which cost 8 to 12 ms a search at 162,000 documents
 * whatever the number of results; counting and paging by row number read
 * only what they return (README, decision 90).
 */
export async function searchFts5(db: Executor, request: DocQuery): Promise<{ total: number; hits: DocHit[] }> {
  const match = matchExpression(request);
  if (!match) return { total: 0, hits: [] };
  const upTo = request.since !== undefined ? lastRowSince(request.since) : null;
  const end = request.offset + request.limit;
  // The first results, newest first: all of them when there are few, and then their count.
  const listed = await newest(db, match, upTo, Math.max(LISTED, end) + 1);
  const all = listed.length <= Math.max(LISTED, end);
  const total = all ? listed.length : await count(db, match, upTo);
  if (total === 0 || request.offset >= total) return { total, hits: [] };
  // Title matches up to the page's end: fewer than that, and they are all of them. From the
  // titles' own index when nothing is left out (its short lists are all a title match needs);
  // with exclusions, from the main one, where the text is there to exclude on.
  const inTitle = `{title} : (${request.query.all.map(clauseExpression).join(" AND ")})`;
  const titleMatch = request.query.none.length ? null : matchExpression(request, "search_title");
  const titled = titleMatch ? await newestTitles(db, titleMatch, upTo, end) : await newest(db, `(${match}) AND ${inTitle}`, upTo, end);
  const first = titled.slice(request.offset, end);
  let rest: number[] = [];
  if (first.length < request.limit) {
    // The others, newest first, title matches left out: the listed ones reach the page's end.
    const skip = Math.max(0, request.offset - titled.length);
    const seen = new Set(titled);
    rest = listed.filter((id) => !seen.has(id)).slice(skip, skip + request.limit - first.length);
  }
  const page = [...first, ...rest];
  const rows = await db
    .selectFrom("search_doc")
    .select(["id", "kind", "ref_id", "space_id", "title", "body", "author_id", "at"])
    .where("id", "in", page)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = page.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ id: row.id, kind: row.kind, refId: row.ref_id, spaceId: row.space_id, title: row.title, body: row.body, authorId: row.author_id, at: row.at }] : [];
  });
  return { total, hits };
}

/**
 * Titles that start like what is being typed, for the suggestions under the
 * search box: the title column only, best first.
 */
export async function suggestFts5(db: Executor, request: Pick<DocQuery, "query" | "access">, limit: number): Promise<Array<Pick<DocHit, "id" | "kind" | "refId" | "spaceId" | "title">>> {
  const match = matchExpression(request, "search_title");
  if (!match) return [];
  // Newest first, as on the results page: the first few matches are the answer.
  const best = await db
    .selectFrom("search_title")
    .select("search_title.rowid")
    .where(sql<boolean>`search_title MATCH ${match}`)
    .orderBy("search_title.rowid")
    .limit(limit)
    .execute();
  if (best.length === 0) return [];
  const found = await db
    .selectFrom("search_doc")
    .select(["id", "kind", "ref_id", "space_id", "title"])
    .where(
      "id",
      "in",
      best.map((r) => r.rowid),
    )
    .execute();
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = best.flatMap((r) => byId.get(r.rowid) ?? []);
  return rows.map((r) => ({ id: r.id, kind: r.kind, refId: r.ref_id, spaceId: r.space_id, title: r.title }));
}
