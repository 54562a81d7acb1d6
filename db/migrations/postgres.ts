import { DropTableNode, OperationNodeTransformer, sql, type Kysely } from "kysely";
import { dialectOf } from "../dialect.ts";
import { rewriting } from "../postgres.ts";

/**
 * What the migrations do differently on PostgreSQL, in one place. The
 * migrations were written for SQLite and keep its SQL as it was; where
 * PostgreSQL needs another way they ask `onPostgres` and call what is here.
 *
 * On PostgreSQL Kysely's migrator runs every pending migration in one
 * transaction (DDL is transactional there), so nothing here opens its own.
 */
export function onPostgres(db: Kysely<any>): boolean {
  return dialectOf(db) === "postgres";
}

/**
 * SQLite's table rebuild (a new table, copy, drop the old, rename) on
 * PostgreSQL. SQLite finds foreign keys by the table's name, so once the new
 * table has the name every key that named the old one names it; PostgreSQL
 * ties a key to the table itself, refuses to drop a table others point at,
 * and has the new table's keys to itself (a comment's parent) point at the
 * old one. So: the keys pointing at `table` (from other tables and from
 * itself) are noted, the old table is dropped with CASCADE (which drops
 * those keys, not rows), and the keys are made again by their definitions
 * once the new table bears the name.
 */
export async function rebuildOnPostgres(db: Kysely<any>, table: string, work: (db: Kysely<any>) => Promise<void>): Promise<void> {
  const pointing = (
    await sql<{ owner: string; name: string; definition: string }>`
      SELECT c.conrelid::regclass::text AS owner, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.confrelid = ${table}::regclass`.execute(db)
  ).rows;
  await work(db.withPlugin(rewriting(new DropCascade(table))));
  for (const fk of pointing) {
    await sql`ALTER TABLE ${sql.raw(fk.owner)} DROP CONSTRAINT IF EXISTS ${sql.id(fk.name)}`.execute(db);
    await sql`ALTER TABLE ${sql.raw(fk.owner)} ADD CONSTRAINT ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(db);
  }
}

class DropCascade extends OperationNodeTransformer {
  constructor(private readonly table: string) {
    super();
  }
  protected override transformDropTable(node: DropTableNode): DropTableNode {
    return node.table.table.identifier.name === this.table ? DropTableNode.cloneWith(super.transformDropTable(node), { cascade: true }) : super.transformDropTable(node);
  }
}

/**
 * A row trigger running `body` (statements, each ending with `;`, reading
 * NEW and OLD) `when` ("AFTER INSERT ON t", "AFTER UPDATE OF a, b ON t").
 * SQLite takes the statements inside the trigger; PostgreSQL runs them from
 * a plpgsql function of the same name. The SQLite statement is the one the
 * migrations always ran.
 */
export async function createTrigger(db: Kysely<any>, name: string, when: string, body: string): Promise<void> {
  if (!onPostgres(db)) {
    await sql.raw(`CREATE TRIGGER ${name} ${when} BEGIN ${body} END`).execute(db);
    return;
  }
  await sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`).execute(db);
  await sql.raw(`CREATE TRIGGER ${name} ${when} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(db);
}

/** Drops what createTrigger made; PostgreSQL names a trigger with its table. */
export async function dropTrigger(db: Kysely<any>, name: string, table: string): Promise<void> {
  if (!onPostgres(db)) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db);
    return;
  }
  await sql.raw(`DROP TRIGGER IF EXISTS ${name} ON ${table}`).execute(db);
  await sql.raw(`DROP FUNCTION IF EXISTS ${name}()`).execute(db);
}
