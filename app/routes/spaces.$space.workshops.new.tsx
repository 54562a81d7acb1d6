import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import * as workshops from "#db/queries/workshops.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { canOpenNewWorkshop, canReadWorkshop, canScheduleWorkshops } from "#app/policies/workshop.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace, type SpaceContext } from "#app/utils/space.server.ts";
import { workshopsUrl, workshopUrl } from "#app/urls.ts";
import { proposeWorkshop, scheduleWorkshop, type FieldErrors } from "#app/workshops/commands.server.ts";
import { workshopFormContext } from "#app/workshops/form-context.server.ts";
import { echoOf, echoOfWorkshop, readWorkshopForm, type WorkshopFormEcho } from "#app/workshops/form.server.ts";
import { WorkshopForm } from "#app/workshops/WorkshopForm.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "workshops.newTitle");

/**
 * A new workshop: the space's admins schedule it, members and editors
 * propose it (it waits for the admins). `?from=<id>` fills the form from a
 * workshop of this space, for its next session (admins; its date left to
 * choose); the new one points back at it and takes its materials.
 */
async function previousOf(ctx: SpaceContext, from: string | null) {
  if (!from) return null;
  if (!canScheduleWorkshops(ctx.actor, ctx.membership, ctx.space)) forbidden();
  const previous = from.length <= 64 ? await workshops.findWorkshop(getDb(), ctx.space.id, from) : undefined;
  // Another space's id, a trashed one or a proposal: no session to follow.
  if (!previous || !canReadWorkshop(ctx.actor, ctx.membership, ctx.space, previous) || previous.state === "proposed" || previous.state === "declined") notFound();
  return previous;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireSpace(request, params.space, canOpenNewWorkshop, context);
  const { space, user } = ctx;
  const previous = await previousOf(ctx, new URL(request.url).searchParams.get("from"));
  const values: WorkshopFormEcho = previous
    ? { ...echoOfWorkshop(previous, await workshops.facilitatorIds(getDb(), previous.id)), date: "", start: "", end: "", closes: "" }
    : { title: "", date: "", start: "", end: "", timeZone: user.time_zone, place: "", videoUrl: "", outsideSpeaker: "", capacity: "", closes: "", facilitators: [user.id], coverFileId: "", network: false, description: null };
  return {
    spaceSlug: space.slug,
    schedules: canScheduleWorkshops(ctx.actor, ctx.membership, space),
    previous: previous ? { id: previous.id, title: previous.title } : null,
    values,
    ...(await workshopFormContext(space, user.time_zone, values.coverFileId || null)),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await requireSpace(request, params.space, canOpenNewWorkshop, context);
  const form = await request.formData();
  const from = form.get("previousId");
  const previous = await previousOf(signedIn, typeof from === "string" ? from : null);
  const ctx = acting(signedIn, context);
  const values = echoOf(form, ctx.user.time_zone);
  const refused = async (errors: FieldErrors, shown: WorkshopFormEcho) =>
    data({ errors, values: shown, cover: (await workshopFormContext(ctx.space, ctx.user.time_zone, shown.coverFileId || null)).cover }, { status: 400 });
  const parsed = readWorkshopForm(form, { now: ctx.now });
  if (!parsed.ok) return refused(parsed.errors, values);
  const content = await checkDocument(parsed.value.description);
  if (!content.ok) return refused({ description: "workshops.error.description" }, { ...values, description: null });
  if (!canScheduleWorkshops(ctx.actor, ctx.membership, ctx.space)) {
    const result = await transact(getDb(), (trx) => proposeWorkshop(trx, ctx, { form: parsed.value, content }));
    if (!result.ok) return "errors" in result ? refused(result.errors, values) : forbidden();
    return redirectWithFlash(workshopUrl(ctx.space.slug, result.id), { key: "workshops.proposedFlash", params: { title: parsed.value.title } });
  }
  const head = await letterhead();
  const result = await transact(getDb(), (trx) => scheduleWorkshop(trx, ctx, { form: parsed.value, content, head, previousId: previous?.id ?? null }));
  if (!result.ok) return "errors" in result ? refused(result.errors, values) : forbidden();
  send(result.mailIds);
  return redirectWithFlash(workshopUrl(ctx.space.slug, result.workshop.id), { key: "workshops.scheduledFlash", params: { title: result.workshop.title } });
}

export default function NewWorkshop() {
  const t = useT();
  const { spaceSlug, schedules, previous, values, zones, members, cover, canOpenToNetwork } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const title = previous ? t("workshops.nextTitle", { title: previous.title }) : t(schedules ? "workshops.newTitle" : "workshops.proposeTitle");
  return (
    <div className="stack">
      <Breadcrumb label={t("workshops.title")} items={[{ to: workshopsUrl(spaceSlug), label: t("workshops.title") }]} />
      <section className="card form-card" aria-labelledby="new-workshop-title">
        <h2 id="new-workshop-title">{title}</h2>
        <p className="muted small">{t(schedules ? "workshops.newIntro" : "workshops.proposeIntro")}</p>
        <WorkshopForm
          spaceSlug={spaceSlug}
          values={result?.values ?? values}
          errors={result?.errors}
          zones={zones}
          members={members}
          cover={result ? result.cover : cover}
          canOpenToNetwork={canOpenToNetwork}
          hidden={previous ? { previousId: previous.id } : {}}
          submitLabel={t(schedules ? "workshops.form.submit" : "workshops.form.propose")}
          cancelTo={previous ? workshopUrl(spaceSlug, previous.id) : workshopsUrl(spaceSlug)}
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
