import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { findPostRevision, listPostRevisions } from "#db/queries/posts.ts";
import { loadPost } from "#app/blog/load.server.ts";
import { DiffView } from "#app/components/diff-view.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { diffText } from "#app/wiki/diff.ts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "blog.historyTitle", undefined, data?.post.title);

function revisionParam(url: URL, name: string) {
  const n = Number(url.searchParams.get(name));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** An article's revisions, for those who may edit it (earlier versions may hold what its author took out). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, post, canEdit } = await loadPost(request, params, context);
  authorize(canEdit);
  const db = getDb();
  const revisions = await listPostRevisions(db, post.id);
  const url = new URL(request.url);
  const from = revisionParam(url, "from");
  const to = revisionParam(url, "to");
  let comparison = null;
  if (from !== null && to !== null) {
    const [a, b] = await Promise.all([findPostRevision(db, post.id, from), findPostRevision(db, post.id, to)]);
    if (!a || !b) notFound();
    comparison = { from, to, segments: diffText(`${a.title}\n\n${a.content_text}`, `${b.title}\n\n${b.content_text}`) };
  }
  return {
    spaceSlug: space.slug,
    post: { slug: post.slug, title: post.title, revision: post.revision },
    revisions: revisions.map((r) => ({ n: r.number, title: r.title, summary: r.summary, at: r.created_at, author: r.author_name })),
    comparison,
  };
}

export default function PostHistory() {
  const t = useT();
  const formatDate = useFormatDate();
  const { spaceSlug, post, revisions, comparison } = useLoaderData<typeof loader>();
  const base = `/spaces/${spaceSlug}/blog`;
  const latest = revisions[0]?.n ?? 1;
  return (
    <div className="stack">
      <nav aria-label={t("blog.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to={base}>{t("blog.title")}</Link>
          </li>
          <li>
            <Link to={`${base}/${post.slug}`}>{post.title}</Link>
          </li>
        </ol>
      </nav>
      {comparison ? (
        <section className="card" aria-labelledby="diff-title">
          <h2 id="diff-title">{t("blog.diffTitle", { from: comparison.from, to: comparison.to })}</h2>
          <DiffView segments={comparison.segments} />
        </section>
      ) : null}
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">
          {t("blog.historyTitle")} — {post.title}
        </h2>
        {revisions.length > 1 ? (
          <Form method="get" className="inline-form compare-form">
            <label htmlFor="from">{t("blog.compareFrom")}</label>
            <select id="from" name="from" defaultValue={comparison?.from ?? Math.max(1, latest - 1)}>
              {revisions.map((r) => (
                <option key={r.n} value={r.n}>
                  {r.n}
                </option>
              ))}
            </select>
            <label htmlFor="to">{t("blog.compareTo")}</label>
            <select id="to" name="to" defaultValue={comparison?.to ?? latest}>
              {revisions.map((r) => (
                <option key={r.n} value={r.n}>
                  {r.n}
                </option>
              ))}
            </select>
            <button type="submit" className="btn btn-small">
              {t("blog.compare")}
            </button>
          </Form>
        ) : (
          <p className="muted small">{t("blog.oneRevision")}</p>
        )}
        <ol className="list revisions" reversed>
          {revisions.map((r) => (
            <li key={r.n} data-testid="revision">
              <span className="grow">
                <strong>{t("blog.revision", { n: r.n })}</strong>
                {r.n === post.revision ? (
                  <>
                    {" "}
                    <span className="badge badge-accent">{t("blog.current")}</span>
                  </>
                ) : null}{" "}
                <span className="muted small">
                  {t("blog.byAuthor", { name: r.author ?? "—" })} · {formatDate(r.at)}
                </span>
                {r.title !== post.title ? <span className="block small muted">{t("blog.revisionTitle", { title: r.title })}</span> : null}
                {r.summary ? <span className="block small">{r.summary}</span> : null}
              </span>
              {r.n > 1 ? (
                <Link className="btn btn-small" to={`?from=${r.n - 1}&to=${r.n}`} aria-label={t("blog.compareWithPrevious", { n: r.n })}>
                  {t("blog.compare")}
                </Link>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
