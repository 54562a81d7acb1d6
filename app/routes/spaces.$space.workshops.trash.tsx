import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import * as workshops from "#db/queries/workshops.ts";
import { transact } from "#db/transact.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { TrashCard } from "#app/components/trash-card.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canDeleteWorkshop } from "#app/policies/workshop.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { workshopsUrl, workshopUrl } from "#app/urls.ts";
import { restoreWorkshop } from "#app/workshops/commands.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "workshops.trash.title");

/** Workshops put in the trash: the space's admins see them and bring them back. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canDeleteWorkshop, context);
  const trashed = await workshops.listTrashedWorkshops(getDb(), space.id);
  return { spaceSlug: space.slug, workshops: trashed.map((w) => ({ id: w.id, title: w.title, at: w.deleted_at!, by: w.deleted_by_name })) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await requireSpace(request, params.space, canDeleteWorkshop, context);
  const form = await request.formData();
  const id = form.get("workshopId");
  if (form.get("intent") !== "restore" || typeof id !== "string" || id.length > 64) badRequest();
  // Another space's workshop is not in this trash.
  const workshop = await workshops.findWorkshop(getDb(), signedIn.space.id, id);
  if (!workshop) notFound();
  const restored = await transact(getDb(), (trx) => restoreWorkshop(trx, acting(signedIn, context), { workshop }));
  if (!restored.ok) notFound();
  return redirectWithFlash(workshopUrl(signedIn.space.slug, workshop.id), { key: "workshops.restoredFlash", params: { title: workshop.title } });
}

export default function WorkshopsTrash() {
  const t = useT();
  const { spaceSlug, workshops: trashed } = useLoaderData<typeof loader>();
  return (
    <TrashCard
      headingId="workshops-trash-title"
      back={{ href: workshopsUrl(spaceSlug), label: t("workshops.title") }}
      breadcrumbLabel={t("workshops.title")}
      title={t("workshops.trash.title")}
      intro={t("workshops.trash.intro")}
      emptyText={t("workshops.trash.empty")}
      restoreLabel={t("workshops.trash.restore")}
      deletedBy={(name, date) => t("workshops.trash.deletedBy", { name, date })}
      idField="workshopId"
      items={trashed}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
