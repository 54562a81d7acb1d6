import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findRevision, listRevisions } from "#db/queries/pages.ts";
import { transact } from "#db/transact.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { RevisionHistory, type RevisionHistoryKeys } from "#app/components/revision-history.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canRestoreRevision } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { prepareRestore, restoreRevision } from "#app/wiki/commands.server.ts";
import { diffText } from "#app/wiki/diff.ts";
import { loadPage } from "#app/wiki/load.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { wikiHistoryUrl, wikiPageUrl, wikiUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.page.title} · Cercle` : "Cercle" }];

function revisionParam(url: URL, name: string) {
  const n = Number(url.searchParams.get(name));
  return Number.isInteger(n) && n > 0 ? n : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, membership, actor, page } = await loadPage(request, params);
  const db = getDb();
  const revisions = await listRevisions(db, page.id);
  const url = new URL(request.url);
  const from = revisionParam(url, "from");
  const to = revisionParam(url, "to");
  let comparison = null;
  if (from !== null && to !== null) {
    const [a, b] = await Promise.all([findRevision(db, page.id, from), findRevision(db, page.id, to)]);
    if (!a || !b) notFound();
    comparison = { from, to, segments: diffText(`${a.title}\n\n${a.content_text}`, `${b.title}\n\n${b.content_text}`) };
  }
  return {
    spaceSlug: space.slug,
    page: { slug: page.slug, title: page.title, revision: page.revision },
    revisions: revisions.map((r) => ({ n: r.number, title: r.title, summary: r.summary, at: r.created_at, author: r.author_name })),
    comparison,
    can: { restore: canRestoreRevision(actor, membership, space) },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { space, membership, actor, user, page } = await loadPage(request, params);
  authorize(canRestoreRevision(actor, membership, space));
  const form = await request.formData();
  const n = Number(form.get("revision"));
  if (form.get("intent") !== "restore" || !Number.isInteger(n) || n < 1) badRequest();
  const restored = await prepareRestore(getDb(), page, n);
  if (!restored.ok && restored.error === "not_found") notFound();
  const result = restored.ok ? await transact(getDb(), (trx) => restoreRevision(trx, { space, user, now: Date.now() }, { page, restored })) : restored;
  if (!result.ok) return redirectWithFlash(wikiHistoryUrl(space.slug, page.slug), { kind: "error", key: "wiki.error.malformed", params: { detail: "" } });
  return redirectWithFlash(wikiPageUrl(space.slug, result.slug), { key: "wiki.restored", params: { n, m: result.revision } });
}

function Summary({ text }: { text: string }) {
  const t = useT();
  const restored = text.match(/^↺ (\d+)$/);
  if (restored) return <>{t("wiki.restoredFrom", { n: Number(restored[1]) })}</>;
  return <>{text}</>;
}

const HISTORY_KEYS: RevisionHistoryKeys = {
  diffTitle: "wiki.diffTitle",
  historyTitle: "wiki.historyTitle",
  compareFrom: "wiki.compareFrom",
  compareTo: "wiki.compareTo",
  compare: "wiki.compare",
  revision: "wiki.revision",
  by: "wiki.by",
};

export default function History() {
  const t = useT();
  const { spaceSlug, page, revisions, comparison, can } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <Breadcrumb
        label={t("wiki.breadcrumb")}
        items={[
          { to: wikiUrl(spaceSlug), label: t("wiki.title") },
          { to: wikiPageUrl(spaceSlug, page.slug), label: page.title },
        ]}
      />
      <RevisionHistory
        keys={HISTORY_KEYS}
        title={page.title}
        revision={page.revision}
        revisions={revisions}
        comparison={comparison}
        currentBadge={<span className="badge badge-accent"> {t("wiki.current")}</span>}
        details={(r) =>
          r.summary ? (
            <span className="block small">
              <Summary text={r.summary} />
            </span>
          ) : null
        }
        actions={(r) =>
          can.restore && r.n !== page.revision ? (
            <ConfirmDialog
              trigger={<button className="btn btn-small">{t("wiki.restore")}</button>}
              title={t("wiki.restore")}
              description={t("wiki.restoreConfirm", { n: r.n })}
              confirmLabel={t("wiki.restore")}
              fields={{ intent: "restore", revision: String(r.n) }}
              tone="primary"
            />
          ) : null
        }
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
