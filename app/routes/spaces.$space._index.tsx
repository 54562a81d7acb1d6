import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { listRecent } from "#db/queries/activity.ts";
import { findPendingFor } from "#db/queries/join-requests.ts";
import { listRecent as listRecentPages } from "#db/queries/pages.ts";
import { listPublished } from "#db/queries/posts.ts";
import { listWorkshops } from "#db/queries/workshops.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { isMessageKey } from "#app/i18n/index.ts";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { canReadSpace, canRequestToJoin } from "#app/policies/space.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { postUrl, wikiPageUrl, workshopsUrl, workshopUrl } from "#app/urls.ts";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, user } = await loadSpace(request, params.space, context);
  const db = getDb();
  const canRead = canReadSpace(actor, membership, space);
  const pendingRequest = membership ? undefined : await findPendingFor(db, space.id, user.id);
  const recentPages = canRead ? await listRecentPages(db, space.id, 5) : [];
  const latestPosts = canRead ? (await listPublished(db, space.id, { page: 1, perPage: 3 })).posts : [];
  const nextWorkshops = canRead
    ? (await listWorkshops(db, space.id, { states: ["scheduled", "cancelled"], from: Date.now(), limit: 3 })).filter((w) => canReadWorkshop(actor, membership, space, w))
    : [];
  return {
    readerZone: user.time_zone,
    nextWorkshops: nextWorkshops.map((w) => ({ id: w.id, title: w.title, startsAt: w.starts_at, endsAt: w.ends_at, timeZone: w.time_zone, cancelled: w.state === "cancelled" })),
    spaceSlug: space.slug,
    recentPages: recentPages.map((p) => ({ id: p.id, title: p.title, slug: p.slug, at: p.updated_at })),
    latestPosts: latestPosts.map((p) => ({ id: p.id, title: p.title, slug: p.slug, author: p.author_name, at: p.published_at ?? p.updated_at })),
    description: space.description,
    canRead,
    activity: canRead
      ? (await listRecent(db, space.id, 15)).map((a) => ({
          id: a.id,
          verb: a.verb,
          actor: a.actor_name,
          data: JSON.parse(a.data) as Record<string, string>,
          at: a.created_at,
        }))
      : [],
    join: {
      can: canRequestToJoin(actor, membership, space) && !pendingRequest,
      pending: Boolean(pendingRequest),
    },
  };
}

function ActivityLine({ verb, actor, data }: { verb: string; actor: string | null; data: Record<string, string> }) {
  const t = useT();
  const name = actor ?? t("activity.someone");
  const key = verb === "member_joined" && data.sponsor ? "activity.member_joined_sponsor" : `activity.${verb}`;
  if (!isMessageKey(key)) return <>{verb}</>;
  const role = data.role && isMessageKey(`role.${data.role}`) ? t(`role.${data.role}` as "role.member").toLowerCase() : "";
  return <>{t(key, { actor: name, target: data.target ?? "", sponsor: data.sponsor ?? "", role, title: data.title ?? "", name: data.name ?? data.folder ?? "" })}</>;
}

/** An open or listed space's invitation to ask in: a message to the admins, or the wait for their answer. */
function JoinCard({ pending, can }: { pending: boolean; can: boolean }) {
  const t = useT();
  const navigation = useNavigation();
  return (
    <section className="card" id="join" aria-labelledby="join-title">
      <h2 id="join-title">{t("space.joinTitle")}</h2>
      {pending ? (
        <p className="notice notice-info">{t("space.joinPending")}</p>
      ) : can ? (
        <Form method="post" action="join" className="stack">
          <div className="field">
            <label htmlFor="join-message">{t("space.joinMessage")}</label>
            <textarea id="join-message" name="message" rows={5} maxLength={2000} aria-describedby="join-hint" />
            <p className="field-hint" id="join-hint">
              {t("space.joinMessageHint")}
            </p>
          </div>
          <button type="submit" className="btn btn-primary" disabled={navigation.state === "submitting"}>
            {t("space.joinSubmit")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export default function SpaceHome() {
  const t = useT();
  const formatDate = useFormatDate();
  const { spaceSlug, recentPages, latestPosts, description, canRead, activity, join, nextWorkshops, readerZone } = useLoaderData<typeof loader>();
  const locale = useLocale();

  if (!canRead) {
    return (
      <div className="two-col">
        <section className="card" aria-labelledby="about">
          <h2 id="about">{t("space.about")}</h2>
          {description ? <p className="pre-line">{description}</p> : null}
          <p className="muted">{t("space.membersOnly")}</p>
        </section>
        <JoinCard pending={join.pending} can={join.can} />
      </div>
    );
  }

  return (
    <div className="two-col">
      <section className="card" aria-labelledby="activity">
        <h2 id="activity">{t("space.activity")}</h2>
        {activity.length === 0 ? (
          <p className="empty">{t("space.noActivity")}</p>
        ) : (
          <ul className="list">
            {activity.map((a) => (
              <li key={a.id}>
                <span className="activity-dot" aria-hidden="true" />
                <span className="grow">
                  <ActivityLine verb={a.verb} actor={a.actor} data={a.data} />
                </span>
                <time dateTime={new Date(a.at).toISOString()}>{formatDate(a.at)}</time>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="stack">
        {join.can || join.pending ? <JoinCard pending={join.pending} can={join.can} /> : null}
        {description ? (
          <section className="card" aria-labelledby="about">
            <h2 id="about">{t("space.about")}</h2>
            <p className="pre-line">{description}</p>
          </section>
        ) : null}
        <section className="card" aria-labelledby="recent-pages">
          <h2 id="recent-pages">{t("space.recentPages")}</h2>
          {recentPages.length === 0 ? (
            <p className="muted small">{t("space.noPages")}</p>
          ) : (
            <ul className="list">
              {recentPages.map((p) => (
                <li key={p.id}>
                  <Link to={wikiPageUrl(spaceSlug, p.slug)} className="grow">
                    {p.title}
                  </Link>
                  <time dateTime={new Date(p.at).toISOString()}>{formatDate(p.at, "date")}</time>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="latest-posts">
          <h2 id="latest-posts">{t("space.latestPosts")}</h2>
          {latestPosts.length === 0 ? (
            <p className="muted small">{t("blog.empty")}</p>
          ) : (
            <ul className="list">
              {latestPosts.map((p) => (
                <li key={p.id}>
                  <span className="grow">
                    <Link to={postUrl(spaceSlug, p.slug)}>{p.title}</Link>
                    {p.author ? <span className="block small muted">{t("blog.byAuthor", { name: p.author })}</span> : null}
                  </span>
                  <time dateTime={new Date(p.at).toISOString()}>{formatDate(p.at, "date")}</time>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="next-workshops-title">
          <h2 id="next-workshops-title">{t("space.upcomingWorkshops")}</h2>
          {nextWorkshops.length === 0 ? (
            <p className="muted small">{t("workshops.emptyUpcoming")}</p>
          ) : (
            <ul className="list-reset stack-sm">
              {nextWorkshops.map((w) => (
                <li key={w.id}>
                  <Link to={workshopUrl(spaceSlug, w.id)} className={w.cancelled ? "is-cancelled" : undefined}>
                    {w.title}
                  </Link>
                  {w.cancelled ? <span className="badge badge-warning"> {t("workshops.state.cancelled")}</span> : null}
                  <span className="block small muted">
                    <WorkshopTime locale={locale} startsAt={w.startsAt} endsAt={w.endsAt} timeZone={w.timeZone} readerZone={readerZone} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p className="small">
            <Link to={workshopsUrl(spaceSlug)}>{t("workshops.title")}</Link>
          </p>
        </section>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
