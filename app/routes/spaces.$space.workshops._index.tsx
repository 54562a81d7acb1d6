import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import * as workshops from "#db/queries/workshops.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatInZone } from "#app/components/post-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canReadWorkshops, canScheduleWorkshops } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { workshopUrl } from "#app/urls.ts";

/** The Workshops tab: what comes, what was, and the proposals the viewer may see. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, actor, membership, space } = await requireSpace(request, params.space, canReadWorkshops, context);
  const now = Date.now();
  const db = getDb();
  const row = (w: { id: string; title: string; state: string; starts_at: number }) => ({ id: w.id, title: w.title, state: w.state, startsAt: w.starts_at });
  const [upcoming, past, proposals] = await Promise.all([
    workshops.listWorkshops(db, space.id, { states: ["scheduled", "cancelled"], from: now, limit: 50 }),
    workshops.listWorkshops(db, space.id, { states: ["scheduled"], before: now, limit: 20 }),
    workshops.listProposals(db, space.id, canScheduleWorkshops(actor, membership, space) ? null : user.id),
  ]);
  return { spaceSlug: space.slug, zone: user.time_zone, upcoming: upcoming.map(row), past: past.map(row), proposals: proposals.map(row) };
}

function List({ items, spaceSlug, zone, empty }: { items: Array<{ id: string; title: string; state: string; startsAt: number }>; spaceSlug: string; zone: string; empty: string }) {
  const inZone = useFormatInZone(zone);
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="workshop-list">
      {items.map((w) => (
        <li key={w.id}>
          <Link to={workshopUrl(spaceSlug, w.id)}>{w.title}</Link> <span className="muted small">{inZone(w.startsAt)}</span>
        </li>
      ))}
    </ul>
  );
}

export default function Workshops() {
  const t = useT();
  const { spaceSlug, zone, upcoming, past, proposals } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <section className="card" aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t("workshops.upcoming")}</h2>
        <List items={upcoming} spaceSlug={spaceSlug} zone={zone} empty={t("workshops.noneUpcoming")} />
      </section>
      {proposals.length > 0 ? (
        <section className="card" aria-labelledby="proposals-title">
          <h2 id="proposals-title">{t("workshops.proposals")}</h2>
          <List items={proposals} spaceSlug={spaceSlug} zone={zone} empty="" />
        </section>
      ) : null}
      <section className="card" aria-labelledby="past-title">
        <h2 id="past-title">{t("workshops.past")}</h2>
        <List items={past} spaceSlug={spaceSlug} zone={zone} empty={t("workshops.nonePast")} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
