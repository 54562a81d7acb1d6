import type SQLite from "better-sqlite3";
import type { Kysely, Transaction } from "kysely";
import { openPostgres } from "./postgres.ts";
import type { Database } from "./schema.ts";
import { openSqlite } from "./sqlite.ts";

export type DB = Kysely<Database>;
/** Either the database or an open transaction: every query function takes one. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** The two engines Cercle runs on; what differs between them is named in db/dialect.ts. */
export type DialectName = "sqlite" | "postgres";

export interface OpenedDatabase {
  db: DB;
  dialect: DialectName;
  /** The better-sqlite3 handle, for SQLite's own tools (online backup); throws on PostgreSQL. */
  readonly sqlite: SQLite.Database;
  /** Statements run through Kysely since the database was opened (for benchmarks). */
  queryCount(): number;
  close(): Promise<void>;
}

/** How the application takes part in a few moments of the database's life (app/utils/db.server.ts). */
export interface DatabaseHooks {
  /** Before each transaction's BEGIN; throws to refuse the transaction (writes are refused while the disk is full). */
  beforeTransaction?(): void;
  /**
   * A statement failed because the disk is full. `retry`: room was made, so a
   * statement run on its own (nothing half-done around it) is tried once more;
   * `raise`: what to throw otherwise, in place of the SQLite error.
   */
  onDiskFull?(error: Error): { retry: boolean; raise: unknown };
}

/** A `postgres://` (or `postgresql://`) URL, as opposed to an SQLite file's path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the database at `location`: a PostgreSQL URL, or else the path of an
 * SQLite file. Nothing is sent before the first query (PostgreSQL's pool
 * connects lazily), so a caller that must know the server answers asks it
 * (db/postgres.ts checkPostgres).
 */
export function openDatabase(location: string, hooks: DatabaseHooks = {}): OpenedDatabase {
  return isPostgresUrl(location) ? openPostgres(location, hooks) : openSqlite(location, hooks);
}
