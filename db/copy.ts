import { sql, type Kysely } from "kysely";
import type { Executor } from "./client.ts";
import { markAllChanged } from "./search/indexer.ts";

/**
 * A network's SQLite database copied into an empty PostgreSQL database, for
 * a network that moves to several application servers (`npm run db:copy`,
 * server/db-copy.ts). Both ends are given open (the target migrated), so
 * this knows nothing of the configuration.
 *
 * - One snapshot of the source: a plain (deferred) read transaction, which
 *   holds no write lock, so a server still running on the file is not stopped
 *   by the copy; what it writes after the snapshot is not in the copy.
 * - One transaction on the target: the copy, its verification, and the
 *   search backlog commit together or not at all. A copy that fails or does
 *   not match leaves the target as empty as it was, never half-filled.
 * - The tables are the source's own (whatever the migrations made), in an
 *   order that satisfies foreign keys: referenced tables first, and the
 *   columns that point into their own table (a page's parent, a comment's
 *   reply-to) filled in a second pass once every row of the table exists.
 * - The target's user triggers are disabled for the copy (ALTER TABLE …
 *   DISABLE TRIGGER USER, allowed to the tables' owner; foreign keys stay
 *   enforced, as those are the system's triggers) and enabled again before
 *   commit: copied rows are what the triggers made on the source already
 *   (file_text, search_dirty, directory_version), and must not make them twice.
 * - The search index is not copied: SQLite's is FTS5, and search_doc is what
 *   the indexer derives from the things themselves (PostgreSQL's full text
 *   lives in its own columns there). Everything is marked changed instead,
 *   for the indexer to build PostgreSQL's from scratch.
 *
 * Raw SQL throughout, deliberately engine-specific: the tables are found by
 * introspection (the copy must follow every migration without a list here),
 * which the typed query builder cannot name, and each end is known to be
 * the engine it is (the source SQLite, the target PostgreSQL).
 */

/** SQLite's own, FTS5's (the index and its shadow tables), the migrator's. */
const SKIPPED = [/^sqlite_/, /^search_fts/, /^search_title/, /^kysely_/];
/** Derived from the things by the indexer, not copied: rebuilt on the target (see above). */
const DERIVED = new Set(["search_doc"]);

/** PostgreSQL's limit of bound parameters in one statement. */
const MAX_PARAMETERS = 65_535;
/** Rows read from the source at a time, at first; then as many as make about a batch's bytes. */
const READ_ROWS = 500;
const MAX_READ_ROWS = 5_000;
/** A batch's size in bytes, roughly: a page of long texts must not make one huge statement. */
const BATCH_BYTES = 8 * 1024 * 1024;
/** Rows of each table compared column by column after the copy, spread over the table. */
export const SAMPLE_ROWS = 50;

type Value = string | number | bigint | Buffer | Uint8Array | null;
type Row = Record<string, Value>;

export interface TableCopy {
  table: string;
  /** Rows in the source's snapshot. */
  total: number;
  /** Rows inserted so far. */
  copied: number;
}

export interface CopyOptions {
  /** After each batch and at each table's end (`done`). */
  onProgress?(progress: TableCopy & { done: boolean }): void;
  /** Rows compared per table (default SAMPLE_ROWS). */
  sampleRows?: number;
}

export type CopyResult =
  | { ok: true; tables: TableCopy[]; rows: number; sampled: number; searchBacklog: number }
  /** Nothing was committed: the target is as it was. */
  | { ok: false; tables: TableCopy[]; differences: string[] };

/** The target already holds a network: a copy would mix two of them. */
export class TargetNotEmpty extends Error {}

/** The two databases do not have the same tables and columns (migrated to different points). */
export class SchemaMismatch extends Error {}

/** A network's tables: one row there is a network someone uses. */
const NETWORK_TABLES = ["user", "network", "space"];

/**
 * Which of user, network and space hold rows on the target (PostgreSQL),
 * before or after it is migrated (a table not made yet is empty).
 */
export async function networkTablesWithRows(target: Kysely<any>): Promise<string[]> {
  const found: string[] = [];
  for (const table of NETWORK_TABLES) {
    const exists = await sql<{ name: string | null }>`SELECT to_regclass(${`public.${quoteId(table)}`})::text AS name`.execute(target);
    if (!exists.rows[0]?.name) continue;
    const row = await sql<{ one: number }>`SELECT 1 AS one FROM ${sql.table(table)} LIMIT 1`.execute(target);
    if (row.rows.length > 0) found.push(table);
  }
  return found;
}

/**
 * Copies every table of `source` (SQLite) into `target` (PostgreSQL,
 * migrated to the same point, holding no network), verifies it (counts of
 * every table, a sample of rows column by column), marks everything for the
 * search indexer, and commits; or commits nothing and says why.
 */
export async function copyDatabase(source: Kysely<any>, target: Kysely<any>, options: CopyOptions = {}): Promise<CopyResult> {
  return source.connection().execute(async (src) => {
    // A deferred BEGIN: the snapshot starts at the first read and holds no write lock.
    await sql`BEGIN`.execute(src);
    try {
      return await copyFromSnapshot(src, target, options);
    } finally {
      await sql`ROLLBACK`.execute(src);
    }
  });
}

interface TablePlan {
  name: string;
  columns: string[];
  /** The target's primary key columns. */
  key: string[];
  /** Columns pointing into this same table: filled in a second pass. */
  selfRefs: string[];
  /** The target's type of each column (for the second pass's casts). */
  types: Record<string, string>;
}

class Mismatch extends Error {
  constructor(
    readonly tables: TableCopy[],
    readonly differences: string[],
  ) {
    super("the copy does not match its source");
  }
}

async function copyFromSnapshot(src: Kysely<any>, target: Kysely<any>, options: CopyOptions): Promise<CopyResult> {
  const plans = await planTables(src, target);
  const tables: TableCopy[] = [];
  try {
    return await target.transaction().execute(async (trx) => {
      const taken = await networkTablesWithRows(trx);
      if (taken.length > 0) throw new TargetNotEmpty(`the target already holds a network (rows in ${taken.join(", ")})`);
      const names = plans.map((p) => sql.table(p.name));
      // What the migrations put there (directory_version's first row): the source's rows replace it.
      await sql`TRUNCATE ${sql.join(names)}`.execute(trx);
      for (const plan of plans) await sql`ALTER TABLE ${sql.table(plan.name)} DISABLE TRIGGER USER`.execute(trx);
      const samples = new Map<string, Row[]>();
      for (const plan of plans) {
        const { copy, sample } = await copyTable(src, trx, plan, options);
        tables.push(copy);
        samples.set(plan.name, sample);
      }
      for (const plan of plans) await sql`ALTER TABLE ${sql.table(plan.name)} ENABLE TRIGGER USER`.execute(trx);
      await advanceIdentities(trx, plans);
      const differences = await verify(src, trx, plans, samples);
      if (differences.length > 0) throw new Mismatch(tables, differences);
      await markAllChanged(trx as unknown as Executor);
      const backlog = await sql<{ n: number }>`SELECT count(*) AS n FROM search_dirty`.execute(trx);
      return {
        ok: true as const,
        tables,
        rows: tables.reduce((n, t) => n + t.copied, 0),
        sampled: [...samples.values()].reduce((n, s) => n + s.length, 0),
        searchBacklog: Number(backlog.rows[0]?.n ?? 0),
      };
    });
  } catch (error) {
    if (error instanceof Mismatch) return { ok: false, tables: error.tables, differences: error.differences };
    throw error;
  }
}

/** The source's tables with their columns, the target's keys, in an order foreign keys accept. */
async function planTables(src: Kysely<any>, target: Kysely<any>): Promise<TablePlan[]> {
  const sourceTables = (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(src)).rows
    .map((r) => r.name)
    .filter((name) => !SKIPPED.some((re) => re.test(name)) && !DERIVED.has(name));
  const targetColumns = (
    await sql<{ table: string; column: string; type: string }>`
      SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`.execute(target)
  ).rows;
  const keys = (
    await sql<{ table: string; column: string }>`
      SELECT c.relname AS table, a.attname AS column
      FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND i.indisprimary ORDER BY c.relname, k.position`.execute(target)
  ).rows;
  const foreign = (
    await sql<{ table: string; references: string; column: string }>`
      SELECT c.relname AS table, r.relname AS references, a.attname AS column
      FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (f.conkey)
      WHERE n.nspname = 'public' AND f.contype = 'f'`.execute(target)
  ).rows;

  const plans = new Map<string, TablePlan>();
  for (const name of sourceTables) {
    const columns = (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${name}) ORDER BY cid`.execute(src)).rows.map((r) => r.name);
    const types = Object.fromEntries(targetColumns.filter((c) => c.table === name).map((c) => [c.column, c.type]));
    if (Object.keys(types).length === 0) throw new SchemaMismatch(`the target has no table ${name}: are both databases migrated to the same point?`);
    const missing = columns.filter((c) => !(c in types));
    if (missing.length > 0) throw new SchemaMismatch(`the target's table ${name} lacks column(s) ${missing.join(", ")}: are both databases migrated to the same point?`);
    const key = keys.filter((k) => k.table === name).map((k) => k.column);
    if (key.length === 0) throw new SchemaMismatch(`the target's table ${name} has no primary key: its rows could not be compared`);
    const selfRefs = [...new Set(foreign.filter((f) => f.table === name && f.references === name).map((f) => f.column))];
    plans.set(name, { name, columns, key, selfRefs, types });
  }
  // Referenced tables first (depth-first); a cycle between two tables would need deferred keys, which the schema has none of.
  const ordered: TablePlan[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new SchemaMismatch(`foreign keys form a cycle (${[...path, name].join(" → ")}): no insertion order satisfies them`);
    state.set(name, "visiting");
    for (const f of foreign) if (f.table === name && f.references !== name && plans.has(f.references)) visit(f.references, [...path, name]);
    state.set(name, "done");
    ordered.push(plans.get(name)!);
  };
  for (const name of plans.keys()) visit(name, []);
  return ordered;
}

/** One table: rows read by rowid (keyset, from the snapshot), inserted in batches, self-references after. */
async function copyTable(src: Kysely<any>, trx: Kysely<any>, plan: TablePlan, options: CopyOptions): Promise<{ copy: TableCopy; sample: Row[] }> {
  const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(plan.name)}`.execute(src)).rows[0].n);
  const copy: TableCopy = { table: plan.name, total, copied: 0 };
  // Every step-th row's key, up to the sample's size: spread over the whole table.
  const wanted = options.sampleRows ?? SAMPLE_ROWS;
  const step = Math.max(1, Math.ceil(total / Math.max(1, wanted)));
  const sample: Row[] = [];
  const later: Array<{ key: Row; column: string; value: Value }> = [];
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / plan.columns.length));
  const columns = sql.join(plan.columns.map((c) => sql.ref(c)));
  let seen = 0;
  let after: number | bigint = Number.MIN_SAFE_INTEGER;
  let limit = READ_ROWS;
  for (;;) {
    type Read = Row & { __rowid: number };
    const read: Read[] = (
      await sql<Read>`SELECT rowid AS __rowid, ${columns} FROM ${sql.table(plan.name)} WHERE rowid > ${after} ORDER BY rowid LIMIT ${limit}`.execute(src)
    ).rows;
    if (read.length === 0) break;
    after = read[read.length - 1].__rowid;
    const rows = read.map(({ __rowid, ...row }) => row as Row);
    // Narrow rows are read many at a time, long texts few: memory stays near a batch's bytes.
    const bytes = rows.reduce((n, row) => n + rowBytes(row), 0);
    limit = Math.max(10, Math.min(MAX_READ_ROWS, Math.floor((rows.length * BATCH_BYTES) / Math.max(1, bytes))));
    for (const row of rows) {
      if (seen % step === 0 && sample.length < wanted) sample.push(pick(row, plan.key));
      seen += 1;
      for (const column of plan.selfRefs) {
        if (row[column] === null) continue;
        later.push({ key: pick(row, plan.key), column, value: row[column] });
        row[column] = null;
      }
    }
    for (const batch of batches(rows, rowsPerStatement)) {
      await trx.insertInto(plan.name).values(batch).execute();
      copy.copied += batch.length;
      options.onProgress?.({ ...copy, done: false });
    }
  }
  await fillSelfReferences(trx, plan, later);
  options.onProgress?.({ ...copy, done: true });
  return { copy, sample };
}

/** Splits rows by PostgreSQL's parameter limit and by size. */
function* batches(rows: Row[], maxRows: number): Generator<Row[]> {
  let batch: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = rowBytes(row);
    if (batch.length > 0 && (batch.length >= maxRows || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(row);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

function rowBytes(row: Row): number {
  let n = 0;
  for (const v of Object.values(row)) n += typeof v === "string" ? v.length * 2 : v instanceof Uint8Array ? v.byteLength : 8;
  return n;
}

/** The columns pointing into their own table, now that every row they may point at is there. */
async function fillSelfReferences(trx: Kysely<any>, plan: TablePlan, later: Array<{ key: Row; column: string; value: Value }>): Promise<void> {
  if (later.length === 0) return;
  if (plan.key.length !== 1) throw new SchemaMismatch(`${plan.name} points into itself but has a composite key: not supported by the copy`);
  const [key] = plan.key;
  for (const column of plan.selfRefs) {
    const pairs = later.filter((l) => l.column === column);
    // UPDATE … FROM (VALUES …): one statement per few thousand rows, each value cast to its column's type.
    for (let i = 0; i < pairs.length; i += 5_000) {
      const values = pairs
        .slice(i, i + 5_000)
        .map((p) => sql`(CAST(${p.key[key]} AS ${sql.raw(plan.types[key])}), CAST(${p.value} AS ${sql.raw(plan.types[column])}))`);
      await sql`UPDATE ${sql.table(plan.name)} AS t SET ${sql.ref(column)} = v.value
        FROM (VALUES ${sql.join(values)}) AS v(key, value) WHERE t.${sql.ref(key)} = v.key`.execute(trx);
    }
  }
}

/** Identity columns (search_dirty.seq) continue after the copied numbers. */
async function advanceIdentities(trx: Kysely<any>, plans: TablePlan[]): Promise<void> {
  const identities = (
    await sql<{ table: string; column: string }>`
      SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND is_identity = 'YES'`.execute(trx)
  ).rows.filter((i) => plans.some((p) => p.name === i.table));
  for (const { table, column } of identities) {
    await sql`SELECT setval(pg_get_serial_sequence(${quoteId(table)}, ${column}), max_value) FROM (SELECT max(${sql.ref(column)}) AS max_value FROM ${sql.table(table)}) m WHERE max_value IS NOT NULL`.execute(trx);
  }
}

/** Counts of every table, and the sampled rows compared column by column; what differs, in words. */
async function verify(src: Kysely<any>, trx: Kysely<any>, plans: TablePlan[], samples: Map<string, Row[]>): Promise<string[]> {
  const differences: string[] = [];
  for (const plan of plans) {
    const count = async (db: Kysely<any>) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(plan.name)}`.execute(db)).rows[0].n);
    const [from, to] = [await count(src), await count(trx)];
    if (from !== to) differences.push(`${plan.name}: ${from} rows in SQLite, ${to} in PostgreSQL`);
    for (const key of samples.get(plan.name) ?? []) {
      const [a, b] = [await rowByKey(src, plan, key), await rowByKey(trx, plan, key)];
      const where = `${plan.name} (${plan.key.map((k) => `${k} = ${show(key[k])}`).join(", ")})`;
      if (!a || !b) {
        differences.push(`${where}: ${a ? "missing in PostgreSQL" : "missing in SQLite"}`);
        continue;
      }
      for (const column of plan.columns) {
        if (!sameValue(a[column], b[column])) differences.push(`${where}.${column}: ${show(a[column])} in SQLite, ${show(b[column])} in PostgreSQL`);
      }
    }
  }
  return differences;
}

async function rowByKey(db: Kysely<any>, plan: TablePlan, key: Row): Promise<Row | undefined> {
  let query = db.selectFrom(plan.name).select(plan.columns);
  for (const column of plan.key) query = query.where(column, "=", key[column]);
  return (await query.executeTakeFirst()) as Row | undefined;
}

/** Equal as stored: bytes as bytes, numbers as numbers, text as text; a value of another kind differs. */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  if (typeof a === "bigint" || typeof b === "bigint") return (typeof a === "bigint" || typeof a === "number") && (typeof b === "bigint" || typeof b === "number") && BigInt(a) === BigInt(b);
  return typeof a === typeof b && a === b;
}

function show(value: Value | undefined): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

function pick(row: Row, columns: string[]): Row {
  return Object.fromEntries(columns.map((c) => [c, row[c]]));
}

function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
