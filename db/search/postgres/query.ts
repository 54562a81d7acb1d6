import { sql } from "kysely";
import type { Executor } from "../../client.ts";
import { lastRowSince } from "../indexer.ts";
import type { DocHit, DocQuery } from "../query.ts";
import type { Clause, ParsedQuery } from "../text.ts";

/**
 * PostgreSQL's half of a search: `@@` on search_doc's tsvector of the same
 * stems FTS5 holds (./vector.ts), `&&` on the access words, the filters on
 * search_doc's own columns, "newest first" on its primary key (a row's
 * number is its date, indexer.ts rowAt), titles first from the title's own
 * vector. Raw SQL for what Kysely has no words for: tsquery and its
 * operators, and arrays.
 */

/** A tsquery lexeme: stems hold letters and digits only; quoted and escaped whatever they hold. */
const lexeme = (stem: string) => `'${stem.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/** A clause as FTS5 reads it (sqlite/query.ts): a phrase's stems in a row, a word being typed as a start or a shorter form. */
function clauseQuery(clause: Clause): string {
  switch (clause.kind) {
    case "word":
      return lexeme(clause.stem);
    case "phrase":
      return `(${clause.stems.map(lexeme).join(" <-> ")})`;
    case "typing":
      return `(${[`${lexeme(clause.stem)}:*`, ...(clause.folded !== clause.stem ? [`${lexeme(clause.folded)}:*`] : []), ...clause.shorter.map(lexeme)].join(" | ")})`;
  }
}

/** Every clause wanted and, unless `wantedOnly`, none of those left out; null when the query asks for nothing. */
function tsquery(query: ParsedQuery, wantedOnly = false): string | null {
  if (query.all.length === 0) return null;
  const all = query.all.map(clauseQuery).join(" & ");
  return query.none.length && !wantedOnly ? `(${all}) & !(${query.none.map(clauseQuery).join(" | ")})` : all;
}

/** The readable rows matching the query and the filters. */
function matching(db: Executor, request: DocQuery, query: string) {
  let rows = db
    .selectFrom("search_doc")
    .where(sql<boolean>`fts @@ ${query}::tsquery`)
    .where(sql<boolean>`access_words && ${[...request.access]}::text[]`);
  if (request.kinds?.length) rows = rows.where("kind", "in", [...request.kinds]);
  if (request.spaceId) rows = rows.where("space_id", "=", request.spaceId);
  if (request.authorId) rows = rows.where("author_id", "=", request.authorId);
  if (request.since !== undefined) rows = rows.where("id", "<=", lastRowSince(request.since));
  return rows;
}

/**
 * One page and the exact total in one statement: the window's count is of
 * every matching row, the page of those whose title holds every word wanted
 * first, then newest first (the smallest number) in each. A page past the
 * end has no row to carry the count: it is counted apart.
 */
export async function searchPostgres(db: Executor, request: DocQuery): Promise<{ total: number; hits: DocHit[] }> {
  const query = tsquery(request.query);
  if (!query || request.access.length === 0) return { total: 0, hits: [] };
  const titled = tsquery(request.query, true);
  const page = await matching(db, request, query)
    .select(["id", sql<number>`count(*) OVER ()`.as("total")])
    .orderBy(sql`title_fts @@ ${titled}::tsquery`, "desc")
    .orderBy("id")
    .offset(request.offset)
    .limit(request.limit)
    .execute();
  const total = page.length
    ? Number(page[0].total)
    : Number(
        (
          await matching(db, request, query)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
  if (page.length === 0) return { total, hits: [] };
  // The texts of the page's rows alone: a sort carrying every match's text would be a sort of megabytes.
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
  const hits = page.flatMap(({ id }) => {
    const row = byId.get(id);
    return row ? [{ id: row.id, kind: row.kind, refId: row.ref_id, spaceId: row.space_id, title: row.title, body: row.body, authorId: row.author_id, at: row.at }] : [];
  });
  return { total, hits };
}

/** Readable titles matching what is being typed, newest first, from the titles' own vector. */
export async function suggestPostgres(db: Executor, request: Pick<DocQuery, "query" | "access">, limit: number): Promise<Array<Pick<DocHit, "id" | "kind" | "refId" | "spaceId" | "title">>> {
  const query = tsquery(request.query);
  if (!query || request.access.length === 0) return [];
  const rows = await db
    .selectFrom("search_doc")
    .select(["id", "kind", "ref_id", "space_id", "title"])
    .where(sql<boolean>`title_fts @@ ${query}::tsquery`)
    .where(sql<boolean>`access_words && ${[...request.access]}::text[]`)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, refId: r.ref_id, spaceId: r.space_id, title: r.title }));
}
