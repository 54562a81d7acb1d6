import { mkdirSync } from "node:fs";
import path from "node:path";
import { openDatabase, type OpenedDatabase } from "#db/client.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { isSetUp, issueSetupSecret } from "#db/queries/network.ts";
import { diskFullResponse, diskIsFull, refusesWrites } from "./disk.server.ts";
import { getEnv } from "./env.server.ts";

let opened: OpenedDatabase | undefined;

function open(): OpenedDatabase {
  if (!opened) {
    const { dataDir } = getEnv();
    mkdirSync(dataDir, { recursive: true });
    opened = openDatabase(path.join(dataDir, "cercle.db"), {
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

/** The application's one connection (better-sqlite3 is synchronous; one is enough and fastest). */
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

export async function migrate(): Promise<string[]> {
  return migrateToLatest(getDb());
}

/** On an empty network, a fresh one-time link for the first person to set it up. */
export async function setupLinkIfNeeded(): Promise<string | null> {
  const db = getDb();
  if (await isSetUp(db)) return null;
  const secret = await issueSetupSecret(db, Date.now());
  return new URL(`/setup?token=${secret}`, getEnv().baseUrl).toString();
}
