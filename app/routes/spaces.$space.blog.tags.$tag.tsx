import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { loadBlogList } from "#app/blog/load.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Pagination, PostCard, TagCloud } from "#app/components/post-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { pageTitle } from "#app/utils/meta.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { blogTagUrl, blogUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, "blog.tagTitle", { label: data?.tag?.label ?? "" }, data?.spaceName);

/** The articles of one tag; a tag no published article carries does not exist (404). */
export function loader({ request, params, context }: LoaderFunctionArgs) {
  return loadBlogList(request, params, context, params.tag ?? "");
}

export default function BlogTag() {
  const t = useT();
  const { spaceSlug, page, hasMore, posts, tags, tag } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <Breadcrumb label={t("blog.breadcrumb")} items={[{ to: blogUrl(spaceSlug), label: t("blog.title") }]} />
      <div className="page-head">
        <div>
          <h2>{t("blog.tagTitle", { label: tag?.label ?? "" })}</h2>
          <p>{t("blog.tagCountLine", { count: tag?.count ?? 0 })}</p>
        </div>
      </div>
      <div className="blog-layout">
        <section className="blog-main" aria-labelledby="blog-list-title">
          <h3 id="blog-list-title" className="sr-only">
            {t("blog.published")}
          </h3>
          {posts.length === 0 ? (
            <div className="card empty-state">
              <p>
                {t("blog.pageEmpty")} <Link to={blogTagUrl(spaceSlug, String(tag?.tag))}>{t("blog.firstPage")}</Link>
              </p>
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
          <Pagination page={page} hasMore={hasMore} basePath={blogTagUrl(spaceSlug, String(tag?.tag))} />
        </section>
        <div className="blog-side blog-side-last">
          <TagCloud spaceSlug={spaceSlug} tags={tags} current={tag?.tag} />
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
