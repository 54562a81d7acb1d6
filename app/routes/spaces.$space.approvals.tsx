import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import * as invitations from "#db/queries/invitations.ts";
import * as joinRequests from "#db/queries/join-requests.ts";
import { addMember } from "#db/queries/members.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import {
  cooptApprovedMail,
  cooptRefusedMail,
  joinApprovedMail,
  joinRefusedMail,
} from "#app/mail/messages.ts";
import { getDb } from "#app/utils/db.server.ts";
import { absoluteUrl, badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { queueMails, send, type QueuedMail } from "#app/mail/outbox.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { invitationLinkMail } from "#app/utils/invitation.server.ts";
import { localeOf, networkInfo } from "#app/utils/network.server.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { requireSpaceAbility } from "#app/utils/space.server.ts";
import { multilineText } from "#app/utils/validation.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "approvals.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpaceAbility(request, params.space, "manageMembers");
  const db = getDb();
  const [pendingInvitations, pendingRequests] = await Promise.all([
    invitations.listPendingApproval(db, space.id),
    joinRequests.listPending(db, space.id),
  ]);
  return {
    invitations: pendingInvitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      message: i.message,
      sponsor: i.sponsor_name,
      createdAt: i.created_at,
    })),
    requests: pendingRequests.map((r) => ({
      id: r.id,
      name: r.display_name,
      headline: r.headline,
      message: r.message,
      createdAt: r.created_at,
    })),
  };
}

const intentSchema = z.object({
  intent: z.enum(["approve-invitation", "refuse-invitation", "approve-request", "refuse-request"]),
  id: z.string().min(1),
  reason: multilineText(1000),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { space, user } = await requireSpaceAbility(request, params.space, "manageMembers");
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const { intent, id, reason } = parsed.data;
  const db = getDb();
  const ip = clientIp(context);
  const now = Date.now();
  const here = `/spaces/${space.slug}/approvals`;
  const network = await networkInfo();

  if (intent === "approve-invitation" || intent === "refuse-invitation") {
    // The id must name an invitation of this space, whatever the URL says.
    const invitation = await invitations.findInSpace(db, space.id, id);
    if (!invitation) notFound();
    const sponsor = await findUser(db, invitation.sponsor_id);
    if (intent === "approve-invitation") {
      const mailIds = await db.transaction().execute(async (trx) => {
        const secret = await invitations.approve(trx, invitation.id, user.id, now);
        if (!secret) return null;
        await audit(trx, { event: "invitation_approved", actorId: user.id, spaceId: space.id, ip, data: { email: invitation.email }, now });
        const mails: QueuedMail[] = [
          invitationLinkMail(invitation, secret, { sponsor, space, network }),
        ];
        if (sponsor && sponsor.id !== user.id) {
          mails.push({
            mail: cooptApprovedMail({
              to: sponsor.email,
              locale: localeOf(sponsor, network.locale),
              network: network.name,
              admin: user.display_name,
              email: invitation.email,
              space: space.name,
            }),
          });
        }
        return queueMails(trx, mails, now);
      });
      if (!mailIds) return redirectWithFlash(here, { kind: "error", key: "approvals.alreadyDecided" });
      send(mailIds);
      return redirectWithFlash(here, { key: "approvals.approved", params: { email: invitation.email } });
    }
    const mailIds = await db.transaction().execute(async (trx) => {
      if (!(await invitations.refuse(trx, invitation.id, user.id, reason, now))) return null;
      await audit(trx, { event: "invitation_refused", actorId: user.id, spaceId: space.id, ip, data: { email: invitation.email, reason }, now });
      if (!sponsor) return [];
      const mail = cooptRefusedMail({
        to: sponsor.email,
        locale: localeOf(sponsor, network.locale),
        network: network.name,
        admin: user.display_name,
        email: invitation.email,
        space: space.name,
        reason,
      });
      return queueMails(trx, [{ mail }], now);
    });
    if (!mailIds) return redirectWithFlash(here, { kind: "error", key: "approvals.alreadyDecided" });
    send(mailIds);
    return redirectWithFlash(here, { key: "approvals.refused" });
  }

  const joinRequest = await joinRequests.findInSpace(db, space.id, id);
  if (!joinRequest) notFound();
  const requester = await findUser(db, joinRequest.user_id);
  if (!requester) notFound();
  const approve = intent === "approve-request";
  const common = { to: requester.email, locale: localeOf(requester, network.locale), network: network.name, space: space.name };
  const mailIds = await db.transaction().execute(async (trx) => {
    const ok = await joinRequests.decide(trx, joinRequest.id, {
      status: approve ? "approved" : "refused",
      by: user.id,
      reason,
      now,
    });
    if (!ok) return null;
    if (approve) {
      await addMember(trx, { spaceId: space.id, userId: requester.id, role: "member", sponsorId: user.id, now });
      await recordActivity(trx, { spaceId: space.id, actorId: requester.id, verb: "member_joined", data: { sponsor: user.display_name }, now });
    }
    await audit(trx, {
      event: approve ? "join_approved" : "join_refused",
      actorId: user.id,
      spaceId: space.id,
      targetUserId: requester.id,
      ip,
      data: approve ? {} : { reason },
      now,
    });
    const mail = approve ? joinApprovedMail({ ...common, url: absoluteUrl(`/spaces/${space.slug}`) }) : joinRefusedMail({ ...common, reason });
    return queueMails(trx, [{ mail }], now);
  });
  if (!mailIds) return redirectWithFlash(here, { kind: "error", key: "approvals.alreadyDecided" });
  send(mailIds);
  return approve
    ? redirectWithFlash(here, { key: "approvals.requestApproved", params: { name: requester.display_name } })
    : redirectWithFlash(here, { key: "approvals.refused" });
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
  const { invitations: pending, requests } = useLoaderData<typeof loader>();
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
              <h3>{r.name}</h3>
              {r.headline ? <p className="small">{r.headline}</p> : null}
              <p className="muted small">{t("approvals.requestedOn", { date: formatDate(r.createdAt) })}</p>
              {r.message ? <blockquote>{r.message}</blockquote> : <p className="muted small">{t("approvals.noMessage")}</p>}
              <Decision kind="request" id={r.id} refuseTitle={t("approvals.refuseRequestTitle", { name: r.name })} />
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
