import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { facilitators, findWorkshop } from "#db/queries/workshops.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { mayAttendWorkshop } from "#app/policies/workshop-calendar.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { canWriteComments } from "#app/policies/comment.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { workshopIcsUrl, workshopRegistrationUrl, workshopsUrl, workshopUrl } from "#app/urls.ts";
import { AddToCalendar } from "#app/workshops/AddToCalendar.tsx";
import { registrationView } from "#app/workshops/registration.server.ts";
import { RegistrationPanel } from "#app/workshops/RegistrationPanel.tsx";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.workshop.title} — Cercle` : "Cercle" }];

/**
 * A workshop's page: when (in the reader's zone, the workshop's named when
 * it differs), where, who leads it, its description, registration and the
 * calendar links. A workshop of another space, a trashed one or someone
 * else's proposal is not there (404); the video link only for those who may
 * attend.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, user } = await loadSpace(request, params.space, context);
  const db = getDb();
  const id = params.workshop ?? "";
  const workshop = id.length <= 64 ? await findWorkshop(db, space.id, id) : undefined;
  if (!workshop || !canReadWorkshop(actor, membership, space, workshop)) notFound();
  const now = Date.now();
  const attends = mayAttendWorkshop(actor, membership, space, workshop);
  const [leads, registration] = await Promise.all([facilitators(db, workshop.id), registrationView(db, workshop, user.id, now)]);
  const pageUrl = new URL(workshopUrl(space.slug, workshop.id), request.url).href;
  return {
    spaceSlug: space.slug,
    readerZone: user.time_zone,
    workshop: {
      id: workshop.id,
      title: workshop.title,
      state: workshop.state,
      past: workshop.ends_at <= now,
      startsAt: workshop.starts_at,
      endsAt: workshop.ends_at,
      timeZone: workshop.time_zone,
      place: workshop.place,
      videoUrl: attends ? workshop.video_url : null,
      online: workshop.video_url !== null,
      capacity: workshop.capacity,
      outsideSpeaker: workshop.outside_speaker,
      html: workshop.description_html,
      cancelReason: workshop.cancel_reason,
    },
    leads: leads.map((l) => l.name),
    registration,
    canRegister: canWriteComments(actor, membership, space) || attends,
    calendar: {
      icsUrl: workshopIcsUrl(space.slug, workshop.id),
      event: {
        title: workshop.title,
        startsAt: workshop.starts_at,
        endsAt: workshop.ends_at,
        timeZone: workshop.time_zone,
        details: [workshop.description_text, pageUrl].filter(Boolean).join("\n\n"),
        location: workshop.place ?? (attends ? workshop.video_url : null),
      },
    },
  };
}

export default function WorkshopPage() {
  const t = useT();
  const locale = useLocale();
  const { spaceSlug, readerZone, workshop: w, leads, registration, canRegister, calendar } = useLoaderData<typeof loader>();
  const names = [...leads, ...(w.outsideSpeaker ? [w.outsideSpeaker] : [])];
  const badge =
    w.state === "cancelled" ? "workshops.state.cancelled" : w.state === "proposed" ? "workshops.state.proposed" : w.state === "declined" ? "workshops.state.declined" : w.past ? "workshops.state.past" : null;
  return (
    <div className="stack">
      <Breadcrumb label={t("workshops.title")} items={[{ to: workshopsUrl(spaceSlug), label: t("workshops.title") }]} />
      <article className="workshop-page two-col">
        <div className="stack">
          <header className="card stack-sm">
            <h2 className={`workshop-title${w.state === "cancelled" ? " is-cancelled" : ""}`}>
              {w.title} {badge ? <span className={`badge${w.state === "cancelled" ? " badge-warning" : ""}`}>{t(badge)}</span> : null}
            </h2>
            {names.length ? <p className="muted">{t("workshops.facilitatedBy", { names: names.join(", ") })}</p> : null}
            <dl className="workshop-facts">
              <dt>{t("workshops.when")}</dt>
              <dd>
                <WorkshopTime locale={locale} startsAt={w.startsAt} endsAt={w.endsAt} timeZone={w.timeZone} readerZone={readerZone} />
              </dd>
              <dt>{t("workshops.where")}</dt>
              <dd>
                {w.place ? <span>{w.place}</span> : null}
                {w.place && w.online ? <br /> : null}
                {w.videoUrl ? (
                  <a href={w.videoUrl} rel="noopener noreferrer" target="_blank">
                    {t("workshops.joinCall")}
                  </a>
                ) : w.online ? (
                  <span>{t("workshops.online")}</span>
                ) : null}
              </dd>
              <dt>{t("workshops.form.capacity")}</dt>
              <dd>{w.capacity ? t("workshops.seats", { capacity: w.capacity }) : t("workshops.unlimited")}</dd>
            </dl>
          </header>
          <section className="card" aria-label={t("workshops.form.description")}>
            {w.html ? <RichTextView html={w.html} /> : <p className="muted">{t("workshops.noDescription")}</p>}
          </section>
        </div>
        <aside className="stack">
          <RegistrationPanel view={registration} action={workshopRegistrationUrl(spaceSlug, w.id)} canRegister={canRegister} />
          {w.state === "scheduled" && !w.past ? (
            <div className="card">
              <AddToCalendar icsUrl={calendar.icsUrl} event={calendar.event} />
            </div>
          ) : null}
        </aside>
      </article>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
