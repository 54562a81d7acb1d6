import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { DialectName, Executor } from "./client.ts";
import { dialectOf } from "./dialect.ts";
import type { Database } from "./schema.ts";

/**
 * A Kysely query built and compiled once, then run with new parameters.
 *
 * Kysely builds each query anew (an immutable tree, copied and frozen at every
 * step) and compiles it to SQL before SQLite sees it; for the short lookups
 * every page view runs, that costs more than SQLite running them. The few
 * statements on that path are declared through this: written with the query
 * builder as usual, built the first time they run with a stand-in for each
 * argument, then run from the compiled SQL with the arguments put in the
 * stand-ins' places.
 *
 * The query's shape must not depend on its arguments (no `IN` lists, no
 * optional filters), and arguments may only be used as values: a stand-in
 * that does not come out as a parameter is refused at first run.
 * Rows come back as the driver gives them: Cercle's only plugin
 * (db/postgres.ts) changes column types in DDL, never results.
 */
export function prepared<Args extends unknown[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): (db: Executor, ...args: Args) => Promise<Row[]> {
  // One compiled form per engine: the SQL text differs (? or $1), and `npm run db:copy` holds both at once.
  const compiled = new Map<DialectName, { query: CompiledQuery<Row>; slots: number[] }>();
  return async (db, ...args) => {
    const dialect = dialectOf(db);
    let entry = compiled.get(dialect);
    if (!entry) compiled.set(dialect, (entry = compile(db, build, args.length)));
    const { query, slots } = entry;
    const parameters = query.parameters.map((value, i) => (slots[i] >= 0 ? args[slots[i]] : value));
    const result = await db.executeQuery<Row>({ ...query, parameters });
    return result.rows;
  };
}

/** The first row or undefined, as Kysely's executeTakeFirst. */
export function preparedFirst<Args extends unknown[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): (db: Executor, ...args: Args) => Promise<Row | undefined> {
  const run = prepared(build);
  return async (db, ...args) => (await run(db, ...args))[0];
}

function compile<Args extends unknown[], Row>(
  db: Executor,
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
  arity: number,
) {
  // Stand-ins no query holds as a constant of its own: a NUL-prefixed marker per argument.
  const standIns = Array.from({ length: arity }, (_, i) => `\u0000prepared-argument-${i}`);
  const query = build(db as Kysely<Database>, ...(standIns as Args)).compile();
  const slots = query.parameters.map((value) => (typeof value === "string" ? standIns.indexOf(value) : -1));
  for (let i = 0; i < arity; i++) {
    const uses = slots.filter((slot) => slot === i).length;
    if (uses === 0 || query.sql.includes(standIns[i])) {
      throw new Error(`prepared query: argument ${i + 1} must be used, and only as a value\n${query.sql}`);
    }
  }
  return { query, slots };
}
