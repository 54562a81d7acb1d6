import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listForUser } from "#db/queries/spaces.ts";
import { SpaceBadges } from "#app/components/space-badges.tsx";
import { canCreateSpace } from "#app/policies/network.ts";
import { useT } from "#app/i18n/react.tsx";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { spaceUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "spaces.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireSignedIn(request);
  const spaces = await listForUser(getDb(), user.id);
  return {
    spaces: spaces.map((s) => ({
      slug: s.slug,
      name: s.name,
      kind: s.kind,
      visibility: s.visibility,
      description: s.description,
      role: s.role,
      memberCount: Number(s.member_count),
      archived: s.archived_at !== null,
    })),
    can: { createSpace: canCreateSpace(actor) },
  };
}

export default function MySpaces() {
  const t = useT();
  const { spaces, can } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("spaces.title")}</h1>
        </div>
        {/* With no space yet, the empty state below carries this call instead. */}
        {can.createSpace && spaces.length > 0 ? (
          <Link to="/spaces/new" className="btn btn-primary">
            {t("nav.newSpace")}
          </Link>
        ) : null}
      </div>
      {spaces.length === 0 ? (
        <div className="card empty-state">
          <p>{t("spaces.empty")}</p>
          {can.createSpace ? (
            <>
              <p className="muted">{t("spaces.emptyAdminHint")}</p>
              <Link to="/spaces/new" className="btn btn-primary">
                {t("nav.newSpace")}
              </Link>
            </>
          ) : (
            <>
              <p className="muted">{t("spaces.emptyHint")}</p>
              <Link to="/clubs" className="btn">
                {t("nav.clubs")}
              </Link>
            </>
          )}
        </div>
      ) : (
        <ul className="grid list-reset" aria-label={t("spaces.title")}>
          {spaces.map((s) => (
            <li key={s.slug}>
              <Link to={spaceUrl(s.slug)} className="card card-link">
                <h2>{s.name}</h2>
                <SpaceBadges kind={s.kind} visibility={s.visibility} archived={s.archived} />
                {s.description ? <p className="clamp muted small">{s.description}</p> : null}
                <p className="card-meta">
                  <span>{t("spaces.members", { count: s.memberCount })}</span>
                  <span className="badge">{t(`role.${s.role}`)}</span>
                </p>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
