import { commentPath } from "#app/comments/mail.server.ts";

/** Where a notification leads: its comment, or the article or page it is about when it names none. */
export function notificationPath(n: { space_slug: string; post_slug: string | null; page_slug: string | null; comment_id: string | null }): string {
  return commentPath(n);
}
