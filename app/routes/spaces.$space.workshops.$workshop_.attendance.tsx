import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId, useState } from "react";
import { transact } from "#db/transact.ts";
import { attendance, registeredPeople, spaceMembers } from "#db/queries/workshop-attendance.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { workshopsUrl, workshopUrl } from "#app/urls.ts";
import { followUpRefusal, recordAttendance } from "#app/workshops/attendance.server.ts";
import { loadFollowUp } from "#app/workshops/followup.server.ts";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} — Cercle` : "Cercle" }];

/**
 * Who came to a workshop, recorded once it has started by its facilitators
 * or the space's admins (anyone else: 403; another space's id: 404): the
 * registered ticked off, then walk-ins chosen among the space's members with
 * a search that narrows the list as one types (every box is in the page, so
 * it works without JavaScript and from the keyboard alone). Recording again
 * corrects the list.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, workshop, mayEdit, user } = await loadFollowUp(request, params, context);
  if (!mayEdit) forbidden();
  const db = getDb();
  const [registered, members, present] = await Promise.all([registeredPeople(db, workshop.id), spaceMembers(db, space.id), attendance(db, workshop.id)]);
  const registeredIds = new Set(registered.map((p) => p.id));
  const refusal = followUpRefusal(workshop, Date.now());
  return {
    title: workshop.title,
    spaceSlug: space.slug,
    readerZone: user.time_zone,
    workshop: { id: workshop.id, title: workshop.title, startsAt: workshop.starts_at, endsAt: workshop.ends_at, timeZone: workshop.time_zone },
    refusal: refusal?.error ?? null,
    recordedAt: workshop.attendance_recorded_at,
    registered: registered.map((p) => ({ id: p.id, name: p.name, status: p.status })),
    others: members.filter((m) => !registeredIds.has(m.id)).map((m) => ({ id: m.id, name: m.name })),
    present: present.map((p) => p.id),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await loadFollowUp(request, params, context);
  if (!ctx.mayEdit) forbidden();
  const form = await request.formData();
  const attendedIds = form.getAll("attended").filter((v): v is string => typeof v === "string");
  const { space, workshop } = ctx;
  const done = await transact(getDb(), (trx) => recordAttendance(trx, acting(ctx, context), { workshop, attendedIds }));
  if (!done.ok) {
    if (done.error === "not_found") notFound();
    return data({ error: done.error }, { status: done.error === "workshops.attendance.tooMany" ? 400 : 409 });
  }
  return redirectWithFlash(workshopUrl(space.slug, workshop.id), { key: "workshops.attendance.saved", params: { count: done.count } });
}

function Person({ id, name, note, checked, hidden }: { id: string; name: string; note?: string; checked: boolean; hidden?: boolean }) {
  const fieldId = `attended-${id}`;
  return (
    <li className="choice-option" hidden={hidden}>
      <input type="checkbox" id={fieldId} name="attended" value={id} defaultChecked={checked} />
      <label htmlFor={fieldId}>
        <span className="choice-label">{name}</span>
        {note ? <span className="muted small"> {note}</span> : null}
      </label>
    </li>
  );
}

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

export default function AttendancePage() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { spaceSlug, readerZone, workshop, refusal, recordedAt, registered, others, present } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [query, setQuery] = useState("");
  const isPresent = new Set(present);
  // Walk-ins already recorded stay in view whatever the search.
  const shown = others.filter((m) => isPresent.has(m.id) || query.trim() === "" || fold(m.name).includes(fold(query.trim())));
  const error = result && "error" in result ? result.error : refusal;
  return (
    <div className="stack">
      <Breadcrumb
        label={t("workshops.title")}
        items={[
          { to: workshopsUrl(spaceSlug), label: t("workshops.title") },
          { to: workshopUrl(spaceSlug, workshop.id), label: workshop.title },
        ]}
      />
      <section className="card form-card stack attendance" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{t("workshops.attendance.heading", { title: workshop.title })}</h2>
        <p className="muted">
          <WorkshopTime locale={locale} startsAt={workshop.startsAt} endsAt={workshop.endsAt} timeZone={workshop.timeZone} readerZone={readerZone} />
        </p>
        {error ? (
          <p role="alert" className="notice notice-warning">
            {t(error as "workshops.followUp.notStarted")}
          </p>
        ) : null}
        {refusal === null ? (
          <Form method="post" className="stack">
            <p>{t(recordedAt === null ? "workshops.attendance.intro" : "workshops.attendance.introAgain")}</p>
            <fieldset className="choice">
              <legend className="field-label">{t("workshops.attendance.registered")}</legend>
              {registered.length === 0 ? (
                <p className="muted">{t("workshops.attendance.noneRegistered")}</p>
              ) : (
                <ul className="list-reset attendance-list">
                  {registered.map((p) => (
                    <Person
                      key={p.id}
                      id={p.id}
                      name={p.name}
                      note={p.status === "going" ? undefined : t(p.status === "waiting" ? "workshops.attendance.wasWaiting" : "workshops.attendance.wasMaybe")}
                      checked={recordedAt === null ? p.status === "going" : isPresent.has(p.id)}
                    />
                  ))}
                </ul>
              )}
            </fieldset>
            <fieldset className="choice">
              <legend className="field-label">{t("workshops.attendance.walkIns")}</legend>
              <p className="field-hint" id={`${id}-walkin-hint`}>
                {t("workshops.attendance.walkInsHint")}
              </p>
              <div className="field attendance-search">
                <label htmlFor={`${id}-search`}>{t("workshops.attendance.searchMember")}</label>
                <input
                  id={`${id}-search`}
                  type="search"
                  value={query}
                  aria-describedby={`${id}-walkin-hint`}
                  aria-controls={`${id}-members`}
                  onChange={(event) => setQuery(event.target.value)}
                  // Enter narrows the list; it never sends the form half-ticked.
                  onKeyDown={(event) => event.key === "Enter" && event.preventDefault()}
                />
              </div>
              <ul id={`${id}-members`} className="list-reset attendance-list attendance-members">
                {others.map((m) => (
                  <Person key={m.id} id={m.id} name={m.name} checked={isPresent.has(m.id)} hidden={!shown.includes(m)} />
                ))}
              </ul>
              <p className="muted small" role="status">
                {others.length === 0 ? t("workshops.attendance.noOtherMember") : shown.length === 0 ? t("workshops.attendance.noMember") : ""}
              </p>
            </fieldset>
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
                {t("workshops.attendance.save")}
              </button>
              <Link to={workshopUrl(spaceSlug, workshop.id)} className="btn">
                {t("common.cancel")}
              </Link>
            </div>
          </Form>
        ) : (
          <Link to={workshopUrl(spaceSlug, workshop.id)} className="btn">
            {t("workshops.attendance.back")}
          </Link>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
