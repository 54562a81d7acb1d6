import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder } from "kysely";
import type { DialectName } from "./client.ts";

/** The database or a transaction, of any schema (the migrations have none). */
type Executor = Kysely<any>;

/**
 * The few places where Cercle's SQL must differ between SQLite and
 * PostgreSQL, each named for what it does. Everything else is the query
 * builder's or plain SQL both engines read alike; a query that needs
 * something new here adds it here rather than asking the dialect itself.
 * (Search is the other place: db/search/ has an engine per dialect.)
 */

export function dialectOf(db: Executor): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/**
 * `value`, or '' where it is null: the key of a unique index over a nullable
 * column (a folder's parent, a file's folder), which treats every null as
 * distinct. SQLite's spelling is kept there, as its indexes were made with it
 * and it matches an index only on the same expression.
 */
export function orEmpty(db: Executor, value: Expression<string | null>): RawBuilder<string> {
  return dialectOf(db) === "postgres" ? sql<string>`coalesce(${value}, '')` : sql<string>`ifnull(${value}, '')`;
}

/** The larger of two numbers (SQLite's two-argument max(), PostgreSQL's greatest()). */
export function larger(db: Executor, a: Expression<number>, b: Expression<number>): RawBuilder<number> {
  return dialectOf(db) === "postgres" ? sql<number>`greatest(${a}, ${b})` : sql<number>`max(${a}, ${b})`;
}

/** Where `needle` starts in `haystack`, from 1; 0 when absent (SQLite's instr, PostgreSQL's strpos). */
export function positionOf(db: Executor, haystack: Expression<string>, needle: Expression<string> | string): RawBuilder<number> {
  return dialectOf(db) === "postgres" ? sql<number>`strpos(${haystack}, ${needle})` : sql<number>`instr(${haystack}, ${needle})`;
}

/**
 * Opens, on one connection, a read-only transaction in which every SELECT
 * sees the same snapshot and which no writer waits for: SQLite's deferred
 * BEGIN under WAL; PostgreSQL's REPEATABLE READ READ ONLY (a snapshot that is
 * never refused with 40001, which a long serializable read beside writers can be).
 */
export function beginReadSnapshot(db: Executor): RawBuilder<unknown> {
  return dialectOf(db) === "postgres" ? sql`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` : sql`BEGIN DEFERRED`;
}
