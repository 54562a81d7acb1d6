import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pendingSpaceIdsForUser } from "#db/queries/join-requests.ts";
import { rolesForUser } from "#db/queries/members.ts";
import { listDirectory } from "#db/queries/spaces.ts";
import { SpaceBadges } from "#app/components/space-badges.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canListSpace, directoryFilter } from "#app/policies/directory.ts";
import { canReadSpace, canRequestToJoin } from "#app/policies/space.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { spaceUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "clubs.title");

/** The network's club directory: name and description of what the viewer may know of. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user, actor } = await requireSignedIn(request);
  const db = getDb();
  const [spaces, roles, pending] = await Promise.all([
    listDirectory(db, directoryFilter(actor)),
    rolesForUser(db, user.id),
    pendingSpaceIdsForUser(db, user.id),
  ]);
  const clubs = spaces
    .map((s) => ({ space: s, membership: roles.has(s.id) ? { role: roles.get(s.id)! } : null }))
    .filter(({ space, membership }) => canListSpace(actor, membership, space))
    .map(({ space, membership }) => ({
      slug: space.slug,
      name: space.name,
      kind: space.kind,
      visibility: space.visibility,
      description: space.description,
      archived: space.archived_at !== null,
      memberCount: Number(space.member_count),
      isMember: membership !== null,
      pending: pending.has(space.id),
      canRead: canReadSpace(actor, membership, space),
      canRequestToJoin: canRequestToJoin(actor, membership, space) && !pending.has(space.id),
    }));
  return { clubs };
}

export default function Clubs() {
  const t = useT();
  const { clubs } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("clubs.title")}</h1>
          <p>{t("clubs.intro")}</p>
        </div>
      </div>
      {clubs.length === 0 ? (
        <p className="card empty-state">{t("clubs.empty")}</p>
      ) : (
        <ul className="grid list-reset">
          {clubs.map((c) => (
            <li key={c.slug} className="card club-card">
              <h2>
                <Link to={spaceUrl(c.slug)}>{c.name}</Link>
              </h2>
              <SpaceBadges kind={c.kind} visibility={c.visibility} archived={c.archived} />
              {c.description ? <p className="clamp small">{c.description}</p> : null}
              <p className="card-meta">{t("spaces.members", { count: c.memberCount })}</p>
              <div className="actions">
                {c.isMember ? (
                  <span className="badge badge-accent">{t("clubs.member")}</span>
                ) : c.pending ? (
                  <span className="badge badge-warning">{t("clubs.pending")}</span>
                ) : c.canRequestToJoin ? (
                  <Link to={`${spaceUrl(c.slug)}#join`} className="btn btn-small">
                    {t("clubs.askToJoin")}
                  </Link>
                ) : null}
                {c.canRead && !c.isMember ? <span className="badge">{t("clubs.readable")}</span> : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
