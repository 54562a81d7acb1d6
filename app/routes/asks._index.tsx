import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listForUser } from "#db/queries/spaces.ts";
import { AskList } from "#app/asks/AskList.tsx";
import { loadAskList } from "#app/asks/load.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canPostAsk } from "#app/policies/ask.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { askNewUrl, networkAsksUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "asks.networkTitle");

/**
 * The network's asks: every ask the member may read — those of their clubs,
 * of clubs everyone reads, and those sent to the whole network — filtered by
 * kind, skill, region and club; those that match the member's skills or
 * region are marked. "Ask" leads to one of the clubs they may post in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, actor } = await requireSignedIn(request, context);
  const db = getDb();
  const [list, mine] = await Promise.all([
    loadAskList(db, { actor, user, space: null, params: new URL(request.url).searchParams, canSeeTrash: false, now: Date.now() }),
    listForUser(db, user.id),
  ]);
  const postIn = mine.filter((s) => canPostAsk(actor, { role: s.role }, s)).map((s) => ({ slug: s.slug, name: s.name }));
  return { ...list, postIn };
}

export default function NetworkAsks() {
  const t = useT();
  const { filters, asks, clubs, next, postIn } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("asks.networkTitle")}</h1>
          <p className="muted">{t("asks.networkIntro")}</p>
        </div>
        {postIn.length === 1 ? (
          <Link to={askNewUrl(postIn[0].slug)} className="btn btn-primary">
            {t("asks.new")}
          </Link>
        ) : postIn.length > 1 ? (
          <details className="ask-post-in">
            <summary className="btn btn-primary">{t("asks.new")}</summary>
            <div className="menu-panel">
              <p className="muted small">{t("asks.postInWhich")}</p>
              <ul className="list-reset">
                {postIn.map((s) => (
                  <li key={s.slug}>
                    <Link to={askNewUrl(s.slug)}>{s.name}</Link>
                  </li>
                ))}
              </ul>
            </div>
          </details>
        ) : null}
      </div>
      <AskList action={networkAsksUrl} filters={filters} asks={asks} clubs={clubs} next={next} showClub canSeeTrash={false} empty={t("asks.emptyNetwork")} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
