import type { Locale } from "#db/schema.ts";

// Building an Intl formatter costs far more than using one: one per locale.
const dayFormats = new Map<Locale, Intl.DateTimeFormat>();
const languageNames = new Map<Locale, Intl.DisplayNames>();

/** A calendar day ("2027-01-15") in words, the same day in every time zone. */
export function formatDay(locale: Locale, day: string): string {
  const ms = Date.parse(`${day}T12:00:00Z`);
  if (Number.isNaN(ms)) return day;
  let format = dayFormats.get(locale);
  if (!format) dayFormats.set(locale, (format = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "UTC" })));
  return format.format(ms);
}

/** A language's name in the reader's language ("anglais", "English"), capitalised as a list item. */
export function languageName(locale: Locale, code: string): string {
  let names = languageNames.get(locale);
  if (!names) languageNames.set(locale, (names = new Intl.DisplayNames([locale], { type: "language" })));
  const name = names.of(code) ?? code;
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}
