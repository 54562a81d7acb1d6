import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { Locale, SpaceKind } from "#db/schema.ts";
import { agendaSpaces, agendaWorkshops } from "#db/queries/agenda.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { agendaFilter, canSeeInAgenda } from "#app/policies/agenda.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { getLocale } from "#app/utils/locale.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { workshopUrl } from "#app/urls.ts";
import { dayOf, monthGrid } from "#app/workshops/month.server.ts";

export const meta: MetaFunction<typeof loader> = ({ matches }) => pageTitle(matches, "agenda.title");

/** The list shows this many upcoming workshops; the month view has its own bounds. */
const LIST_LIMIT = 60;
/** A month's grid holds at most this many (far beyond any club's month). */
const MONTH_LIMIT = 400;

/**
 * The network agenda: the upcoming workshops of every space the member
 * belongs to and those opened to the whole network, as a list (by day) or a
 * month, narrowed to one of their spaces. Times are in the member's own zone
 * (their settings), formatted here so the page reads the same before and
 * after hydration.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, actor } = await requireSignedIn(request, context);
  const url = new URL(request.url);
  const view = url.searchParams.get("view") === "month" ? "month" : "list";
  const locale = await getLocale(request, context);
  const zone = user.time_zone;
  const now = Date.now();
  const db = getDb();

  const spaces = await agendaSpaces(db, user.id);
  const slug = url.searchParams.get("space") || null;
  const chosen = slug === null ? null : spaces.find((s) => s.slug === slug);
  if (chosen === undefined) notFound();

  const grid = view === "month" ? monthGrid(url.searchParams.get("month"), zone, locale, now) : null;
  if (view === "month" && grid === null) notFound();
  const rows = await agendaWorkshops(db, {
    ...agendaFilter(actor),
    from: grid ? grid.from : now,
    to: grid ? grid.to : Number.MAX_SAFE_INTEGER,
    spaceId: chosen?.id,
    limit: grid ? MONTH_LIMIT : LIST_LIMIT,
  });
  // The policy has the last word on every row the query returns.
  const visible = rows.filter((r) =>
    canSeeInAgenda(actor, r.role ? { role: r.role } : null, { visibility: r.space_visibility, join_policy: r.space_join_policy, archived_at: r.space_archived_at }, r),
  );
  const time = timeFormat(locale, zone);
  const workshops = visible.map((w) => ({
    id: w.id,
    title: w.title,
    href: workshopUrl(w.space_slug, w.id),
    day: dayOf(w.starts_at, zone),
    startIso: new Date(w.starts_at).toISOString(),
    time: `${time.format(w.starts_at)} – ${time.format(w.ends_at)}`,
    cancelled: w.state === "cancelled",
    online: w.video_url !== null,
    place: w.place,
    space: w.space_name,
    fromNetwork: !w.role,
    registration: w.registration === "going" || w.registration === "waiting" || w.registration === "maybe" ? w.registration : null,
  }));
  const dayLabel = new Intl.DateTimeFormat(tag(locale), { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: zone });
  const days = [...new Set(workshops.map((w) => w.day))].map((day) => ({
    day,
    label: dayLabel.format(visible.find((w) => dayOf(w.starts_at, zone) === day)!.starts_at),
  }));
  return {
    view,
    grid,
    days,
    workshops,
    spaces: spaces.map((s) => ({ slug: s.slug, name: s.name, kind: s.kind })),
    chosen: chosen?.slug ?? "",
    zoneName: zoneName(locale, zone, now),
  };
}

const tag = (locale: Locale) => (locale === "fr" ? "fr-FR" : "en-GB");
const timeFormat = (locale: Locale, zone: string) => new Intl.DateTimeFormat(tag(locale), { hour: "2-digit", minute: "2-digit", timeZone: zone });
const zoneName = (locale: Locale, zone: string, now: number) =>
  new Intl.DateTimeFormat(tag(locale), { timeZone: zone, timeZoneName: "longGeneric" }).formatToParts(now).find((p) => p.type === "timeZoneName")?.value ?? zone;

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Item = Data["workshops"][number];

/** Addresses of this page with one parameter changed, the others kept. */
function agendaHref(data: Pick<Data, "view" | "chosen" | "grid">, change: { view?: "list" | "month"; month?: string }) {
  const view = change.view ?? data.view;
  const params = new URLSearchParams();
  if (view === "month") params.set("view", "month");
  const month = change.month ?? (change.view ? undefined : data.grid?.month);
  if (view === "month" && month) params.set("month", month);
  if (data.chosen) params.set("space", data.chosen);
  const query = params.toString();
  return query ? `/agenda?${query}` : "/agenda";
}

const KIND_GROUPS: Array<{ kind: SpaceKind; label: "agenda.clubs" | "agenda.regions" | "agenda.groups" }> = [
  { kind: "trade_club", label: "agenda.clubs" },
  { kind: "regional_circle", label: "agenda.regions" },
  { kind: "project_group", label: "agenda.groups" },
];

export default function Agenda() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const { view, grid, days, workshops, spaces, chosen, zoneName } = data;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("agenda.title")}</h1>
          <p>{t("agenda.intro", { zone: zoneName })}</p>
        </div>
      </div>
      <div className="agenda-controls">
        <nav aria-label={t("agenda.viewLabel")} className="segmented">
          <Link to={agendaHref(data, { view: "list" })} aria-current={view === "list" ? "page" : undefined}>
            {t("agenda.list")}
          </Link>
          <Link to={agendaHref(data, { view: "month" })} aria-current={view === "month" ? "page" : undefined}>
            {t("agenda.month")}
          </Link>
        </nav>
        <Form method="get" className="agenda-filter">
          {view === "month" ? <input type="hidden" name="view" value="month" /> : null}
          {grid ? <input type="hidden" name="month" value={grid.month} /> : null}
          <label htmlFor="agenda-space">{t("agenda.filter")}</label>
          <select id="agenda-space" name="space" defaultValue={chosen}>
            <option value="">{t("agenda.allSpaces")}</option>
            {KIND_GROUPS.map(({ kind, label }) => {
              const of = spaces.filter((s) => s.kind === kind);
              return of.length === 0 ? null : (
                <optgroup key={kind} label={t(label)}>
                  {of.map((s) => (
                    <option key={s.slug} value={s.slug}>
                      {s.name}
                    </option>
                  ))}
                </optgroup>
              );
            })}
          </select>
          <button type="submit" className="btn btn-small">
            {t("agenda.apply")}
          </button>
        </Form>
      </div>
      {grid ? <MonthView grid={grid} workshops={workshops} data={data} /> : <ListView days={days} workshops={workshops} />}
    </>
  );
}

function ListView({ days, workshops }: { days: Data["days"]; workshops: Item[] }) {
  const t = useT();
  if (workshops.length === 0) {
    return (
      <div className="card empty-state">
        <p>{t("agenda.empty")}</p>
        <p className="muted small">{t("agenda.emptyHint")}</p>
      </div>
    );
  }
  return (
    <div className="agenda-list">
      {days.map(({ day, label }) => (
        <section key={day} className="agenda-day" aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`} className="agenda-day-title">
            {label}
          </h2>
          <ul className="list-reset stack-sm">
            {workshops
              .filter((w) => w.day === day)
              .map((w) => (
                <li key={w.id} className="card agenda-item">
                  <AgendaItem w={w} />
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function AgendaItem({ w, compact = false }: { w: Item; compact?: boolean }) {
  const t = useT();
  return (
    <>
      <p className="agenda-time">
        <time dateTime={w.startIso}>{w.time}</time>
      </p>
      <p className={`agenda-title${w.cancelled ? " is-cancelled" : ""}`}>
        <Link to={w.href}>{w.title}</Link>
      </p>
      <p className="agenda-meta">
        <span>{w.space}</span>
        {!compact && w.place ? <span>{w.place}</span> : null}
        {w.cancelled ? <span className="badge badge-warning">{t("agenda.cancelled")}</span> : null}
        {w.online ? <span className="badge">{t("agenda.online")}</span> : null}
        {w.fromNetwork ? <span className="badge badge-accent">{t("agenda.network")}</span> : null}
        {w.registration ? <span className="badge badge-brand">{t(`agenda.${w.registration}`)}</span> : null}
      </p>
    </>
  );
}

function MonthView({ grid, workshops, data }: { grid: NonNullable<Data["grid"]>; workshops: Item[]; data: Data }) {
  const t = useT();
  const onDay = (date: string) => workshops.filter((w) => w.day === date);
  return (
    <section className="card agenda-month" aria-labelledby="month-title">
      <div className="agenda-month-head">
        <Link to={agendaHref(data, { month: grid.prev })} className="btn btn-small" rel="prev">
          <span aria-hidden="true">←</span> <span className="sr-only">{t("agenda.prev")}</span>
        </Link>
        <h2 id="month-title" aria-live="polite">
          {grid.label}
        </h2>
        <Link to={agendaHref(data, { month: grid.next })} className="btn btn-small" rel="next">
          <span className="sr-only">{t("agenda.next")}</span> <span aria-hidden="true">→</span>
        </Link>
      </div>
      {workshops.length === 0 ? <p className="muted agenda-month-empty">{t("agenda.emptyMonth")}</p> : null}
      <table className="month-grid">
        <caption className="sr-only">{grid.label}</caption>
        <thead>
          <tr>
            {grid.weekdays.map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.weeks.map((week) => (
            <tr key={week[0].date}>
              {week.map((d) => {
                const items = onDay(d.date);
                return (
                  <td
                    key={d.date}
                    className={[d.inMonth ? "" : "is-outside", d.today ? "is-today" : "", items.length ? "has-items" : ""].filter(Boolean).join(" ") || undefined}
                    aria-current={d.today ? "date" : undefined}
                  >
                    <span className="month-day-number" aria-hidden="true">
                      {d.day}
                    </span>
                    <span className="month-day-label">{d.label}</span>
                    {items.length ? (
                      <ul className="list-reset">
                        {items.map((w) => (
                          <li key={w.id} className="month-item">
                            <AgendaItem w={w} compact />
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
