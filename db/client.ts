import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type Transaction } from "kysely";
import type { Database } from "./schema.ts";

export type DB = Kysely<Database>;
/** Either the database or an open transaction: every query function takes one. */
export type Executor = Kysely<Database> | Transaction<Database>;

export interface OpenedDatabase {
  db: DB;
  sqlite: SQLite.Database;
  /** Statements run through Kysely since the database was opened (for benchmarks). */
  queryCount(): number;
  close(): Promise<void>;
}

/**
 * WAL lets readers run while one writer commits; busy_timeout makes a second
 * writer wait instead of failing at once; foreign keys are off by default in
 * SQLite and must be asked for on every connection.
 */
export function openDatabase(file: string): OpenedDatabase {
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  let queries = 0;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    // A counter costs nothing and lets the wiki benchmark show queries per view.
    log: (event) => {
      if (event.level === "query") queries += 1;
    },
  });
  return {
    db,
    sqlite,
    queryCount: () => queries,
    // Kysely's destroy() closes the better-sqlite3 handle it was given.
    close: () => db.destroy(),
  };
}
