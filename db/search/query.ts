import { sql, type QueryCreator } from "kysely";
import type { Executor } from "../client.ts";
import type { Database, SearchKind } from "../schema.ts";
import { filterWord } from "./access.ts";
import { rowAt } from "./indexer.ts";
import type { Clause, ParsedQuery } from "./text.ts";

/**
 * The engine's half of a search: an FTS5 MATCH made of the query, the
 * viewer's access words and the filters, ranked in SQLite. The rest of the
 * search (the text pipeline, the access words, snippets, what a result
 * shows) is the same whatever the engine; on PostgreSQL this module is the
 * one to write again, with a tsvector of the same stems, `@@` for MATCH and
 * ts_rank_cd for bm25 (README, decision 90). Raw SQL here: Kysely has no
 * words for MATCH, bm25 or column filters.
 */

export interface DocQuery {
  query: ParsedQuery;
  /** The viewer's access words: a row must hold one of them. */
  access: readonly string[];
  kinds?: readonly SearchKind[];
  spaceId?: string;
  authorId?: string;
  /** Rows dated at or after this (ms). */
  since?: number;
  offset: number;
  limit: number;
}

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

/**
 * Title weighs ten times the text (a page called "Négociation" comes before
 * one that mentions it); the access column weighs nothing. Scores are
 * rounded, so that results of about the same relevance come newest first.
 */
const score = sql<number>`round(bm25(search_fts, 10.0, 1.0, 0.0), 1)`;
/** The same weight for a match in the titles' own index (search_title). */
const titleScore = sql<number>`round(bm25(search_title, 10.0, 0.0), 1)`;

export interface DocHit {
  id: number;
  kind: SearchKind;
  refId: string;
  spaceId: string | null;
  title: string;
  body: string;
  authorId: string | null;
  at: number;
}

/**
 * Past this many readable results, ranking reads every result whose title
 * matches and the RANKED most recent ones, not all: bm25 costs some 4 µs a
 * row, and a word found in nearly every document (10,000 readable results)
 * would cost every search 40 ms for an order its near-zero weight hardly
 * changes. Titles still come first; among text matches the recent ones are
 * ranked. The count stays exact: counting costs a tenth of ranking.
 */
export const RANKED = 2000;

/** A query on the FTS table, from row number `from` (a date: indexer.ts, rowAt) on. */
function matching(db: QueryCreator<Database>, match: string, from: number) {
  const query = db.selectFrom("search_fts").where(sql<boolean>`search_fts MATCH ${match}`);
  return from > 0 ? query.where("search_fts.rowid", ">=", from) : query;
}

/**
 * One page of readable results, best first (equal scores newest first), and
 * how many readable results there are in all. Every step reads the FTS
 * index alone; search_doc gives the page's twenty rows.
 */
export async function searchDocs(db: Executor, request: DocQuery): Promise<{ total: number; hits: DocHit[] }> {
  const match = matchExpression(request);
  if (!match) return { total: 0, hits: [] };
  const since = request.since !== undefined ? rowAt(request.since) : 0;
  const counted = await matching(db, match, since)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const total = Number(counted.n);
  if (total === 0 || request.offset >= total) return { total, hits: [] };

  // The row number from which text matches are ranked: all of them, or the RANKED most recent.
  let from = since;
  if (total > RANKED) {
    const nth = await matching(db, match, since).select("search_fts.rowid").orderBy("search_fts.rowid", "desc").limit(1).offset(RANKED - 1).executeTakeFirst();
    from = nth?.rowid ?? since;
  }
  const titles = from > since ? matchExpression(request, "search_title") : null;
  // FTS5 answers bm25() only in the query that MATCHes: each part ranked on its own, then together.
  const recent = matching(db, match, from).select(["search_fts.rowid", score.as("score")]);
  const ranked = titles
    ? recent.unionAll(
        // Older results whose title matches, the most recent RANKED of them.
        db
          .selectFrom(
            db
              .selectFrom("search_title")
              .select(["search_title.rowid", titleScore.as("score")])
              .where(sql<boolean>`search_title MATCH ${titles}`)
              .where("search_title.rowid", ">=", since)
              .where("search_title.rowid", "<", from)
              .orderBy("search_title.rowid", "desc")
              .limit(RANKED)
              .as("older"),
          )
          .selectAll(),
      )
    : recent;
  const page = await db
    .selectFrom(ranked.as("ranked"))
    .select("rowid")
    .orderBy("score")
    .orderBy("rowid", "desc")
    .limit(request.limit)
    .offset(request.offset)
    .execute();
  const rows = await db
    .selectFrom("search_doc")
    .select(["id", "kind", "ref_id", "space_id", "title", "body", "author_id", "at"])
    .where(
      "id",
      "in",
      page.map((r) => r.rowid),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = page.flatMap((r) => {
    const row = byId.get(r.rowid);
    return row ? [{ id: row.id, kind: row.kind, refId: row.ref_id, spaceId: row.space_id, title: row.title, body: row.body, authorId: row.author_id, at: row.at }] : [];
  });
  return { total, hits };
}

/**
 * Titles that start like what is being typed, for the suggestions under the
 * search box: the title column only, best first.
 */
export async function suggestTitles(db: Executor, request: Pick<DocQuery, "query" | "access">, limit: number): Promise<Array<Pick<DocHit, "id" | "kind" | "refId" | "spaceId" | "title">>> {
  const match = matchExpression(request, "search_title");
  if (!match) return [];
  const best = await db
    .selectFrom("search_title")
    .select(["search_title.rowid", titleScore.as("score")])
    .where(sql<boolean>`search_title MATCH ${match}`)
    .orderBy("score")
    .orderBy("search_title.rowid", "desc")
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
