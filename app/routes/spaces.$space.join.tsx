import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { transact } from "#db/transact.ts";
import { send } from "#app/mail/outbox.server.ts";
import { requestToJoin } from "#app/members/commands.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canRequestToJoin } from "#app/policies/space.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, redirectWithFlash } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { multilineText } from "#app/utils/validation.ts";
import { spaceUrl } from "#app/urls.ts";

const schema = z.object({ message: multilineText(2000) });

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(spaceUrl(params.space ?? ""));
}

/** A network member asks to join a listed (or open) space; its admins decide. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await loadSpace(request, params.space);
  authorize(canRequestToJoin(signedIn.actor, signedIn.membership, signedIn.space));
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  // Read before the transaction: its connection is held until it ends.
  const ctx = acting({ ...signedIn, letterhead: await letterhead() }, context);
  const result = await transact(getDb(), (trx) => requestToJoin(trx, ctx, parsed.data));
  if (!result.ok) forbidden();
  send(result.mailIds);
  return redirectWithFlash(spaceUrl(ctx.space.slug), { key: "space.joinSent" });
}
