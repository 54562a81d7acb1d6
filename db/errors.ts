/**
 * Whether an error means the disk is full: SQLite's SQLITE_FULL ("database or
 * disk is full"), PostgreSQL's 53100 (disk_full), or a file write's ENOSPC
 * (no space) / EDQUOT (over quota).
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_FULL" || code === "53100" || code === "ENOSPC" || code === "EDQUOT";
}

/**
 * PostgreSQL refused a transaction because another one ran beside it
 * (40001, serialization_failure; 40P01, deadlock_detected): nothing of it was
 * kept, and running the same work again is the expected answer.
 */
export function isConcurrentConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01";
}
