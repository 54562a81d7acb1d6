import { IntlMessageFormat } from "intl-messageformat";
import type { Locale } from "#db/schema.ts";
import { en } from "./en.ts";
import { fr, type MessageKey } from "./fr.ts";

export type { MessageKey };
export type MessageParams = Record<string, string | number | Date>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export const DEFAULT_LOCALE: Locale = "fr";
export const catalogues: Record<Locale, Record<MessageKey, string>> = { fr, en };

/** Dates show in the network's time zone on server and browser alike, so hydration agrees. */
export const TIME_ZONE = "Europe/Paris";

export function isLocale(value: unknown): value is Locale {
  return value === "fr" || value === "en";
}

export function isMessageKey(value: unknown): value is MessageKey {
  return typeof value === "string" && Object.hasOwn(fr, value);
}

/**
 * A compiled message: the formatter, and for a message that is only text and
 * plain `{name}` arguments, its pieces — argument names at odd places — so
 * that filling it is a join. IntlMessageFormat.format() builds parts and
 * checks every element at each call; a directory page fills a few such
 * messages per card, and the join gives the same text (a plain argument is
 * written as String(value)) in a fraction of the time.
 */
interface Compiled {
  formatter: IntlMessageFormat;
  pieces: string[] | null;
}

const compiled = new Map<string, Compiled>();

function compile(raw: string, locale: Locale): Compiled {
  const formatter = new IntlMessageFormat(raw, locale);
  const pieces: string[] = [""];
  for (const element of formatter.getAst()) {
    // TYPE.literal (0) and TYPE.argument (1); anything else (plural, select, number, tags) needs the formatter.
    if (element.type === 0) pieces[pieces.length - 1] += element.value;
    else if (element.type === 1) pieces.push(element.value, "");
    else return { formatter, pieces: null };
  }
  return { formatter, pieces };
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const raw = catalogues[locale][key];
  // A message with no argument and no ICU quoting is its own text: a page of a
  // hundred labels need not run the formatter a hundred times.
  if (!params && !raw.includes("{") && !raw.includes("'") && !raw.includes("<")) return raw;
  const id = `${locale}\u0000${key}`;
  let message = compiled.get(id);
  if (!message) compiled.set(id, (message = compile(raw, locale)));
  const { pieces } = message;
  if (pieces && pieces.length === 1) return pieces[0]!;
  if (pieces && params) {
    let text = pieces[0]!;
    for (let i = 1; i < pieces.length; i += 2) {
      const value = params[pieces[i]!];
      // Dates and missing values go through the formatter, which knows what to do with them.
      if (typeof value !== "string" && typeof value !== "number") return String(message.formatter.format(params));
      text += String(value) + pieces[i + 1]!;
    }
    return text;
  }
  return String(message.formatter.format(params));
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

/** Picks fr or en from an Accept-Language header, by the browser's order of preference. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag, ...rest] = part.trim().split(";");
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith("q="));
      return { lang: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.lang && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((r) => r.lang).find(isLocale) ?? null;
}

// Building an Intl.DateTimeFormat costs far more than using one: one per locale and style.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(locale: Locale, ms: number, style: "date" | "datetime" = "datetime"): string {
  const id = `${locale}:${style}`;
  let format = dateFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", {
      dateStyle: style === "date" ? "long" : "medium",
      ...(style === "datetime" ? { timeStyle: "short" } : {}),
      timeZone: TIME_ZONE,
    });
    dateFormats.set(id, format);
  }
  return format.format(ms);
}

const sizeFormats = new Map<string, Intl.NumberFormat>();
const SIZE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

/** "3,2 Mo" / "3.2 MB": powers of 1024, as file managers show them. */
export function formatSize(locale: Locale, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // Intl writes "512 byte" in English: bytes are spelled by hand.
  if (unit === 0) return `${bytes} ${locale === "fr" ? "o" : "B"}`;
  const id = `${locale}:${unit}:${value < 10 ? 1 : 0}`;
  let format = sizeFormats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB", {
      style: "unit",
      unit: SIZE_UNITS[unit],
      unitDisplay: "short",
      maximumFractionDigits: value < 10 ? 1 : 0,
    });
    sizeFormats.set(id, format);
  }
  return format.format(value);
}

const listFormats = new Map<Locale, Intl.ListFormat>();

/** "des missions et du mentorat", "missions and mentoring": one formatter per locale, as for dates. */
export function formatList(locale: Locale, items: string[]): string {
  let format = listFormats.get(locale);
  if (!format) listFormats.set(locale, (format = new Intl.ListFormat(locale, { type: "conjunction" })));
  return format.format(items);
}
