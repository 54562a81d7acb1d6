import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AskList } from "#app/asks/AskList.tsx";
import { loadAskList } from "#app/asks/load.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canModerateAsks, canPostAsk, canReadAsks } from "#app/policies/ask.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { askNewUrl, asksUrl, networkAsksUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "asks.title");

/** A club's asks: open ones first by default, filters in the address; its moderators also see its trash. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, user } = await requireSpace(request, params.space, canReadAsks, context);
  const canSeeTrash = canModerateAsks(actor, membership, space);
  const list = await loadAskList(getDb(), { actor, user, space, params: new URL(request.url).searchParams, canSeeTrash, now: Date.now() });
  return { spaceSlug: space.slug, canPost: canPostAsk(actor, membership, space), canSeeTrash, ...list };
}

export default function SpaceAsks() {
  const t = useT();
  const { spaceSlug, canPost, canSeeTrash, filters, asks, next } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="section-head">
        <p className="muted">
          {t("asks.spaceIntro")} <Link to={networkAsksUrl}>{t("asks.allNetwork")}</Link>
        </p>
        {canPost ? (
          <div className="actions">
            <Link to={askNewUrl(spaceSlug)} className="btn btn-primary">
              {t("asks.new")}
            </Link>
          </div>
        ) : null}
      </div>
      <AskList
        action={asksUrl(spaceSlug)}
        filters={filters}
        asks={asks}
        clubs={null}
        next={next}
        showClub={false}
        canSeeTrash={canSeeTrash}
        empty={t(filters.state === "trash" ? "asks.emptyTrash" : canPost ? "asks.emptySpace" : "asks.emptySpaceGuest")}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
