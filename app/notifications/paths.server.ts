import type { NotificationMail } from "#db/queries/notifications.ts";
import { approvalsUrl, membersUrl, ownerUrl, spaceUrl } from "#app/urls.ts";

type Named = Pick<NotificationMail, "kind" | "owner_kind" | "space_slug" | "space_name" | "post_slug" | "page_slug" | "workshop_id" | "ask_id" | "comment_id">;

/** About a club itself: the page where it is seen to — what waits for its admins, its members, the club. */
function clubPath(n: Named): string {
  if (n.kind === "approvalWaiting") return approvalsUrl(n.space_slug);
  if (n.kind === "cooptationResult") return membersUrl(n.space_slug);
  return spaceUrl(n.space_slug);
}

/** Where a notification leads: its comment, or the article, page, workshop or ask it is about when it names none, or its club. */
export function notificationPath(n: Named): string {
  if (n.owner_kind === "space") return clubPath(n);
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

/** What a notification is about, as its line names it: the article's title … or the club's name. */
export function notificationTitle(n: Pick<NotificationMail, "owner_kind" | "space_name" | "post_title" | "page_title" | "workshop_title" | "ask_title">): string {
  return n.post_title ?? n.page_title ?? n.workshop_title ?? n.ask_title ?? (n.owner_kind === "space" ? n.space_name : "");
}
