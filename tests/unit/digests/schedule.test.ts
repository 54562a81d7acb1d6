import { describe, expect, test } from "vitest";
import { LATE_LIMIT_MS, MIN_GAP_MS, lastSendingMoment, periodMs } from "#app/digests/schedule.ts";

/**
 * When a digest goes (issue 18): at 8:00 on the member's own clock, every
 * day (daily) or every Monday (weekly); the period is that local day.
 * Expected instants are worked out by hand from each zone's offsets and
 * written in UTC, never computed with the code under test.
 *
 * The 2027 calendar, from 1 January 2027 being a Friday:
 * - 1 March is day 59 after 1 January (31 + 28), 59 = 8·7 + 3: Friday + 3 = Monday.
 *   So Mondays fall on 1, 8, 15, 22, 29 March; 13 and 27 March are Saturdays,
 *   14 and 28 March Sundays (the US and EU changes: second and last Sundays).
 * - 1 April is Thursday (day 90 = 12·7 + 6: Friday + 6); 4 April is a Sunday (the
 *   first of April, when New Zealand leaves summer time), 5 April a Monday.
 * - 1 October is day 273 = 39·7: a Friday; 31 October a Sunday (the EU autumn
 *   change), 25 October and 1 November Mondays.
 *
 * Offsets: Paris CET UTC+1, CEST UTC+2 (from 28 March 01:00Z to 31 October
 * 01:00Z); New York EST UTC−5, EDT UTC−4 (from 14 March 07:00Z); Tokyo JST
 * UTC+9 all year; Auckland NZDT UTC+13 until 4 April 2027 at 03:00 local
 * (14:00Z on 3 April), NZST UTC+12 after.
 */

const utc = (iso: string) => Date.parse(iso);
const MS = 1;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The moment and period as the test expects them, the moment written in UTC. */
const moment = (iso: string, period: string) => ({ at: utc(iso), period });

describe("daily, Europe/Paris, across the spring change (Sunday 28 March 2027)", () => {
  test.each([
    // Saturday 27 March, still CET: 08:00 local is 07:00Z.
    ["Saturday 06:59Z (07:59 CET): Friday's", "2027-03-27T06:59:00Z", moment("2027-03-26T07:00:00Z", "2027-03-26")],
    ["Saturday 07:00Z exactly (08:00 CET): Saturday's", "2027-03-27T07:00:00Z", moment("2027-03-27T07:00:00Z", "2027-03-27")],
    ["Saturday 23:30Z (00:30 CET Sunday): Saturday's still", "2027-03-27T23:30:00Z", moment("2027-03-27T07:00:00Z", "2027-03-27")],
    // Sunday 28 March, CEST from 01:00Z: 08:00 local is 06:00Z, an hour earlier in UTC.
    ["Sunday 05:59:59.999Z (07:59:59.999 CEST): Saturday's", "2027-03-28T05:59:59.999Z", moment("2027-03-27T07:00:00Z", "2027-03-27")],
    ["Sunday 06:00Z exactly (08:00 CEST): Sunday's", "2027-03-28T06:00:00Z", moment("2027-03-28T06:00:00Z", "2027-03-28")],
    ["Sunday 06:30Z (08:30 CEST, would be 07:30 in CET): Sunday's", "2027-03-28T06:30:00Z", moment("2027-03-28T06:00:00Z", "2027-03-28")],
    ["Monday 05:59Z: Sunday's", "2027-03-29T05:59:00Z", moment("2027-03-28T06:00:00Z", "2027-03-28")],
    ["Monday 06:00Z: Monday's", "2027-03-29T06:00:00Z", moment("2027-03-29T06:00:00Z", "2027-03-29")],
  ])("%s", (_, now, expected) => {
    expect(lastSendingMoment(utc(now), "Europe/Paris", "daily")).toEqual(expected);
  });

  test("one millisecond before 8:00 is the day before's, 8:00 itself is the day's", () => {
    const eight = utc("2027-03-28T06:00:00Z");
    expect(lastSendingMoment(eight - MS, "Europe/Paris", "daily")).toEqual(moment("2027-03-27T07:00:00Z", "2027-03-27"));
    expect(lastSendingMoment(eight, "Europe/Paris", "daily")).toEqual(moment("2027-03-28T06:00:00Z", "2027-03-28"));
    expect(lastSendingMoment(eight + MS, "Europe/Paris", "daily")).toEqual(moment("2027-03-28T06:00:00Z", "2027-03-28"));
  });

  test("the two sending moments around the change are 23 hours apart", () => {
    const saturday = lastSendingMoment(utc("2027-03-27T12:00:00Z"), "Europe/Paris", "daily").at;
    const sunday = lastSendingMoment(utc("2027-03-28T12:00:00Z"), "Europe/Paris", "daily").at;
    expect(sunday - saturday).toBe(23 * HOUR);
  });
});

describe("daily, Europe/Paris, across the autumn change (Sunday 31 October 2027)", () => {
  test.each([
    // Saturday 30 October, still CEST: 08:00 local is 06:00Z.
    ["Saturday 05:59Z (07:59 CEST): Friday's", "2027-10-30T05:59:00Z", moment("2027-10-29T06:00:00Z", "2027-10-29")],
    ["Saturday 06:00Z (08:00 CEST): Saturday's", "2027-10-30T06:00:00Z", moment("2027-10-30T06:00:00Z", "2027-10-30")],
    // Sunday 31 October, CET from 01:00Z: 08:00 local is 07:00Z, an hour later in UTC.
    ["Sunday 06:00Z (07:00 CET, would be 08:00 in CEST): still Saturday's", "2027-10-31T06:00:00Z", moment("2027-10-30T06:00:00Z", "2027-10-30")],
    ["Sunday 06:59:59.999Z (07:59:59.999 CET): still Saturday's", "2027-10-31T06:59:59.999Z", moment("2027-10-30T06:00:00Z", "2027-10-30")],
    ["Sunday 07:00Z (08:00 CET): Sunday's", "2027-10-31T07:00:00Z", moment("2027-10-31T07:00:00Z", "2027-10-31")],
    ["Monday 07:00Z (08:00 CET): Monday's", "2027-11-01T07:00:00Z", moment("2027-11-01T07:00:00Z", "2027-11-01")],
  ])("%s", (_, now, expected) => {
    expect(lastSendingMoment(utc(now), "Europe/Paris", "daily")).toEqual(expected);
  });

  test("the two sending moments around the change are 25 hours apart", () => {
    expect(utc("2027-10-31T07:00:00Z") - utc("2027-10-30T06:00:00Z")).toBe(25 * HOUR);
    const saturday = lastSendingMoment(utc("2027-10-30T12:00:00Z"), "Europe/Paris", "daily").at;
    const sunday = lastSendingMoment(utc("2027-10-31T12:00:00Z"), "Europe/Paris", "daily").at;
    expect(sunday - saturday).toBe(25 * HOUR);
  });
});

describe("daily, America/New_York, across the US change (Sunday 14 March 2027)", () => {
  test.each([
    // Saturday 13 March, EST: 08:00 local is 13:00Z.
    ["Saturday 12:59Z (07:59 EST): Friday's", "2027-03-13T12:59:00Z", moment("2027-03-12T13:00:00Z", "2027-03-12")],
    ["Saturday 13:00Z (08:00 EST): Saturday's", "2027-03-13T13:00:00Z", moment("2027-03-13T13:00:00Z", "2027-03-13")],
    // Past midnight UTC, still Saturday evening in New York.
    ["Sunday 03:00Z (Saturday 22:00 EST): Saturday's", "2027-03-14T03:00:00Z", moment("2027-03-13T13:00:00Z", "2027-03-13")],
    // Sunday 14 March, EDT from 07:00Z: 08:00 local is 12:00Z.
    ["Sunday 11:59Z (07:59 EDT): Saturday's", "2027-03-14T11:59:00Z", moment("2027-03-13T13:00:00Z", "2027-03-13")],
    ["Sunday 12:00Z (08:00 EDT, would be 07:00 in EST): Sunday's", "2027-03-14T12:00:00Z", moment("2027-03-14T12:00:00Z", "2027-03-14")],
    ["Monday 12:00Z (08:00 EDT): Monday's", "2027-03-15T12:00:00Z", moment("2027-03-15T12:00:00Z", "2027-03-15")],
  ])("%s", (_, now, expected) => {
    expect(lastSendingMoment(utc(now), "America/New_York", "daily")).toEqual(expected);
  });
});

describe("weekly: Mondays at 8:00 local", () => {
  test.each([
    // Tokyo (UTC+9, no summer time): Monday 08:00 JST is Sunday 23:00Z.
    ["Tokyo, Sunday 22:59Z (Monday 07:59 JST): the Monday before", "Asia/Tokyo", "2027-03-21T22:59:00Z", moment("2027-03-14T23:00:00Z", "2027-03-15")],
    ["Tokyo, Sunday 23:00Z (Monday 08:00 JST): this Monday", "Asia/Tokyo", "2027-03-21T23:00:00Z", moment("2027-03-21T23:00:00Z", "2027-03-22")],
    ["Tokyo, Wednesday: Monday's", "Asia/Tokyo", "2027-03-24T10:00:00Z", moment("2027-03-21T23:00:00Z", "2027-03-22")],
    ["Tokyo, the Sunday after, 22:59Z (Monday 07:59 JST): still the Monday before", "Asia/Tokyo", "2027-03-28T22:59:59.999Z", moment("2027-03-21T23:00:00Z", "2027-03-22")],
    ["Tokyo, Sunday 28 March 23:00Z (Monday 29, 08:00 JST)", "Asia/Tokyo", "2027-03-28T23:00:00Z", moment("2027-03-28T23:00:00Z", "2027-03-29")],
    // Paris: Monday 22 March in CET (07:00Z), Monday 29 March in CEST (06:00Z).
    ["Paris, Thursday 25 March: Monday 22 at 07:00Z (CET)", "Europe/Paris", "2027-03-25T12:00:00Z", moment("2027-03-22T07:00:00Z", "2027-03-22")],
    ["Paris, Monday 29 March 05:59Z (07:59 CEST): the Monday before", "Europe/Paris", "2027-03-29T05:59:00Z", moment("2027-03-22T07:00:00Z", "2027-03-22")],
    ["Paris, Monday 29 March 06:00Z (08:00 CEST): this Monday", "Europe/Paris", "2027-03-29T06:00:00Z", moment("2027-03-29T06:00:00Z", "2027-03-29")],
    // New York: Monday 8 March in EST (13:00Z), Monday 15 March in EDT (12:00Z).
    ["New York, Sunday 14 March (the change): Monday 8 at 13:00Z (EST)", "America/New_York", "2027-03-14T20:00:00Z", moment("2027-03-08T13:00:00Z", "2027-03-08")],
    ["New York, Monday 15 March 12:00Z (08:00 EDT)", "America/New_York", "2027-03-15T12:00:00Z", moment("2027-03-15T12:00:00Z", "2027-03-15")],
    // Paris across the autumn change: Monday 25 October in CEST (06:00Z), Monday 1 November in CET (07:00Z).
    ["Paris, Sunday 31 October: Monday 25 at 06:00Z (CEST)", "Europe/Paris", "2027-10-31T12:00:00Z", moment("2027-10-25T06:00:00Z", "2027-10-25")],
    ["Paris, Monday 1 November 06:30Z (07:30 CET): still Monday 25 October", "Europe/Paris", "2027-11-01T06:30:00Z", moment("2027-10-25T06:00:00Z", "2027-10-25")],
    ["Paris, Monday 1 November 07:00Z (08:00 CET)", "Europe/Paris", "2027-11-01T07:00:00Z", moment("2027-11-01T07:00:00Z", "2027-11-01")],
  ])("%s", (_, zone, now, expected) => {
    expect(lastSendingMoment(utc(now), zone, "weekly")).toEqual(expected);
  });

  test("every weekly period is a Monday, whatever the day and zone asked from", () => {
    const zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "Pacific/Auckland", "UTC"];
    // Every 5 hours for three weeks around the spring changes.
    for (let now = utc("2027-03-08T00:00:00Z"); now < utc("2027-03-29T00:00:00Z"); now += 5 * HOUR) {
      for (const zone of zones) {
        const { at, period } = lastSendingMoment(now, zone, "weekly");
        // A calendar date's weekday does not depend on any zone: read it at noon UTC.
        expect(new Date(`${period}T12:00:00Z`).getUTCDay(), `${zone} at ${new Date(now).toISOString()}`).toBe(1);
        expect(at).toBeLessThanOrEqual(now);
        expect(now - at).toBeLessThan(7 * 24 * HOUR + HOUR);
      }
    }
  });
});

describe("Pacific/Auckland: the local day is ahead of UTC's", () => {
  test.each([
    // Saturday 3 April 2027, NZDT (UTC+13): 08:00 local is 19:00Z on Friday 2 April.
    ["Friday 2 April 18:59Z (Saturday 07:59 NZDT): Friday's", "2027-04-02T18:59:00Z", moment("2027-04-01T19:00:00Z", "2027-04-02")],
    ["Friday 2 April 19:00Z (Saturday 08:00 NZDT): Saturday's", "2027-04-02T19:00:00Z", moment("2027-04-02T19:00:00Z", "2027-04-03")],
    // Sunday 4 April, NZST (UTC+12) from 14:00Z on the 3rd: 08:00 local is 20:00Z on Saturday 3 April.
    ["Saturday 3 April 19:00Z (Sunday 07:00 NZST, would be 08:00 in NZDT): still Saturday's", "2027-04-03T19:00:00Z", moment("2027-04-02T19:00:00Z", "2027-04-03")],
    ["Saturday 3 April 20:00Z (Sunday 08:00 NZST): Sunday's", "2027-04-03T20:00:00Z", moment("2027-04-03T20:00:00Z", "2027-04-04")],
  ])("daily: %s", (_, now, expected) => {
    expect(lastSendingMoment(utc(now), "Pacific/Auckland", "daily")).toEqual(expected);
  });

  test("weekly: Monday 5 April 08:00 NZST is Sunday 4 April 20:00Z", () => {
    expect(lastSendingMoment(utc("2027-04-04T19:59:59.999Z"), "Pacific/Auckland", "weekly")).toEqual(moment("2027-03-28T19:00:00Z", "2027-03-29"));
    expect(lastSendingMoment(utc("2027-04-04T20:00:00Z"), "Pacific/Auckland", "weekly")).toEqual(moment("2027-04-04T20:00:00Z", "2027-04-05"));
  });
});

describe("a zone the runtime does not know is read as UTC", () => {
  test.each(["Mars/Olympus_Mons", "", "Europe/Pariss", "not a zone"])("%j", (zone) => {
    expect(lastSendingMoment(utc("2027-03-28T07:59:59.999Z"), zone, "daily")).toEqual(moment("2027-03-27T08:00:00Z", "2027-03-27"));
    expect(lastSendingMoment(utc("2027-03-28T08:00:00Z"), zone, "daily")).toEqual(moment("2027-03-28T08:00:00Z", "2027-03-28"));
    // Weekly: Monday 29 March 08:00Z; the Sunday before falls back on Monday 22.
    expect(lastSendingMoment(utc("2027-03-28T08:00:00Z"), zone, "weekly")).toEqual(moment("2027-03-22T08:00:00Z", "2027-03-22"));
    expect(lastSendingMoment(utc("2027-03-29T08:00:00Z"), zone, "weekly")).toEqual(moment("2027-03-29T08:00:00Z", "2027-03-29"));
  });

  test("UTC itself", () => {
    expect(lastSendingMoment(utc("2027-01-01T08:00:00Z"), "UTC", "daily")).toEqual(moment("2027-01-01T08:00:00Z", "2027-01-01"));
    // Friday 1 January 2027: the Monday before is 28 December 2026.
    expect(lastSendingMoment(utc("2027-01-01T08:00:00Z"), "UTC", "weekly")).toEqual(moment("2026-12-28T08:00:00Z", "2026-12-28"));
  });
});

describe("the limits", () => {
  test("a moment more than 12 hours back is let go; no member is due again within 10 hours; a period is a day or a week", () => {
    expect(LATE_LIMIT_MS).toBe(12 * HOUR);
    expect(MIN_GAP_MS).toBe(10 * HOUR);
    expect(periodMs("daily")).toBe(24 * HOUR);
    expect(periodMs("weekly")).toBe(7 * 24 * HOUR);
  });

  test("a digest sent as late as allowed still leaves more than MIN_GAP_MS before the next 8:00, even on the 23-hour day", () => {
    // Paris: Saturday 27 March 8:00 CET (07:00Z) sent 12 h late at 19:00Z; Sunday's 8:00 CEST is 06:00Z, 11 h later.
    const lateSend = utc("2027-03-27T07:00:00Z") + LATE_LIMIT_MS;
    expect(lateSend).toBe(utc("2027-03-27T19:00:00Z"));
    const next = lastSendingMoment(utc("2027-03-28T06:00:00Z"), "Europe/Paris", "daily");
    expect(next.at - lateSend).toBe(11 * HOUR);
    expect(next.at - lateSend).toBeGreaterThan(MIN_GAP_MS);
  });
});
