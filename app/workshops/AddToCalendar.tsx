import { useT } from "#app/i18n/react.tsx";
import { googleCalendarUrl, outlookCalendarUrl, type CalendarLinkEvent } from "./calendar-links.ts";

/**
 * "Add to my calendar" on a workshop page: the .ics file (any calendar app)
 * and the links Google and Outlook take. The loader gives the event as the
 * reader may see it (the video link in `details` only if they may attend).
 */
export function AddToCalendar({ icsUrl, event }: { icsUrl: string; event: CalendarLinkEvent }) {
  const t = useT();
  return (
    <nav className="add-to-calendar" aria-label={t("workshopCalendar.title")}>
      <h3>{t("workshopCalendar.title")}</h3>
      <ul>
        <li>
          {/* A plain link (not <Link>): a file to download, never a client-side navigation. */}
          <a href={icsUrl} download rel="nofollow">
            {t("workshopCalendar.ics")}
          </a>
        </li>
        <li>
          <a href={googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
            {t("workshopCalendar.google")}
          </a>
        </li>
        <li>
          <a href={outlookCalendarUrl(event, "personal")} target="_blank" rel="noopener noreferrer">
            {t("workshopCalendar.outlook")}
          </a>
        </li>
        <li>
          <a href={outlookCalendarUrl(event, "work")} target="_blank" rel="noopener noreferrer">
            {t("workshopCalendar.office")}
          </a>
        </li>
      </ul>
    </nav>
  );
}
