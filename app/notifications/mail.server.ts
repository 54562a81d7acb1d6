import type { Executor } from "#db/client.ts";
import * as outbox from "#db/queries/mail-outbox.ts";
import { getNetwork } from "#db/queries/network.ts";
import * as notifications from "#db/queries/notifications.ts";
import { isLocale } from "#app/i18n/index.ts";
import type { Mail } from "#app/mail/compose.ts";
import { linkSigner } from "#app/mail/links.server.ts";
import { replyAddressFor } from "#app/mail/reply-address.server.ts";
import { unsubscribeUrl } from "#app/mail/unsubscribe.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { absoluteUrl } from "#app/utils/http.server.ts";
import { isNotificationKind } from "./kinds.ts";
import { notificationMail } from "./mail.ts";
import { notificationPath, notificationTitle } from "./paths.server.ts";

/**
 * A notification's mail goes through the one outbox (app/mail/outbox.server.ts)
 * like every mail, with its retries, queued in the transaction that made the
 * notification; unlike the others it is composed when sent, from the
 * notification: one about a comment deleted meanwhile is not mailed at all.
 */

const EXCERPT_CHARS = 600;

/** In the notifying transaction: one outbox row per notification named (those whose person wants mail). */
export async function queueNotificationMails(trx: Executor, notificationIds: string[], now: number): Promise<string[]> {
  const people = await notifications.recipients(trx, notificationIds);
  return outbox.enqueue(
    trx,
    people.map((p) => ({ recipient: p.email, mail: null, notificationId: p.id })),
    now,
  );
}

/** The mail of one notification, in its person's language; null when there is nothing left to tell. */
export async function composeNotificationMail(db: Executor, notificationId: string, to: string): Promise<Mail | null> {
  const row = await notifications.mailOf(db, notificationId);
  // A kind the code no longer knows has no wording left: nothing to say.
  if (!row || !isNotificationKind(row.kind)) return null;
  const network = await getNetwork(db);
  const locale = isLocale(row.locale) ? row.locale : isLocale(network?.default_locale) ? network.default_locale : "fr";
  const text = row.body_text;
  const body = text === null ? null : text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  const env = getEnv();
  const baseUrl = env.baseUrl;
  // A mail about a comment may be answered by mail: the answer joins its thread as a reply.
  const replyTo =
    row.comment_id === null || row.owner_kind === "space"
      ? null
      : await replyAddressFor(db, env.mailReplyTo, { userId: row.user_id, to: { thread: "comment", spaceId: row.space_id, owner: { kind: row.owner_kind, id: row.owner_id }, commentId: row.comment_id }, now: Date.now() });
  return notificationMail(row.kind, {
    to,
    locale,
    network: network?.name ?? "Cercle",
    name: row.actor_name ?? "—",
    space: row.space_name,
    title: notificationTitle(row),
    body,
    url: absoluteUrl(notificationPath(row)),
    settingsUrl: absoluteUrl("/settings/notifications"),
    unsubscribeUrl: unsubscribeUrl(await linkSigner(db), baseUrl, row.user_id, row.kind),
    replyTo,
  });
}
