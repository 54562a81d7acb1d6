import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { personalCalendar, readsBackAs, workshopInvitation, workshopUid, type CalendarOptions, type CalendarWorkshop } from "#app/workshops/ics.server.ts";
import { supportsTimeZone } from "#app/workshops/time-zones.ts";
import { readCalendar } from "#tests/helpers/ical.ts";

/**
 * The workshop's calendar file, read back with a real iCalendar parser
 * (ical.js), never with a regular expression: what a calendar app would
 * understand of it is what is checked. Expected instants are written out by
 * hand from the zone's rules (Paris: UTC+1 in winter, +2 in summer; New York:
 * −5, −4), not taken from the code under test.
 */

const BASE = "https://cercle.example.org";
const options = (over: Partial<CalendarOptions> = {}): CalendarOptions => ({
  baseUrl: BASE,
  networkName: "Réseau des Consultants",
  organizerEmail: "Cercle <ne-pas-repondre@cercle.example.org>",
  locale: "fr",
  now: Date.UTC(2027, 0, 10, 9, 15, 42),
  ...over,
});

function workshop(over: Partial<CalendarWorkshop> = {}): CalendarWorkshop {
  return {
    id: "w7kq2",
    space_slug: "club-achats",
    title: "Négocier avec un fournisseur unique",
    state: "scheduled",
    starts_at: Date.UTC(2027, 5, 15, 16, 0),
    ends_at: Date.UTC(2027, 5, 15, 18, 0),
    time_zone: "Europe/Paris",
    place: "12 rue de la Paix, 75002 Paris",
    video_url: "https://visio.example.org/achats",
    description_text: "Retours d’expérience et grille d’analyse.",
    sequence: 0,
    created_at: Date.UTC(2027, 0, 2),
    updated_at: Date.UTC(2027, 0, 3),
    cancel_reason: null,
    ...over,
  };
}

const read = (w: CalendarWorkshop, mayAttend = true, over: Partial<CalendarOptions> = {}) => {
  const file = workshopInvitation(w, { ...options(over), mayAttend });
  const calendar = readCalendar(file.content);
  expect(calendar.events).toHaveLength(1);
  return { file, calendar, event: calendar.events[0] };
};

// The process's own zone must not leak into the file (ical-generator writes a native Date in it).
const processZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = "Asia/Kolkata";
});
afterAll(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

describe("a workshop's calendar file", () => {
  test("REQUEST, a stable UID on the network's host, SEQUENCE from the workshop, DTSTAMP in UTC, TZID with its VTIMEZONE", () => {
    const { file, calendar, event } = read(workshop({ sequence: 3 }));
    expect(file.method).toBe("REQUEST");
    expect(file.filename).toBe("negocier-avec-un-fournisseur-unique.ics");
    expect(calendar.method).toBe("REQUEST");
    expect(event.uid).toBe("workshop-w7kq2@cercle.example.org");
    expect(event.sequence).toBe(3);
    expect(event.stampIsUtc).toBe(true);
    expect(event.status).toBe("CONFIRMED");
    expect(event.startTzid).toBe("Europe/Paris");
    expect(event.endTzid).toBe("Europe/Paris");
    expect(calendar.timezones).toEqual(["Europe/Paris"]);
    // 18:00 in Paris in June (UTC+2) is 16:00 UTC, whatever the server's zone (Kolkata here).
    expect(event.start).toBe(Date.UTC(2027, 5, 15, 16, 0));
    expect(event.end).toBe(Date.UTC(2027, 5, 15, 18, 0));
    expect(event.component.getFirstProperty("dtstart")!.toICALString()).toBe("DTSTART;TZID=Europe/Paris:20270615T180000");
    expect(event.summary).toBe("Négocier avec un fournisseur unique");
    expect(event.location).toBe("12 rue de la Paix, 75002 Paris");
    expect(event.url).toBe(`${BASE}/spaces/club-achats/workshops/w7kq2`);
    expect(event.description).toContain("Retours d’expérience et grille d’analyse.");
    expect(event.description).toContain(`${BASE}/spaces/club-achats/workshops/w7kq2`);
    expect(event.organizer).toBe("mailto:ne-pas-repondre@cercle.example.org");
  });

  test("the UID stays through every change while SEQUENCE follows; a cancellation is METHOD:CANCEL, STATUS:CANCELLED", () => {
    const first = read(workshop({ sequence: 0 })).event;
    const moved = read(workshop({ sequence: 1, starts_at: Date.UTC(2027, 5, 16, 7, 0), ends_at: Date.UTC(2027, 5, 16, 9, 0), place: "Salle 2" })).event;
    const cancelled = read(workshop({ sequence: 2, state: "cancelled", cancel_reason: "Intervenante malade" }));
    expect(moved.uid).toBe(first.uid);
    expect(cancelled.event.uid).toBe(first.uid);
    expect([first.sequence, moved.sequence, cancelled.event.sequence]).toEqual([0, 1, 2]);
    expect(moved.start).toBe(Date.UTC(2027, 5, 16, 7, 0));
    expect(moved.location).toBe("Salle 2");
    expect(cancelled.file.method).toBe("CANCEL");
    expect(cancelled.calendar.method).toBe("CANCEL");
    expect(cancelled.event.status).toBe("CANCELLED");
    expect(cancelled.event.description).toContain("Intervenante malade");
  });

  test("Paris, the night the clocks go forward: 01:30 → 04:00 on 28 March 2027 is 00:30Z → 02:00Z", () => {
    const { event } = read(workshop({ starts_at: Date.UTC(2027, 2, 28, 0, 30), ends_at: Date.UTC(2027, 2, 28, 2, 0) }));
    expect(event.component.getFirstProperty("dtstart")!.toICALString()).toBe("DTSTART;TZID=Europe/Paris:20270328T013000");
    expect(event.component.getFirstProperty("dtend")!.toICALString()).toBe("DTEND;TZID=Europe/Paris:20270328T040000");
    expect(event.start).toBe(Date.UTC(2027, 2, 28, 0, 30));
    expect(event.end).toBe(Date.UTC(2027, 2, 28, 2, 0));
  });

  test("Paris, the night the clocks go back: 01:30 (summer) → 03:30 (winter) on 31 October 2027 is 23:30Z → 02:30Z", () => {
    const { event } = read(workshop({ starts_at: Date.UTC(2027, 9, 30, 23, 30), ends_at: Date.UTC(2027, 9, 31, 2, 30) }));
    expect(event.startTzid).toBe("Europe/Paris");
    expect(event.start).toBe(Date.UTC(2027, 9, 30, 23, 30));
    expect(event.end).toBe(Date.UTC(2027, 9, 31, 2, 30));
  });

  test("Paris, the hour that happens twice: from the first 02:30 to the second (00:30Z → 01:30Z) reads back exactly", () => {
    // 02:30 names two instants (RFC 5545 reads the first, ical.js the second): the file says them in UTC.
    const { event } = read(workshop({ starts_at: Date.UTC(2027, 9, 31, 0, 30), ends_at: Date.UTC(2027, 9, 31, 1, 30) }));
    expect(event.start).toBe(Date.UTC(2027, 9, 31, 0, 30));
    expect(event.end).toBe(Date.UTC(2027, 9, 31, 1, 30));
    expect(event.startTzid).toBeNull();
    expect(readsBackAs(Date.UTC(2027, 9, 31, 0, 30), "Europe/Paris")).toBe(false);
    expect(readsBackAs(Date.UTC(2027, 9, 31, 1, 30), "Europe/Paris")).toBe(false);
    expect(readsBackAs(Date.UTC(2027, 9, 31, 2, 30), "Europe/Paris")).toBe(true);
    // The first and the second 02:30 alone, each read back as itself.
    for (const start of [Date.UTC(2027, 9, 31, 0, 30), Date.UTC(2027, 9, 31, 1, 30)]) {
      expect(read(workshop({ starts_at: start, ends_at: start + 1_800_000 })).event.start).toBe(start);
    }
  });

  test("a workshop given in America/New_York reads back exactly, in summer and across its own changes", () => {
    const summer = read(workshop({ time_zone: "America/New_York", starts_at: Date.UTC(2027, 6, 1, 22, 0), ends_at: Date.UTC(2027, 6, 2, 0, 30) }));
    expect(summer.calendar.timezones).toEqual(["America/New_York"]);
    expect(summer.event.component.getFirstProperty("dtstart")!.toICALString()).toBe("DTSTART;TZID=America/New_York:20270701T180000");
    expect(summer.event.start).toBe(Date.UTC(2027, 6, 1, 22, 0));
    expect(summer.event.end).toBe(Date.UTC(2027, 6, 2, 0, 30));
    // 14 March 2027, 01:00 EST → 04:00 EDT: 06:00Z → 08:00Z.
    const spring = read(workshop({ time_zone: "America/New_York", starts_at: Date.UTC(2027, 2, 14, 6, 0), ends_at: Date.UTC(2027, 2, 14, 8, 0) })).event;
    expect([spring.start, spring.end]).toEqual([Date.UTC(2027, 2, 14, 6, 0), Date.UTC(2027, 2, 14, 8, 0)]);
    // 7 November 2027, 00:30 EDT → 03:00 EST: 04:30Z → 08:00Z.
    const autumn = read(workshop({ time_zone: "America/New_York", starts_at: Date.UTC(2027, 10, 7, 4, 30), ends_at: Date.UTC(2027, 10, 7, 8, 0) })).event;
    expect([autumn.start, autumn.end]).toEqual([Date.UTC(2027, 10, 7, 4, 30), Date.UTC(2027, 10, 7, 8, 0)]);
  });

  test("a zone the calendar data lacks is refused, never written as UTC by mistake", () => {
    expect(supportsTimeZone("America/Montreal")).toBe(false);
    expect(() => workshopInvitation(workshop({ time_zone: "America/Montreal" }), { ...options(), mayAttend: true })).toThrow(/America\/Montreal/);
    expect(supportsTimeZone("Europe/Paris")).toBe(true);
    expect(supportsTimeZone("America/New_York")).toBe(true);
    expect(supportsTimeZone("Not/A_Zone")).toBe(false);
    // Offsets right, dates of change stale in the VTIMEZONE data (tzdata 2018g): a calendar would be an hour off for weeks.
    expect(supportsTimeZone("Africa/Casablanca")).toBe(false);
    expect(supportsTimeZone("Asia/Jerusalem")).toBe(false);
    expect(supportsTimeZone("")).toBe(false);
  });

  test("the video link goes only to a reader who may attend; the place stays for all", () => {
    const attendee = read(workshop(), true).event;
    const reader = read(workshop(), false).event;
    expect(attendee.description).toContain("https://visio.example.org/achats");
    expect(reader.description).not.toContain("visio.example.org");
    expect(reader.component.toString()).not.toContain("visio.example.org");
    // Without a place, calendars offer the video link where they show the place; never to a mere reader.
    expect(read(workshop({ place: null }), true).event.location).toBe("https://visio.example.org/achats");
    expect(read(workshop({ place: null }), false).event.location).toBeNull();
  });

  test("text with commas, semicolons, backslashes, line breaks and accents comes back as written", () => {
    const title = "Achats, délais; et \\ marges — « retours »";
    const description = "Première ligne\nDeuxième; avec, virgules\n\nTroisième";
    const { event } = read(workshop({ title, description_text: description, place: "Lyon; salle A, 2e" }));
    expect(event.summary).toBe(title);
    expect(event.description.startsWith(description)).toBe(true);
    expect(event.location).toBe("Lyon; salle A, 2e");
  });

  test("the reader is named as attendee with their answer; English words for an English reader", () => {
    const file = workshopInvitation(workshop({ state: "cancelled" }), {
      ...options({ locale: "en" }),
      mayAttend: true,
      attendee: { name: "Alice Martin", email: "alice@example.org", status: "going" },
    });
    const event = readCalendar(file.content).events[0];
    expect(event.attendees).toEqual([{ email: "mailto:alice@example.org", partstat: "ACCEPTED" }]);
    expect(event.description).toContain("Workshop cancelled.");
    expect(event.description).toContain("Workshop page: ");
  });

  test("a name with double quotes (network, attendee) leaves the file readable, the name kept with typographic quotes", () => {
    const file = workshopInvitation(workshop(), {
      ...options({ networkName: 'Réseau "Les Pros"' }),
      mayAttend: true,
      attendee: { name: 'Jean "JJ" Dupont', email: "jj@example.org", status: "maybe" },
    });
    const event = readCalendar(file.content).events[0];
    expect(event.attendees).toEqual([{ email: "mailto:jj@example.org", partstat: "TENTATIVE" }]);
    expect(event.component.getFirstProperty("attendee")!.getParameter("cn")).toBe("Jean “JJ” Dupont");
    expect(event.component.getFirstProperty("organizer")!.getParameter("cn")).toBe("Réseau “Les Pros”");
    expect(event.organizer).toBe("mailto:ne-pas-repondre@cercle.example.org");
  });

  test("the UID's host is the network's, whatever the address's port or path", () => {
    expect(workshopUid("abc", "http://localhost:3000")).toBe("workshop-abc@localhost");
    expect(workshopUid("abc", new URL("https://clubs.example.org/"))).toBe("workshop-abc@clubs.example.org");
  });
});

describe("the personal subscription's calendar", () => {
  test("PUBLISH, named after the network (escaped), with a refresh interval, one event per workshop and each zone once", () => {
    const text = personalCalendar(
      [
        { ...workshop({ id: "a1" }), mayAttend: true },
        { ...workshop({ id: "a2", state: "cancelled", sequence: 4 }), mayAttend: false },
        { ...workshop({ id: "a3", time_zone: "America/New_York", starts_at: Date.UTC(2027, 6, 1, 22, 0), ends_at: Date.UTC(2027, 6, 2, 0, 0) }), mayAttend: true },
      ],
      options({ networkName: "Cercle, Lyon; Est" }),
    );
    const calendar = readCalendar(text);
    expect(calendar.method).toBe("PUBLISH");
    expect(calendar.name).toBe("Cercle, Lyon; Est — mes ateliers");
    expect(calendar.refreshInterval).toBe("PT1H");
    expect(calendar.timezones.sort()).toEqual(["America/New_York", "Europe/Paris"]);
    expect(calendar.events.map((e) => e.uid)).toEqual(["a1", "a2", "a3"].map((id) => `workshop-${id}@cercle.example.org`));
    expect(calendar.events[1]).toMatchObject({ status: "CANCELLED", sequence: 4 });
    expect(calendar.events[1].description).not.toContain("visio.example.org");
    expect(calendar.events[0].description).toContain("visio.example.org");
    expect(calendar.events[2].start).toBe(Date.UTC(2027, 6, 1, 22, 0));
    expect(calendar.events.every((e) => e.stampIsUtc)).toBe(true);
  });

  test("an empty subscription is still a valid calendar", () => {
    const calendar = readCalendar(personalCalendar([], options()));
    expect(calendar.method).toBe("PUBLISH");
    expect(calendar.events).toEqual([]);
  });
});
