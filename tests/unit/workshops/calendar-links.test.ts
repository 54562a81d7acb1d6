import { describe, expect, test } from "vitest";
import { calendarFeedUrl, workshopIcsUrl, workshopUrl } from "#app/urls.ts";
import { googleCalendarUrl, outlookCalendarUrl, type CalendarLinkEvent } from "#app/workshops/calendar-links.ts";

/**
 * "Add to Google / Outlook" links, read back as the services read them: the
 * query parameters, decoded. Times are the instants in UTC ("Z"), so neither
 * service can place them in another zone; the Paris night the clocks go
 * forward is the case that would show it.
 */

const event: CalendarLinkEvent = {
  title: "Atelier achats & négociation",
  // 28 March 2027, 01:30 → 04:00 in Paris: 00:30Z → 02:00Z.
  startsAt: Date.UTC(2027, 2, 28, 0, 30),
  endsAt: Date.UTC(2027, 2, 28, 2, 0),
  timeZone: "Europe/Paris",
  details: "Ordre du jour : tour de table, cas pratique.\n\nhttps://cercle.example.org/spaces/achats/workshops/w1",
  location: "12 rue de la Paix, Paris",
};

describe("add-to-calendar links", () => {
  test("Google: a TEMPLATE with the UTC instants, the zone to show them in, the text as given", () => {
    const url = new URL(googleCalendarUrl(event));
    expect(url.origin + url.pathname).toBe("https://calendar.google.com/calendar/render");
    expect(url.searchParams.get("action")).toBe("TEMPLATE");
    expect(url.searchParams.get("text")).toBe("Atelier achats & négociation");
    expect(url.searchParams.get("dates")).toBe("20270328T003000Z/20270328T020000Z");
    expect(url.searchParams.get("ctz")).toBe("Europe/Paris");
    expect(url.searchParams.get("details")).toBe(event.details);
    expect(url.searchParams.get("location")).toBe("12 rue de la Paix, Paris");
  });

  test("Outlook: personal and work accounts, ISO UTC times, subject and body as given", () => {
    const personal = new URL(outlookCalendarUrl(event));
    const work = new URL(outlookCalendarUrl(event, "work"));
    expect(personal.host).toBe("outlook.live.com");
    expect(work.host).toBe("outlook.office.com");
    for (const url of [personal, work]) {
      expect(url.pathname).toBe("/calendar/0/action/compose");
      expect(url.searchParams.get("rru")).toBe("addevent");
      expect(url.searchParams.get("subject")).toBe("Atelier achats & négociation");
      expect(url.searchParams.get("startdt")).toBe("2027-03-28T00:30:00Z");
      expect(url.searchParams.get("enddt")).toBe("2027-03-28T02:00:00Z");
      expect(url.searchParams.get("body")).toBe(event.details);
      expect(url.searchParams.get("location")).toBe("12 rue de la Paix, Paris");
    }
  });

  test("no place: no location parameter at all", () => {
    const online = { ...event, location: null };
    expect(new URL(googleCalendarUrl(online)).searchParams.has("location")).toBe(false);
    expect(new URL(outlookCalendarUrl(online)).searchParams.has("location")).toBe(false);
  });

  test("long details are shortened on a character boundary, never cutting an accent or an emoji in two", () => {
    const long = { ...event, details: "é🙂".repeat(2000) };
    const details = new URL(googleCalendarUrl(long)).searchParams.get("details")!;
    const chars = Array.from(details);
    expect(chars.length).toBe(1500);
    expect(chars.at(-1)).toBe("…");
    expect(details).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(new URL(outlookCalendarUrl(long)).searchParams.get("body")).toBe(details);
  });
});

describe("the calendar addresses (app/urls.ts), as the routes answer them", () => {
  test("a workshop's page and its file, which ends in .ics; the personal subscription", () => {
    expect(workshopUrl("club-photo", "w1")).toBe("/spaces/club-photo/workshops/w1");
    expect(workshopIcsUrl("club-photo", "w1")).toBe("/spaces/club-photo/workshops/w1.ics");
    expect(calendarFeedUrl("abc234")).toBe("/calendar/abc234.ics");
  });
});
