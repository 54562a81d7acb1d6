import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listChildren, listRecent } from "#db/queries/pages.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { PageTree } from "#app/components/page-tree.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { canEditPages, canManageTrash, canReadPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { wikiExportUrl, wikiImportUrl, wikiNewUrl, wikiPageUrl, wikiTrashUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "wiki.title");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor } = await requireSpace(request, params.space, canReadPages, context);
  const db = getDb();
  const [roots, recent] = await Promise.all([listChildren(db, space.id, null), listRecent(db, space.id, 12)]);
  return {
    spaceSlug: space.slug,
    roots: roots.map((r) => ({ id: r.id, title: r.title, slug: r.slug, childCount: Number(r.child_count) })),
    recent: recent.map((r) => ({ id: r.id, title: r.title, slug: r.slug, at: r.updated_at, editor: r.editor_name })),
    can: { edit: canEditPages(actor, membership, space), trash: canManageTrash(actor, membership, space) },
  };
}

export default function WikiHome() {
  const t = useT();
  const formatDate = useFormatDate();
  const { spaceSlug, roots, recent, can } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h2>{t("wiki.title")}</h2>
          <p>{t("wiki.intro")}</p>
        </div>
        <div className="actions">
          {roots.length > 0 ? (
            <a href={wikiExportUrl(spaceSlug)} className="btn btn-small" download>
              {t("wiki.exportAll")}
            </a>
          ) : null}
          {can.edit ? (
            <Link to={wikiImportUrl(spaceSlug)} className="btn btn-small">
              {t("wiki.import")}
            </Link>
          ) : null}
          {can.trash ? (
            <Link to={wikiTrashUrl(spaceSlug)} className="btn btn-small">
              {t("wiki.trash")}
            </Link>
          ) : null}
          {can.edit ? (
            <Link to={wikiNewUrl(spaceSlug)} className="btn btn-primary">
              {t("wiki.newPage")}
            </Link>
          ) : null}
        </div>
      </div>
      {roots.length === 0 ? (
        <div className="card empty-state">
          <p>{t("wiki.empty")}</p>
          {can.edit ? <p className="muted">{t("wiki.emptyHint")}</p> : null}
        </div>
      ) : (
        <div className="two-col">
          <section className="card" aria-labelledby="tree-title">
            <h3 id="tree-title">{t("wiki.tree")}</h3>
            <PageTree spaceSlug={spaceSlug} roots={roots} label={t("wiki.treeLabel")} />
          </section>
          <section className="card" aria-labelledby="recent-title">
            <h3 id="recent-title">{t("wiki.recent")}</h3>
            <ul className="list">
              {recent.map((p) => (
                <li key={p.id}>
                  <span className="grow">
                    <Link to={wikiPageUrl(spaceSlug, p.slug)}>{p.title}</Link>
                    <br />
                    <span className="muted small">{t("wiki.lastEdit", { name: p.editor ?? "—", date: formatDate(p.at) })}</span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
