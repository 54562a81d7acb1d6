import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { canScheduleWorkshops } from "#app/policies/workshop.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { workshopsUrl, workshopUrl } from "#app/urls.ts";
import { scheduleWorkshop } from "#app/workshops/commands.server.ts";
import { echoOf, readWorkshopForm, type WorkshopFormEcho } from "#app/workshops/form.server.ts";
import { WorkshopForm } from "#app/workshops/WorkshopForm.tsx";
import { offeredZones } from "#app/workshops/zones.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "workshops.newTitle");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, user } = await requireSpace(request, params.space, canScheduleWorkshops, context);
  const empty: WorkshopFormEcho = { title: "", date: "", start: "", end: "", timeZone: user.time_zone, place: "", videoUrl: "", outsideSpeaker: "", capacity: "", description: null };
  return { spaceSlug: space.slug, zones: offeredZones(user.time_zone), values: empty };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSpace(request, params.space, canScheduleWorkshops, context), context);
  const form = await request.formData();
  const values = echoOf(form, ctx.user.time_zone);
  const parsed = readWorkshopForm(form, { now: ctx.now });
  if (!parsed.ok) return data({ errors: parsed.errors, values }, { status: 400 });
  const description = await checkDocument(parsed.value.description);
  if (!description.ok) {
    return data({ errors: { description: "workshops.error.description" as const }, values: { ...values, description: null } }, { status: 400 });
  }
  const head = await letterhead();
  const result = await transact(getDb(), (trx) => scheduleWorkshop(trx, ctx, { form: parsed.value, description, head }));
  if (!result.ok) forbidden();
  send(result.mailIds);
  return redirectWithFlash(workshopUrl(ctx.space.slug, result.workshop.id), { key: "workshops.scheduledFlash", params: { title: result.workshop.title } });
}

export default function NewWorkshop() {
  const t = useT();
  const { spaceSlug, zones, values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack">
      <Breadcrumb label={t("workshops.title")} items={[{ to: workshopsUrl(spaceSlug), label: t("workshops.title") }]} />
      <section className="card form-card" aria-labelledby="new-workshop-title">
        <h2 id="new-workshop-title">{t("workshops.newTitle")}</h2>
        <p className="muted small">{t("workshops.newIntro")}</p>
        <WorkshopForm
          spaceSlug={spaceSlug}
          values={result?.values ?? values}
          errors={result?.errors}
          zones={zones}
          submitLabel={t("workshops.form.submit")}
          cancelTo={workshopsUrl(spaceSlug)}
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
