import { mkdirSync } from "node:fs";
import { openDatabase, type OpenedDatabase } from "#db/client.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { postgresProblem } from "#db/postgres.ts";
import { isSetUp, issueSetupSecret } from "#db/queries/network.ts";
import { diskFullResponse, diskIsFull, refusesWrites } from "./disk.server.ts";
import { getEnv } from "./env.server.ts";

let opened: OpenedDatabase | undefined;

function open(): OpenedDatabase {
  if (!opened) {
    const { dataDir, database } = getEnv();
    mkdirSync(dataDir, { recursive: true });
    // The disk reserve guards the disk holding the SQLite file; PostgreSQL's disk is its server's.
    opened = openDatabase(database.kind === "postgres" ? database.url : database.file, database.kind === "postgres" ? {} : {
      // While the disk is full every command is refused before it starts
      // (app/utils/disk.server.ts), but signing in (essentialWrites).
      beforeTransaction() {
        if (refusesWrites()) throw diskFullResponse();
      },
      onDiskFull(error) {
        diskIsFull(error);
        return { retry: true, raise: diskFullResponse() };
      },
    });
  }
  return opened;
}

/**
 * The application's database: one connection to the SQLite file
 * (better-sqlite3 is synchronous; one is enough and fastest), or a pool of
 * connections to PostgreSQL.
 */
export function getDb() {
  return open().db;
}

export function queryCount() {
  return open().queryCount();
}

export async function closeDb() {
  if (opened) {
    const o = opened;
    opened = undefined;
    await o.close();
  }
}

/**
 * Migrates the database to the latest schema. On PostgreSQL, first asks
 * whether the server answers and suits Cercle, and says in one line what is
 * wrong if not (DatabaseError), before any migration runs.
 */
export async function migrate(): Promise<string[]> {
  if (open().dialect === "postgres") {
    const problem = await postgresProblem(getDb());
    if (problem) throw new DatabaseError(problem);
  }
  return migrateToLatest(getDb());
}

/** The database cannot serve Cercle; the message is the one line to show. */
export class DatabaseError extends Error {
  override name = "DatabaseError";
}

/** Which engine this process runs on. */
export function dialect() {
  return open().dialect;
}

/** On an empty network, a fresh one-time link for the first person to set it up. */
export async function setupLinkIfNeeded(): Promise<string | null> {
  const db = getDb();
  if (await isSetUp(db)) return null;
  const secret = await issueSetupSecret(db, Date.now());
  return new URL(`/setup?token=${secret}`, getEnv().baseUrl).toString();
}
