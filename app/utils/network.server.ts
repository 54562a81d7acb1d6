import type { Locale } from "#db/schema.ts";
import { getNetwork } from "#db/queries/network.ts";
import { DEFAULT_LOCALE, isLocale } from "#app/i18n/index.ts";
import { getDb } from "./db.server.ts";

/** The network's name and default language, for mails and titles. */
export async function networkInfo(): Promise<{ name: string; locale: Locale }> {
  const network = await getNetwork(getDb());
  return {
    name: network?.name ?? "Cercle",
    locale: isLocale(network?.default_locale) ? network.default_locale : DEFAULT_LOCALE,
  };
}

/** A recipient's language: their own setting, else the network's. */
export function localeOf(user: { locale: string | null } | undefined, fallback: Locale): Locale {
  return isLocale(user?.locale) ? user.locale : fallback;
}
