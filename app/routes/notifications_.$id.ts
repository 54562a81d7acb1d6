import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import * as notifications from "#db/queries/notifications.ts";
import { commentPath } from "#app/comments/mail.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * Opening a notification: marks it read and goes to the comment. Only the
 * viewer's own; one about a deleted comment, or in a space they left, is gone.
 * The comment's page checks, as always, that they may still read it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const db = getDb();
  const id = params.id ?? "";
  const item = await notifications.findVisibleForUser(db, user.id, id);
  if (!item) notFound();
  await notifications.markRead(db, user.id, id, Date.now());
  return redirect(commentPath({ space_slug: item.space_slug, post_slug: item.post_slug, page_slug: item.page_slug, comment_id: item.comment_id }));
}
