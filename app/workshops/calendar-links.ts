/**
 * "Add to my calendar" links for the calendars that take an event from an
 * address rather than a file: Google Calendar, and Outlook (outlook.live.com
 * for personal accounts, outlook.office.com for work ones). Pure: the
 * workshop page builds them in the browser and on the server alike.
 *
 * Times go in UTC ("…Z"), the instant itself, so no calendar can read them
 * in another zone; Google is also told the workshop's zone (ctz) to show it
 * in. The caller decides what the details hold: the video link only for
 * those who may attend.
 */

export interface CalendarLinkEvent {
  title: string;
  /** UTC ms. */
  startsAt: number;
  endsAt: number;
  /** The IANA zone the workshop was given in. */
  timeZone: string;
  /** Plain text: the description, the workshop page's address. */
  details: string;
  location: string | null;
}

/** Google and Outlook cut or refuse long addresses: the details are shortened, on a character boundary. */
const MAX_DETAILS = 1500;

function shortened(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_DETAILS ? text : `${chars.slice(0, MAX_DETAILS - 1).join("")}…`;
}

/** 20270328T003000Z: Google's compact UTC form. */
function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** 2027-03-28T00:30:00Z: Outlook's. */
function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function googleCalendarUrl(event: CalendarLinkEvent): string {
  const query = new URLSearchParams({
    action: "TEMPLATE",
    text: event.title,
    dates: `${compactUtc(event.startsAt)}/${compactUtc(event.endsAt)}`,
    ctz: event.timeZone,
    details: shortened(event.details),
  });
  if (event.location) query.set("location", event.location);
  return `https://calendar.google.com/calendar/render?${query.toString()}`;
}

export function outlookCalendarUrl(event: CalendarLinkEvent, account: "personal" | "work" = "personal"): string {
  const host = account === "work" ? "outlook.office.com" : "outlook.live.com";
  const query = new URLSearchParams({
    path: "/calendar/action/compose",
    rru: "addevent",
    subject: event.title,
    startdt: isoUtc(event.startsAt),
    enddt: isoUtc(event.endsAt),
    body: shortened(event.details),
  });
  if (event.location) query.set("location", event.location);
  return `https://${host}/calendar/0/action/compose?${query.toString()}`;
}
