import { logLine } from "#app/utils/log.ts";
import type { Executor } from "#db/client.ts";
import * as outbox from "#db/queries/mail-outbox.ts";
import type { OutboxRow, StoredMail } from "#db/queries/mail-outbox.ts";
import { composeNotificationMail } from "#app/notifications/mail.server.ts";
import { composeDigestMail } from "#app/digests/mail.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { mailConfigured, transmit } from "#app/utils/mail.server.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import type { Mail } from "./compose.ts";

/**
 * Every mail goes through here. An action queues its mails inside its own
 * transaction (queueMails), then, once committed, hands the ids to send()
 * without waiting: the page answers whatever the mail server does. A mail
 * that cannot go out stays pending and the primary process tries it again
 * 1, 5, 30 minutes and 2 hours after it was queued; after MAX_ATTEMPTS it is
 * "failed". Each attempt is claimed in the database first (compare-and-set on
 * state and attempts), so the first send and a retry, or two processes, never
 * send one mail twice; a claim whose sender died is taken back after LEASE_MS.
 * The retry sweep is a job of the primary (mailRetryJob, app/jobs/).
 */

export const MAX_ATTEMPTS = 5;
/** How long after its creation attempt number n (0-based) may be made by the retry sweep. */
const RETRY_AFTER_MS = [60_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
/** Far beyond what the transport's timeouts let one attempt take. */
const LEASE_MS = 10 * 60_000;
const EVERY_MS = 60_000;
const SWEEP_LIMIT = 200;

/** One mail to queue; `invitationId` when it carries that invitation's link. */
export interface QueuedMail {
  mail: Mail;
  invitationId?: string;
}

/** Inside the action's transaction: the mails exist exactly when the action committed. */
export function queueMails(trx: Executor, mails: QueuedMail[], now: number): Promise<string[]> {
  return outbox.enqueue(
    trx,
    mails.map(({ mail, invitationId }) => ({
      recipient: mail.to,
      mail: {
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        ...(mail.link ? { link: mail.link } : {}),
        ...(mail.calendar ? { calendar: mail.calendar } : {}),
        ...(mail.unsubscribe ? { unsubscribe: mail.unsubscribe } : {}),
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        ...(mail.autoSubmitted ? { autoSubmitted: true } : {}),
      },
      invitationId: invitationId ?? null,
    })),
    now,
  );
}

function parsePayload(row: OutboxRow): Mail | null {
  if (row.payload === null) return null;
  const stored = JSON.parse(row.payload) as StoredMail;
  return { to: row.recipient, ...stored };
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/** One attempt at one row; true when the mail went out. */
async function attempt(row: OutboxRow, now: number): Promise<boolean> {
  const db = getDb();
  if (!(await outbox.claim(db, row, now, LEASE_MS))) return false;
  try {
    const mail = row.notification_id
      ? await composeNotificationMail(db, row.notification_id, row.recipient)
      : row.digest_id
        ? await composeDigestMail(db, row.digest_id, row.recipient)
        : parsePayload(row);
    if (!mail) {
      await outbox.finish(db, row.id, { state: "cancelled", now });
      return false;
    }
    await transmit(mail);
    // Over SMTP the mail has reached the mailbox: its link secret need not be kept. Without
    // SMTP the .eml file holds it anyway, and the inviter may still be shown the link.
    await outbox.finish(db, row.id, { state: "sent", dropPayload: mailConfigured(), now });
    return true;
  } catch (error) {
    const last = row.attempts + 1 >= MAX_ATTEMPTS;
    console.error(logLine`✉  Could not send mail to ${row.recipient} (attempt ${row.attempts + 1}${last ? ", giving up" : ", will retry"}): ${errorText(error)}`);
    await outbox.finish(db, row.id, { state: last ? "failed" : "pending", error: errorText(error), now });
    return false;
  }
}

const inFlight = new Set<Promise<unknown>>();

async function deliver(ids: string[]) {
  try {
    const now = Date.now();
    const rows = await outbox.claimableByIds(getDb(), ids, now, LEASE_MS);
    for (const row of rows) await attempt(row, now);
  } catch (error) {
    // The action is saved and so are its mails: the retry sweep will pick them up.
    console.error("Sending queued mail failed; it will be retried.", error);
  }
}

/**
 * After the action's commit: sends its mails in the background. Never awaited
 * by the response, so a slow or absent mail server cannot hold a page.
 */
export function send(ids: string[]) {
  if (ids.length === 0) return;
  const running = deliver(ids);
  inFlight.add(running);
  void running.finally(() => inFlight.delete(running));
}

/** The retry sweep: queued mails whose next attempt is due. Returns how many went out. */
export async function retryMails(now = Date.now()): Promise<number> {
  const rows = await outbox.claimableBefore(getDb(), now - RETRY_AFTER_MS[0], now, LEASE_MS, SWEEP_LIMIT);
  const due = rows.filter((r) => now >= r.created_at + (RETRY_AFTER_MS[r.attempts] ?? RETRY_AFTER_MS.at(-1)!));
  let sent = 0;
  for (const row of due) if (await attempt(row, now)) sent++;
  return sent;
}

/** In the primary process only, like the publisher: one sweeper however many workers. */
export const mailRetryJob: Job = { name: "mail-retries", everyMs: EVERY_MS, run: ({ now }) => retryMails(now) };

/** Waits for the sends under way (after an action's commit), so the database closes after them. */
export async function settleMails() {
  await Promise.allSettled([...inFlight]);
}
