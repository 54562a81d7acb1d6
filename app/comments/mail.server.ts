import type { Executor } from "#db/client.ts";
import * as outbox from "#db/queries/mail-outbox.ts";
import { getNetwork } from "#db/queries/network.ts";
import * as notifications from "#db/queries/notifications.ts";
import type { NotificationMail } from "#db/queries/notifications.ts";
import { isLocale } from "#app/i18n/index.ts";
import type { Mail } from "#app/mail/compose.ts";
import { mentionMail, replyMail } from "#app/mail/messages.ts";
import { absoluteUrl } from "#app/utils/http.server.ts";
import { ownerUrl } from "#app/urls.ts";

/**
 * Mail for mentions and replies. It goes through the one outbox
 * (app/mail/outbox.server.ts) like every mail, queued in the comment's
 * transaction; unlike the others it is composed when sent, from the
 * notification: a comment deleted meanwhile is not mailed at all.
 */

/** Where a notification's link leads: the comment on its article or wiki page. */
export function commentPath(m: Pick<NotificationMail, "space_slug" | "post_slug" | "page_slug" | "comment_id">): string {
  const base = ownerUrl(m.space_slug, m.post_slug !== null ? { kind: "post", slug: m.post_slug } : { kind: "page", slug: m.page_slug ?? "" });
  return `${base}#comment-${m.comment_id}`;
}

const EXCERPT_CHARS = 600;

/** In the comment's transaction: one outbox row per notification whose person wants mail. */
export async function queueNotificationMails(trx: Executor, notificationIds: string[], now: number): Promise<string[]> {
  const people = await notifications.recipients(trx, notificationIds);
  return outbox.enqueue(
    trx,
    people.map((p) => ({ recipient: p.email, mail: null, notificationId: p.id })),
    now,
  );
}

/** The mail of one notification, in its person's language; null when its comment is gone. */
export async function composeNotificationMail(db: Executor, notificationId: string, to: string): Promise<Mail | null> {
  const row = await notifications.mailOf(db, notificationId);
  if (!row) return null;
  const network = await getNetwork(db);
  const locale = isLocale(row.locale) ? row.locale : isLocale(network?.default_locale) ? network.default_locale : "fr";
  const body = row.body_text.length > EXCERPT_CHARS ? `${row.body_text.slice(0, EXCERPT_CHARS)}…` : row.body_text;
  const common = {
    to,
    locale,
    network: network?.name ?? "Cercle",
    name: row.actor_name ?? "—",
    space: row.space_name,
    title: row.post_title ?? row.page_title ?? "",
    body,
    url: absoluteUrl(commentPath(row)),
    settingsUrl: absoluteUrl("/settings/notifications"),
  };
  return row.kind === "mention" ? mentionMail(common) : replyMail(common);
}
