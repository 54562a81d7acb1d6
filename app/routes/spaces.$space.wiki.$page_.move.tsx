import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as pages from "#db/queries/pages.ts";
import { transact } from "#db/transact.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canEditPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { movePage } from "#app/wiki/commands.server.ts";
import { loadPage } from "#app/wiki/load.server.ts";
import { wikiMoveUrl, wikiPageUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "wiki.moveTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, page } = await loadPage(request, params, canEditPages);
  const db = getDb();
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim();
  const chosen = url.searchParams.has("parent") ? url.searchParams.get("parent") || null : page.parent_id;
  // Candidates: pages matching the search, minus the page and everything under it.
  const found = q ? await pages.searchTitles(db, space.id, q, 20) : [];
  const candidates = [];
  for (const c of found) if (!(await pages.isSelfOrDescendant(db, page.id, c.id))) candidates.push({ id: c.id, title: c.title });
  const parent = chosen ? await pages.findInSpace(db, space.id, chosen) : null;
  const siblings = (await pages.listChildren(db, space.id, parent?.id ?? null)).filter((s) => s.id !== page.id);
  return {
    spaceSlug: space.slug,
    page: { id: page.id, slug: page.slug, title: page.title },
    q,
    parent: parent && parent.deleted_at === null ? { id: parent.id, title: parent.title } : null,
    candidates,
    siblings: siblings.map((s) => ({ id: s.id, title: s.title })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { space, user, page } = await loadPage(request, params, canEditPages);
  const form = await request.formData();
  const parentId = (form.get("parentId") as string | null) || null;
  const index = Number(form.get("index"));
  if (!Number.isInteger(index) || index < 0) badRequest();
  const here = wikiMoveUrl(space.slug, page.slug);
  const moved = await transact(getDb(), (trx) => movePage(trx, { space, user, now: Date.now() }, { page, parentId, index }));
  if (!moved.ok && moved.error === "not_found") notFound();
  if (!moved.ok) return redirectWithFlash(here, { kind: "error", key: "wiki.moveLoop" });
  return redirectWithFlash(wikiPageUrl(space.slug, page.slug), { key: "wiki.moved" });
}

export default function MovePage() {
  const t = useT();
  const { spaceSlug, page, q, parent, candidates, siblings } = useLoaderData<typeof loader>();
  return (
    <section className="card form-card" aria-labelledby="move-title">
      <h2 id="move-title">
        {t("wiki.moveTitle")} — {page.title}
      </h2>
      <Form method="get" className="stack">
        <div className="field">
          <label htmlFor="move-q">{t("wiki.newParent")}</label>
          <div className="copy-field">
            <input id="move-q" name="q" type="search" defaultValue={q} placeholder={t("wiki.searchParent")} />
            <button type="submit" className="btn">
              {t("wiki.search")}
            </button>
          </div>
        </div>
        <fieldset className="field choice">
          <legend className="sr-only">{t("wiki.newParent")}</legend>
          <div className="choice-option">
            <input type="radio" id="parent-root" name="parent" value="" defaultChecked={!parent} />
            <label htmlFor="parent-root">
              <span className="choice-label">{t("wiki.topLevel")}</span>
            </label>
          </div>
          {parent && !candidates.some((c) => c.id === parent.id) ? (
            <div className="choice-option">
              <input type="radio" id={`parent-${parent.id}`} name="parent" value={parent.id} defaultChecked />
              <label htmlFor={`parent-${parent.id}`}>
                <span className="choice-label">{parent.title}</span>
              </label>
            </div>
          ) : null}
          {candidates.map((c) => (
            <div className="choice-option" key={c.id}>
              <input type="radio" id={`parent-${c.id}`} name="parent" value={c.id} defaultChecked={parent?.id === c.id} />
              <label htmlFor={`parent-${c.id}`}>
                <span className="choice-label">{c.title}</span>
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-small" name="intent" value="choose">
          {t("wiki.positionLabel")} →
        </button>
      </Form>
      <Form method="post" className="stack section">
        <input type="hidden" name="parentId" value={parent?.id ?? ""} />
        <p className="muted small">{parent ? t("wiki.underParent", { title: parent.title }) : t("wiki.topLevel")}</p>
        <div className="field">
          <label htmlFor="move-index">{t("wiki.positionLabel")}</label>
          <select id="move-index" name="index" defaultValue={siblings.length}>
            <option value={0}>{t("wiki.first")}</option>
            {siblings.map((s, i) => (
              <option key={s.id} value={i + 1}>
                {t("wiki.after", { title: s.title })}
              </option>
            ))}
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {t("wiki.move")}
          </button>
          <Link to={wikiPageUrl(spaceSlug, page.slug)} className="btn">
            {t("wiki.cancel")}
          </Link>
        </div>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
