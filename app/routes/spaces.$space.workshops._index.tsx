import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { attendanceCounts } from "#db/queries/workshop-attendance.ts";
import { notesPages } from "#db/queries/workshop-notes.ts";
import * as workshops from "#db/queries/workshops.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { canOpenNewWorkshop, canReadWorkshop, canReadWorkshops, canScheduleWorkshops } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { wikiPageUrl, workshopNewUrl, workshopsTrashUrl, workshopUrl } from "#app/urls.ts";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "workshops.title");

/**
 * The space's Workshops tab: my registrations, upcoming (soonest first),
 * proposals (all of them for the admins, their own for a proposer), past
 * (latest first, with their notes and how many came).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, user } = await requireSpace(request, params.space, canReadWorkshops, context);
  const db = getDb();
  const now = Date.now();
  const admin = canScheduleWorkshops(actor, membership, space);
  const [upcoming, past, proposals, mine] = await Promise.all([
    workshops.listWorkshops(db, space.id, { states: ["scheduled", "cancelled"], from: now, limit: 100 }),
    workshops.listWorkshops(db, space.id, { states: ["scheduled"], before: now, limit: 50 }),
    workshops.listProposals(db, space.id, admin ? null : user.id),
    workshops.myUpcomingRegistrations(db, space.id, user.id, now),
  ]);
  const readable = <W extends workshops.WorkshopListRow>(list: W[]) => list.filter((w) => canReadWorkshop(actor, membership, space, w));
  const shown = [...readable(upcoming), ...readable(past), ...readable(proposals)];
  const ids = shown.map((w) => w.id);
  const [names, notes, attended] = await Promise.all([workshops.facilitatorNames(db, ids), notesPages(db, ids), attendanceCounts(db, ids)]);
  const view = (w: workshops.WorkshopListRow) => ({
    id: w.id,
    title: w.title,
    href: workshopUrl(space.slug, w.id),
    startsAt: w.starts_at,
    endsAt: w.ends_at,
    timeZone: w.time_zone,
    place: w.place,
    online: w.video_url !== null,
    state: w.state,
    network: w.visibility === "network",
    facilitators: [...(names.get(w.id) ?? []), ...(w.outside_speaker ? [w.outside_speaker] : [])],
    notes: notes.has(w.id) ? { href: wikiPageUrl(space.slug, notes.get(w.id)!.slug) } : null,
    attended: w.attendance_recorded_at !== null ? (attended.get(w.id) ?? 0) : null,
  });
  return {
    spaceSlug: space.slug,
    readerZone: user.time_zone,
    canOpenNew: canOpenNewWorkshop(actor, membership, space),
    admin,
    mine: readable(mine).map((w) => ({ ...view(w), myStatus: w.my_status })),
    upcoming: readable(upcoming).map(view),
    proposals: readable(proposals).map(view),
    past: readable(past).map(view),
  };
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["upcoming"][number];

export default function Workshops() {
  const t = useT();
  const { spaceSlug, canOpenNew, admin, mine, upcoming, proposals, past, readerZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="section-head">
        <p className="muted">{t("workshops.intro")}</p>
        <div className="actions">
          {canOpenNew ? (
            <Link to={workshopNewUrl(spaceSlug)} className="btn btn-primary">
              {t(admin ? "workshops.schedule" : "workshops.propose")}
            </Link>
          ) : null}
          {admin ? (
            <Link to={workshopsTrashUrl(spaceSlug)} className="btn">
              {t("workshops.trash.link")}
            </Link>
          ) : null}
        </div>
      </div>
      {mine.length > 0 ? (
        <section aria-labelledby="mine-title" className="stack-sm">
          <h2 id="mine-title">{t("workshops.mine")}</h2>
          <ul className="list-reset stack-sm">
            {mine.map((w) => (
              <WorkshopRow key={w.id} w={w} readerZone={readerZone} extra={t(`workshops.myStatus.${w.myStatus}` as MessageKey)} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="upcoming-title" className="stack-sm">
        <h2 id="upcoming-title">{t("workshops.upcoming")}</h2>
        {upcoming.length === 0 ? (
          <p className="card empty-state">{t(admin ? "workshops.emptyUpcomingAdmin" : "workshops.emptyUpcoming")}</p>
        ) : (
          <ul className="list-reset stack-sm">
            {upcoming.map((w) => (
              <WorkshopRow key={w.id} w={w} readerZone={readerZone} />
            ))}
          </ul>
        )}
      </section>
      {proposals.length > 0 ? (
        <section aria-labelledby="proposals-title" className="stack-sm">
          <h2 id="proposals-title">{t(admin ? "workshops.proposals" : "workshops.myProposals")}</h2>
          <ul className="list-reset stack-sm">
            {proposals.map((w) => (
              <WorkshopRow key={w.id} w={w} readerZone={readerZone} />
            ))}
          </ul>
        </section>
      ) : null}
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

function WorkshopRow({ w, readerZone, extra }: { w: Item; readerZone: string; extra?: string }) {
  const t = useT();
  const locale = useLocale();
  const badge: MessageKey | null = w.state === "cancelled" || w.state === "proposed" || w.state === "declined" ? `workshops.state.${w.state}` : null;
  return (
    <li className="card workshop-row">
      <p className={`agenda-title${w.state === "cancelled" ? " is-cancelled" : ""}`}>
        <Link to={w.href}>{w.title}</Link>
      </p>
      <p className="agenda-meta">
        <WorkshopTime locale={locale} startsAt={w.startsAt} endsAt={w.endsAt} timeZone={w.timeZone} readerZone={readerZone} />
        {w.place ? <span>{w.place}</span> : null}
        {w.online ? <span className="badge">{t("agenda.online")}</span> : null}
        {badge ? <span className={`badge${w.state === "proposed" ? "" : " badge-warning"}`}>{t(badge)}</span> : null}
        {w.network ? <span className="badge">{t("workshops.networkBadge")}</span> : null}
        {extra ? <span className="badge badge-accent">{extra}</span> : null}
        {w.facilitators.length ? <span>{t("workshops.facilitatedBy", { names: w.facilitators.join(", ") })}</span> : null}
        {w.attended !== null ? <span>{t("workshops.attendedCount", { count: w.attended })}</span> : null}
        {w.notes ? <Link to={w.notes.href}>{t("workshops.readNotes")}</Link> : null}
      </p>
    </li>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
