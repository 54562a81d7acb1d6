import { createCookie } from "@remix-run/node";
import type Database from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { dialectOf } from "#db/dialect.ts";
import type { HttpResponse } from "./http.ts";

/** Every row of every table the space routes may touch (sessions aside: reading refreshes them). */
const DOMAIN_TABLES = ["network", "user", "space", "space_member", "invitation", "join_request", "activity", "audit_log"] as const;

/** A refused write must leave every one of these rows as it was. */
export function snapshot(sqlite: Database.Database) {
  return Object.fromEntries(DOMAIN_TABLES.map((t) => [t, sqlite.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]));
}

/**
 * Every row of `table`, in an order that does not change while the rows do not:
 * SQLite's rowid; PostgreSQL has none (a row's ctid moves on any update), so
 * its rows are sorted by their own values.
 */
export async function rowsOf(db: Kysely<any>, table: string, columns?: readonly string[]): Promise<unknown[]> {
  const selected = columns ? sql.join(columns.map((c) => sql.ref(c))) : sql`*`;
  if (dialectOf(db) === "sqlite") return (await sql`SELECT ${selected} FROM ${sql.table(table)} ORDER BY rowid`.execute(db)).rows;
  const rows = (await sql`SELECT ${selected} FROM ${sql.table(table)}`.execute(db)).rows.map((row) => [JSON.stringify(row), row] as const);
  return rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Every row of each of `tables`, by table, through Kysely (either engine). */
export async function tablesOf(db: Kysely<any>, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await rowsOf(db, t)] as const)));
}

/** snapshot() through Kysely: the same rows, on either engine. */
export function domainRows(db: Kysely<any>): Promise<Record<string, unknown[]>> {
  return tablesOf(db, DOMAIN_TABLES);
}

/**
 * An ORDER BY for rows in the order they were written, two in one millisecond
 * included: SQLite's rowid; on PostgreSQL the time they carry, then the
 * transaction that wrote them (xmin: each write in these tests is its own).
 */
export function writtenOrder(db: Kysely<any>) {
  return dialectOf(db) === "sqlite" ? sql`rowid` : sql`created_at, xmin::text::bigint`;
}

const flashCookie = createCookie("cercle_flash");

/** The flash message a response sets, as the app wrote it. */
export async function flashOf(res: HttpResponse): Promise<{ kind: string; key: string } | null> {
  const line = res.setCookies.find((c) => c.startsWith("cercle_flash="));
  if (!line) return null;
  return (await flashCookie.parse(line.split(";")[0])) as { kind: string; key: string } | null;
}
