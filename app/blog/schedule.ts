import { TZDate, tzOffset } from "@date-fns/tz";

/**
 * A scheduled moment is typed as a wall-clock time ("2026-11-23T09:00", what
 * <input type="datetime-local"> gives) in the author's own time zone, and
 * stored as one instant (UTC milliseconds). These convert between the two.
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time in `timeZone` names, or null when it is not a
 * valid date and time. Worked out from the zone's offsets alone, so the
 * server's own zone never matters: a time the clocks pass twice (autumn)
 * is its first occurrence; a time they skip (spring) is read with the offset
 * before the change, which the clock shows as one hour later.
 */
export function instantFromLocal(local: string, timeZone: string): number | null {
  const m = LOCAL.exec(local.trim());
  if (!m || !isTimeZone(timeZone)) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // 31 February rolls over to March: refuse what the calendar does not have.
  if (new Date(wall).getUTCDate() !== day) return null;
  const DAY = 24 * 60 * 60 * 1000;
  // The zone's offsets a day either side bracket any change on this date.
  const offsets = [...new Set([tzOffset(timeZone, new Date(wall - DAY)), tzOffset(timeZone, new Date(wall + DAY))])];
  const candidates = offsets.map((minutes) => wall - minutes * 60_000).sort((a, b) => a - b);
  const exact = candidates.filter((instant) => tzOffset(timeZone, new Date(instant)) * 60_000 === wall - instant);
  if (exact.length > 0) return exact[0];
  return wall - tzOffset(timeZone, new Date(wall - DAY)) * 60_000;
}

/** The wall-clock time of `instant` in `timeZone`, as datetime-local wants it ("2026-11-23T09:00"). */
export function localFromInstant(instant: number, timeZone: string): string {
  const d = new TZDate(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
