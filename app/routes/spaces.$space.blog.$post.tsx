import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { tagsOfPosts } from "#db/queries/posts.ts";
import { authorName, coverOf, loadPost } from "#app/blog/load.server.ts";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { PostMeta, TagLinks, useFormatInZone } from "#app/components/post-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { getDb } from "#app/utils/db.server.ts";
import { loadComments } from "#app/comments/load.server.ts";
import { CommentsSection } from "#app/components/comments.tsx";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { AudienceLine } from "#app/components/audience-line.tsx";
import { describeAudience } from "#app/audience/load.server.ts";
import { canReadNetworkPost, canReadPost } from "#app/policies/post.ts";
import { blogUrl, postEditUrl, postHistoryUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const root = matches.find((m) => m?.id === "root")?.data as { networkName?: string } | undefined;
  return [{ title: data ? `${data.post.title} · ${data.spaceName}` : (root?.networkName ?? "Cercle") }];
};

/**
 * An article as its readers see it. Its author, and the space's editors and
 * admins, see a draft, scheduled or unpublished article the very same way,
 * under a banner saying it is not out: the preview is the real page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, user, post, canEdit, actor, membership } = await loadPost(request, params, context);
  const db = getDb();
  const [tags, cover, author, comments, audience] = await Promise.all([
    tagsOfPosts(db, [post.id]),
    coverOf(space, post),
    authorName(post.author_id),
    // The post was just checked as readable by this viewer: its comments are theirs to read.
    loadComments({ space, membership, actor }, { kind: "post", id: post.id }, { checked: true }),
    // Who reads it: in its club (canReadPost, what loadPost asked) and, opened to the network, on the network's articles.
    describeAudience(db, { space, actor, membership }, (a, m) => canReadPost(a, m, space, post) || canReadNetworkPost(a, space, post), post.author_id),
  ]);
  return {
    spaceSlug: space.slug,
    spaceName: space.name,
    timeZone: user.time_zone,
    post: {
      id: post.id,
      slug: post.slug,
      title: post.title,
      html: post.content_html,
      state: post.state,
      network: post.visibility === "network",
      publishedAt: post.published_at,
      publishAt: post.publish_at,
      author,
      cover: cover ? cover.src : null,
      tags: tags.map((t) => ({ tag: t.tag, label: t.label })),
    },
    can: { edit: canEdit },
    comments,
    audience,
  };
}

export default function BlogPost() {
  const t = useT();
  const { spaceSlug, timeZone, post, can, comments, audience } = useLoaderData<typeof loader>();
  const formatInZone = useFormatInZone(timeZone);
  return (
    <div className="stack">
      <Breadcrumb label={t("blog.breadcrumb")} items={[{ to: blogUrl(spaceSlug), label: t("blog.title") }]} />
      {post.state !== "published" ? (
        <div className={`notice preview-banner ${post.state === "scheduled" ? "notice-info" : "notice-warning"}`} role="note" aria-labelledby="preview-banner-title">
          <p id="preview-banner-title" className="preview-banner-title">
            {post.state === "scheduled" && post.publishAt
              ? t("blog.bannerScheduled", { date: formatInZone(post.publishAt) })
              : post.state === "unpublished"
                ? t("blog.bannerUnpublished")
                : t("blog.bannerDraft")}
          </p>
          <p className="small">{t("blog.bannerHelp")}</p>
          {can.edit ? (
            <Link to={postEditUrl(spaceSlug, post.slug)} className="btn btn-small">
              {t("blog.backToEditor")}
            </Link>
          ) : null}
        </div>
      ) : null}
      <article className="card post-article" aria-labelledby="post-title">
        {post.cover ? (
          <figure className="post-cover">
            <img src={post.cover} alt="" />
          </figure>
        ) : null}
        <header className="post-header">
          <h1 id="post-title">{post.title}</h1>
          <PostMeta author={post.author} publishedAt={post.state === "published" ? post.publishedAt : null} network={post.network} />
          <TagLinks spaceSlug={spaceSlug} tags={post.tags} label={t("blog.tagsLabel")} />
          <AudienceLine audience={audience} />
          {can.edit ? (
            <div className="actions post-actions">
              <Link to={postEditUrl(spaceSlug, post.slug)} className="btn btn-small btn-primary">
                {t("blog.edit")}
              </Link>
              <Link to={postHistoryUrl(spaceSlug, post.slug)} className="btn btn-small">
                {t("blog.history")}
              </Link>
            </div>
          ) : null}
        </header>
        <RichTextView html={post.html} className="post-body" />
      </article>
      <CommentsSection data={comments} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
