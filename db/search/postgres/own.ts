import { sql, type SelectQueryBuilder } from "kysely";
import type { Executor } from "../../client.ts";
import type { Database, SearchKind } from "../../schema.ts";

/**
 * A transaction's own changes on PostgreSQL (migration 20261214_0900, README
 * decision 120): from here on, the search triggers note what this
 * transaction changes in its connection's temporary table, which no other
 * transaction reads and serializable isolation does not watch, instead of
 * the shared queue every writer appends to. Raw SQL: a temporary table is
 * not in the schema the query builder knows.
 */
export async function keepOwnChangesApart(db: Executor): Promise<void> {
  await sql`SELECT search_own_begin()`.execute(db);
}

/** Takes up to `limit` of them off the table: the indexer indexes them in the same transaction. */
export async function takeOwnChanges(db: Executor, limit: number): Promise<{ kind: SearchKind; ref_id: string }[]> {
  const taken = await sql<{ kind: SearchKind; ref_id: string }>`
    DELETE FROM pg_temp.search_own WHERE ctid IN (SELECT ctid FROM pg_temp.search_own LIMIT ${limit}) RETURNING kind, ref_id`.execute(db);
  return taken.rows;
}

/** Marks the things `rows` selects as changed, as a trigger does: this transaction's own when it keeps them apart, else the shared queue. */
export async function noteChanged(db: Executor, rows: SelectQueryBuilder<Database, any, { kind: SearchKind; ref_id: string }>): Promise<void> {
  await db
    .selectFrom(rows.as("c"))
    .select(sql`search_changed(c.kind, c.ref_id)`.as("noted"))
    .execute();
}
