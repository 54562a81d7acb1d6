import { accountDeletionJob } from "#app/accounts/deletion-job.server.ts";
import { backupJob } from "#app/backup/job.server.ts";
import { publisherJob } from "#app/blog/publisher.server.ts";
import { digestJob } from "#app/digests/job.server.ts";
import { exportJob } from "#app/exports/job.server.ts";
import { mailRetryJob } from "#app/mail/outbox.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { fileTextJob } from "#app/files/file-text.server.ts";
import { searchIndexJob } from "#app/search/indexing.server.ts";
import { housekeepingJob } from "#app/utils/housekeeping.server.ts";
import { workshopRemindersJob } from "#app/workshops/reminders.server.ts";
import { SERVER_ID } from "#app/servers/presence.server.ts";
import { createScheduler, type Scheduler } from "./scheduler.server.ts";

/**
 * The primary process's periodic work, in one list. A new job is a `Job`
 * exported by its feature and added here.
 */
const JOBS = [publisherJob, mailRetryJob, housekeepingJob, workshopRemindersJob, searchIndexJob, fileTextJob, digestJob, accountDeletionJob, exportJob];

let scheduler: Scheduler | undefined;

export function startJobs() {
  if (scheduler) return;
  // Claims in job_run under the id the other servers know this one by (app_server): a run left unfinished is then
  // known to be under way (its server beats) or abandoned (it does not).
  scheduler = createScheduler({ db: getDb, by: SERVER_ID });
  for (const job of JOBS) scheduler.register(job);
  // Only when BACKUP_DIR is set; its interval is the configuration's.
  const backup = backupJob();
  if (backup) scheduler.register(backup);
  scheduler.start();
}

/** Clears the timers and waits for the runs under way, so the database closes after them. */
export async function stopJobs() {
  const running = scheduler;
  scheduler = undefined;
  await running?.stop();
}
