import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type OpenedDatabase } from "#db/client.ts";
import { freshPostgres, onPostgres } from "./postgres.ts";

/**
 * A second connection to the database (file or PostgreSQL URL) of a running test server, to
 * arrange state (age a session, expire a link) and to check what was stored.
 * WAL mode lets it read and write beside the server's own connection.
 */
export function openTestDb(dbFile: string): OpenedDatabase {
  return openDatabase(dbFile);
}

/**
 * An empty database file in a fresh temp folder; remove() closes it and
 * deletes the folder. On the PostgreSQL run (tests/helpers/postgres.ts), a
 * fresh database there instead, already migrated, `file` being its URL.
 */
export async function tempDatabase(): Promise<OpenedDatabase & { file: string; remove(): Promise<void> }> {
  if (onPostgres()) {
    const fresh = await freshPostgres();
    const opened = openDatabase(fresh.url);
    return {
      ...opened,
      get sqlite() {
        return opened.sqlite;
      },
      file: fresh.url,
      async remove() {
        await opened.close();
        await fresh.drop();
      },
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "cercle-db-"));
  const file = path.join(dir, "test.db");
  const opened = openDatabase(file);
  return {
    ...opened,
    file,
    async remove() {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const MINUTE_MS = 60 * 1000;
