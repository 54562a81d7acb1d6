import ical, { ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from "ical-generator";
import { DateTime } from "luxon";
import type { Locale, RegistrationStatus, Workshop, WorkshopState } from "#db/schema.ts";
import { translator } from "#app/i18n/index.ts";
import { workshopUrl } from "#app/urls.ts";
import { supportsTimeZone, vtimezone } from "./time-zones.ts";

/**
 * A workshop as iCalendar (RFC 5545), for the file a reader downloads, the
 * mails that carry it (RFC 5546: REQUEST, CANCEL) and the personal
 * subscription (PUBLISH).
 *
 * What a calendar needs to follow a workshop through its changes: one UID
 * for its whole life (`workshop-<id>@<network host>`), the SEQUENCE the
 * workshop's commands raise at every change a calendar must follow, DTSTAMP
 * in UTC, and the start and end as wall-clock times with the TZID the
 * workshop was given in, its VTIMEZONE written beside them so the file reads
 * the same everywhere, across a change of daylight saving time included.
 *
 * Traps of ical-generator 10, each met:
 * - a native Date is written in the *server process's* zone when a TZID is
 *   given, so the times go in as Luxon DateTimes in the workshop's zone;
 * - a calendar-level zone *name* makes DTSTAMP lose its "Z" (invalid), so the
 *   calendar only carries the VTIMEZONE generator (name: null), each event
 *   its own zone;
 * - the generator writes nothing for a zone it does not know, and the times
 *   are then read as UTC: such a zone is refused here (supportsTimeZone, the
 *   same check core's form makes), never written.
 * And one of the format: the 02:30 that happens twice the night the clocks
 * go back is read as the first by some calendars, the second by others, so a
 * workshop touching that hour is written in UTC, which names every instant.
 */

/** What the calendar needs of a workshop (a row of `workshop`, with its space's slug). */
export type CalendarWorkshop = Pick<
  Workshop,
  "id" | "title" | "state" | "starts_at" | "ends_at" | "time_zone" | "place" | "video_url" | "description_text" | "sequence" | "created_at" | "updated_at" | "cancel_reason"
> & { space_slug: string };

export interface CalendarOptions {
  /** The network's address (BASE_URL): links, and the host in every UID. */
  baseUrl: URL | string;
  /** The network's name: the organizer's name, and the subscription's title. */
  networkName: string;
  /** The mailbox the network sends from (MAIL_FROM, "Name <address>" or an address): the organizer. */
  organizerEmail: string;
  /** The reader's language, for the few words the file adds (the page's address, the video link, "cancelled"). */
  locale: Locale;
  /** When the file is made: its DTSTAMP. */
  now: number;
}

export interface EventOptions {
  /** Whether this reader may attend: only then does the video link go in. */
  mayAttend: boolean;
  /** The person the file is for, as an ATTENDEE with their answer (iTIP REQUEST and CANCEL name one). */
  attendee?: { name: string; email: string; status: RegistrationStatus | null } | null;
}

export type CalendarMethod = "REQUEST" | "CANCEL" | "PUBLISH";

/** The UID a workshop keeps for its whole life, whatever changes. */
export function workshopUid(workshopId: string, baseUrl: URL | string): string {
  return `workshop-${workshopId}@${new URL(baseUrl).hostname}`;
}

/** REQUEST while it takes place, CANCEL once cancelled (RFC 5546). */
export function methodOf(workshop: Pick<CalendarWorkshop, "state">): "REQUEST" | "CANCEL" {
  return workshop.state === "cancelled" ? "CANCEL" : "REQUEST";
}

/** One workshop's calendar file, as the route sends it and a mail attaches it. */
export function workshopInvitation(
  workshop: CalendarWorkshop,
  options: CalendarOptions & EventOptions,
): { filename: string; method: "REQUEST" | "CANCEL"; content: string } {
  const method = methodOf(workshop);
  const calendar = newCalendar(options, method);
  addWorkshop(calendar, workshop, options, options);
  return { filename: `${fileStem(workshop.title)}.ics`, method, content: calendar.toString() };
}

/**
 * A member's subscription: every workshop given, each with the reader's
 * right to its video link. PUBLISH: a calendar app reads it as a feed it
 * refreshes (REFRESH-INTERVAL), not as invitations to answer.
 */
export function personalCalendar(
  workshops: readonly (CalendarWorkshop & { mayAttend: boolean })[],
  options: CalendarOptions,
): string {
  const t = translator(options.locale);
  const calendar = newCalendar(options, "PUBLISH");
  calendar.name(icsText(t("calendarFeed.name", { network: options.networkName })));
  calendar.ttl(REFRESH_SECONDS);
  for (const w of workshops) addWorkshop(calendar, w, options, { mayAttend: w.mayAttend });
  return calendar.toString();
}

/** How often a subscribed calendar should fetch the feed again. */
const REFRESH_SECONDS = 3600;

function newCalendar(options: CalendarOptions, method: CalendarMethod): ICalCalendar {
  return ical({
    prodId: { company: "Cercle", product: "Ateliers", language: options.locale.toUpperCase() },
    method: ICalCalendarMethod[method],
    // No zone name at calendar level (DTSTAMP would lose its "Z"): only the generator of each event's VTIMEZONE,
    // @touch4it/ical-timezones' through the check that refuses a zone it would get wrong.
    timezone: { name: null, generator: vtimezone },
  });
}

function addWorkshop(calendar: ICalCalendar, w: CalendarWorkshop, options: CalendarOptions, event: EventOptions) {
  if (!supportsTimeZone(w.time_zone)) throw new Error(`Workshop ${w.id}: no calendar time zone for "${w.time_zone}"`);
  const t = translator(options.locale);
  const page = new URL(workshopUrl(w.space_slug, w.id), options.baseUrl).href;
  const cancelled = w.state === "cancelled";
  const video = event.mayAttend ? w.video_url : null;

  const description = [
    cancelled ? (w.cancel_reason ? t("workshopIcs.cancelledBecause", { reason: w.cancel_reason }) : t("workshopIcs.cancelled")) : null,
    w.description_text.trim() || null,
    video ? t("workshopIcs.video", { url: video }) : null,
    t("workshopIcs.page", { url: page }),
  ].filter((part): part is string => part !== null);

  // Luxon DateTimes in the workshop's zone: written as its wall-clock times, with TZID and its VTIMEZONE;
  // in UTC only when a wall-clock time would be read as another instant (the hour the clocks go back).
  const zone = readsBackAs(w.starts_at, w.time_zone) && readsBackAs(w.ends_at, w.time_zone) ? w.time_zone : "utc";
  const e = calendar.createEvent({
    id: workshopUid(w.id, options.baseUrl),
    sequence: w.sequence,
    stamp: DateTime.fromMillis(options.now, { zone: "utc" }),
    start: DateTime.fromMillis(w.starts_at, { zone }),
    end: DateTime.fromMillis(w.ends_at, { zone }),
    timezone: zone === "utc" ? null : zone,
    summary: w.title,
    description: description.join("\n\n"),
    // The place; without one, the video link where calendars offer to open it.
    location: w.place ?? video ?? null,
    url: page,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    created: DateTime.fromMillis(w.created_at, { zone: "utc" }),
    lastModified: DateTime.fromMillis(w.updated_at, { zone: "utc" }),
    organizer: { name: paramText(options.networkName), email: mailbox(options.organizerEmail) },
  });
  if (event.attendee) {
    e.createAttendee({
      name: paramText(event.attendee.name),
      email: event.attendee.email,
      status: PARTSTAT[event.attendee.status ?? "none"],
      rsvp: false,
    });
  }
}

/**
 * Whether the wall-clock time of the instant `ms` in `zone` names that
 * instant and no other. In the hour the clocks go back, 02:30 in Paris
 * happens twice: RFC 5545 (§3.3.5) reads such a time as the first, ical.js
 * as the second (found by reading every zone's changes back), so either
 * 02:30 goes out in UTC, which every calendar reads the same.
 */
export function readsBackAs(ms: number, zone: string): boolean {
  const wallAsUtc = ms + DateTime.fromMillis(ms, { zone }).offset * 60_000;
  // The offsets the zone has around that day: each gives an instant this wall-clock time may name.
  const offsets = new Set([-86_400_000, 0, 86_400_000].map((d) => DateTime.fromMillis(ms + d, { zone }).offset));
  const named = [...offsets].map((o) => wallAsUtc - o * 60_000).filter((t) => DateTime.fromMillis(t, { zone }).offset * 60_000 === wallAsUtc - t);
  // Named once only: RFC 5545 reads a doubled time as the first, ical.js (Thunderbird) as the second; UTC settles it.
  return named.length === 1 && named[0] === ms;
}

// The attendee's answer as iCalendar says it; the waitlist has not been accepted yet.
const PARTSTAT: Record<RegistrationStatus | "none", ICalAttendeeStatus> = {
  going: ICalAttendeeStatus.ACCEPTED,
  maybe: ICalAttendeeStatus.TENTATIVE,
  waiting: ICalAttendeeStatus.NEEDSACTION,
  not_going: ICalAttendeeStatus.DECLINED,
  none: ICalAttendeeStatus.NEEDSACTION,
};

/** "Cercle <cercle@example.org>" → "cercle@example.org". */
function mailbox(from: string): string {
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(from);
  return (m ? m[1] : from).trim();
}

/**
 * ical-generator writes the calendar's NAME and X-WR-CALNAME as given: the
 * TEXT escapes of RFC 5545 §3.3.11 are ours to make (a network named
 * "Cercle, Lyon; Est" must not cut the line).
 */
function icsText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * A name in a quoted parameter (CN="…"): RFC 5545 has no escape there, and
 * ical-generator's backslash before a double quote ends the value early in
 * every parser; a name keeps its quotes as typographic ones.
 */
function paramText(text: string): string {
  return text.replace(/"([^"]*)"/g, "“$1”").replace(/"/g, "”").replace(/[\\\r\n]+/g, " ");
}

/** A file name from the title: letters and digits only, the rest as dashes (the route's header carries the name as it is). */
function fileStem(title: string): string {
  const stem = title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return stem || "atelier";
}
