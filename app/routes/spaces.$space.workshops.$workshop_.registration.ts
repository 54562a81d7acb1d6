import type { ActionFunctionArgs } from "@remix-run/node";
import { transact } from "#db/transact.ts";
import { isPageId } from "#app/editor/url.ts";
import { send } from "#app/mail/outbox.server.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound, redirectWithFlash, refusedAs } from "#app/utils/http.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { workshopUrl } from "#app/urls.ts";
import { NOTE_MAX, register, type RegistrationChoice } from "#app/workshops/registration.server.ts";

/**
 * Going / maybe / not going to a workshop (POST status, note). Anyone who
 * may read the space reaches it (guests register, as the SPEC's table says;
 * members of the network for a workshop opened to it); the command decides
 * the rest. A workshop of another space, or one the viewer may not see, is
 * 404 and nothing changes. The answer is a redirect back to the workshop
 * with a flash, or JSON ({ok, status, arrival, position} or {ok:false,
 * error}) when the request accepts only JSON (a fetcher, a script).
 */

const NO_STORE = { "Cache-Control": "no-store" };

function wantsJson(request: Request): boolean {
  const accept = request.headers.get("Accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSpace(request, params.space, canReadSpace), context);
  const workshopId = params.workshop;
  if (!isPageId(workshopId)) notFound();
  const form = await request.formData();
  const status = form.get("status");
  const rawNote = form.get("note");
  const note = typeof rawNote === "string" ? rawNote : null;
  const back = workshopUrl(ctx.space.slug, workshopId);
  const json = wantsJson(request);

  // Read before the transaction: it holds the one connection until it ends.
  const head = await letterhead();
  const db = getDb();
  // The command checks the status itself, after the workshop: another space's id is 404 whatever the form says.
  const done = await transact(db, (trx) => register(trx, ctx, { workshopId, status: status as RegistrationChoice, note, head }));
  if (!done.ok) {
    if (done.error === "not_found" || done.error === "forbidden") refusedAs(done.error);
    if (json) return Response.json(done, { status: done.error === "workshops.registration.closed" ? 409 : 400, headers: NO_STORE });
    if (done.error === "workshops.registration.closed") {
      return redirectWithFlash(back, { kind: "error", key: `workshops.registration.closed.${done.closedBecause}` });
    }
    return redirectWithFlash(back, { kind: "error", key: done.error, params: { max: NOTE_MAX } });
  }
  send(done.mailIds);
  if (json) {
    return Response.json({ ok: true, status: done.status, arrival: done.arrival, position: done.position, promoted: done.promoted.length }, { headers: NO_STORE });
  }
  return redirectWithFlash(back, { key: `workshops.registration.saved.${done.status}`, params: { position: done.position ?? 0 } });
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
