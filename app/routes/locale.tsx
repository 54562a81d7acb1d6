import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { setLocale } from "#db/queries/users.ts";
import { isLocale } from "#app/i18n/index.ts";
import { getSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { localeCookie } from "#app/utils/locale.server.ts";
import { safeRedirect } from "#app/utils/request.server.ts";

/** Switches the interface language: the user's setting when signed in, a cookie otherwise. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const back = safeRedirect(form.get("redirectTo"), "/", getEnv().baseUrl.origin);
  if (!isLocale(locale)) return redirect(back);
  const signedIn = await getSignedIn(request);
  if (signedIn) await setLocale(getDb(), signedIn.user.id, locale);
  return redirect(back, { headers: { "Set-Cookie": await localeCookie.serialize(locale) } });
}

export function loader() {
  return redirect("/");
}
