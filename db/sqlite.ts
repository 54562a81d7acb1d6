import SQLite from "better-sqlite3";
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection } from "kysely";
import { isDiskFull } from "./errors.ts";
import type { DatabaseHooks, OpenedDatabase } from "./client.ts";
import type { Database } from "./schema.ts";
import { fold } from "./text.ts";

/**
 * WAL lets readers run while one writer commits; busy_timeout makes a second
 * writer wait instead of failing at once; foreign keys are off by default in
 * SQLite and must be asked for on every connection.
 */
export function openSqlite(file: string, hooks: DatabaseHooks = {}): OpenedDatabase {
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // fold(x) in SQL is db/text.ts's fold: accent- and case-insensitive search
  // ("ete" finds "Été") without a stored copy of every name.
  sqlite.function("fold", { deterministic: true }, (value: unknown) => (typeof value === "string" ? fold(value) : value));
  let queries = 0;
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }, sqlite, hooks),
    // A counter costs nothing and lets the wiki benchmark show queries per view.
    log: (event) => {
      if (event.level === "query") queries += 1;
    },
  });
  return {
    db,
    dialect: "sqlite",
    sqlite,
    queryCount: () => queries,
    // Kysely's destroy() closes the better-sqlite3 handle it was given.
    close: () => db.destroy(),
  };
}

/**
 * Several server processes share the file. A plain BEGIN takes the write lock
 * only at the first write; if another process committed since this one read,
 * SQLite answers SQLITE_BUSY at once, busy_timeout or not (the snapshot is
 * stale). BEGIN IMMEDIATE takes the write lock up front, so a second writer
 * waits its turn under busy_timeout instead of failing halfway through.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    config: { database: SQLite.Database },
    private readonly sqlite: SQLite.Database,
    private readonly hooks: DatabaseHooks,
  ) {
    super(config);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    let wrapped = this.#wrapped.get(connection);
    if (!wrapped) {
      wrapped = this.#diskFullAware(connection);
      this.#wrapped.set(connection, wrapped);
    }
    return wrapped;
  }

  override async beginTransaction(connection: DatabaseConnection) {
    this.hooks.beforeTransaction?.();
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  /**
   * On SQLITE_FULL (and a few other errors) SQLite has already rolled the
   * whole transaction back; a ROLLBACK then fails with "cannot rollback - no
   * transaction is active", and Kysely threw that error in place of the one
   * that said what happened.
   */
  override async rollbackTransaction(connection: DatabaseConnection) {
    if (!this.sqlite.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  #diskFullAware(connection: DatabaseConnection): DatabaseConnection {
    const hooks = this.hooks;
    const sqlite = this.sqlite;
    return {
      async executeQuery(query) {
        // Known before it runs: SQLite may end the transaction when the statement fails.
        const alone = !sqlite.inTransaction;
        try {
          return await connection.executeQuery(query);
        } catch (error) {
          if (!hooks.onDiskFull || !isDiskFull(error)) throw error;
          const { retry, raise } = hooks.onDiskFull(error as Error);
          // Never inside a transaction: SQLite rolled it back, and the statement
          // would land on its own, outside it.
          if (retry && alone) {
            try {
              return await connection.executeQuery(query);
            } catch (again) {
              if (!isDiskFull(again)) throw again;
            }
          }
          throw raise;
        }
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly config: { database: SQLite.Database },
    private readonly sqlite: SQLite.Database,
    private readonly hooks: DatabaseHooks,
  ) {
    super(config);
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.config, this.sqlite, this.hooks);
  }
}

/**
 * Kysely prepares every statement anew; compiling SQL is a good share of a
 * short query's cost. Statements are reusable, so the same SQL text gets the
 * same prepared statement (the app has a bounded set of query shapes; the
 * cache is capped anyway for `IN (?, ?, …)` lists of varying length).
 */
function withStatementCache(sqlite: SQLite.Database, max = 1000): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property === "prepare") {
        return (source: string) => {
          let statement = cache.get(source);
          if (!statement) {
            statement = target.prepare(source);
            if (cache.size >= max) cache.delete(cache.keys().next().value!);
            cache.set(source, statement);
          }
          return statement;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
