import type { NotificationMail } from "#db/queries/notifications.ts";
import { ownerUrl } from "#app/urls.ts";

/**
 * A comment's address, which the notifications about it (app/notifications/)
 * link to. Their mail pipeline moved there; comments create them through
 * app/notifications/commands.server.ts.
 */

/** Where a notification's link leads: the comment on its article or wiki page. */
export function commentPath(m: Pick<NotificationMail, "space_slug" | "post_slug" | "page_slug" | "comment_id">): string {
  const base = ownerUrl(m.space_slug, m.post_slug !== null ? { kind: "post", slug: m.post_slug } : { kind: "page", slug: m.page_slug ?? "" });
  // Without a comment (a notification about the article or page itself): the article or page.
  return m.comment_id === null ? base : `${base}#comment-${m.comment_id}`;
}
