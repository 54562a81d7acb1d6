import { DateTime } from "luxon";
import type { Locale } from "#db/schema.ts";

/**
 * The agenda's month, in the reader's time zone: whole weeks from Monday
 * (as French and British calendars begin them), the days outside the month
 * greyed, today marked. Pure: the zone, the locale and now come in.
 */

export interface MonthDay {
  /** "2026-12-07" in the reader's zone: how workshops are put on a day. */
  date: string;
  day: number;
  inMonth: boolean;
  today: boolean;
  /** "lundi 7 décembre", for screen readers and the phone's list. */
  label: string;
}

export interface MonthGrid {
  /** "2026-12" */
  month: string;
  /** "décembre 2026" */
  label: string;
  prev: string;
  next: string;
  /** The first shown week's Monday, 00:00, and the end of the last shown week (UTC ms). */
  from: number;
  to: number;
  weeks: MonthDay[][];
  /** "lun.", "mar." … for the column heads. */
  weekdays: string[];
}

/** A "YYYY-MM" month, or this month in the zone when absent; null when it is not a month. */
export function monthGrid(month: string | null, zone: string, locale: Locale, now: number): MonthGrid | null {
  const tag = locale === "fr" ? "fr-FR" : "en-GB";
  const today = DateTime.fromMillis(now, { zone }).setLocale(tag);
  let first: DateTime;
  if (month === null) first = today.startOf("month");
  else {
    if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
    first = DateTime.fromISO(`${month}-01`, { zone }).setLocale(tag);
    if (!first.isValid || first.year < 2000 || first.year > 2100) return null;
  }
  const start = first.startOf("week");
  const end = first.endOf("month").endOf("week").plus({ milliseconds: 1 });
  const weeks: MonthDay[][] = [];
  for (let day = start; day < end; day = day.plus({ days: 1 })) {
    if (day.weekday === 1) weeks.push([]);
    weeks.at(-1)!.push({
      date: day.toISODate()!,
      day: day.day,
      inMonth: day.month === first.month,
      today: day.hasSame(today, "day"),
      label: day.toLocaleString({ weekday: "long", day: "numeric", month: "long" }),
    });
  }
  return {
    month: first.toFormat("yyyy-MM"),
    label: first.toLocaleString({ month: "long", year: "numeric" }),
    prev: first.minus({ months: 1 }).toFormat("yyyy-MM"),
    next: first.plus({ months: 1 }).toFormat("yyyy-MM"),
    from: start.toMillis(),
    to: end.toMillis(),
    weeks,
    weekdays: weeks[0].map((d) => DateTime.fromISO(d.date, { zone }).setLocale(tag).toLocaleString({ weekday: "short" })),
  };
}

/** The reader's day of an instant ("2026-12-07"), as the grid names its days. */
export function dayOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}
