import type { LoaderFunctionArgs } from "@remix-run/node";
import { findCalendarWorkshop, registrationStatus } from "#db/queries/workshop-calendar.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { canAttendWorkshop, canReadWorkshop } from "#app/policies/workshop.ts";
import { calendarOptions } from "#app/workshops/calendar-feed.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { attachment, forbidden, notFound } from "#app/utils/http.server.ts";
import { localeOf } from "#app/utils/network.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * A workshop as an iCalendar file (/spaces/:space/workshops/:workshop.ics:
 * the "[.ics]" in the file name is a literal dot, the id is the param).
 * A secret space is 404 to outsiders (loadSpace); another space's workshop,
 * a deleted one or a proposal is 404; a workshop the reader may not read is
 * 403, whether or not the id exists, as the space's other pages answer.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, user } = await loadSpace(request, params.space, context);
  const db = getDb();
  const workshop = params.workshop ? await findCalendarWorkshop(db, space.id, params.workshop) : undefined;
  if (!workshop || !canReadWorkshop(actor, membership, space, workshop)) {
    if (!canReadSpace(actor, membership, space)) forbidden();
    notFound();
  }
  const now = Date.now();
  // Loaded at the first calendar file, not at start (ical-generator, Luxon), as the wiki's Markdown export.
  const { workshopInvitation } = await import("#app/workshops/ics.server.ts");
  const options = await calendarOptions(null, now);
  const { filename, method, content } = workshopInvitation(
    { ...workshop, space_slug: space.slug },
    {
      ...options,
      locale: localeOf(user, options.locale),
      mayAttend: canAttendWorkshop(actor, membership, space, workshop),
      attendee: { name: user.display_name, email: user.email, status: await registrationStatus(db, workshop.id, user.id) },
    },
  );
  return new Response(content, {
    headers: {
      "Content-Type": `text/calendar; charset=utf-8; method=${method}`,
      "Content-Disposition": attachment(filename),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
