import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import * as workshops from "#db/queries/workshops.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { EditConflict, type EditConflictKeys } from "#app/components/edit-conflict.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { checkDocument } from "#app/editor/content-pool.server.ts";
import { useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { canEditWorkshop, canReadWorkshop } from "#app/policies/workshop.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { localeOf } from "#app/utils/network.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { workshopsUrl, workshopUrl } from "#app/urls.ts";
import { editWorkshop, type FieldErrors } from "#app/workshops/commands.server.ts";
import { workshopConflict } from "#app/workshops/conflict.server.ts";
import { workshopFormContext } from "#app/workshops/form-context.server.ts";
import { echoOf, echoOfWorkshop, readWorkshopForm, type WorkshopFormEcho } from "#app/workshops/form.server.ts";
import { WorkshopForm } from "#app/workshops/WorkshopForm.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "workshops.editTitle");

/**
 * Editing a workshop (its facilitators and the admins; a proposal, its
 * proposer until decided): the save lands only on top of the revision the
 * form was opened at, else both versions are shown and nothing is lost. A
 * new time or place raises the calendar SEQUENCE and mails those registered
 * the updated event.
 */
async function loadEditable(request: Request, params: { space?: string; workshop?: string }, context: LoaderFunctionArgs["context"]) {
  const ctx = await loadSpace(request, params.space, context);
  const id = params.workshop ?? "";
  const workshop = id.length <= 64 ? await workshops.findWorkshop(getDb(), ctx.space.id, id) : undefined;
  if (!workshop || !canReadWorkshop(ctx.actor, ctx.membership, ctx.space, workshop)) notFound();
  const facilitatorIds = await workshops.facilitatorIds(getDb(), workshop.id);
  if (!canEditWorkshop(ctx.actor, ctx.membership, ctx.space, workshop, facilitatorIds)) forbidden();
  return { ...ctx, workshop, facilitatorIds };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, user, workshop, facilitatorIds } = await loadEditable(request, params, context);
  return {
    spaceSlug: space.slug,
    workshop: { id: workshop.id, title: workshop.title, revision: workshop.revision, started: workshop.starts_at <= Date.now() },
    values: echoOfWorkshop(workshop, facilitatorIds),
    ...(await workshopFormContext(space, user.time_zone, workshop.cover_file_id)),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const loaded = await loadEditable(request, params, context);
  const { workshop } = loaded;
  const form = await request.formData();
  const ctx = acting(loaded, context);
  const values = echoOf(form, workshop.time_zone);
  const baseRevision = Number(form.get("baseRevision"));
  const cover = async (shown: WorkshopFormEcho) => (await workshopFormContext(ctx.space, ctx.user.time_zone, shown.coverFileId || null)).cover;
  const refused = async (errors: FieldErrors, shown: WorkshopFormEcho) => data({ kind: "invalid" as const, errors, values: shown, cover: await cover(shown), baseRevision }, { status: 400 });
  // A workshop already under way may keep its date; a new date must still be to come.
  const parsed = readWorkshopForm(form, { now: ctx.now, allowPast: workshop.starts_at <= ctx.now });
  if (!parsed.ok) return refused(parsed.errors, values);
  const content = await checkDocument(parsed.value.description);
  if (!content.ok) return refused({ description: "workshops.error.description" }, { ...values, description: null });
  if (!Number.isInteger(baseRevision)) return refused({}, values);
  const head = await letterhead();
  const result = await transact(getDb(), (trx) => editWorkshop(trx, ctx, { workshop, baseRevision, form: parsed.value, content, head }));
  if (result.ok) {
    send(result.mailIds);
    return redirectWithFlash(workshopUrl(ctx.space.slug, workshop.id), { key: "workshops.savedFlash", params: { title: parsed.value.title } });
  }
  if ("errors" in result) return refused(result.errors, values);
  if ("conflict" in result) {
    const conflict = await workshopConflict(result.current, { form: parsed.value, text: content.text }, localeOf(ctx.user, head.network.locale), ctx.user.time_zone);
    return data({ kind: "conflict" as const, values, cover: await cover(values), baseRevision: conflict.revision, theirs: conflict.theirs, diff: conflict.diff }, { status: 409 });
  }
  return data({ kind: "state" as const, error: result.error, values, cover: await cover(values), baseRevision }, { status: 409 });
}

const CONFLICT_KEYS: EditConflictKeys = {
  title: "workshops.conflictTitle",
  intro: "workshops.conflictIntro",
  theirVersion: "workshops.theirVersion",
  differences: "workshops.differences",
};

export default function EditWorkshop() {
  const t = useT();
  const { spaceSlug, workshop, values, zones, members, cover, canOpenToNetwork } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const conflict = result?.kind === "conflict" ? result : null;
  const baseRevision = result ? result.baseRevision : workshop.revision;
  return (
    <div className="stack">
      <Breadcrumb
        label={t("workshops.title")}
        items={[
          { to: workshopsUrl(spaceSlug), label: t("workshops.title") },
          { to: workshopUrl(spaceSlug, workshop.id), label: workshop.title },
        ]}
      />
      {conflict ? <EditConflict keys={CONFLICT_KEYS} theirs={conflict.theirs} diff={conflict.diff} /> : null}
      <section className="card form-card" aria-labelledby="edit-workshop-title">
        <h2 id="edit-workshop-title">{conflict ? t("workshops.yourVersion") : t("workshops.editTitle")}</h2>
        {result?.kind === "state" ? (
          <p className="notice notice-error" role="alert">
            {t(result.error)}
          </p>
        ) : null}
        <WorkshopForm
          // Onto their revision after a conflict: the form restarts from the writer's values on top of it.
          key={baseRevision}
          spaceSlug={spaceSlug}
          values={result?.values ?? values}
          errors={result?.kind === "invalid" ? result.errors : undefined}
          zones={zones}
          members={members}
          cover={result ? result.cover : cover}
          canOpenToNetwork={canOpenToNetwork}
          hidden={{ baseRevision: String(baseRevision) }}
          submitLabel={t("workshops.form.save")}
          cancelTo={workshopUrl(spaceSlug, workshop.id)}
        />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
