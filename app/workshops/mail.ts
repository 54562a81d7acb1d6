import type { Locale } from "#db/schema.ts";
import { composeMail, type Mail, type MailCalendar } from "#app/mail/compose.ts";

/**
 * The workshop mails' wording: an announcement to the club, a reminder to
 * those going, and to those registered a change, a cancellation or a seat
 * freed from the waitlist (these three carry the event for their calendar,
 * which then updates itself). Times are given in
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
  unsubscribeUrl?: string;
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
    unsubscribe: m.unsubscribeUrl,
  });
}

/** What every workshop mail is addressed with. */
export interface WorkshopMailParts {
  to: string;
  locale: Locale;
  network: string;
  readerZone: string;
  workshop: WorkshopFacts;
  space: string;
  url: string;
  /** The one-click address that stops this kind of mail for the reader (app/mail/unsubscribe.server.ts). */
  unsubscribeUrl?: string;
}

/** A workshop scheduled in one of the reader's clubs, by `name`. */
export function workshopAnnouncementMail(m: WorkshopMailParts & { name: string; settingsUrl: string }): Mail {
  const w = m.workshop;
  return composeMail({
    to: m.to,
    locale: m.locale,
    network: m.network,
    subject: "mail.workshopAnnounced.subject",
    params: { title: w.title, space: m.space, name: m.name, when: workshopWhen(m.locale, w, m.readerZone) },
    paragraphs: ["mail.workshopAnnounced.body", ...(w.place ? [{ key: "mail.workshopReminder.place" as const, params: { place: w.place } }] : [])],
    cta: { key: "mail.workshopAnnounced.cta", url: m.url },
    footer: { key: "mail.workshopAnnounced.settings", params: { url: m.settingsUrl } },
    unsubscribe: m.unsubscribeUrl,
  });
}

export type RegisteredChange = "changed" | "cancelled" | "promoted";

const CHANGE_WORDS = {
  changed: { subject: "mail.workshopChanged.subject", body: "mail.workshopChanged.body", calendar: "mail.workshopChanged.calendar" },
  cancelled: { subject: "mail.workshopCancelled.subject", body: "mail.workshopCancelled.body", calendar: "mail.workshopCancelled.calendar" },
  promoted: { subject: "mail.workshopPromoted.subject", body: "mail.workshopPromoted.body", calendar: "mail.workshopPromoted.calendar" },
} as const;

/**
 * To someone registered: the workshop changed (time, place, link), was
 * cancelled (with the reason given), or a seat freed up for them. The event
 * rides along for their calendar (REQUEST, or CANCEL when it is off).
 */
export function workshopRegisteredMail(m: WorkshopMailParts & { change: RegisteredChange; reason?: string | null; calendar?: MailCalendar }): Mail {
  const w = m.workshop;
  const words = CHANGE_WORDS[m.change];
  const mail = composeMail({
    to: m.to,
    locale: m.locale,
    network: m.network,
    subject: words.subject,
    params: { title: w.title, space: m.space, when: workshopWhen(m.locale, w, m.readerZone) },
    paragraphs: [
      words.body,
      ...(m.reason ? [{ quote: m.reason }] : []),
      ...(m.change !== "cancelled" && w.place ? [{ key: "mail.workshopReminder.place" as const, params: { place: w.place } }] : []),
      ...(m.change !== "cancelled" && w.video_url ? [{ key: "mail.workshopReminder.video" as const, params: { url: w.video_url } }] : []),
      ...(m.calendar ? [words.calendar] : []),
    ],
    cta: { key: "mail.workshopChanged.cta", url: m.url },
    footer: { key: "mail.workshopChanged.settings", params: {} },
    unsubscribe: m.unsubscribeUrl,
  });
  return m.calendar ? { ...mail, calendar: m.calendar } : mail;
}
