import type { Locale } from "#db/schema.ts";

/**
 * A moment as the reader reads it in their own time zone (a scheduled
 * article: "lundi 23 novembre 2026 à 09:00"), on the server and in the
 * browser alike, so hydration agrees. The rest of the app dates things in the
 * network's zone; a schedule is typed in the author's, so it is shown in it.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

export function formatInZone(locale: Locale, ms: number, timeZone: string): string {
  const id = `${locale}:${timeZone}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { dateStyle: "full", timeStyle: "short", timeZone });
    formats.set(id, format);
  }
  return format.format(ms);
}

/** "HH:MM" of a moment in the zone: when an autosave happened. */
export function timeInZone(locale: Locale, ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", { hour: "2-digit", minute: "2-digit", timeZone }).format(ms);
}

/** "America/New_York" → "America/New York": the zone's name as people read it. */
export function zoneLabel(timeZone: string): string {
  return timeZone.replace(/_/g, " ");
}
