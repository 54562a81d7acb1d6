import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type OpenedDatabase } from "#db/client.ts";

/**
 * A second connection to the database file of a running test server, to
 * arrange state (age a session, expire a link) and to check what was stored.
 * WAL mode lets it read and write beside the server's own connection.
 */
export function openTestDb(dbFile: string): OpenedDatabase {
  return openDatabase(dbFile);
}

/** An empty database file in a fresh temp folder; remove() closes it and deletes the folder. */
export async function tempDatabase(): Promise<OpenedDatabase & { file: string; remove(): Promise<void> }> {
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
