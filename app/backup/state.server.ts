import type { DB } from "#db/client.ts";
import { lastBackup, type BackupRun } from "#db/queries/backups.ts";
import type { Env } from "#app/utils/env.ts";

/**
 * The backups' state, as /healthz?details tells a monitor and the network
 * admin's console shows it (issue 20): the schedule, the last good backup, a
 * failure after it, and whether a scheduled one is overdue. One reading for
 * both, so the console never says "fine" while the monitor alerts. Each
 * shows its own part: the health check leaves out paths and error texts, no
 * one having signed in there.
 */

/** Late past this much beyond its interval, a scheduled backup is overdue (a run may take a while). */
export const OVERDUE_GRACE_MS = 60 * 60 * 1000;

export interface BackupState {
  /** Null: no scheduled backups (BACKUP_DIR unset); `npm run backup` still records its runs. */
  schedule: { intervalHours: number; keep: number } | null;
  lastSuccess: BackupRun | null;
  /** The last attempt that failed, when it came after the last success. */
  failedSince: BackupRun | null;
  /** Scheduled, and no success within an interval and the grace; null when nothing is scheduled. */
  overdue: boolean | null;
}

export async function backupState(db: DB, input: { now: number; schedule: Env["backup"] }): Promise<BackupState> {
  const { schedule, now } = input;
  const { lastSuccess, failedSince } = await lastBackup(db);
  return {
    schedule: schedule ? { intervalHours: schedule.intervalMs / 3_600_000, keep: schedule.keep } : null,
    lastSuccess,
    failedSince,
    overdue: schedule ? !lastSuccess || now - lastSuccess.finished_at > schedule.intervalMs + OVERDUE_GRACE_MS : null,
  };
}
