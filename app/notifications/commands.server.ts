import type { Executor } from "#db/client.ts";
import type { NotificationOwner } from "#db/owners.ts";
import { setDigestFrequency } from "#db/queries/digests.ts";
import { choicesFor, levelsFor, saveChoices, saveLevel } from "#db/queries/notification-choices.ts";
import * as notifications from "#db/queries/notifications.ts";
import type { ClubLevel, Delivery, DigestFrequency } from "#db/schema.ts";
import type { Acting } from "#app/utils/acting.server.ts";
import { choiceOf, deliveryOf, offersOf, type ChoiceKind } from "./choices.ts";
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
 * space's admins …); how each hears of it — in the app, by mail, or not at
 * all — is theirs (choices.ts: per kind, per club).
 */

export interface Notify {
  kind: KnownNotificationKind;
  spaceId: string;
  owner: NotificationOwner;
  /** The comment it is about, if any: the notification goes when the comment is deleted. */
  commentId?: string | null;
  /** Who acted; null for the server itself. */
  actorId: string | null;
  /** Who may hear of it, in this order: each hears as they chose (choices.ts), or not at all. */
  recipients: readonly string[];
  /**
   * The caller sends a mail of its own (a workshop's calendar update) to
   * those who take this kind by mail: notify then only says who they are
   * (`mailTo`), so nobody gets two mails about one thing.
   */
  ownMail?: boolean;
  now: number;
}

export async function notify(trx: Executor, input: Notify): Promise<{ ok: true; notificationIds: string[]; mailIds: string[]; mailTo: string[] }> {
  const { kind, spaceId, owner, actorId, now } = input;
  const commentId = input.commentId ?? null;
  const recipients = [...new Set(input.recipients)];
  const [chosen, levels] = await Promise.all([choicesFor(trx, recipients, kind), levelsFor(trx, recipients, spaceId)]);
  const heard = recipients.map((userId) => ({ userId, delivery: deliveryOf(kind, chosen.get(userId), levels.get(userId)) })).filter((r) => r.delivery !== "off");
  const notificationIds = await notifications.insertNotifications(
    trx,
    heard.map((r) => ({ userId: r.userId, kind, spaceId, owner, commentId, actorId, now, inDigest: r.delivery === "digest" })),
  );
  const mailTo = heard.filter((r) => r.delivery === "mail").map((r) => r.userId);
  const mailIds = input.ownMail
    ? []
    : await queueNotificationMails(
        trx,
        notificationIds.filter((_, i) => heard[i]!.delivery === "mail"),
        now,
      );
  return { ok: true, notificationIds, mailIds, mailTo };
}

/**
 * One thing some may hear of in several ways (a comment that mentions its
 * replier's addressee): for each person, the first of their ways they have
 * not turned off, in the order given; nobody whose every way is off.
 */
export async function firstHeard<K extends ChoiceKind>(trx: Executor, spaceId: string, ways: ReadonlyMap<string, readonly K[]>): Promise<Map<string, K>> {
  const people = [...ways.keys()];
  const kinds = [...new Set([...ways.values()].flat())];
  const [levels, ...chosen] = await Promise.all([levelsFor(trx, people, spaceId), ...kinds.map((kind) => choicesFor(trx, people, kind))]);
  const choiceOf = new Map(kinds.map((kind, i) => [kind, chosen[i]!]));
  const heard = new Map<string, K>();
  for (const [userId, theirs] of ways) {
    const kind = theirs.find((k) => deliveryOf(k, choiceOf.get(k)!.get(userId), levels.get(userId)) !== "off");
    if (kind) heard.set(userId, kind);
  }
  return heard;
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

/**
 * The member's notification choices, as the settings form sends them: a
 * delivery per kind it shows (those offered: choices.ts), a level per club
 * of theirs. Anything else was checked away by the route.
 */
export async function chooseNotifications(
  trx: Executor,
  ctx: Pick<Acting, "user" | "now">,
  input: { choices: ReadonlyArray<{ kind: ChoiceKind; delivery: Delivery }>; levels: ReadonlyArray<{ spaceId: string; level: ClubLevel }>; digest?: DigestFrequency },
): Promise<{ ok: true }> {
  await saveChoices(trx, ctx.user.id, input.choices, ctx.now);
  if (input.digest) await setDigestFrequency(trx, ctx.user.id, input.digest);
  for (const l of input.levels) await saveLevel(trx, ctx.user.id, l.spaceId, l.level, ctx.now);
  return { ok: true };
}

/**
 * A one-click unsubscribe (app/mail/unsubscribe.server.ts): no more mail of
 * this kind for this member. The digest stops; a kind is kept in the app
 * where it can be (so nothing goes unknown), or turned off where the app
 * has no place for it (a reminder).
 */
export async function stopMail(trx: Executor, input: { userId: string; list: ChoiceKind | "digest"; now: number }): Promise<{ ok: true }> {
  if (input.list === "digest") await setDigestFrequency(trx, input.userId, "off");
  else await saveChoices(trx, input.userId, [{ kind: input.list, delivery: offersOf(choiceOf(input.list)).includes("app") ? "app" : "off" }], input.now);
  return { ok: true };
}
