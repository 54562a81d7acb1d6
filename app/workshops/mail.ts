import type { Locale } from "#db/schema.ts";
import { composeMail, type Mail } from "#app/mail/compose.ts";

/**
 * The workshop mails' wording: a reminder to those going. Times are given in
 * the reader's own zone (their settings), with the zone named when it is not
 * the one the workshop was given in, so a member in Montréal reading about a
 * Paris workshop is never left to convert.
 */

interface WorkshopFacts {
  title: string;
  starts_at: number;
  ends_at: number;
  time_zone: string;
  place: string | null;
  video_url: string | null;
}

/** "vendredi 11 décembre, 09:30 – 12:00" in the reader's zone; the zone's name added when it differs from the workshop's. */
export function workshopWhen(locale: Locale, w: Pick<WorkshopFacts, "starts_at" | "ends_at" | "time_zone">, readerZone: string): string {
  const tag = locale === "fr" ? "fr-FR" : "en-GB";
  const zone = safeZone(readerZone) ?? w.time_zone;
  const named = zone !== w.time_zone;
  const day = new Intl.DateTimeFormat(tag, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: zone });
  const time = new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit", timeZone: zone });
  const sameDay = day.format(w.starts_at) === day.format(w.ends_at);
  const end = sameDay ? time.format(w.ends_at) : `${day.format(w.ends_at)}, ${time.format(w.ends_at)}`;
  const zoneName = named ? ` (${new Intl.DateTimeFormat(tag, { timeZone: zone, timeZoneName: "longGeneric" }).formatToParts(w.starts_at).find((p) => p.type === "timeZoneName")?.value ?? zone})` : "";
  return `${day.format(w.starts_at)}, ${time.format(w.starts_at)} – ${end}${zoneName}`;
}

function safeZone(zone: string): string | null {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

export function workshopReminderMail(m: {
  to: string;
  locale: Locale;
  network: string;
  readerZone: string;
  workshop: WorkshopFacts;
  space: string;
  url: string;
  settingsUrl: string;
}): Mail {
  const when = workshopWhen(m.locale, m.workshop, m.readerZone);
  const w = m.workshop;
  return composeMail({
    to: m.to,
    locale: m.locale,
    network: m.network,
    subject: "mail.workshopReminder.subject",
    params: { title: w.title, space: m.space, when },
    paragraphs: [
      "mail.workshopReminder.body",
      ...(w.place ? [{ key: "mail.workshopReminder.place" as const, params: { place: w.place } }] : []),
      ...(w.video_url ? [{ key: "mail.workshopReminder.video" as const, params: { url: w.video_url } }] : []),
    ],
    cta: { key: "mail.workshopReminder.cta", url: m.url },
    footer: { key: "mail.workshopReminder.settings", params: { url: m.settingsUrl } },
  });
}
