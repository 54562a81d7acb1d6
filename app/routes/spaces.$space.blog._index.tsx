import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { loadBlogList } from "#app/blog/load.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Pagination, PendingList, PostCard, TagCloud } from "#app/components/post-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { pageTitle } from "#app/utils/meta.ts";
import { blogNewUrl, blogTrashUrl, blogUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "blog.title", undefined, data?.spaceName);

export function loader({ request, params, context }: LoaderFunctionArgs) {
  return loadBlogList(request, params, context);
}

export default function BlogIndex() {
  const t = useT();
  const { spaceSlug, page, hasMore, posts, tags, pending, pendingAll, can, timeZone } = useLoaderData<typeof loader>();
  // Drafts first on a phone (where the columns stack): a writer looks for them, readers never see the box.
  const showPending = can.write || pending.length > 0;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h2>{t("blog.title")}</h2>
          <p>{t("blog.intro")}</p>
        </div>
        {can.write || can.trash ? (
          <div className="actions">
            {can.write ? (
              <Link to={blogNewUrl(spaceSlug)} className="btn btn-primary">
                {t("blog.write")}
              </Link>
            ) : null}
            {can.trash ? (
              <Link to={blogTrashUrl(spaceSlug)} className="btn btn-ghost">
                {t("blog.trashTitle")}
              </Link>
            ) : null}
          </div>
        ) : null}
      </div>
      <div className={`blog-layout${showPending ? " blog-layout-pending" : ""}`}>
        {showPending ? (
          <div className="blog-side blog-side-first">
            <PendingList spaceSlug={spaceSlug} posts={pending} all={pendingAll} timeZone={timeZone} />
          </div>
        ) : null}
        <section className="blog-main" aria-labelledby="blog-list-title">
          <h3 id="blog-list-title" className="sr-only">
            {t("blog.published")}
          </h3>
          {posts.length === 0 ? (
            <div className="card empty-state">
              {page > 1 ? (
                <p>
                  {t("blog.pageEmpty")} <Link to={blogUrl(spaceSlug)}>{t("blog.firstPage")}</Link>
                </p>
              ) : (
                <>
                  <p>{t("blog.empty")}</p>
                  {can.write ? <p className="muted">{t("blog.emptyHint")}</p> : null}
                </>
              )}
            </div>
          ) : (
            <ol className="post-list">
              {posts.map((p) => (
                <li key={p.id}>
                  <PostCard spaceSlug={spaceSlug} post={p} />
                </li>
              ))}
            </ol>
          )}
          <Pagination page={page} hasMore={hasMore} basePath={blogUrl(spaceSlug)} />
        </section>
        <div className="blog-side blog-side-last">
          <TagCloud spaceSlug={spaceSlug} tags={tags} />
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
