import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime, IANAZone } from "luxon";

/**
 * The time zones a workshop may be given in: those whose calendar files come
 * out right. A workshop's times go into its .ics as wall-clock times with
 * TZID=<zone>, and the VTIMEZONE written beside them (from
 * @touch4it/ical-timezones) is what a calendar reads them by. So a zone is
 * refused when that package has no VTIMEZONE for it (America/Montreal: the
 * times would be read as UTC), when its TZID names another zone, or when its
 * offsets are not today's (its data is frozen at tzdata 2018g: a zone that
 * has since dropped or moved its daylight saving time would be read hours
 * off). Core's form validation and the .ics writer ask the same question
 * here, so a zone accepted in the form always makes a correct file.
 *
 * Server only: the VTIMEZONE data is read from disk.
 */

const checked = new Map<string, boolean>();

/**
 * Zones whose VTIMEZONE keeps this year's offsets but not the dates they
 * change on (Morocco leaves +01 for Ramadan since 2019; Israel and Palestine
 * moved their changes after 2018): found by reading every zone's 2026–2028
 * changes back through ical.js, the other 404 zones reading back exactly.
 */
const STALE_DATES: ReadonlySet<string> = new Set(["Africa/Casablanca", "Africa/El_Aaiun", "Asia/Gaza", "Asia/Hebron", "Asia/Jerusalem"]);

export function supportsTimeZone(zone: string): boolean {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64) return false;
  let answer = checked.get(zone);
  if (answer === undefined) {
    answer = check(zone);
    // Zone names come from forms: remember only the ones a calendar may carry, and a bounded number of refusals.
    if (answer || checked.size < 1000) checked.set(zone, answer);
  }
  return answer;
}

/** The VTIMEZONE block for a zone supportsTimeZone accepts; it throws for any other (never a file read as UTC). */
export function vtimezone(zone: string): string {
  if (!supportsTimeZone(zone)) throw new Error(`No calendar time zone for "${zone}"`);
  return getVtimezoneComponent(zone)!;
}

function check(zone: string): boolean {
  if (!IANAZone.isValidZone(zone) || STALE_DATES.has(zone)) return false;
  const block = getVtimezoneComponent(zone);
  if (!block) return false;
  const lines = block.split(/\r?\n/).map((l) => l.trim());
  if (!lines.includes(`TZID:${zone}`)) return false;
  // The offsets the VTIMEZONE's rules reach, against those the zone has this year and next (Node's tzdata).
  const declared = new Set(lines.filter((l) => l.startsWith("TZOFFSETTO:")).map((l) => offsetMinutes(l.slice("TZOFFSETTO:".length))));
  const year = DateTime.utc().year;
  const actual = new Set<number>();
  for (const y of [year, year + 1]) {
    for (const month of [1, 4, 7, 10]) actual.add(DateTime.fromObject({ year: y, month, day: 1 }, { zone }).offset);
  }
  if (declared.size !== actual.size) return false;
  for (const offset of actual) if (!declared.has(offset)) return false;
  return true;
}

/** "+0130" / "-0500" → minutes east of UTC. */
function offsetMinutes(text: string): number {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(text);
  if (!m) return Number.NaN;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === "-" ? -minutes : minutes;
}
