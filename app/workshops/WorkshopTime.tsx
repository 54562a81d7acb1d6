import type { Locale } from "#db/schema.ts";
import { workshopWhen } from "./mail.ts";

/**
 * A workshop's time in the reader's zone, with the zone named when it is not
 * the workshop's own (the same words as its mails: workshopWhen). Intl is
 * given the zone explicitly, so the server's text and the browser's agree.
 */
export function WorkshopTime({ locale, startsAt, endsAt, timeZone, readerZone }: { locale: Locale; startsAt: number; endsAt: number; timeZone: string; readerZone: string }) {
  return (
    <time dateTime={new Date(startsAt).toISOString()} suppressHydrationWarning>
      {workshopWhen(locale, { starts_at: startsAt, ends_at: endsAt, time_zone: timeZone }, readerZone)}
    </time>
  );
}
