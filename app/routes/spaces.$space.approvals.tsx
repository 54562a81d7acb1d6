import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { transact } from "#db/transact.ts";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { approveInvitation, approveJoinRequest, refuseInvitation, refuseJoinRequest } from "#app/members/commands.server.ts";
import { loadApprovals } from "#app/members/load.server.ts";
import { canManageMembers } from "#app/policies/space.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { multilineText } from "#app/utils/validation.ts";
import { approvalsUrl, workshopUrl } from "#app/urls.ts";
import { WorkshopTime } from "#app/workshops/WorkshopTime.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "approvals.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, user, actor } = await requireSpace(request, params.space, canManageMembers);
  return { ...(await loadApprovals(getDb(), space.id, actor)), spaceSlug: space.slug, readerZone: user.time_zone };
}

const intentSchema = z.object({
  intent: z.enum(["approve-invitation", "refuse-invitation", "approve-request", "refuse-request"]),
  id: z.string().min(1),
  reason: multilineText(1000),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const signedIn = await requireSpace(request, params.space, canManageMembers);
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const { intent, id, reason } = parsed.data;
  const here = approvalsUrl(signedIn.space.slug);
  // Read before the transaction: its connection is held until it ends.
  const ctx = acting({ ...signedIn, letterhead: await letterhead() }, context);
  const db = getDb();

  if (intent === "approve-invitation" || intent === "refuse-invitation") {
    const result = await transact(db, (trx) =>
      intent === "approve-invitation"
        ? approveInvitation(trx, ctx, { invitationId: id })
        : refuseInvitation(trx, ctx, { invitationId: id, reason }),
    );
    if (!result.ok) return refused(result.error, here);
    send(result.mailIds);
    return intent === "approve-invitation"
      ? redirectWithFlash(here, { key: "approvals.approved", params: { email: result.email } })
      : redirectWithFlash(here, { key: "approvals.refused" });
  }

  const result = await transact(db, (trx) =>
    intent === "approve-request" ? approveJoinRequest(trx, ctx, { requestId: id, reason }) : refuseJoinRequest(trx, ctx, { requestId: id, reason }),
  );
  if (!result.ok) return refused(result.error, here);
  send(result.mailIds);
  return intent === "approve-request"
    ? redirectWithFlash(here, { key: "approvals.requestApproved", params: { name: result.name } })
    : redirectWithFlash(here, { key: "approvals.refused" });
}

function refused(error: "forbidden" | "not-found" | "already-decided", here: string) {
  if (error === "forbidden") forbidden();
  if (error === "not-found") notFound();
  return redirectWithFlash(here, { kind: "error", key: "approvals.alreadyDecided" });
}

/** Approve at once; refuse behind a dialog that asks for the reason passed on. */
function Decision({ kind, id, refuseTitle }: { kind: "invitation" | "request"; id: string; refuseTitle: string }) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="actions">
      <Form method="post">
        <input type="hidden" name="intent" value={`approve-${kind}`} />
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
          {t("approvals.approve")}
        </button>
      </Form>
      <ConfirmDialog
        trigger={<button className="btn btn-danger btn-small">{t("approvals.refuse")}</button>}
        title={refuseTitle}
        confirmLabel={t("approvals.refuse")}
        fields={{ intent: `refuse-${kind}`, id }}
      >
        <div className="field">
          <label htmlFor={`reason-${id}`}>{t("approvals.reason")}</label>
          <textarea id={`reason-${id}`} name="reason" rows={3} maxLength={1000} />
        </div>
      </ConfirmDialog>
    </div>
  );
}

export default function Approvals() {
  const t = useT();
  const formatDate = useFormatDate();
  const { invitations: pending, requests, workshops, spaceSlug, readerZone } = useLoaderData<typeof loader>();
  const locale = useLocale();
  return (
    <div className="stack">
      <p className="muted">{t("approvals.intro")}</p>
      <section className="card" aria-labelledby="inv-title">
        <h2 id="inv-title">{t("approvals.invitations")}</h2>
        {pending.length === 0 ? (
          <p className="empty">{t("approvals.none")}</p>
        ) : (
          pending.map((i) => (
            <article key={i.id} className="request" aria-label={i.email}>
              <h3>
                {i.email} <span className="badge">{t("approvals.asRole", { role: t(`role.${i.role}`) })}</span>
              </h3>
              <p className="muted small">{t("approvals.sponsoredBy", { name: i.sponsor, date: formatDate(i.createdAt) })}</p>
              {i.message ? <blockquote>{i.message}</blockquote> : <p className="muted small">{t("approvals.noMessage")}</p>}
              <Decision kind="invitation" id={i.id} refuseTitle={t("approvals.refuseTitle", { email: i.email })} />
            </article>
          ))
        )}
      </section>
      <section className="card" aria-labelledby="req-title">
        <h2 id="req-title">{t("approvals.requests")}</h2>
        {requests.length === 0 ? (
          <p className="empty">{t("approvals.none")}</p>
        ) : (
          requests.map((r) => (
            <article key={r.id} className="request" aria-label={r.name}>
              <h3>{r.profileUrl ? <Link to={r.profileUrl}>{r.name}</Link> : r.name}</h3>
              {r.headline ? <p className="small">{r.headline}</p> : null}
              <p className="muted small">{t("approvals.requestedOn", { date: formatDate(r.createdAt) })}</p>
              {r.message ? <blockquote>{r.message}</blockquote> : <p className="muted small">{t("approvals.noMessage")}</p>}
              <Decision kind="request" id={r.id} refuseTitle={t("approvals.refuseRequestTitle", { name: r.name })} />
            </article>
          ))
        )}
      </section>
      <section className="card" aria-labelledby="workshops-title">
        <h2 id="workshops-title">{t("approvals.workshops")}</h2>
        {workshops.length === 0 ? (
          <p className="empty">{t("approvals.none")}</p>
        ) : (
          workshops.map((w) => (
            <article key={w.id} className="request" aria-label={w.title}>
              <h3>
                <Link to={workshopUrl(spaceSlug, w.id)}>{w.title}</Link>
              </h3>
              <p className="muted small">
                <WorkshopTime locale={locale} startsAt={w.startsAt} endsAt={w.endsAt} timeZone={w.timeZone} readerZone={readerZone} />
              </p>
              {w.by ? <p className="small">{t("workshops.facilitatedBy", { names: w.by })}</p> : null}
              <p className="small">
                <Link to={workshopUrl(spaceSlug, w.id)}>{t("approvals.readProposal")}</Link>
              </p>
            </article>
          ))
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
