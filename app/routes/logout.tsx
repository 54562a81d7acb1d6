import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { audit } from "#db/queries/audit.ts";
import { endSession, getSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { redirectWithFlash } from "#app/utils/http.server.ts";
import { clientIp } from "#app/utils/request.server.ts";

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await getSignedIn(request);
  if (signedIn) {
    await audit(getDb(), { event: "sign_out", actorId: signedIn.user.id, ip: clientIp(context), now: Date.now() });
  }
  const cleared = await endSession(request);
  return redirectWithFlash("/login", { kind: "info", key: "flash.signedOut" }, [cleared]);
}

// Signing out changes state, so it is a POST; a visit to /logout just goes home.
export function loader() {
  return redirect("/");
}
