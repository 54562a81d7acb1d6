import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { findInSpace, listOpen, markLinkRevealed, revoke } from "#db/queries/invitations.ts";
import { invitationMailStates, latestInvitationMail } from "#db/queries/mail-outbox.ts";
import { countAdmins, findMembership, listMembers, removeMember, setRole } from "#db/queries/members.ts";
import { findById as findUser } from "#db/queries/users.ts";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { Avatar } from "#app/components/avatar.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import {
  canChangeRole,
  canCooptMember,
  canLeaveSpace,
  canManageMembers,
  canRemoveMember,
  canRevokeInvitation,
  canSeeInvitationLink,
} from "#app/policies/space.ts";
import { CopyLink } from "#app/components/copy-link.tsx";
import { undeliveredLink } from "#app/utils/invitation.server.ts";
import { mailConfigured } from "#app/utils/mail.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { loadSpace, requireSpaceAbility } from "#app/utils/space.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "members.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, membership, actor, user } = await requireSpaceAbility(request, params.space, "read");
  const db = getDb();
  const manage = canManageMembers(actor, membership, space);
  const [members, adminCount] = await Promise.all([listMembers(db, space.id), countAdmins(db, space.id)]);
  // Admins see every open invitation; a member sees the ones they sent.
  const invitations = manage
    ? await listOpen(db, space.id, Date.now())
    : canCooptMember(actor, membership, space)
      ? await listOpen(db, space.id, Date.now(), user.id)
      : [];
  // Which of them the mail could not carry: those offer their link to whoever may see it.
  const mailStates = await invitationMailStates(db, invitations.map((i) => i.id));
  const configured = mailConfigured();
  return {
    me: user.id,
    spaceName: space.name,
    members: members.map((m) => ({
      id: m.id,
      name: m.display_name,
      headline: m.headline,
      role: m.role,
      sponsor: m.sponsor_name,
      joinedAt: m.joined_at,
      can: {
        // Whether the role can change at all: the last admin's cannot.
        changeRole: canChangeRole(actor, membership, space, m, "member", adminCount),
        remove: m.id !== user.id && canRemoveMember(actor, membership, space, m, adminCount),
      },
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role,
      sponsor: i.sponsor_name,
      status: i.status,
      expiresAt: i.expires_at,
      canRevoke: canRevokeInvitation(actor, membership, space, i),
      mail: mailNote(i.status, mailStates.get(i.id), configured),
      canShowLink:
        i.status === "sent" &&
        canSeeInvitationLink(actor, membership, space, i) &&
        mailNote(i.status, mailStates.get(i.id), configured) !== null &&
        mailStates.get(i.id)?.hasLink === true,
    })),
    can: {
      manage,
      leave: membership !== undefined && space.archived_at === null,
      leaveAllowed: canLeaveSpace(membership, adminCount),
      seeInvitations: manage || canCooptMember(actor, membership, space),
    },
  };
}

/** What the members page says of an invitation's mail: nothing while it is on its way or delivered. */
function mailNote(status: string, mail: { state: string; failedOnce: boolean } | undefined, configured: boolean): "failed" | "none" | null {
  if (status !== "sent" || !mail) return null;
  if (!configured) return "none";
  return mail.state !== "sent" && (mail.failedOnce || mail.state === "failed") ? "failed" : null;
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("change-role"), userId: z.string().min(1), role: z.enum(ROLES) }),
  z.object({ intent: z.literal("remove"), userId: z.string().min(1) }),
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("revoke"), invitationId: z.string().min(1) }),
  z.object({ intent: z.literal("reveal-link"), invitationId: z.string().min(1) }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await loadSpace(request, params.space);
  const { space, membership, actor, user } = ctx;
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const input = parsed.data;
  const db = getDb();
  const ip = clientIp(context);
  const now = Date.now();
  const here = `/spaces/${space.slug}/members`;

  if (input.intent === "revoke") {
    const invitation = await findInSpace(db, space.id, input.invitationId);
    if (!invitation) notFound();
    authorize(canRevokeInvitation(actor, membership, space, invitation));
    const revoked = await db.transaction().execute(async (trx) => {
      if (!(await revoke(trx, invitation.id, user.id, now))) return false;
      await audit(trx, { event: "invitation_revoked", actorId: user.id, spaceId: space.id, ip, data: { email: invitation.email }, now });
      return true;
    });
    // Accepted or decided meanwhile (a page left open): say so rather than claim a revocation.
    if (!revoked) return redirectWithFlash(here, { kind: "error", key: "members.revokeStale", params: { email: invitation.email } });
    return redirectWithFlash(here, { key: "members.revoked", params: { email: invitation.email } });
  }

  if (input.intent === "reveal-link") {
    const invitation = await findInSpace(db, space.id, input.invitationId);
    if (!invitation) notFound();
    authorize(canSeeInvitationLink(actor, membership, space, invitation));
    const configured = mailConfigured();
    const link = undeliveredLink(invitation, await latestInvitationMail(db, invitation.id), configured, now);
    // While mail can still carry it (queued, or delivered) the link stays with the mailbox.
    if (!link) throw data({ revealed: null }, { status: 409 });
    await db.transaction().execute(async (trx) => {
      await markLinkRevealed(trx, invitation.id, now);
      await audit(trx, { event: "invitation_link_shown", actorId: user.id, spaceId: space.id, ip, data: { email: invitation.email }, now });
    });
    return { revealed: { id: invitation.id, email: invitation.email, link, confirm: configured } };
  }

  if (input.intent === "leave") {
    authorize(membership !== undefined && space.archived_at === null);
    const left = await db.transaction().execute(async (trx) => {
      if (!canLeaveSpace(membership, await countAdmins(trx, space.id))) return false;
      await removeMember(trx, space.id, user.id);
      await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "member_left", now });
      await audit(trx, { event: "member_left", actorId: user.id, spaceId: space.id, targetUserId: user.id, ip, now });
      return true;
    });
    if (!left) return redirectWithFlash(here, { kind: "error", key: "members.cannotLeave" });
    return redirectWithFlash("/spaces", { key: "members.left", params: { space: space.name } });
  }

  // change-role and remove: the target must be a member of this very space.
  authorize(canManageMembers(actor, membership, space));
  const target = await findMembership(db, space.id, input.userId);
  const targetUser = target ? await findUser(db, target.user_id) : undefined;
  if (!target || !targetUser) notFound();

  if (input.intent === "change-role") {
    const done = await db.transaction().execute(async (trx) => {
      if (!canChangeRole(actor, membership, space, target, input.role, await countAdmins(trx, space.id))) return false;
      if (target.role === input.role) return true;
      await setRole(trx, space.id, target.user_id, input.role);
      await recordActivity(trx, {
        spaceId: space.id,
        actorId: user.id,
        verb: "role_changed",
        data: { target: targetUser.display_name, role: input.role },
        now,
      });
      await audit(trx, {
        event: "role_changed",
        actorId: user.id,
        spaceId: space.id,
        targetUserId: target.user_id,
        ip,
        data: { from: target.role, to: input.role },
        now,
      });
      return true;
    });
    if (!done) return redirectWithFlash(here, { kind: "error", key: "members.lastAdmin" });
    return redirectWithFlash(here, { key: "members.roleChanged", params: { name: targetUser.display_name, role: input.role } });
  }

  const removed = await db.transaction().execute(async (trx) => {
    if (!canRemoveMember(actor, membership, space, target, await countAdmins(trx, space.id))) return false;
    await removeMember(trx, space.id, target.user_id);
    await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "member_removed", data: { target: targetUser.display_name }, now });
    await audit(trx, { event: "member_removed", actorId: user.id, spaceId: space.id, targetUserId: target.user_id, ip, now });
    return true;
  });
  if (!removed) return redirectWithFlash(here, { kind: "error", key: "members.lastAdmin" });
  return redirectWithFlash(here, { key: "members.removed", params: { name: targetUser.display_name } });
}


export default function Members() {
  const t = useT();
  const formatDate = useFormatDate();
  const { me, spaceName, members, invitations, can } = useLoaderData<typeof loader>();
  const revealed = useActionData<typeof action>()?.revealed;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="members-title">
        <div className="page-head">
          <div>
            <h2 id="members-title">{t("members.title")}</h2>
            <p>{t("members.count", { count: members.length })}</p>
          </div>
          {can.leave ? (
            can.leaveAllowed ? (
              <ConfirmDialog
                trigger={<button className="btn btn-danger btn-small">{t("members.leave")}</button>}
                title={t("members.leave")}
                description={t("members.leaveConfirm", { space: spaceName })}
                confirmLabel={t("members.leave")}
                fields={{ intent: "leave" }}
              />
            ) : (
              <p className="muted small">{t("members.cannotLeave")}</p>
            )
          ) : null}
        </div>
        <div className="table-wrap">
          <table className="table responsive">
            <thead>
              <tr>
                <th scope="col">{t("members.name")}</th>
                <th scope="col">{t("members.role")}</th>
                <th scope="col">{t("members.sponsor")}</th>
                <th scope="col">{t("members.joined")}</th>
                {can.manage ? <th scope="col">{t("members.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td data-label={t("members.name")}>
                    <span className="person">
                      <Avatar name={m.name} />
                      <span>
                        <strong>
                          {m.name}
                          {m.id === me ? <span className="muted"> ({t("common.you")})</span> : null}
                        </strong>
                        {m.headline ? <span className="person-sub">{m.headline}</span> : null}
                      </span>
                    </span>
                  </td>
                  <td data-label={t("members.role")}>
                    {can.manage && m.can.changeRole ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="change-role" />
                        <input type="hidden" name="userId" value={m.id} />
                        <label className="sr-only" htmlFor={`role-${m.id}`}>
                          {t("members.changeRole", { name: m.name })}
                        </label>
                        <select id={`role-${m.id}`} name="role" defaultValue={m.role}>
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {t(`role.${r}`)}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="btn btn-small">
                          {t("members.apply")}
                        </button>
                      </Form>
                    ) : (
                      <span className={`badge${m.role === "admin" ? " badge-brand" : ""}`}>{t(`role.${m.role}`)}</span>
                    )}
                  </td>
                  <td data-label={t("members.sponsor")}>{m.sponsor ?? <span className="muted">{t("members.noSponsor")}</span>}</td>
                  <td data-label={t("members.joined")}>{formatDate(m.joinedAt, "date")}</td>
                  {can.manage ? (
                    <td data-label={t("members.actions")}>
                      {m.can.remove ? (
                        <ConfirmDialog
                          trigger={
                            <button className="btn btn-danger btn-small" aria-label={`${t("members.remove")} ${m.name}`}>
                              {t("members.remove")}
                            </button>
                          }
                          title={`${t("members.remove")} ${m.name}`}
                          description={t("members.removeConfirm", { name: m.name })}
                          confirmLabel={t("members.remove")}
                          fields={{ intent: "remove", userId: m.id }}
                        />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {can.seeInvitations ? (
        <section className="card" aria-labelledby="invitations-title">
          <h2 id="invitations-title">{t("members.invitations")}</h2>
          {invitations.length === 0 ? (
            <p className="empty">{t("members.noInvitations")}</p>
          ) : (
            <ul className="list">
              {invitations.map((i) => (
                <li key={i.id}>
                  <span className="grow">
                    <strong>{i.email}</strong> <span className="badge">{t(`role.${i.role}`)}</span>
                    <br />
                    <span className="muted small">
                      {i.status === "pending_approval"
                        ? t("members.awaitingApproval")
                        : t("members.sentUntil", { date: i.expiresAt ? formatDate(i.expiresAt, "date") : "" })}{" "}
                      · {t("members.invitedBy", { name: i.sponsor })}
                      {i.mail ? <> · {t(i.mail === "failed" ? "members.mailFailed" : "members.noMail")}</> : null}
                    </span>
                    {revealed?.id === i.id ? (
                      <span className="stack" role="status">
                        <span>{t("members.linkShown", { email: revealed.email })}</span>
                        {revealed.confirm ? <span className="muted small">{t("members.linkConfirmNote")}</span> : null}
                        <CopyLink link={revealed.link} />
                      </span>
                    ) : null}
                  </span>
                  {i.canShowLink && revealed?.id !== i.id ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="reveal-link" />
                      <input type="hidden" name="invitationId" value={i.id} />
                      <button type="submit" className="btn btn-small">
                        {t("members.showLink")}
                      </button>
                    </Form>
                  ) : null}
                  {i.canRevoke ? (
                    <ConfirmDialog
                      trigger={<button className="btn btn-small">{t("members.revoke")}</button>}
                      title={t("members.revoke")}
                      description={t("members.revokeConfirm", { email: i.email })}
                      confirmLabel={t("members.revoke")}
                      fields={{ intent: "revoke", invitationId: i.id }}
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
