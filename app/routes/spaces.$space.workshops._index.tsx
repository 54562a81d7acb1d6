import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listWorkshops } from "#db/queries/workshops.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { canReadSpace } from "#app/policies/space.ts";
import { canReadWorkshop, canScheduleWorkshops } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { workshopNewUrl, workshopUrl } from "#app/urls.ts";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "workshops.title");

/** The space's Workshops tab: upcoming (soonest first), then past (latest first). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, user } = await requireSpace(request, params.space, canReadSpace, context);
  const db = getDb();
  const now = Date.now();
  const [upcoming, past] = await Promise.all([
    listWorkshops(db, { spaceId: space.id, states: ["scheduled", "cancelled"], when: "upcoming", now, limit: 100 }),
    listWorkshops(db, { spaceId: space.id, states: ["scheduled"], when: "past", now, limit: 50 }),
  ]);
  const view = (w: (typeof upcoming)[number]) => ({
    id: w.id,
    title: w.title,
    href: workshopUrl(space.slug, w.id),
    startsAt: w.starts_at,
    endsAt: w.ends_at,
    timeZone: w.time_zone,
    place: w.place,
    online: w.video_url !== null,
    cancelled: w.state === "cancelled",
    facilitator: w.facilitator,
  });
  const readable = (w: (typeof upcoming)[number]) => canReadWorkshop(actor, membership, space, w);
  return {
    spaceSlug: space.slug,
    readerZone: user.time_zone,
    canSchedule: canScheduleWorkshops(actor, membership, space),
    upcoming: upcoming.filter(readable).map(view),
    past: past.filter(readable).map(view),
  };
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

export default function Workshops() {
  const t = useT();
  const { spaceSlug, canSchedule, upcoming, past, readerZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="section-head">
        <p className="muted">{t("workshops.intro")}</p>
        {canSchedule ? (
          <Link to={workshopNewUrl(spaceSlug)} className="btn btn-primary">
            {t("workshops.schedule")}
          </Link>
        ) : null}
      </div>
      <section aria-labelledby="upcoming-title" className="stack-sm">
        <h2 id="upcoming-title">{t("workshops.upcoming")}</h2>
        {upcoming.length === 0 ? (
          <p className="card empty-state">{t(canSchedule ? "workshops.emptyUpcomingAdmin" : "workshops.emptyUpcoming")}</p>
        ) : (
          <ul className="list-reset stack-sm">
            {upcoming.map((w) => (
              <WorkshopRow key={w.id} w={w} readerZone={readerZone} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="past-title" className="stack-sm">
        <h2 id="past-title">{t("workshops.past")}</h2>
        {past.length === 0 ? (
          <p className="muted">{t("workshops.emptyPast")}</p>
        ) : (
          <ul className="list-reset stack-sm">
            {past.map((w) => (
              <WorkshopRow key={w.id} w={w} readerZone={readerZone} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function WorkshopRow({ w, readerZone }: { w: Item; readerZone: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <li className="card workshop-row">
      <p className={`agenda-title${w.cancelled ? " is-cancelled" : ""}`}>
        <Link to={w.href}>{w.title}</Link>
      </p>
      <p className="agenda-meta">
        <WorkshopTime locale={locale} startsAt={w.startsAt} endsAt={w.endsAt} timeZone={w.timeZone} readerZone={readerZone} />
        {w.place ? <span>{w.place}</span> : null}
        {w.online ? <span className="badge">{t("agenda.online")}</span> : null}
        {w.cancelled ? <span className="badge badge-warning">{t("workshops.state.cancelled")}</span> : null}
        {w.facilitator ? <span>{t("workshops.facilitatedBy", { names: w.facilitator })}</span> : null}
      </p>
    </li>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
