import { TZDate } from "@date-fns/tz";

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

/** The instant a wall-clock time in `timeZone` names, or null when it is not a valid date and time. */
export function instantFromLocal(local: string, timeZone: string): number | null {
  const m = LOCAL.exec(local.trim());
  if (!m || !isTimeZone(timeZone)) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new TZDate(year, month - 1, day, hour, minute, second, timeZone);
  // 31 February rolls over to March: refuse what the calendar does not have.
  if (date.getDate() !== day || date.getMonth() !== month - 1) return null;
  return date.getTime();
}

/** The wall-clock time of `instant` in `timeZone`, as datetime-local wants it ("2026-11-23T09:00"). */
export function localFromInstant(instant: number, timeZone: string): string {
  const d = new TZDate(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
