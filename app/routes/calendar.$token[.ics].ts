import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarReader, personalCalendarResponse } from "#app/workshops/calendar-feed.server.ts";

/** A member's workshops as a calendar subscription (/calendar/:token.ics): the address carries their own token, no cookie. */
export async function loader({ params }: LoaderFunctionArgs) {
  const user = await calendarReader(params.token);
  return personalCalendarResponse(user);
}
