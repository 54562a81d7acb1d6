import type { NotificationMail } from "#db/queries/notifications.ts";
import { ownerUrl } from "#app/urls.ts";

/** Where a notification leads: its comment, or the article, page workshop or ask it is about when it names none. */
export function notificationPath(n: Pick<NotificationMail, "space_slug" | "post_slug" | "page_slug" | "workshop_id" | "ask_id" | "comment_id">): string {
  const base = ownerUrl(
    n.space_slug,
    n.post_slug !== null
      ? { kind: "post", slug: n.post_slug }
      : n.workshop_id !== null
        ? { kind: "workshop", slug: n.workshop_id }
        : n.ask_id !== null
          ? { kind: "ask", slug: n.ask_id }
          : { kind: "page", slug: n.page_slug ?? "" },
  );
  return n.comment_id === null ? base : `${base}#comment-${n.comment_id}`;
}
