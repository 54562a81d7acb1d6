import { createCookie } from "@remix-run/node";
import type { Locale } from "#db/schema.ts";
import { DEFAULT_LOCALE, isLocale, negotiateLocale, translator } from "#app/i18n/index.ts";
import { getSignedIn } from "./auth.server.ts";

/** A visitor's chosen language before they have an account (sign-in, invitation pages). */
export const localeCookie = createCookie("cercle_locale", { sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 });

/** The user's setting, else the visitor's choice, else the browser's language, else French. */
export async function getLocale(request: Request, context?: object): Promise<Locale> {
  const signedIn = await getSignedIn(request, context);
  if (signedIn?.user.locale && isLocale(signedIn.user.locale)) return signedIn.user.locale;
  const chosen = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(chosen)) return chosen;
  return negotiateLocale(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE;
}

export async function getTranslator(request: Request) {
  const locale = await getLocale(request);
  return { locale, t: translator(locale) };
}
