import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findPostRevision, listPostRevisions } from "#db/queries/posts.ts";
import { loadPost } from "#app/blog/load.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { RevisionHistory, type RevisionHistoryKeys } from "#app/components/revision-history.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { diffText } from "#app/wiki/diff.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { blogUrl, postUrl } from "#app/urls.ts";

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

const HISTORY_KEYS: RevisionHistoryKeys = {
  diffTitle: "blog.diffTitle",
  historyTitle: "blog.historyTitle",
  compareFrom: "blog.compareFrom",
  compareTo: "blog.compareTo",
  compare: "blog.compare",
  revision: "blog.revision",
  by: "blog.byAuthor",
};

export default function PostHistory() {
  const t = useT();
  const { spaceSlug, post, revisions, comparison } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <Breadcrumb
        label={t("blog.breadcrumb")}
        items={[
          { to: blogUrl(spaceSlug), label: t("blog.title") },
          { to: postUrl(spaceSlug, post.slug), label: post.title },
        ]}
      />
      <RevisionHistory
        keys={HISTORY_KEYS}
        title={post.title}
        revision={post.revision}
        revisions={revisions}
        comparison={comparison}
        currentBadge={
          <>
            {" "}
            <span className="badge badge-accent">{t("blog.current")}</span>
          </>
        }
        singleRevisionNote={t("blog.oneRevision")}
        compareLabel={(n) => t("blog.compareWithPrevious", { n })}
        details={(r) => (
          <>
            {r.title !== post.title ? <span className="block small muted">{t("blog.revisionTitle", { title: r.title })}</span> : null}
            {r.summary ? <span className="block small">{r.summary}</span> : null}
          </>
        )}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
