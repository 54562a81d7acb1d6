import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AudienceLine } from "#app/components/audience-line.tsx";
import { describeAudience } from "#app/audience/load.server.ts";
import { canReadNetworkPost, canReadPost } from "#app/policies/post.ts";
import { findLiveFile } from "#db/queries/files.ts";
import { tagsOfPosts } from "#db/queries/posts.ts";
import { htmlForOutsiders, loadNetworkPost } from "#app/blog/network.server.ts";
import { ClubLabel, PostTags } from "#app/components/network-post.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { EDITOR_STYLESHEET } from "#app/editor/stylesheet.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { getDb } from "#app/utils/db.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { postUrl, spaceUrl } from "#app/urls.ts";

export const links: LinksFunction = () => [EDITOR_STYLESHEET];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const root = matches.find((m) => m?.id === "root")?.data as { networkName?: string | null } | undefined;
  const network = root?.networkName ?? "Cercle";
  return [{ title: data ? `${data.post.title} · ${data.club.name} · ${network}` : network }];
};

/**
 * One article of "Latest from the clubs", for any signed-in member of the
 * network while it is published and open to the network (404 otherwise).
 * Readers of its space get a way into the space; everyone else gets the
 * article and its club's name, and no link into the space (its internal
 * links become plain text). No comments here: they belong to the space.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { post, authorName, space, readsSpace, actor, membership } = await loadNetworkPost(request, params.post, context);
  const db = getDb();
  const [tags, cover, audience] = await Promise.all([
    tagsOfPosts(db, [post.id]),
    post.cover_file_id ? findLiveFile(db, space.id, post.cover_file_id) : undefined,
    // Who reads it: the rule loadNetworkPost asked, with the club's own readers.
    describeAudience(db, { space, actor, membership }, (a, m) => canReadNetworkPost(a, space, post) || canReadPost(a, m, space, post), post.author_id),
  ]);
  const coverShown = cover && (INLINE_IMAGE_TYPES as readonly string[]).includes(cover.content_type);
  return {
    post: {
      id: post.id,
      title: post.title,
      excerpt: post.excerpt,
      html: readsSpace ? post.content_html : await htmlForOutsiders(post.content_html),
      publishedAt: post.published_at ?? post.updated_at,
      author: authorName,
      cover: coverShown ? `/latest/${post.id}/cover?v=${cover.version}` : null,
      tags: tags.map((t) => t.label),
      // The article's own address in its space, for those who may go there.
      inSpace: readsSpace ? postUrl(space.slug, post.slug) : null,
    },
    club: { name: space.name, href: readsSpace ? spaceUrl(space.slug) : null },
    audience,
  };
}

export default function NetworkPost() {
  const t = useT();
  const formatDate = useFormatDate();
  const { post, club, audience } = useLoaderData<typeof loader>();
  return (
    <div className="latest-layout">
      <article className="card latest-article" aria-labelledby="post-title">
        <Breadcrumb label={t("latest.nav")} items={[{ to: "/latest", label: t("latest.title") }]} />
        <ClubLabel club={club} />
        <h1 id="post-title">{post.title}</h1>
        <p className="page-head-meta">
          {t("latest.byline", { author: post.author ?? t("latest.formerMember") })} ·{" "}
          <time dateTime={new Date(post.publishedAt).toISOString()}>{t("latest.publishedOn", { date: formatDate(post.publishedAt, "date") })}</time>
        </p>
        <PostTags tags={post.tags} />
        <AudienceLine audience={audience} />
        {post.cover ? <img className="latest-cover" src={post.cover} alt="" /> : null}
        <RichTextView html={post.html} className="latest-content" />
      </article>
      <aside className="card latest-aside" aria-labelledby="club-title">
        <p className="latest-aside-kicker">{t("latest.aboutClub")}</p>
        <h2 id="club-title">{club.name}</h2>
        {post.inSpace && club.href ? (
          <>
            <p className="muted small">{t("latest.readerNote")}</p>
            <div className="actions">
              <Link to={post.inSpace} className="btn btn-primary btn-small">
                {t("latest.openInSpace")}
              </Link>
              <Link to={club.href} className="btn btn-small">
                {t("latest.goToSpace")}
              </Link>
            </div>
          </>
        ) : (
          <>
            <p className="muted small">{t("latest.outsiderNote")}</p>
            <Link to="/clubs" className="btn btn-small">
              {t("latest.directory")}
            </Link>
          </>
        )}
        <p className="latest-aside-back">
          <Link to="/latest">
            <span aria-hidden="true">←</span> {t("latest.back")}
          </Link>
        </p>
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
