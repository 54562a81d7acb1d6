import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { rolesForUser } from "#db/queries/members.ts";
import { spaceFacts } from "#db/queries/network-posts.ts";
import { listNetworkPosts, tagsOfPosts } from "#db/queries/posts.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { ClubLabel, PostTags } from "#app/components/network-post.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { canReadNetworkPost, networkFeedFilter } from "#app/policies/post.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { spaceUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ matches }) => pageTitle(matches, "latest.title");

const PER_PAGE = 10;

/** ?page=N: a positive integer, 1 when absent; anything else is no page of this feed. */
function pageNumber(url: URL): number {
  const raw = url.searchParams.get("page");
  if (raw === null) return 1;
  if (!/^[1-9][0-9]{0,5}$/.test(raw)) notFound();
  return Number(raw);
}

/**
 * "Latest from the clubs": articles opened to the whole network, newest
 * first, each with its club's name. Every signed-in member sees the same
 * feed; the club's name links to its space only for those who may read it.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, actor } = await requireSignedIn(request, context);
  const page = pageNumber(new URL(request.url));
  const db = getDb();
  const { posts, hasMore } = await listNetworkPosts(db, { page, perPage: PER_PAGE, ...networkFeedFilter() });
  if (posts.length === 0 && page > 1) notFound();
  const [spaces, tags, roles] = await Promise.all([
    spaceFacts(db, posts.map((p) => p.space_id)),
    tagsOfPosts(db, posts.map((p) => p.id)),
    rolesForUser(db, user.id),
  ]);
  // The policy has the last word on every row the query returns.
  const readable = posts.filter((p) => {
    const space = spaces.get(p.space_id);
    return space !== undefined && canReadNetworkPost(actor, space, { ...p, deleted_at: null });
  });
  return {
    page,
    hasMore,
    posts: readable.map((p) => {
      const space = spaces.get(p.space_id)!;
      const role = roles.get(p.space_id);
      return {
        id: p.id,
        title: p.title,
        excerpt: p.excerpt,
        publishedAt: p.published_at ?? p.updated_at,
        author: p.author_name,
        // The version in the address: a new version of the cover is a new image, not a cached old one.
        cover: p.cover_file_id ? `/latest/${p.id}/cover?${p.cover_has_thumbnail === 1 ? "thumbnail&" : ""}v=${p.cover_version}` : null,
        tags: tags.filter((t) => t.post_id === p.id).map((t) => t.label),
        club: { name: p.space_name, href: canReadSpace(actor, role ? { role } : null, space) ? spaceUrl(p.space_slug) : null },
      };
    }),
  };
}

export default function LatestFromTheClubs() {
  const t = useT();
  const formatDate = useFormatDate();
  const { posts, page, hasMore } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t("latest.title")}</h1>
          <p>{t("latest.intro")}</p>
        </div>
      </div>
      {posts.length === 0 ? (
        <div className="card empty-state">
          <p>{t("latest.empty")}</p>
          <p className="muted small">{t("latest.emptyHint")}</p>
        </div>
      ) : (
        <ol className="list-reset latest-feed" aria-label={page > 1 ? `${t("latest.title")} — ${t("latest.pageN", { n: page })}` : t("latest.title")}>
          {posts.map((p) => (
            <li key={p.id} className="card latest-item">
              {p.cover ? (
                <img className="latest-thumb" src={p.cover} alt="" loading="lazy" decoding="async" />
              ) : null}
              <div className="latest-body">
                <ClubLabel club={p.club} />
                <h2 className="latest-item-title">
                  <Link to={`/latest/${p.id}`}>{p.title}</Link>
                </h2>
                <p className="latest-meta">
                  {t("latest.byline", { author: p.author ?? t("latest.formerMember") })} · <time dateTime={new Date(p.publishedAt).toISOString()}>{formatDate(p.publishedAt, "date")}</time>
                </p>
                {p.excerpt ? <p className="latest-excerpt">{p.excerpt}</p> : null}
                <PostTags tags={p.tags} />
              </div>
            </li>
          ))}
        </ol>
      )}
      {page > 1 || hasMore ? (
        <nav className="latest-pages" aria-label={t("latest.pagination")}>
          {page > 1 ? (
            <Link to={page === 2 ? "/latest" : `/latest?page=${page - 1}`} className="btn btn-small" rel="prev">
              <span aria-hidden="true">←</span> {t("latest.newer")}
            </Link>
          ) : (
            <span />
          )}
          <span className="muted small">{t("latest.pageN", { n: page })}</span>
          {hasMore ? (
            <Link to={`/latest?page=${page + 1}`} className="btn btn-small" rel="next">
              {t("latest.older")} <span aria-hidden="true">→</span>
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
