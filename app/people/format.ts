import type { Locale } from "#db/schema.ts";

/** A calendar day ("2027-01-15") in words, the same day in every time zone. */
export function formatDay(locale: Locale, day: string): string {
  const ms = Date.parse(`${day}T12:00:00Z`);
  if (Number.isNaN(ms)) return day;
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(ms);
}

/** A language's name in the reader's language ("anglais", "English"), capitalised as a list item. */
export function languageName(locale: Locale, code: string): string {
  const name = new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}
