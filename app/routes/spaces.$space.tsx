import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { countAwaitingDecision } from "#db/queries/invitations.ts";
import { SpaceBadges } from "#app/components/space-badges.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canOpenSpaceSettings } from "#app/policies/space-settings.ts";
import { canCooptMember, canManageMembers, canReadSpace } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { approvalsUrl, asksUrl, blogUrl, filesUrl, inviteUrl, membersUrl, settingsUrl, spaceUrl, wikiUrl, workshopsUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.space.name} · Cercle` : "Cercle" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor } = await loadSpace(request, params.space, context);
  const can = {
    read: canReadSpace(actor, membership, space),
    coopt: canCooptMember(actor, membership, space),
    manageMembers: canManageMembers(actor, membership, space),
    configure: canOpenSpaceSettings(actor, membership, space),
  };
  return {
    space: {
      slug: space.slug,
      name: space.name,
      kind: space.kind,
      visibility: space.visibility,
      archived: space.archived_at !== null,
    },
    role: membership?.role ?? null,
    can,
    awaiting: can.manageMembers ? await countAwaitingDecision(getDb(), space.id) : 0,
  };
}

export default function SpaceLayout() {
  const t = useT();
  const { space, role, can, awaiting } = useLoaderData<typeof loader>();
  return (
    <>
      <header className="space-head">
        <div className="space-title">
          <div>
            <h1>{space.name}</h1>
            <SpaceBadges kind={space.kind} visibility={space.visibility} archived={space.archived} />
          </div>
          <div className="space-actions">
            {can.read ? (
              // The network's search, narrowed to this club: a plain GET form, so every search is a link.
              <form method="get" action="/search" role="search" className="space-search" aria-label={t("search.inSpace", { name: space.name })}>
                <input type="hidden" name="club" value={space.slug} />
                <label htmlFor="space-search-q" className="sr-only">
                  {t("search.inSpace", { name: space.name })}
                </label>
                <input id="space-search-q" type="search" name="q" placeholder={t("search.inSpacePlaceholder")} maxLength={200} autoComplete="off" />
              </form>
            ) : null}
            {can.coopt ? (
              <Link to={inviteUrl(space.slug)} className="btn btn-primary">
                {t("space.coopt")}
              </Link>
            ) : null}
          </div>
        </div>
        <nav className="tabs" aria-label={t("space.nav")}>
          <NavLink to={spaceUrl(space.slug)} end>
            {t("space.home")}
          </NavLink>
          {can.read ? (
            <>
              <NavLink to={wikiUrl(space.slug)}>{t("space.wiki")}</NavLink>
              <NavLink to={blogUrl(space.slug)}>{t("space.blog")}</NavLink>
              <NavLink to={filesUrl(space.slug)}>{t("space.files")}</NavLink>
              <NavLink to={workshopsUrl(space.slug)}>{t("space.workshops")}</NavLink>
              <NavLink to={asksUrl(space.slug)}>{t("space.asks")}</NavLink>
              <NavLink to={membersUrl(space.slug)}>{t("space.members")}</NavLink>
            </>
          ) : null}
          {can.manageMembers ? (
            <NavLink to={approvalsUrl(space.slug)}>
              {t("space.approvals")}
              {awaiting > 0 ? <span className="count" aria-label={String(awaiting)}>{awaiting}</span> : null}
            </NavLink>
          ) : null}
          {can.configure ? <NavLink to={settingsUrl(space.slug)}>{t("space.settings")}</NavLink> : null}
        </nav>
      </header>
      {space.archived ? (
        <p className="notice notice-warning" role="note">
          {t("space.archivedBanner")}
        </p>
      ) : !role && can.read ? (
        <p className="notice notice-info" role="note">
          {t("space.readOnlyBanner")}
        </p>
      ) : null}
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
