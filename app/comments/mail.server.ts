import { getNetwork } from "#db/queries/network.ts";
import * as notifications from "#db/queries/notifications.ts";
import type { PendingMail } from "#db/queries/notifications.ts";
import { isLocale } from "#app/i18n/index.ts";
import { mentionMail, replyMail } from "#app/mail/messages.ts";
import { getDb } from "#app/utils/db.server.ts";
import { absoluteUrl } from "#app/utils/http.server.ts";
import { sendMail } from "#app/utils/mail.server.ts";

/**
 * Mail for mentions and replies, sent after the comment's transaction has
 * committed, in the recipient's language, with a link to the comment. A mail
 * that cannot go out stays "pending" and the primary process tries again
 * (after 1, 5, 30 minutes, then 2 hours); after MAX_ATTEMPTS it is "failed".
 * Each attempt is claimed in the database first (mail_attempts n → n+1), so
 * the immediate send and a retry, or two processes, never send one mail twice.
 */

export const MAX_ATTEMPTS = 5;
/** How long after its notification attempt number n (0-based) may be made by the retry sweep. */
const RETRY_AFTER_MS = [60_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];
const EVERY_MS = 60_000;

/** Where a notification's link leads: the comment on its article or wiki page. */
export function commentPath(m: Pick<PendingMail, "space_slug" | "post_slug" | "page_slug" | "comment_id">): string {
  const base = m.post_slug !== null ? `/spaces/${m.space_slug}/blog/${m.post_slug}` : `/spaces/${m.space_slug}/wiki/${m.page_slug}`;
  return `${base}#comment-${m.comment_id}`;
}

const EXCERPT_CHARS = 600;

async function attempt(row: PendingMail, network: { name: string; default_locale: string } | undefined): Promise<boolean> {
  const db = getDb();
  if (!(await notifications.claimAttempt(db, row.id, row.mail_attempts))) return false;
  const locale = isLocale(row.locale) ? row.locale : isLocale(network?.default_locale) ? network.default_locale : "fr";
  const body = row.body_text.length > EXCERPT_CHARS ? `${row.body_text.slice(0, EXCERPT_CHARS)}…` : row.body_text;
  const common = {
    to: row.to,
    locale,
    network: network?.name ?? "Cercle",
    name: row.actor_name ?? "—",
    space: row.space_name,
    title: row.post_title ?? row.page_title ?? "",
    body,
    url: absoluteUrl(commentPath(row)),
    settingsUrl: absoluteUrl("/settings/notifications"),
  };
  const sent = await sendMail(row.kind === "mention" ? mentionMail(common) : replyMail(common));
  if (sent) await notifications.setMailState(db, row.id, "sent");
  else if (row.mail_attempts + 1 >= MAX_ATTEMPTS) await notifications.setMailState(db, row.id, "failed");
  return sent;
}

/** Right after a comment's commit: the mails of these notifications (those that want one). */
export async function deliverNotificationMails(ids: string[]) {
  if (ids.length === 0) return;
  try {
    const db = getDb();
    const rows = await notifications.pendingMailsByIds(db, ids);
    if (rows.length === 0) return;
    const network = await getNetwork(db);
    for (const row of rows) await attempt(row, network);
  } catch (error) {
    // The comment is saved; the retry sweep will pick the mail up.
    console.error("Notification mail failed; it will be retried.", error);
  }
}

/** The retry sweep: pending mails whose next attempt is due. Returns how many went out. */
export async function retryNotificationMails(now = Date.now()): Promise<number> {
  const db = getDb();
  const rows = await notifications.pendingMails(db, now - RETRY_AFTER_MS[0], 200);
  const due = rows.filter((r) => now >= r.created_at + (RETRY_AFTER_MS[r.mail_attempts] ?? RETRY_AFTER_MS.at(-1)!));
  if (due.length === 0) return 0;
  const network = await getNetwork(db);
  let sent = 0;
  for (const row of due) if (await attempt(row, network)) sent++;
  return sent;
}

let timer: NodeJS.Timeout | undefined;
let running: Promise<unknown> | undefined;

function tick() {
  running ??= retryNotificationMails()
    .catch((error: unknown) => console.error("Retrying notification mails failed; next try in a minute.", error))
    .finally(() => {
      running = undefined;
    });
}

/** In the primary process only, like the publisher: one sweeper however many workers. */
export function startMailRetries() {
  if (timer) return;
  timer = setInterval(tick, EVERY_MS).unref();
}

export async function stopMailRetries() {
  clearInterval(timer);
  timer = undefined;
  await running;
}
