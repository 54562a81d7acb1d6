import { deleteStaleDevices } from "#db/queries/known-devices.ts";
import { deleteExpiredChallenges } from "#db/queries/second-factor.ts";
import { deleteExpiredWebauthnChallenges } from "#db/queries/passkeys.ts";
import { deleteExpiredReplyAddresses } from "#db/queries/reply-addresses.ts";
import { deleteDeadLinks } from "#db/queries/share-links.ts";
import { deleteExpiredSessions } from "#db/queries/sessions.ts";
import { deleteAttemptsBefore } from "#db/queries/sign-in-attempts.ts";
import { deleteFinishedBefore as deleteFinishedMailBefore } from "#db/queries/mail-outbox.ts";
import { purgeExpiredTrash, sweepExpiredUploads } from "#app/files/trash.server.ts";
import { purgeExpiredExports } from "#app/exports/expiry.server.ts";
import { getDb } from "./db.server.ts";
import { getEnv } from "./env.server.ts";
import { getStorage } from "./storage.server.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";

/**
 * Cleaning the server does on its own, in the primary process only (one
 * sweeper, however many workers), as a job (app/jobs/): uploads nobody
 * finished, trash past its 30 days, expired sessions, sign-in attempts older
 * than a day, known devices unused for a year and outbox mails settled more
 * than 30 days ago. Each run is idempotent, so a run cut short by a restart
 * is simply done again by the next one.
 */

const EVERY_MS = 15 * 60 * 1000;
/** Not at the very start: the first requests and the workers' boot come first. */
const FIRST_RUN_MS = 30 * 1000;

const ATTEMPTS_KEPT_MS = 24 * 60 * 60 * 1000;
/** Long past any retry and any invitation's week: what is left is only a record. */
const MAILS_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

/** How long an expired or revoked share link's row is kept: its opening count stays answerable for a while. */
const SHARE_LINKS_KEPT_MS = 90 * 86_400_000;

export async function runHousekeeping(now = Date.now()) {
  const db = getDb();
  const storage = getStorage();
  const env = getEnv();
  await deleteExpiredSessions(db, { idleMs: env.sessionIdleMs, absoluteMs: env.sessionMaxMs }, now);
  await deleteAttemptsBefore(db, now - ATTEMPTS_KEPT_MS);
  await deleteStaleDevices(db, now);
  // Pending sign-ins between password and second factor live ten minutes (app/second-factor/pending.server.ts).
  await deleteExpiredChallenges(db, now);
  // Passkey challenges live five minutes; used ones are gone already (db/queries/passkeys.ts).
  await deleteExpiredWebauthnChallenges(db, now);
  await deleteFinishedMailBefore(db, now - MAILS_KEPT_MS);
  await deleteExpiredReplyAddresses(db, now);
  // Dead share links stay listed nowhere; their rows go after a while (the audit log keeps their story).
  await deleteDeadLinks(db, now - SHARE_LINKS_KEPT_MS);
  const uploads = await sweepExpiredUploads(db, storage, now);
  const trash = await purgeExpiredTrash(db, storage, now);
  await purgeExpiredExports(db, storage, now);
  if (uploads > 0 || trash > 0) console.log(`Housekeeping: ${uploads} abandoned upload(s) removed, ${trash} trash entr${trash === 1 ? "y" : "ies"} purged.`);
  return { uploads, trash };
}

export const housekeepingJob: Job = { name: "housekeeping", everyMs: EVERY_MS, firstAfterMs: FIRST_RUN_MS, run: ({ now }) => runHousekeeping(now) };
