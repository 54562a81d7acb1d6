import { describe, expect, test } from "vitest";
import { instantFromLocal, isTimeZone, localFromInstant } from "#app/blog/schedule.ts";

/**
 * A scheduled article's moment is typed as a wall-clock time in the author's
 * time zone ("2026-11-23T09:00", what <input type="datetime-local"> sends)
 * and stored as one instant. Expected instants are written out in UTC by
 * hand, not computed with the code under test.
 */

const utc = (iso: string) => Date.parse(iso);

describe("instantFromLocal", () => {
  test("Paris in winter is UTC+1, in summer UTC+2", () => {
    expect(instantFromLocal("2026-01-15T09:00", "Europe/Paris")).toBe(utc("2026-01-15T08:00:00Z"));
    expect(instantFromLocal("2026-07-15T09:00", "Europe/Paris")).toBe(utc("2026-07-15T07:00:00Z"));
    // The last day of each: the change is read per date, not per month.
    expect(instantFromLocal("2026-03-28T12:00", "Europe/Paris")).toBe(utc("2026-03-28T11:00:00Z"));
    expect(instantFromLocal("2026-03-29T12:00", "Europe/Paris")).toBe(utc("2026-03-29T10:00:00Z"));
  });

  test("New York (UTC-5 / UTC-4) and Tokyo (UTC+9, no summer time)", () => {
    expect(instantFromLocal("2026-01-15T09:00", "America/New_York")).toBe(utc("2026-01-15T14:00:00Z"));
    expect(instantFromLocal("2026-07-15T09:00", "America/New_York")).toBe(utc("2026-07-15T13:00:00Z"));
    expect(instantFromLocal("2026-01-15T09:00", "Asia/Tokyo")).toBe(utc("2026-01-15T00:00:00Z"));
    expect(instantFromLocal("2026-07-15T09:00", "Asia/Tokyo")).toBe(utc("2026-07-15T00:00:00Z"));
    // Tokyo's 08:00 on the 1st is still the 31st in UTC.
    expect(instantFromLocal("2027-01-01T08:00", "Asia/Tokyo")).toBe(utc("2026-12-31T23:00:00Z"));
  });

  test("seconds are optional, and surrounding spaces are ignored", () => {
    expect(instantFromLocal("2026-01-15T09:00:30", "Europe/Paris")).toBe(utc("2026-01-15T08:00:30Z"));
    expect(instantFromLocal("  2026-01-15T09:00 ", "Europe/Paris")).toBe(utc("2026-01-15T08:00:00Z"));
    expect(instantFromLocal("2026-01-15T09:00", "UTC")).toBe(utc("2026-01-15T09:00:00Z"));
  });

  test("a time in the spring-forward gap does not exist: it is read one hour later (what the clock shows then)", () => {
    // Paris, 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 never happens.
    expect(instantFromLocal("2026-03-29T02:30", "Europe/Paris")).toBe(utc("2026-03-29T01:30:00Z")); // 03:30 CEST
    expect(instantFromLocal("2026-03-29T02:00", "Europe/Paris")).toBe(instantFromLocal("2026-03-29T03:00", "Europe/Paris"));
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT.
    expect(instantFromLocal("2026-03-08T02:30", "America/New_York")).toBe(utc("2026-03-08T07:30:00Z")); // 03:30 EDT
    // So the moment shown back is not the one typed, but a real one, and the next that fits.
    expect(localFromInstant(instantFromLocal("2026-03-29T02:30", "Europe/Paris")!, "Europe/Paris")).toBe("2026-03-29T03:30");
  });

  test("a time the fall-back overlap shows twice is its first occurrence, whatever the server's own zone", () => {
    // Paris, 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens at 00:30Z and at 01:30Z.
    const paris = instantFromLocal("2026-10-25T02:30", "Europe/Paris");
    expect(paris).toBe(utc("2026-10-25T00:30:00Z"));
    expect(localFromInstant(paris!, "Europe/Paris")).toBe("2026-10-25T02:30");
    // New York, 1 November 2026: 01:30 is at 05:30Z (EDT) and 06:30Z (EST).
    const newYork = instantFromLocal("2026-11-01T01:30", "America/New_York");
    expect(newYork).toBe(utc("2026-11-01T05:30:00Z"));
    expect(localFromInstant(newYork!, "America/New_York")).toBe("2026-11-01T01:30");
    // Either side of the overlap is unambiguous.
    expect(instantFromLocal("2026-10-25T01:59", "Europe/Paris")).toBe(utc("2026-10-24T23:59:00Z"));
    expect(instantFromLocal("2026-10-25T03:00", "Europe/Paris")).toBe(utc("2026-10-25T02:00:00Z"));
  });

  test("years before 1970 are refused (two-digit years once rolled into the 1900s)", () => {
    expect(instantFromLocal("0000-01-01T00:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("0099-06-01T12:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("1969-12-31T23:00", "UTC")).toBeNull();
  });

  test("dates the calendar does not have are refused, not rolled over", () => {
    expect(instantFromLocal("2026-02-31T09:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-02-29T09:00", "Europe/Paris")).toBeNull(); // 2026 is not a leap year
    expect(instantFromLocal("2026-04-31T09:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-00-10T09:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-13-10T09:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-01-00T09:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-01-32T09:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-01-15T24:00", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-01-15T09:60", "Europe/Paris")).toBeNull();
    expect(instantFromLocal("2026-01-15T09:00:60", "Europe/Paris")).toBeNull();
    // …while 29 February of a leap year is a date.
    expect(instantFromLocal("2028-02-29T09:00", "Europe/Paris")).toBe(utc("2028-02-29T08:00:00Z"));
  });

  test("malformed strings are refused", () => {
    for (const local of [
      "",
      "   ",
      "2026-01-15",
      "09:00",
      "2026-01-15 09:00",
      "2026-01-15T9:00",
      "2026-1-15T09:00",
      "26-01-15T09:00",
      "2026-01-15T09:00Z",
      "2026-01-15T09:00+01:00",
      "2026-01-15T09:00:00.000",
      "15/01/2026 09:00",
      "２０２６-01-15T09:00", // full-width digits
      "2026-01-15T09:00\n2026-01-16T09:00",
      "demain 9h",
      "1768464000000",
    ]) {
      expect(instantFromLocal(local, "Europe/Paris"), JSON.stringify(local)).toBeNull();
    }
  });

  test("an unknown time zone is refused", () => {
    for (const zone of ["", "Mars/Olympus", "Europe/Pariss", "+05:00", "CEST", "Paris", "Europe/Paris\u0000"]) {
      expect(isTimeZone(zone), JSON.stringify(zone)).toBe(false);
      expect(instantFromLocal("2026-01-15T09:00", zone), JSON.stringify(zone)).toBeNull();
    }
  });
});

describe("localFromInstant", () => {
  test("an instant as datetime-local shows it in a zone", () => {
    expect(localFromInstant(utc("2026-01-15T08:00:00Z"), "Europe/Paris")).toBe("2026-01-15T09:00");
    expect(localFromInstant(utc("2026-07-15T07:00:00Z"), "Europe/Paris")).toBe("2026-07-15T09:00");
    expect(localFromInstant(utc("2026-01-15T14:00:00Z"), "America/New_York")).toBe("2026-01-15T09:00");
    expect(localFromInstant(utc("2026-12-31T23:00:00Z"), "Asia/Tokyo")).toBe("2027-01-01T08:00");
    // Seconds are not part of what the form shows.
    expect(localFromInstant(utc("2026-01-15T08:00:45Z"), "Europe/Paris")).toBe("2026-01-15T09:00");
  });

  test("round trip: what is typed comes back as typed, in every zone and season", () => {
    const zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata", "UTC"];
    const moments = ["2026-01-15T09:00", "2026-07-15T18:45", "2026-03-29T01:59", "2026-10-25T03:00", "2026-12-31T23:59", "2028-02-29T00:00"];
    for (const zone of zones) {
      for (const local of moments) {
        const instant = instantFromLocal(local, zone);
        expect(instant, `${local} in ${zone}`).not.toBeNull();
        expect(localFromInstant(instant!, zone), `${local} in ${zone}`).toBe(local);
      }
    }
  });

  test("one instant reads differently in each zone, and back to the same instant", () => {
    const instant = utc("2026-11-23T08:00:00Z");
    expect(localFromInstant(instant, "Europe/Paris")).toBe("2026-11-23T09:00");
    expect(localFromInstant(instant, "America/New_York")).toBe("2026-11-23T03:00");
    expect(localFromInstant(instant, "Asia/Tokyo")).toBe("2026-11-23T17:00");
    for (const zone of ["Europe/Paris", "America/New_York", "Asia/Tokyo"]) {
      expect(instantFromLocal(localFromInstant(instant, zone), zone)).toBe(instant);
    }
  });
});
