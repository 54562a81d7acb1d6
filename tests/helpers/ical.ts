import ICAL from "ical.js";
import { expect } from "vitest";

/**
 * Reads an iCalendar text with ical.js (Mozilla's parser, what Thunderbird
 * reads with), as a calendar app would: the file's own VTIMEZONEs are
 * registered before any time is read, and only those (the service is reset
 * first, so a zone some earlier file carried cannot make this one read
 * right). A time whose TZID the file does not define fails here: ical.js
 * would otherwise read it as UTC without a word.
 */

export interface ReadEvent {
  uid: string;
  sequence: number;
  summary: string;
  description: string;
  location: string | null;
  url: string | null;
  status: string | null;
  /** The instants, as UTC ms, read through the file's own VTIMEZONE. */
  start: number;
  end: number;
  /** The TZID the start and end name (null: written in UTC). */
  startTzid: string | null;
  endTzid: string | null;
  /** DTSTAMP's value as written, and whether the parser reads it as UTC. */
  stampIsUtc: boolean;
  organizer: string | null;
  attendees: { email: string; partstat: string | null }[];
  component: ICAL.Component;
}

export interface ReadCalendar {
  method: string | null;
  name: string | null;
  refreshInterval: string | null;
  timezones: string[];
  events: ReadEvent[];
  component: ICAL.Component;
}

// X-WR-CALNAME is TEXT for every calendar app (escaped as RFC 5545 §3.3.11 says); ical.js reads unknown X- properties raw unless told.
const properties = ICAL.design.defaultSet.property as Record<string, { defaultType: string }>;
properties["x-wr-calname"] ??= { defaultType: "text" };

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function readCalendar(source: string): ReadCalendar {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(source));
  expect(calendar.name).toBe("vcalendar");
  const timezones: string[] = [];
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const tzid = text(vtimezone.getFirstPropertyValue("tzid"));
    expect(tzid, "every VTIMEZONE names its TZID").not.toBeNull();
    ICAL.TimezoneService.register(vtimezone);
    timezones.push(tzid!);
  }
  const events = calendar.getAllSubcomponents("vevent").map((vevent): ReadEvent => {
    const tzidOf = (name: "dtstart" | "dtend") => {
      const tzid = vevent.getFirstProperty(name)?.getParameter("tzid");
      const id = typeof tzid === "string" ? tzid : null;
      if (id) expect(timezones, `${name} names ${id}, which the file must define`).toContain(id);
      return id;
    };
    const startTzid = tzidOf("dtstart");
    const endTzid = tzidOf("dtend");
    const event = new ICAL.Event(vevent);
    const stamp = vevent.getFirstPropertyValue("dtstamp") as ICAL.Time | null;
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      description: event.description,
      location: text(event.location),
      url: text(vevent.getFirstPropertyValue("url")),
      status: text(vevent.getFirstPropertyValue("status")),
      start: event.startDate.toUnixTime() * 1000,
      end: event.endDate.toUnixTime() * 1000,
      startTzid,
      endTzid,
      stampIsUtc: stamp !== null && stamp.zone?.tzid === "UTC",
      organizer: text(vevent.getFirstPropertyValue("organizer")),
      // The URI scheme is case-insensitive (ical-generator writes MAILTO:): compared in lower case.
      attendees: vevent.getAllProperties("attendee").map((p) => ({ email: String(p.getFirstValue()).replace(/^mailto:/i, "mailto:"), partstat: text(p.getParameter("partstat")) })),
      component: vevent,
    };
  });
  return {
    method: text(calendar.getFirstPropertyValue("method")),
    name: text(calendar.getFirstPropertyValue("x-wr-calname")),
    refreshInterval: text(calendar.getFirstPropertyValue("refresh-interval")),
    timezones,
    events,
    component: calendar,
  };
}
