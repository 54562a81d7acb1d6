import type { MetaDescriptor } from "@remix-run/node";
import { isLocale, translate, type MessageKey, type MessageParams } from "#app/i18n/index.ts";

type Matches = ReadonlyArray<{ id: string; data: unknown } | undefined>;

/** A page title in the reader's language: "Members · Club Achats". */
export function pageTitle(matches: Matches, key: MessageKey, params?: MessageParams, context?: string): MetaDescriptor[] {
  const root = matches.find((m) => m?.id === "root")?.data as { locale?: string; networkName?: string | null } | undefined;
  const locale = isLocale(root?.locale) ? root.locale : "fr";
  const parts = [translate(locale, key, params), context, root?.networkName ?? "Cercle"].filter(Boolean);
  return [{ title: parts.join(" · ") }];
}
