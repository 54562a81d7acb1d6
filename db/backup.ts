import SQLite from "better-sqlite3";

/**
 * The database half of a backup (app/backup/), in raw SQLite: the online
 * backup API and the integrity check have no Kysely form, and PostgreSQL
 * will do both its own way (pg_dump / pg_basebackup), so they stay here.
 */

export interface DatabaseCopy {
  /** Pages the copy holds, and their size: bytes = pages × pageSize. */
  pages: number;
  bytes: number;
}

/**
 * Copies the database at `source` to `target` through SQLite's online
 * backup, on a connection of its own: the server keeps reading and writing
 * meanwhile (WAL), and the copy is the database as of one instant.
 *
 * A backup copied in small steps starts over whenever another connection
 * writes between two steps; under steady writes it might never end. So,
 * once the first step has told the size, the rest is copied in one step,
 * inside one read transaction: one instant, and writers never wait for it
 * (under WAL a reader blocks no writer). `target` must not exist.
 */
export async function copyDatabase(source: string, target: string): Promise<DatabaseCopy> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const pageSize = Number(db.pragma("page_size", { simple: true }));
    const done = await db.backup(target, { progress: () => 0x7fffffff });
    return { pages: done.totalPages, bytes: done.totalPages * pageSize };
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` on the file: [] when sound, else SQLite's findings (the first 20). */
export function integrityProblems(file: string): string[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma("integrity_check(20)") as { integrity_check: string }[];
    const found = rows.map((r) => r.integrity_check);
    return found.length === 1 && found[0] === "ok" ? [] : found;
  } finally {
    db.close();
  }
}

/**
 * Leaves the copy as one self-contained file: the backup wrote it in
 * rollback-journal mode already, but a file copied from a WAL database keeps
 * WAL in its header, so it is set back to DELETE (no -wal, no -shm beside it).
 */
export function settleCopy(file: string): void {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}
