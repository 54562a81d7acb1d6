import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort, spawnServer, waitFor } from "#tests/helpers/process.ts";
import { dropDatabase, freshPostgres, TEST_POSTGRES } from "#tests/helpers/postgres.ts";

/**
 * DATABASE_URL is checked at start like every setting (issue 21): a server
 * that cannot use the database says why in one line and exits, before it
 * migrates anything; a good one starts and serves.
 */

let dataDir: string;
const made: string[] = [];

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: TEST_POSTGRES });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function urlOf(database: string, password = new URL(TEST_POSTGRES).password) {
  const url = new URL(TEST_POSTGRES);
  url.pathname = `/${database}`;
  url.password = password;
  return url.toString();
}

/** The lines a server printed before it exited, and its exit code. */
async function refusedStart(databaseUrl: string) {
  const port = await freePort();
  const server = spawnServer({ NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, WEB_CONCURRENCY: "1", DATABASE_URL: databaseUrl });
  const exit = await Promise.race([server.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running:\n${server.output()}`)), 25_000))]);
  return { code: exit.code, lines: server.output().trim().split("\n") };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "cercle-pg-start-"));
});

afterAll(async () => {
  for (const name of made) await dropDatabase(name);
  await rm(dataDir, { recursive: true, force: true });
});

describe("a database Cercle cannot use is said in one line, and the server exits", () => {
  test("nothing listens at the address", async () => {
    const { code, lines } = await refusedStart(`postgres://cercle:cercle@127.0.0.1:${await freePort()}/cercle`);
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATABASE_URL: cannot connect to PostgreSQL \(.*ECONNREFUSED.*\)$/);
  });

  test("the password is wrong", async () => {
    const { code, lines } = await refusedStart(urlOf("postgres", "not-the-password"));
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^DATABASE_URL: cannot connect to PostgreSQL \(password authentication failed for user "cercle"\)$/)]);
  });

  test("the database is not UTF-8", async () => {
    made.push("cercle_t_start_ascii");
    await admin("CREATE DATABASE cercle_t_start_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
    const { code, lines } = await refusedStart(urlOf("cercle_t_start_ascii"));
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^DATABASE_URL: the database's encoding is SQL_ASCII; Cercle needs UTF8 \(createdb .*\)$/)]);
  });

  test("the database sorts by a language's rules (ICU), not by code point as SQLite does", async () => {
    made.push("cercle_t_start_icu");
    await admin("CREATE DATABASE cercle_t_start_icu ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR' LOCALE 'C.UTF-8' TEMPLATE template0");
    const { code, lines } = await refusedStart(urlOf("cercle_t_start_icu"));
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^DATABASE_URL: the database sorts text by "ICU"; Cercle needs code-point order/)]);
    // Refused before migrating: not a table was made.
    const client = new pg.Client({ connectionString: urlOf("cercle_t_start_icu") });
    await client.connect();
    const tables = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    await client.end();
    expect(tables.rows[0].n).toBe(0);
  });

  test("a URL that is not PostgreSQL's is a configuration error, listed with the others", async () => {
    const { code, lines } = await refusedStart("mysql://cercle@127.0.0.1/cercle");
    expect(code).toBe(1);
    expect(lines.join("\n")).toMatch(/DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL/);
  });
});

test("a good database: the server migrates it, starts and answers", async () => {
  const fresh = await freshPostgres();
  const port = await freePort();
  const server = spawnServer({ NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, WEB_CONCURRENCY: "1", DATABASE_URL: fresh.url });
  try {
    await waitFor(() => server.output().includes("Cercle is listening"), "the server to listen", 30_000, server.output);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const setup = await fetch(`http://127.0.0.1:${port}/login`);
    expect(setup.status).toBe(200);
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    await fresh.drop();
  }
});
