import { sql } from "kysely";
import type { Executor } from "../client.ts";
import type { SearchKind } from "../schema.ts";
import { filterWord } from "./access.ts";
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
export function matchExpression(request: Pick<DocQuery, "query" | "access" | "kinds" | "spaceId" | "authorId">, columns = "{title body}"): string | null {
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

/** One page of readable results, best first, and how many readable results there are in all. */
export async function searchDocs(db: Executor, request: DocQuery): Promise<{ total: number; hits: DocHit[] }> {
  const match = matchExpression(request);
  if (!match) return { total: 0, hits: [] };
  // FTS5 answers bm25() only in the query that MATCHes: ranked first, materialized, then joined and counted.
  let ranked = db
    .with(
      (cte) => cte("ranked").materialized(),
      (qb) => qb.selectFrom("search_fts").select(["rowid", score.as("score")]).where(sql<boolean>`search_fts MATCH ${match}`),
    )
    .selectFrom("ranked")
    .innerJoin("search_doc", "search_doc.id", "ranked.rowid")
    .select(["search_doc.id", "ranked.score", "search_doc.at", sql<number>`count(*) over ()`.as("total")]);
  if (request.since !== undefined) ranked = ranked.where("search_doc.at", ">=", request.since);
  const page = await ranked
    .orderBy("ranked.score")
    .orderBy("search_doc.at", "desc")
    .orderBy("search_doc.id", "desc")
    .limit(request.limit)
    .offset(request.offset)
    .execute();
  if (page.length === 0) return { total: request.offset > 0 ? await countDocs(db, request) : 0, hits: [] };
  const rows = await db
    .selectFrom("search_doc")
    .select(["id", "kind", "ref_id", "space_id", "title", "body", "author_id", "at"])
    .where(
      "id",
      "in",
      page.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits = page.flatMap((r) => {
    const row = byId.get(r.id);
    return row ? [{ id: row.id, kind: row.kind, refId: row.ref_id, spaceId: row.space_id, title: row.title, body: row.body, authorId: row.author_id, at: row.at }] : [];
  });
  return { total: Number(page[0].total), hits };
}

/** How many readable results, for a page past the last one. */
async function countDocs(db: Executor, request: DocQuery): Promise<number> {
  const match = matchExpression(request);
  if (!match) return 0;
  let count = db
    .selectFrom("search_fts")
    .innerJoin("search_doc", "search_doc.id", "search_fts.rowid")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where(sql<boolean>`search_fts MATCH ${match}`);
  if (request.since !== undefined) count = count.where("search_doc.at", ">=", request.since);
  return Number((await count.executeTakeFirstOrThrow()).n);
}

/**
 * Titles that start like what is being typed, for the suggestions under the
 * search box: the title column only, best first.
 */
export async function suggestTitles(db: Executor, request: Pick<DocQuery, "query" | "access">, limit: number): Promise<Array<Pick<DocHit, "id" | "kind" | "refId" | "spaceId" | "title">>> {
  const match = matchExpression({ ...request, kinds: ["page", "post", "workshop", "ask", "file"] }, "{title}");
  if (!match) return [];
  const rows = await db
    .with(
      (cte) => cte("ranked").materialized(),
      (qb) => qb.selectFrom("search_fts").select(["rowid", score.as("score")]).where(sql<boolean>`search_fts MATCH ${match}`),
    )
    .selectFrom("ranked")
    .innerJoin("search_doc", "search_doc.id", "ranked.rowid")
    .select(["search_doc.id", "search_doc.kind", "search_doc.ref_id", "search_doc.space_id", "search_doc.title"])
    .orderBy("ranked.score")
    .orderBy("search_doc.at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, refId: r.ref_id, spaceId: r.space_id, title: r.title }));
}
