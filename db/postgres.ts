import {
  CompiledQuery,
  DataTypeNode,
  Kysely,
  OperationNodeTransformer,
  PostgresDialect,
  PostgresDriver,
  sql,
  type DatabaseConnection,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import pg from "pg";
import type { DatabaseHooks, OpenedDatabase } from "./client.ts";
import type { Database } from "./schema.ts";

/**
 * Rows come back from PostgreSQL as they do from SQLite, so that no query
 * module has to know which engine answered:
 * - `int8` (every integer column here, milliseconds since 1970 included, and
 *   count(*)) and `numeric` (sum() of an int8) as numbers, where pg gives
 *   strings by default. Times in milliseconds stay far below 2^53.
 * - `bool` (what a comparison or exists() selects) as 1 or 0, as SQLite has
 *   no boolean and the code reads flags as integers.
 */
const NUMBER_TYPES = new Set([20, 1700]);
const BOOL = 16;
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (NUMBER_TYPES.has(oid)) return (value: string) => Number(value);
    if (oid === BOOL) return (value: string) => (value === "t" ? 1 : 0);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * The migrations name SQLite's types; on PostgreSQL `integer` is 32 bits and
 * would overflow at the first time in milliseconds, and there is no `blob`.
 * The one place where a column's type differs between the engines.
 */
class PostgresTypes extends OperationNodeTransformer {
  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    if (node.dataType === "integer") return DataTypeNode.create("bigint");
    if (node.dataType === "blob") return DataTypeNode.create("bytea");
    return node;
  }
}

/** A plugin that rewrites the statements' trees with `transformer` and leaves results alone. */
export function rewriting(transformer: OperationNodeTransformer): KyselyPlugin {
  return {
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => transformer.transformNode(args.node),
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
}

/**
 * Every transaction is SERIALIZABLE. On SQLite one writer at a time made
 * every read-check-write in a transaction safe (a save on a known revision,
 * a waitlist's capacity, the last admin of a space, a single-use link); on
 * PostgreSQL several servers write at once, and serializable isolation keeps
 * that guarantee for all of them at once rather than for the ones someone
 * remembered to lock. A transaction that would have seen another's write
 * fails with 40001 and is run again by db/transact.ts.
 */
class SerializableDriver extends PostgresDriver {
  constructor(
    config: ConstructorParameters<typeof PostgresDriver>[0],
    private readonly hooks: DatabaseHooks,
  ) {
    super(config);
  }
  override async beginTransaction(connection: DatabaseConnection) {
    this.hooks.beforeTransaction?.();
    await connection.executeQuery(CompiledQuery.raw("begin isolation level serializable"));
  }
}

class SerializableDialect extends PostgresDialect {
  constructor(
    private readonly settings: ConstructorParameters<typeof PostgresDialect>[0],
    private readonly hooks: DatabaseHooks,
  ) {
    super(settings);
  }
  override createDriver() {
    return new SerializableDriver(this.settings, this.hooks);
  }
}

/** Connections each application server keeps open at most (PostgreSQL's own default limit is 100 in all). */
export const POOL_SIZE = 10;

export function openPostgres(url: string, hooks: DatabaseHooks = {}): OpenedDatabase {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types, connectionTimeoutMillis: 10_000 });
  // An idle connection the server dropped (a restart, a failover) must not crash the process;
  // the pool discards it and the next query opens a new one.
  pool.on("error", () => {});
  let queries = 0;
  const db = new Kysely<Database>({
    dialect: new SerializableDialect({ pool }, hooks),
    plugins: [rewriting(new PostgresTypes())],
    log: (event) => {
      if (event.level === "query") queries += 1;
    },
  });
  const opened = { db, dialect: "postgres", queryCount: () => queries, close: () => db.destroy() } as OpenedDatabase;
  // Not enumerable: copying the object ({ ...opened }) must not trip it.
  Object.defineProperty(opened, "sqlite", {
    get() {
      throw new Error("this database is PostgreSQL, not an SQLite file");
    },
  });
  return opened;
}

/**
 * What stops Cercle from using this PostgreSQL database, in one line, or
 * null. Asked at start, before migrating:
 * - the server answers, and is PostgreSQL 15 or later (the locale facts read here, SQL-bodied functions);
 * - text sorts by code point (collation C or C.UTF-8), as on SQLite, so that
 *   lists come out in the same order on both engines.
 * No extension is needed: fold() is built-in SQL, and search indexes the
 * stems db/search/text.ts makes (decision 119).
 */
export async function postgresProblem(db: Kysely<any>): Promise<string | null> {
  type Facts = { encoding: string; collate: string; provider: string };
  let row: Facts | undefined;
  try {
    const version = Number((await sql<{ v: string }>`SELECT current_setting('server_version_num') AS v`.execute(db)).rows[0]?.v);
    if (!(version >= 150000)) return `DATABASE_URL: Cercle needs PostgreSQL 15 or later (this server is ${Math.floor(version / 10000) || "older"})`;
    const result = await sql<Facts>`
      SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate, datlocprovider AS provider
      FROM pg_database WHERE datname = current_database()`.execute(db);
    row = result.rows[0];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `DATABASE_URL: cannot connect to PostgreSQL (${message || (error as { code?: string }).code || "no answer"})`;
  }
  if (!row) return "DATABASE_URL: the database was not found on the server";
  if (row.encoding !== "UTF8") return `DATABASE_URL: the database's encoding is ${row.encoding}; Cercle needs UTF8 (createdb --encoding=UTF8 --locale=C.UTF-8 --locale-provider=libc --template=template0)`;
  // ICU (provider "i") sorts by a language's rules whatever datcollate says.
  if (row.provider !== "c" || !/^(C|POSIX)(\.utf-?8)?$/i.test(row.collate)) {
    const order = row.provider === "c" ? row.collate : "ICU";
    return `DATABASE_URL: the database sorts text by "${order}"; Cercle needs code-point order, as on SQLite (createdb --encoding=UTF8 --locale=C.UTF-8 --locale-provider=libc --template=template0)`;
  }
  return null;
}
