import { useRouteLoaderData } from "@remix-run/react";
import { useCallback, useMemo } from "react";
import type { Locale } from "#db/schema.ts";
import { DEFAULT_LOCALE, formatDate, formatSize, isLocale, translator, type Translate } from "./index.ts";

export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: string } | undefined;
  return isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE;
}

export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => translator(locale), [locale]);
}

export function useFormatDate() {
  const locale = useLocale();
  return (ms: number, style: "date" | "datetime" = "datetime") => formatDate(locale, ms, style);
}

export function useFormatSize() {
  const locale = useLocale();
  // Stable while the locale is: it may sit in effects' dependencies.
  return useCallback((bytes: number) => formatSize(locale, bytes), [locale]);
}
