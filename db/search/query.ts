import type { Executor } from "../client.ts";
import { dialectOf } from "../dialect.ts";
import type { SearchKind } from "../schema.ts";
import { searchPostgres, suggestPostgres } from "./postgres/query.ts";
import { searchFts5, suggestFts5 } from "./sqlite/query.ts";
import type { ParsedQuery } from "./text.ts";

export { matchExpression } from "./sqlite/query.ts";

/**
 * The engine's half of a search, one per database behind the same two
 * functions: SQLite's FTS5 (./sqlite/query.ts) and PostgreSQL's full text
 * (./postgres/query.ts). Both index the same stems (./text.ts) and the same
 * access words (./access.ts), and answer alike: the rows holding every word
 * wanted and none left out, readable by the viewer, titles first and then
 * newest first, with an exact total (README, decision 90). The rest of the
 * search (the text pipeline, the access words, snippets, what a result
 * shows) is the same whatever the engine.
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
 * One page of readable results and how many readable results there are in
 * all: things whose title holds every word searched, then the others, newest
 * first in each.
 */
export function searchDocs(db: Executor, request: DocQuery): Promise<{ total: number; hits: DocHit[] }> {
  return dialectOf(db) === "postgres" ? searchPostgres(db, request) : searchFts5(db, request);
}

/**
 * Titles that start like what is being typed, for the suggestions under the
 * search box: the title only, newest first.
 */
export function suggestTitles(db: Executor, request: Pick<DocQuery, "query" | "access">, limit: number): Promise<Array<Pick<DocHit, "id" | "kind" | "refId" | "spaceId" | "title">>> {
  return dialectOf(db) === "postgres" ? suggestPostgres(db, request, limit) : suggestFts5(db, request, limit);
}
