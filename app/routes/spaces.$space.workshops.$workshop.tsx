import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import * as workshops from "#db/queries/workshops.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatInZone } from "#app/components/post-card.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import { useT } from "#app/i18n/react.tsx";
import { canDecideProposal, canDeleteWorkshop, canEditWorkshop, canReadWorkshop } from "#app/policies/workshop.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { workshopRegistrationUrl, workshopUrl } from "#app/urls.ts";
import { cancelWorkshop, decideProposal, deleteWorkshop } from "#app/workshops/commands.server.ts";
import { readReason } from "#app/workshops/form.server.ts";
import { RegistrationPanel } from "#app/workshops/RegistrationPanel.tsx";
import { registrationView } from "#app/workshops/registration.server.ts";

/** One workshop, read by whoever may (canReadWorkshop); anyone else, and another space's id, get a 404. */
async function loadWorkshop(request: Request, params: { space?: string; workshop?: string }, context?: object) {
  const ctx = await loadSpace(request, params.space, context);
  const workshop = params.workshop ? await workshops.findWorkshop(getDb(), ctx.space.id, params.workshop) : undefined;
  if (!workshop || !canReadWorkshop(ctx.actor, ctx.membership, ctx.space, workshop)) notFound();
  const facilitatorIds = await workshops.facilitatorIds(getDb(), workshop.id);
  return { ...ctx, workshop, facilitatorIds };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, actor, membership, space, workshop, facilitatorIds } = await loadWorkshop(request, params, context);
  const now = Date.now();
  const view = await registrationView(getDb(), workshop, user.id, now);
  const canRegister = view.open;
  return {
    spaceSlug: space.slug,
    readerZone: user.time_zone,
    workshop: {
      id: workshop.id,
      title: workshop.title,
      state: workshop.state,
      startsAt: workshop.starts_at,
      endsAt: workshop.ends_at,
      timeZone: workshop.time_zone,
      place: workshop.place,
      // The link to the call only to those who may come.
      videoUrl: canRegister || view.mine?.status === "going" ? workshop.video_url : null,
      capacity: workshop.capacity,
      html: workshop.description_html,
      cancelReason: workshop.cancel_reason,
      declineReason: workshop.decline_reason,
      past: workshop.ends_at < now,
    },
    facilitators: await workshops.facilitators(getDb(), workshop.id),
    view,
    canRegister,
    can: {
      edit: canEditWorkshop(actor, membership, space, workshop, facilitatorIds),
      decide: canDecideProposal(actor, membership, space) && workshop.state === "proposed",
      delete: canDeleteWorkshop(actor, membership, space),
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await loadWorkshop(request, params, context);
  const { actor, membership, space, workshop, facilitatorIds } = ctx;
  const form = await request.formData();
  const intent = form.get("intent");
  const who = acting({ user: ctx.user, space }, context);
  if (intent === "cancel" && canEditWorkshop(actor, membership, space, workshop, facilitatorIds)) {
    const reason = readReason(form);
    if (!reason.ok) return data({ error: reason.error }, { status: 400 });
    const result = await transact(getDb(), (trx) => cancelWorkshop(trx, who, { workshop, reason: reason.value }));
    if (!result.ok) return data({ error: result.error }, { status: 409 });
    return redirectWithFlash(workshopUrl(space.slug, workshop.id), { key: "workshops.cancelledFlash", params: { title: workshop.title } });
  }
  if ((intent === "accept" || intent === "decline") && canDecideProposal(actor, membership, space)) {
    const reason = intent === "decline" ? readReason(form) : ({ ok: true, value: null } as const);
    if (!reason.ok) return data({ error: reason.error }, { status: 400 });
    const result = await transact(getDb(), (trx) => decideProposal(trx, who, { workshop, accept: intent === "accept", reason: reason.value }));
    if (!result.ok) return data({ error: result.error }, { status: 409 });
    return redirectWithFlash(workshopUrl(space.slug, workshop.id), { key: "workshops.decidedFlash", params: { title: workshop.title } });
  }
  if (intent === "delete" && canDeleteWorkshop(actor, membership, space)) {
    await transact(getDb(), (trx) => deleteWorkshop(trx, who, { workshop }));
    return redirectWithFlash(workshopUrl(space.slug, workshop.id).replace(/\/[^/]+$/, ""), { key: "workshops.deletedFlash", params: { title: workshop.title } });
  }
  throw new Response(null, { status: 403 });
}

export default function WorkshopPage() {
  const t = useT();
  const { spaceSlug, readerZone, workshop, facilitators, view, canRegister, can } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const inReaderZone = useFormatInZone(readerZone);
  const inWorkshopZone = useFormatInZone(workshop.timeZone);
  return (
    <article className="stack workshop" aria-labelledby="workshop-title">
      <h2 id="workshop-title">
        {workshop.title} <span className={`badge workshop-state-${workshop.state}`}>{t(`workshops.state.${workshop.past && workshop.state === "scheduled" ? "past" : workshop.state}`)}</span>
      </h2>
      <dl className="workshop-facts">
        <dt>{t("workshops.when")}</dt>
        <dd>
          {inReaderZone(workshop.startsAt)} – {inReaderZone(workshop.endsAt)}
          {readerZone !== workshop.timeZone ? <span className="muted small"> · {inWorkshopZone(workshop.startsAt)}</span> : null}
        </dd>
        {facilitators.length > 0 ? (
          <>
            <dt>{t("workshops.facilitators")}</dt>
            <dd>{facilitators.map((f) => f.name).join(", ")}</dd>
          </>
        ) : null}
        {workshop.place ? (
          <>
            <dt>{t("workshops.place")}</dt>
            <dd>{workshop.place}</dd>
          </>
        ) : null}
        {workshop.videoUrl ? (
          <>
            <dt>{t("workshops.videoUrl")}</dt>
            <dd>
              <a href={workshop.videoUrl} rel="noopener noreferrer">{workshop.videoUrl}</a>
            </dd>
          </>
        ) : null}
        {workshop.capacity !== null ? (
          <>
            <dt>{t("workshops.capacity")}</dt>
            <dd>{workshop.capacity}</dd>
          </>
        ) : null}
      </dl>
      {workshop.state === "cancelled" && workshop.cancelReason ? <p role="status">{t("workshops.cancelReason", { reason: workshop.cancelReason })}</p> : null}
      {workshop.state === "declined" && workshop.declineReason ? <p role="status">{t("workshops.declineReason", { reason: workshop.declineReason })}</p> : null}
      <RichTextView html={workshop.html} className="workshop-body" />
      <RegistrationPanel view={view} action={workshopRegistrationUrl(spaceSlug, workshop.id)} canRegister={canRegister} />
      {result && "error" in result ? <p role="alert" className="error">{t(result.error as "workshops.wrongState")}</p> : null}
      {can.decide ? (
        <Form method="post" className="stack">
          <label htmlFor="decide-reason">{t("workshops.declineReasonLabel")}</label>
          <textarea id="decide-reason" name="reason" maxLength={1000} />
          <div className="row">
            <button type="submit" name="intent" value="accept">{t("workshops.accept")}</button>
            <button type="submit" name="intent" value="decline">{t("workshops.decline")}</button>
          </div>
        </Form>
      ) : null}
      {can.edit && workshop.state === "scheduled" ? (
        <Form method="post" className="stack">
          <label htmlFor="cancel-reason">{t("workshops.cancelReasonLabel")}</label>
          <textarea id="cancel-reason" name="reason" maxLength={1000} required />
          <button type="submit" name="intent" value="cancel">{t("workshops.cancel")}</button>
        </Form>
      ) : null}
      {can.delete ? (
        <Form method="post">
          <button type="submit" name="intent" value="delete">{t("workshops.delete")}</button>
        </Form>
      ) : null}
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
