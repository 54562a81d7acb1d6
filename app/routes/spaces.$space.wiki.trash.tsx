import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import * as pages from "#db/queries/pages.ts";
import { transact } from "#db/transact.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { TrashCard } from "#app/components/trash-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canManageTrash } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { restorePage } from "#app/wiki/commands.server.ts";
import { wikiPageUrl, wikiUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "wiki.trashTitle");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canManageTrash);
  const trashed = await pages.listTrash(getDb(), space.id);
  return {
    spaceSlug: space.slug,
    pages: trashed.map((p) => ({ id: p.id, title: p.title, at: p.deleted_at!, by: p.deleted_by_name })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { space, user } = await requireSpace(request, params.space, canManageTrash);
  const form = await request.formData();
  const id = form.get("pageId");
  if (form.get("intent") !== "restore" || typeof id !== "string") badRequest();
  const restored = await transact(getDb(), (trx) => restorePage(trx, { space, user, now: Date.now() }, { pageId: id }));
  if (!restored.ok) notFound();
  const { page } = restored;
  return redirectWithFlash(wikiPageUrl(space.slug, page.slug), { key: "wiki.pageRestored", params: { title: page.title } });
}

export default function Trash() {
  const t = useT();
  const { spaceSlug, pages: trashed } = useLoaderData<typeof loader>();
  return (
    <TrashCard
      headingId="trash-title"
      back={{ href: wikiUrl(spaceSlug), label: t("wiki.title") }}
      breadcrumbLabel={t("wiki.breadcrumb")}
      title={t("wiki.trashTitle")}
      intro={t("wiki.trashIntro")}
      emptyText={t("wiki.trashEmpty")}
      restoreLabel={t("wiki.restorePage")}
      deletedBy={(name, date) => t("wiki.deletedBy", { name, date })}
      idField="pageId"
      items={trashed}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
