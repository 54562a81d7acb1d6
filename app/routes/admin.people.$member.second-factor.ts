import type { ActionFunctionArgs } from "@remix-run/node";
import { transact } from "#db/transact.ts";
import { findById } from "#db/queries/users.ts";
import { send } from "#app/mail/outbox.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { resetSecondFactor } from "#app/second-factor/commands.server.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { safeRedirect } from "#app/utils/request.server.ts";
import { adminUrls } from "#app/urls.ts";

/**
 * A network admin resets a member's second factor (issue 20): POST only,
 * from the admin console's member page. Fields: `redirectTo`, a local path
 * to come back to (anything else: the members list). No Referer is read.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request, context);
  authorize(canManageAccounts(signedIn.actor));
  const form = await request.formData();
  const back = safeRedirect(form.get("redirectTo"), adminUrls.members, getEnv().baseUrl.origin);
  const member = await findById(getDb(), params.member ?? "");
  if (!member || member.deleted_at !== null) notFound();
  // Read before the transaction: it holds the one connection until it ends.
  const ctx = { ...acting(signedIn, context), letterhead: await letterhead() };
  const done = await transact(getDb(), (trx) => resetSecondFactor(trx, ctx, { userId: member.id }));
  const name = member.display_name;
  if (done.ok) {
    send(done.mailIds);
    return redirectWithFlash(back, { key: "secondFactor.admin.resetDone", params: { name } });
  }
  if (done.error === "forbidden") return redirectWithFlash(back, { kind: "error", key: "secondFactor.admin.resetSelf" });
  if (done.error === "not-found") notFound();
  return redirectWithFlash(back, { kind: "info", key: "secondFactor.admin.resetNone", params: { name } });
}

/** An action only: asked with GET it answers the same for everyone. */
export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
