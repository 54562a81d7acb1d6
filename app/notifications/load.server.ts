import type { Executor } from "#db/client.ts";
import * as notifications from "#db/queries/notifications.ts";
import { isNotificationKind, wordingOf } from "./kinds.ts";
import { notificationPath } from "./paths.server.ts";

/**
 * What the bell and the notifications page show: only the viewer's own, only
 * what they may still see (db/queries/notifications.ts, visible). Each item
 * carries its line's message key, so the page words every kind alike.
 */

export function unreadCount(db: Executor, userId: string): Promise<number> {
  return notifications.countUnread(db, userId);
}

/** Newest first, `limit` at most, after the position `before` (the last row of the previous page). */
export async function loadNotifications(db: Executor, userId: string, options: { before?: { at: number; id: string }; limit: number }) {
  const rows = await notifications.listForUser(db, userId, options);
  return rows.map((n) => ({
    id: n.id,
    // A kind the code no longer knows is shown as nothing but its place in the list: the cursor still needs the row.
    what: isNotificationKind(n.kind) ? wordingOf(n.kind).list : null,
    createdAt: n.created_at,
    unread: n.read_at === null,
    actor: n.actor_name,
    space: n.space_name,
    title: n.post_title ?? n.page_title ?? n.workshop_title ?? n.ask_title ?? "",
    excerpt: n.excerpt,
    href: notificationPath(n),
  }));
}

/** Where one of the viewer's own notifications leads, if they may still see it. */
export async function notificationTarget(db: Executor, userId: string, id: string): Promise<string | null> {
  const item = await notifications.findVisibleForUser(db, userId, id);
  return item ? notificationPath(item) : null;
}
