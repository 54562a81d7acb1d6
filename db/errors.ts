/**
 * Whether an error means the disk is full: SQLite's SQLITE_FULL ("database or
 * disk is full"), or a file write's ENOSPC (no space) / EDQUOT (over quota).
 */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT";
}
