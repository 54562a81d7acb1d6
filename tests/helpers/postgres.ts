import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase } from "#db/client.ts";
import { migrateToLatest, migrations } from "#db/migrations/index.ts";

/**
 * PostgreSQL for the tests (issue 21). The suite runs twice: on SQLite files,
 * and on PostgreSQL (vitest.postgres.config.ts sets CERCLE_TEST_DATABASE),
 * where every test database is a fresh one copied from a migrated template.
 * CERCLE_TEST_POSTGRES names a role that may create databases; .ci/run makes
 * it on the machine's own PostgreSQL.
 */
export const TEST_POSTGRES = process.env.CERCLE_TEST_POSTGRES || "postgres://cercle:cercle@127.0.0.1:5432/postgres";

/** Whether this run's test databases are PostgreSQL's. */
export function onPostgres(): boolean {
  return process.env.CERCLE_TEST_DATABASE === "postgres";
}

/** Test databases are named so that a run can drop what an earlier, killed one left. */
export const TEST_PREFIX = "cercle_t_";

// The template follows the migrations, their names and their code: a new one, or one being
// written, makes a new template.
const TEMPLATE = `cercle_tpl_${createHash("sha256")
  .update(Object.entries(migrations).map(([name, m]) => `${name}\n${m.up.toString()}\n${m.down?.toString() ?? ""}`).join("\n"))
  .digest("hex")
  .slice(0, 12)}`;
const LOCK = 21_2112;

function urlOf(database: string): string {
  const url = new URL(TEST_POSTGRES);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const CREATE = "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'";

/**
 * DROP DATABASE … WITH (FORCE), tried again for a while when PostgreSQL 15
 * refuses it for a process of no role on it: an autovacuum worker busy with
 * the test's tables, which FORCE may not end for a role that is not
 * superuser (42501, "must be a member of the role whose process is being
 * terminated"). The worker is done with a test database in moments.
 */
export function dropDatabase(name: string): Promise<void> {
  return admin(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "42501" || attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });
}

/** Makes the migrated template once per set of migrations, whichever test process comes first. */
async function ensureTemplate(client: pg.Client) {
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [TEMPLATE]);
  if (exists.rowCount) return;
  await client.query(`CREATE DATABASE ${TEMPLATE} TEMPLATE template0 ${CREATE}`);
  const opened = openDatabase(urlOf(TEMPLATE));
  try {
    await migrateToLatest(opened.db);
  } catch (error) {
    await opened.close();
    await client.query(`DROP DATABASE ${TEMPLATE}`);
    throw error;
  } finally {
    await opened.close().catch(() => {});
  }
}

/** A new, migrated, empty database; drop() removes it (its connections must be closed first). */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${TEST_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin(async (client) => {
    // One creator at a time: a template being copied must have no other session on it.
    await client.query("SELECT pg_advisory_lock($1)", [LOCK]);
    try {
      await ensureTemplate(client);
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK]);
    }
  });
  return {
    url: urlOf(name),
    drop: () => dropDatabase(name),
  };
}

/**
 * A new database with nothing in it, not even the migrations, made as an operator makes one for
 * `npm run db:copy`; drop() removes it (its connections must be closed first). Named as the
 * others, so that a killed run's leftovers are dropped alike.
 */
export async function emptyPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${TEST_PREFIX}${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE template0 ${CREATE}`));
  return {
    url: urlOf(name),
    drop: () => dropDatabase(name),
  };
}

/**
 * Vitest's global setup for the PostgreSQL run: drops the test databases a
 * killed run left — those named after a process that is gone (a run still
 * going beside this one keeps its own) — and templates of other migrations.
 */
export async function dropLeftovers(): Promise<void> {
  await admin(async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'cercle\\_t\\_%' OR (datname LIKE 'cercle\\_tpl\\_%' AND datname <> $1)", [TEMPLATE]);
    for (const { datname } of rows) {
      const pid = Number(/^cercle_t_(\d+)_/.exec(datname)?.[1]);
      if (pid && alive(pid)) continue;
      await dropDatabase(datname);
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
