import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import * as pages from "#db/queries/pages.ts";
import { workshopsWithNotes } from "#db/queries/workshop-notes.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { transact } from "#db/transact.ts";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canDeletePage, canEditPages, canReadPages } from "#app/policies/page.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, redirectWithFlash } from "#app/utils/http.server.ts";
import { trashPage } from "#app/wiki/commands.server.ts";
import { loadPage } from "#app/wiki/load.server.ts";
import { loadComments } from "#app/comments/load.server.ts";
import { CommentsSection } from "#app/components/comments.tsx";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { AudienceLine } from "#app/components/audience-line.tsx";
import { describeAudience } from "#app/audience/load.server.ts";
import { canShareOutside } from "#app/policies/share.ts";
import { wikiEditUrl, wikiHistoryUrl, wikiMarkdownUrl, wikiMoveUrl, wikiNewUrl, wikiPageUrl, wikiUrl, workshopUrl, sharesUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const root = matches.find((m) => m?.id === "root")?.data as { networkName?: string } | undefined;
  return [{ title: data ? `${data.page.title} · ${data.spaceName}` : (root?.networkName ?? "Cercle") }];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, page, moved } = await loadPage(request, params, canReadPages, context);
  // A former address (the page was renamed): on to the current one.
  if (moved) throw redirect(wikiPageUrl(space.slug, page.slug), 301);
  const db = getDb();
  const [trail, children, links, editor, comments, notesOf, audience] = await Promise.all([
    pages.ancestors(db, page),
    pages.listChildren(db, space.id, page.id),
    pages.backlinks(db, page.id),
    page.updated_by ? findUser(db, page.updated_by) : undefined,
    // The page was just found live and readable: no second check.
    loadComments({ space, membership, actor }, { kind: "page", id: page.id }, { checked: true }),
    // The workshops whose notes this page is, that this reader may read.
    workshopsWithNotes(db, space.id, page.id).then((found) => found.filter((w) => canReadWorkshop(actor, membership, space, w))),
    // Who reads it: the rule this loader just asked (loadPage with canReadPages).
    describeAudience(db, { space, actor, membership }, (a, m) => canReadPages(a, m, space)),
  ]);
  return {
    spaceSlug: space.slug,
    spaceName: space.name,
    page: {
      id: page.id,
      slug: page.slug,
      title: page.title,
      html: page.content_html,
      updatedAt: page.updated_at,
      revision: page.revision,
      editor: editor?.display_name ?? null,
    },
    trail: trail.map((a) => ({ title: a.title, slug: a.slug })),
    children: children.map((c) => ({ id: c.id, title: c.title, slug: c.slug })),
    backlinks: links.map((b) => ({ id: b.id, title: b.title, slug: b.slug })),
    notesOf: notesOf.map((w) => ({ id: w.id, title: w.title, href: workshopUrl(space.slug, w.id) })),
    can: { edit: canEditPages(actor, membership, space), delete: canDeletePage(actor, membership, space, page), share: canShareOutside(actor, membership, space) },
    shareHref: sharesUrl(space.slug, { kind: "page", id: page.id }),
    comments,
    audience,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { space, membership, actor, user, page } = await loadPage(request, params);
  const form = await request.formData();
  if (form.get("intent") !== "delete") badRequest();
  authorize(canDeletePage(actor, membership, space, page));
  await transact(getDb(), (trx) => trashPage(trx, { space, user, now: Date.now() }, { page }));
  return redirectWithFlash(wikiUrl(space.slug), { key: "wiki.deleted", params: { title: page.title } });
}

export default function WikiPage() {
  const t = useT();
  const formatDate = useFormatDate();
  const { spaceSlug, page, trail, children, backlinks, notesOf, can, comments, audience, shareHref } = useLoaderData<typeof loader>();
  return (
    <div className="wiki-layout wiki-layout-page">
      <article className="card page-article" aria-labelledby="page-title">
        <Breadcrumb
          label={t("wiki.breadcrumb")}
          items={[{ to: wikiUrl(spaceSlug), label: t("wiki.title") }, ...trail.map((a) => ({ to: wikiPageUrl(spaceSlug, a.slug), label: a.title }))]}
        />
        <div className="page-head">
          <div>
            <h1 id="page-title">{page.title}</h1>
            <p className="page-head-meta">
              {t("wiki.lastEdit", { name: page.editor ?? "—", date: formatDate(page.updatedAt) })} ·{" "}
              <Link to={wikiHistoryUrl(spaceSlug, page.slug)}>{t("wiki.revision", { n: page.revision })}</Link>
            </p>
            <AudienceLine audience={audience} />
            {notesOf.map((w) => (
              <p key={w.id} className="page-head-meta">
                <Link to={w.href}>{t("wiki.workshopNotes", { title: w.title })}</Link>
              </p>
            ))}
          </div>
          {can.edit || can.share ? (
            <div className="actions">
              {can.edit ? (
                <Link to={wikiEditUrl(spaceSlug, page.slug)} className="btn btn-primary">
                  {t("wiki.edit")}
                </Link>
              ) : null}
              {can.share ? (
                <Link to={shareHref} className="btn">
                  {t("share.action")}
                </Link>
              ) : null}
            </div>
          ) : null}
        </div>
        <RichTextView html={page.html} />
      </article>
      <aside className="stack wiki-aside">
        {children.length > 0 || can.edit ? (
          <section className="card" aria-labelledby="children-title">
            <h2 id="children-title">{t("wiki.children")}</h2>
            {children.length > 0 ? (
              <ul className="list">
                {children.map((c) => (
                  <li key={c.id}>
                    <Link to={wikiPageUrl(spaceSlug, c.slug)}>{c.title}</Link>
                  </li>
                ))}
              </ul>
            ) : null}
            {can.edit ? (
              <Link to={wikiNewUrl(spaceSlug, page.id)} className="btn btn-small">
                {t("wiki.addChild")}
              </Link>
            ) : null}
          </section>
        ) : null}
        <section className="card" aria-labelledby="backlinks-title">
          <h2 id="backlinks-title">{t("wiki.backlinks")}</h2>
          {backlinks.length === 0 ? (
            <p className="muted small">{t("wiki.noBacklinks")}</p>
          ) : (
            <ul className="list">
              {backlinks.map((b) => (
                <li key={b.id}>
                  <Link to={wikiPageUrl(spaceSlug, b.slug)}>{b.title}</Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card actions-card">
          <div className="actions">
            <Link to={wikiHistoryUrl(spaceSlug, page.slug)} className="btn btn-small">
              {t("wiki.history")}
            </Link>
            <a href={wikiMarkdownUrl(spaceSlug, page.slug)} className="btn btn-small" download>
              {t("wiki.exportPage")}
            </a>
            {can.edit ? (
              <Link to={wikiMoveUrl(spaceSlug, page.slug)} className="btn btn-small">
                {t("wiki.move")}
              </Link>
            ) : null}
            {can.delete ? (
              <ConfirmDialog
                trigger={<button className="btn btn-danger btn-small">{t("wiki.delete")}</button>}
                title={t("wiki.delete")}
                description={t("wiki.deleteConfirm", { title: page.title })}
                confirmLabel={t("wiki.delete")}
                fields={{ intent: "delete" }}
              />
            ) : null}
          </div>
        </section>
      </aside>
      <div className="wiki-comments">
        <CommentsSection data={comments} />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
