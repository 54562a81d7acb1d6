import type { Executor } from "#db/client.ts";
import * as notifications from "#db/queries/notifications.ts";
import { isNotificationKind, wordingOf } from "./kinds.ts";
import { notificationPath, notificationTitle } from "./paths.server.ts";

/**
 * What the bell and the notifications page show: only the viewer's own, only
 * what they may still see (db/queries/notifications.ts, visible). Each item
 * carries its line's message key, so the page words every kind alike.
 */

export function unreadCount(db: Executor, userId: string, now: number): Promise<number> {
  return notifications.countUnread(db, userId, now);
}

/** Kinds whose several notifications about one thing read as one line in their own words ("3 replies on …"); the others say "N notifications". */
const GROUPED = new Set<string>(["mention", "reply", "commentOnMine", "askAnswer", "askThanks", "approvalWaiting"]);

/** The words of a line of `count` notifications of one kind about one thing; null for a single one (its kind's own line). */
export function groupedWording(kind: string, count: number) {
  if (count <= 1) return null;
  return GROUPED.has(kind) ? (`notifications.grouped.${kind as "mention" | "reply" | "commentOnMine" | "askAnswer" | "askThanks" | "approvalWaiting"}` as const) : ("notifications.grouped" as const);
}

/**
 * A page of the list, newest first: `limit` notifications after the position
 * `before` (the last row of the previous page), those of one kind about one
 * thing (and read, or not) gathered on one line at the place of the newest —
 * ten replies on one article are one line, with who wrote them and how many. A line opens
 * its newest and reads them all (db/queries/notifications.ts, markRead).
 * `next` is the position after this page, if there is more.
 */
export async function loadNotifications(db: Executor, userId: string, options: { before?: { at: number; id: string }; limit: number }) {
  const rows = await notifications.listForUser(db, userId, { before: options.before, limit: options.limit + 1 });
  const page = rows.slice(0, options.limit);
  const last = rows.length > options.limit ? page.at(-1) : undefined;
  const lines = new Map<string, { newest: (typeof page)[number]; count: number; unread: boolean; names: string[] }>();
  for (const n of page) {
    // Read ones apart from unread ones: what is new reads as a line of its own.
    const key = `${n.kind}:${n.owner_kind}:${n.owner_id}:${n.read_at === null}`;
    const line = lines.get(key);
    if (!line) {
      lines.set(key, { newest: n, count: 1, unread: n.read_at === null, names: n.actor_name ? [n.actor_name] : [] });
      continue;
    }
    line.count += 1;
    line.unread ||= n.read_at === null;
    if (n.actor_name && !line.names.includes(n.actor_name)) line.names.push(n.actor_name);
  }
  return {
    next: last ? `${last.created_at}.${last.id}` : null,
    items: [...lines.values()].map(({ newest: n, count, unread, names }) => ({
      id: n.id,
      // A kind the code no longer knows is shown as nothing but its place in the list: the cursor still needs the row.
      what: isNotificationKind(n.kind) ? wordingOf(n.kind).list : null,
      grouped: groupedWording(n.kind, count),
      count,
      names,
      createdAt: n.created_at,
      unread,
      actor: n.actor_name,
      space: n.space_name,
      title: notificationTitle(n),
      excerpt: n.excerpt,
      href: notificationPath(n),
    })),
  };
}

/** Where one of the viewer's own notifications leads, if they may still see it. */
export async function notificationTarget(db: Executor, userId: string, id: string): Promise<string | null> {
  const item = await notifications.findVisibleForUser(db, userId, id);
  return item ? notificationPath(item) : null;
}
