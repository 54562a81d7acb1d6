import type { Locale, User } from "#db/schema.ts";
import { findByCalendarToken, listPersonalCalendar } from "#db/queries/workshop-calendar.ts";
import { actorOf } from "#app/policies/actor.ts";
import { canAttendWorkshop, canReadWorkshop } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { localeOf, networkInfo } from "#app/utils/network.server.ts";
import type { CalendarOptions } from "./ics.server.ts";

/**
 * The calendars' side of the workshops: the options every file is made with
 * (who may read it and see its video link: app/policies/workshop-calendar.ts), and a
 * member's personal subscription — an address carrying their own token
 * (no cookie: calendar apps have none), checked at every fetch as that
 * person, today; a reset token answers 404 at once, as an unknown one.
 */

/** What every calendar file of this network is made with, for this reader. */
export async function calendarOptions(locale: Locale | null, now: number): Promise<CalendarOptions> {
  const env = getEnv();
  const network = await networkInfo();
  return { baseUrl: env.baseUrl, networkName: network.name, organizerEmail: env.mailFrom, locale: locale ?? network.locale, now };
}

export async function calendarReader(token: string | undefined): Promise<User> {
  const user = token ? await findByCalendarToken(getDb(), token) : undefined;
  if (!user) notFound();
  return user;
}

/** How far back the subscription reaches: last month's workshops stay, for the notes and the memory. */
const PAST_DAYS = 30;
/** Enough for years of a busy member's clubs; a calendar app reads the whole file at every refresh. */
const MAX_EVENTS = 500;

export async function personalCalendarResponse(user: User): Promise<Response> {
  const now = Date.now();
  const actor = actorOf(user);
  // Loaded at the first calendar, not at start (ical-generator, Luxon, the VTIMEZONE data), as the wiki's Markdown export.
  const [{ personalCalendar }, { supportsTimeZone }] = await Promise.all([import("./ics.server.ts"), import("./time-zones.ts")]);
  const rows = await listPersonalCalendar(getDb(), user.id, now - PAST_DAYS * 86_400_000, MAX_EVENTS);
  const options = await calendarOptions(null, now);
  const locale = localeOf(user, options.locale);
  const workshops = rows
    .map((row) => {
      const space = { visibility: row.space_visibility, join_policy: row.space_join_policy, archived_at: row.space_archived_at };
      const membership = row.role ? { role: row.role } : null;
      return { row, space, membership };
    })
    // The query gathers; the policies decide, as they do for the page.
    .filter(({ row, space, membership }) => canReadWorkshop(actor, membership, space, row))
    // Core refuses such a zone when a workshop is saved; one that slipped in must not take the whole subscription down.
    .filter(({ row }) => supportsTimeZone(row.time_zone))
    .map(({ row, space, membership }) => ({ ...row, mayAttend: canAttendWorkshop(actor, membership, space, row) }));
  return new Response(personalCalendar(workshops, { ...options, locale }), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8; method=PUBLISH",
      // The address is a secret: no shared cache, no search engine, no referrer.
      "Cache-Control": "private, no-cache",
      "X-Robots-Tag": "noindex",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
