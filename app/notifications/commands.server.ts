import type { Executor } from "#db/client.ts";
import type { Owner } from "#db/owners.ts";
import * as notifications from "#db/queries/notifications.ts";
import type { KnownNotificationKind } from "./kinds.ts";
import { queueNotificationMails } from "./mail.server.ts";

/**
 * The notification use cases, for any feature: tell people about something
 * in a space (an owner: db/owners.ts), of any kind (kinds.ts), with the
 * comment it is about when there is one; mark read. Each takes the executor
 * (the transaction the caller opened) and its input and answers a result: the
 * notifications exist, and their mails are queued in the outbox, exactly when
 * the caller's work commits. The caller sends the mail ids it gets back
 * (app/mail/outbox.server.ts, send) once it has committed; the outbox retries
 * what cannot go out.
 *
 * Who may hear of it is the caller's to decide (a comment's readers, a
 * space's admins …), and so is whether each person wants mail: the
 * preference that applies depends on the kind.
 */

export interface Notify {
  kind: KnownNotificationKind;
  spaceId: string;
  owner: Owner;
  /** The comment it is about, if any: the notification goes when the comment is deleted. */
  commentId?: string | null;
  /** Who acted; null for the server itself. */
  actorId: string | null;
  /** One notification a person, in this order; `mail` when they are to have it by mail too. */
  recipients: Array<{ userId: string; mail: boolean }>;
  now: number;
}

export async function notify(trx: Executor, input: Notify): Promise<{ ok: true; notificationIds: string[]; mailIds: string[] }> {
  const { kind, spaceId, owner, actorId, recipients, now } = input;
  const commentId = input.commentId ?? null;
  const notificationIds = await notifications.insertNotifications(
    trx,
    recipients.map((r) => ({ userId: r.userId, kind, spaceId, owner, commentId, actorId, now })),
  );
  const mailIds = await queueNotificationMails(
    trx,
    notificationIds.filter((_, i) => recipients[i].mail),
    now,
  );
  return { ok: true, notificationIds, mailIds };
}

/** People already told about this comment (an edit never notifies anyone twice). */
export function alreadyNotified(db: Executor, commentId: string): Promise<Set<string>> {
  return notifications.notifiedUsers(db, commentId);
}

/** Opening one of one's own notifications. */
export async function markRead(trx: Executor, input: { userId: string; id: string; now: number }): Promise<{ ok: true }> {
  await notifications.markRead(trx, input.userId, input.id, input.now);
  return { ok: true };
}

/** "Mark all as read": how many were unread. */
export async function markAllRead(trx: Executor, input: { userId: string; now: number }): Promise<{ ok: true; count: number }> {
  return { ok: true, count: await notifications.markAllRead(trx, input.userId, input.now) };
}
