import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { markRead } from "#app/notifications/commands.server.ts";
import { notificationTarget } from "#app/notifications/load.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * Opening a notification: marks it read and goes to its comment (or the
 * article or page it is about). Only the viewer's own; one about a deleted
 * comment, or in a space they left, is gone. The page it leads to checks, as
 * always, that they may still read it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const db = getDb();
  const id = params.id ?? "";
  const target = await notificationTarget(db, user.id, id);
  if (target === null) notFound();
  await markRead(db, { userId: user.id, id, now: Date.now() });
  return redirect(target);
}
