import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { AudienceLine } from "#app/components/audience-line.tsx";
import { describeAudience } from "#app/audience/load.server.ts";
import { transact } from "#db/transact.ts";
import * as workshops from "#db/queries/workshops.ts";
import { coverOf } from "#app/blog/load.server.ts";
import { loadComments } from "#app/comments/load.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { CommentsSection } from "#app/components/comments.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { RichTextView } from "#app/editor/RichTextView.tsx";
import type { MessageKey } from "#app/i18n/index.ts";
import { useLocale, useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { canAttendWorkshop, canDecideProposal, canDeleteWorkshop, canEditWorkshop, canScheduleWorkshops } from "#app/policies/workshop.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, redirectWithFlash } from "#app/utils/http.server.ts";
import { workshopEditUrl, workshopIcsUrl, workshopNextUrl, workshopRegistrationUrl, workshopsUrl, workshopUrl } from "#app/urls.ts";
import { AddToCalendar } from "#app/workshops/AddToCalendar.tsx";
import { cancelWorkshop, decideProposal, deleteWorkshop } from "#app/workshops/commands.server.ts";
import { FollowUpPanel } from "#app/workshops/FollowUpPanel.tsx";
import { followUpView } from "#app/workshops/followup.server.ts";
import { readReason } from "#app/workshops/form.server.ts";
import { WORKSHOP_LIMITS } from "#app/workshops/limits.ts";
import { loadWorkshop } from "#app/workshops/load.server.ts";
import { MaterialsPanel } from "#app/workshops/MaterialsPanel.tsx";
import { registrationView } from "#app/workshops/registration.server.ts";
import { RegistrationPanel } from "#app/workshops/RegistrationPanel.tsx";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.workshop.title} — Cercle` : "Cercle" }];

/**
 * One workshop, as loadWorkshop finds it for this reader. A member of
 * another club reading a workshop opened to the network sees the workshop
 * and nothing else of its space: no comments, no links into it.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, membership, actor, user, workshop, facilitatorIds } = await loadWorkshop(request, params, context);
  const db = getDb();
  const now = Date.now();
  const member = canReadSpace(actor, membership, space);
  const attends = canAttendWorkshop(actor, membership, space, workshop);
  const [leads, registration, comments, followUp, cover, audience] = await Promise.all([
    workshops.facilitators(db, workshop.id),
    registrationView(db, workshop, user.id, now),
    // The workshop was just checked as readable: its comments are the space's readers' to read.
    member ? loadComments({ space, membership, actor }, { kind: "workshop", id: workshop.id }, { checked: true }) : Promise.resolve(undefined),
    followUpView(db, { space, actor, membership }, workshop, facilitatorIds, now),
    // The cover is a file of the space: shown to those who may open the space's files, not to other clubs.
    member ? coverOf(space, workshop) : Promise.resolve(null),
    // Who reads it: the rule loadWorkshop asked (canReadWorkshop); a proposal, its proposer and the admins.
    describeAudience(db, { space, actor, membership }, (a, m) => canReadWorkshop(a, m, space, workshop), workshop.proposed_by),
  ]);
  const pageUrl = new URL(workshopUrl(space.slug, workshop.id), request.url).href;
  const edit = canEditWorkshop(actor, membership, space, workshop, facilitatorIds);
  const past = workshop.ends_at <= now;
  return {
    spaceSlug: space.slug,
    spaceName: space.name,
    member,
    readerZone: user.time_zone,
    workshop: {
      id: workshop.id,
      title: workshop.title,
      state: workshop.state,
      past,
      startsAt: workshop.starts_at,
      endsAt: workshop.ends_at,
      timeZone: workshop.time_zone,
      place: workshop.place,
      // The call's link only to those who may come.
      videoUrl: attends ? workshop.video_url : null,
      online: workshop.video_url !== null,
      capacity: workshop.capacity,
      outsideSpeaker: workshop.outside_speaker,
      html: workshop.description_html,
      cancelReason: workshop.cancel_reason,
      declineReason: workshop.decline_reason,
      network: workshop.visibility === "network",
      cover: cover?.src ?? null,
      // Its notes, as the follow-up found them for this reader (a wiki page they may read).
      notes: followUp.followUp.notes,
    },
    leads: leads.map((l) => l.name),
    registration,
    canRegister: attends,
    comments,
    followUp,
    audience,
    can: {
      edit: edit && (workshop.state === "proposed" || (workshop.state === "scheduled" && !past)),
      cancel: edit && workshop.state === "scheduled" && !past,
      next: canScheduleWorkshops(actor, membership, space) && (workshop.state === "scheduled" || workshop.state === "cancelled"),
      decide: canDecideProposal(actor, membership, space) && workshop.state === "proposed",
      delete: canDeleteWorkshop(actor, membership, space),
    },
    calendar: {
      icsUrl: workshopIcsUrl(space.slug, workshop.id),
      event: {
        title: workshop.title,
        startsAt: workshop.starts_at,
        endsAt: workshop.ends_at,
        timeZone: workshop.time_zone,
        details: [workshop.description_text, pageUrl].filter(Boolean).join("\n\n"),
        location: workshop.place ?? (attends ? workshop.video_url : null),
      },
    },
  };
}

/** The page's own intents: cancel, decide a proposal, to the trash. Each asks its policy again. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const loaded = await loadWorkshop(request, params, context);
  const { actor, membership, space, workshop, facilitatorIds } = loaded;
  const form = await request.formData();
  const intent = form.get("intent");
  // Read before the transaction: its connection is held until it ends.
  const head = await letterhead();
  const ctx = acting(loaded, context);
  const here = workshopUrl(space.slug, workshop.id);
  if (intent === "cancel") {
    if (!canEditWorkshop(actor, membership, space, workshop, facilitatorIds)) forbidden();
    const reason = readReason(form);
    if (!reason.ok) return data({ intent, error: reason.error }, { status: 400 });
    const result = await transact(getDb(), (trx) => cancelWorkshop(trx, ctx, { workshop, reason: reason.value, head }));
    if (!result.ok) return data({ intent, error: result.error as MessageKey }, { status: 409 });
    send(result.mailIds);
    return redirectWithFlash(here, { key: "workshops.cancelledFlash", params: { title: workshop.title } });
  }
  if (intent === "accept" || intent === "decline") {
    if (!canDecideProposal(actor, membership, space)) forbidden();
    const reason = intent === "decline" ? readReason(form) : ({ ok: true, value: null } as const);
    if (!reason.ok) return data({ intent, error: reason.error }, { status: 400 });
    const result = await transact(getDb(), (trx) => decideProposal(trx, ctx, { workshop, accept: intent === "accept", reason: reason.value, head }));
    if (!result.ok) return data({ intent, error: result.error as MessageKey }, { status: 409 });
    send(result.mailIds);
    return redirectWithFlash(here, { key: intent === "accept" ? "workshops.acceptedFlash" : "workshops.declinedFlash", params: { title: workshop.title } });
  }
  if (intent === "delete") {
    if (!canDeleteWorkshop(actor, membership, space)) forbidden();
    await transact(getDb(), (trx) => deleteWorkshop(trx, ctx, { workshop }));
    return redirectWithFlash(workshopsUrl(space.slug), { key: "workshops.deletedFlash", params: { title: workshop.title } });
  }
  forbidden();
}

export default function WorkshopPage() {
  const t = useT();
  const locale = useLocale();
  const { spaceSlug, spaceName, member, readerZone, workshop: w, leads, registration, canRegister, calendar, comments, followUp, can, audience } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const names = [...leads, ...(w.outsideSpeaker ? [w.outsideSpeaker] : [])];
  const badge: MessageKey | null =
    w.state === "cancelled" ? "workshops.state.cancelled" : w.state === "proposed" ? "workshops.state.proposed" : w.state === "declined" ? "workshops.state.declined" : w.past ? "workshops.state.past" : null;
  const errorOf = (intent: string) => (result && result.intent === intent ? result.error : null);
  const managing = can.edit || can.cancel || can.next || can.decide || can.delete;
  return (
    <div className="stack">
      {member ? <Breadcrumb label={t("workshops.title")} items={[{ to: workshopsUrl(spaceSlug), label: t("workshops.title") }]} /> : <p className="muted small">{t("workshops.networkFrom", { space: spaceName })}</p>}
      <article className="workshop-page two-col">
        <div className="stack">
          <header className="card stack-sm">
            {w.cover ? (
              <figure className="post-cover workshop-cover">
                <img src={w.cover} alt="" />
              </figure>
            ) : null}
            <h2 className={`workshop-title${w.state === "cancelled" ? " is-cancelled" : ""}`}>
              {w.title} {badge ? <span className={`badge${w.state === "cancelled" || w.state === "declined" ? " badge-warning" : ""}`}>{t(badge)}</span> : null}
              {w.network ? <span className="badge badge-brand">{t("workshops.networkBadge")}</span> : null}
            </h2>
            {names.length ? <p className="muted">{t("workshops.facilitatedBy", { names: names.join(", ") })}</p> : null}
            <AudienceLine audience={audience} />
            {w.state === "cancelled" && w.cancelReason ? (
              <p className="notice notice-warning" role="note">
                {t("workshops.cancelReason", { reason: w.cancelReason })}
              </p>
            ) : null}
            {w.state === "declined" && w.declineReason ? (
              <p className="notice notice-warning" role="note">
                {t("workshops.declineReason", { reason: w.declineReason })}
              </p>
            ) : null}
            {w.state === "proposed" ? <p className="notice notice-info">{t("workshops.proposedNotice")}</p> : null}
            <dl className="workshop-facts">
              <dt>{t("workshops.when")}</dt>
              <dd>
                <WorkshopTime locale={locale} startsAt={w.startsAt} endsAt={w.endsAt} timeZone={w.timeZone} readerZone={readerZone} />
              </dd>
              <dt>{t("workshops.where")}</dt>
              <dd>
                {w.place ? <span>{w.place}</span> : null}
                {w.place && w.online ? <br /> : null}
                {w.videoUrl ? (
                  <a href={w.videoUrl} rel="noopener noreferrer" target="_blank">
                    {t("workshops.joinCall")}
                  </a>
                ) : w.online ? (
                  <span>{t("workshops.online")}</span>
                ) : null}
                {!w.place && !w.online ? <span className="muted">{t("workshops.placeTbd")}</span> : null}
              </dd>
              <dt>{t("workshops.capacityLabel")}</dt>
              <dd>{w.capacity ? t("workshops.seats", { capacity: w.capacity }) : t("workshops.unlimited")}</dd>
              {w.notes ? (
                <>
                  <dt>{t("workshops.notes")}</dt>
                  <dd>
                    <Link to={w.notes.href}>{w.notes.title}</Link>
                  </dd>
                </>
              ) : null}
            </dl>
          </header>
          <section className="card" aria-label={t("workshops.form.description")}>
            {w.html ? <RichTextView html={w.html} /> : <p className="muted">{t("workshops.noDescription")}</p>}
          </section>
          <MaterialsPanel {...followUp.materials} />
        </div>
        <aside className="stack">
          {w.state === "scheduled" || w.state === "cancelled" ? <RegistrationPanel view={registration} action={workshopRegistrationUrl(spaceSlug, w.id)} canRegister={canRegister} /> : null}
          <FollowUpPanel {...followUp.followUp} />
          {w.state === "scheduled" && !w.past ? (
            <div className="card">
              <AddToCalendar icsUrl={calendar.icsUrl} event={calendar.event} />
            </div>
          ) : null}
          {managing ? (
            <section className="card stack-sm" aria-labelledby="manage-title">
              <h3 id="manage-title">{t("workshops.manage")}</h3>
              <div className="actions">
              {can.decide ? (
                <>
                  <ConfirmDialog
                    trigger={<button className="btn btn-primary">{t("workshops.accept")}</button>}
                    title={t("workshops.acceptTitle", { title: w.title })}
                    description={t("workshops.acceptText")}
                    confirmLabel={t("workshops.accept")}
                    fields={{ intent: "accept" }}
                    tone="primary"
                  />
                  <ReasonDialog intent="decline" label={t("workshops.decline")} title={t("workshops.declineTitle", { title: w.title })} text={t("workshops.declineText")} reasonLabel={t("workshops.declineReasonLabel")} />
                  {errorOf("decline") || errorOf("accept") ? (
                    <p className="field-error" role="alert">
                      {t((errorOf("decline") ?? errorOf("accept"))!)}
                    </p>
                  ) : null}
                </>
              ) : null}
              {can.edit ? (
                <Link to={workshopEditUrl(spaceSlug, w.id)} className="btn">
                  {t("workshops.edit")}
                </Link>
              ) : null}
              {can.next ? (
                <Link to={workshopNextUrl(spaceSlug, w.id)} className="btn">
                  {t("workshops.next")}
                </Link>
              ) : null}
              {can.cancel ? (
                <>
                  <ReasonDialog intent="cancel" label={t("workshops.cancel")} title={t("workshops.cancelTitle", { title: w.title })} text={t("workshops.cancelText")} reasonLabel={t("workshops.cancelReasonLabel")} />
                  {errorOf("cancel") ? (
                    <p className="field-error" role="alert">
                      {t(errorOf("cancel")!)}
                    </p>
                  ) : null}
                </>
              ) : null}
              {can.delete ? (
                <ConfirmDialog
                  trigger={<button className="btn btn-danger-text">{t("workshops.delete")}</button>}
                  title={t("workshops.deleteTitle", { title: w.title })}
                  description={t("workshops.deleteText")}
                  confirmLabel={t("workshops.delete")}
                  fields={{ intent: "delete" }}
                />
              ) : null}
              </div>
            </section>
          ) : null}
        </aside>
      </article>
      {/* After both columns: on a phone, registering comes before the conversation. */}
      {comments ? <CommentsSection data={comments} /> : null}
    </div>
  );
}

/** A decision that needs its reason (cancel, decline), said to those it concerns. */
function ReasonDialog({ intent, label, title, text, reasonLabel }: { intent: string; label: string; title: string; text: string; reasonLabel: string }) {
  const t = useT();
  const id = `reason-${intent}`;
  return (
    <ConfirmDialog trigger={<button className="btn">{label}</button>} title={title} description={text} confirmLabel={label} fields={{ intent }} dismissLabel={t("workshops.keep")}>
      <div className="field">
        <label htmlFor={id}>{reasonLabel}</label>
        <textarea id={id} name="reason" required maxLength={WORKSHOP_LIMITS.reason} rows={3} />
      </div>
    </ConfirmDialog>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
