import { instantFromLocal, isTimeZone, localFromInstant } from "#app/blog/schedule.ts";
import type { DigestFrequency } from "#db/schema.ts";

/**
 * When digests go: at 8:00 on the member's own clock, every day or every
 * Monday. Worked out from the zone's own offsets (app/blog/schedule.ts), so
 * a change to or from summer time moves the instant and never the hour, and
 * the server's zone never matters.
 */

export const DIGEST_TIME = "08:00";
/** A weekly digest comes on Mondays (ISO day 1), the start of the working week. */
const WEEKLY_DAY = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);

/**
 * The latest sending moment at or before `now` for this member: its instant,
 * and its local day, which names the period (one digest per member and
 * period: the claim in db/queries/digests.ts).
 */
export function lastSendingMoment(now: number, zone: string, frequency: Exclude<DigestFrequency, "off">): { at: number; period: string } {
  // A zone the runtime does not know (renamed since it was saved) is read as UTC rather than never sending.
  const tz = isTimeZone(zone) ? zone : "UTC";
  let day = localFromInstant(now, tz).slice(0, 10);
  for (let i = 0; i < 9; i++) {
    const at = instantFromLocal(`${day}T${DIGEST_TIME}`, tz)!;
    if (at <= now && (frequency === "daily" || weekday(day) === WEEKLY_DAY)) return { at, period: day };
    day = dayBefore(day);
  }
  throw new Error(`No sending moment in the 9 days before ${new Date(now).toISOString()} in ${tz}`);
}

/**
 * A sending moment further back than this is let go, and the next one
 * awaited: a server down over 8:00 sends when back the same morning, but a
 * weekly digest never turns up on a Friday (nor for everyone at once the day
 * digests were first deployed).
 */
export const LATE_LIMIT_MS = 12 * 60 * 60 * 1000;

/** How far back a member's first digest looks: one period. */
export const periodMs = (frequency: Exclude<DigestFrequency, "off">) => (frequency === "daily" ? DAY_MS : 7 * DAY_MS);

/**
 * No member can be due again sooner than this after their last digest ended:
 * a digest goes at 8:00 or, the server having been down, up to LATE_LIMIT_MS
 * later (20:00); the next 8:00 is a day later, 23 hours at the least across
 * a change of clocks — so at least 11 hours after. The sweep reads only
 * members whose last digest ended before now minus this.
 */
export const MIN_GAP_MS = 10 * 60 * 60 * 1000;
