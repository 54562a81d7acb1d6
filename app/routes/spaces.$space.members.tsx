import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { shownName } from "#app/accounts/names.ts";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { Avatar } from "#app/components/avatar.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { CopyLink } from "#app/components/copy-link.tsx";
import { changeRole, leaveSpace, removeMember, revealInvitationLink, revokeInvitation } from "#app/members/commands.server.ts";
import { loadMembersPage } from "#app/members/load.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canLeave } from "#app/policies/membership.ts";
import { canManageMembers, canReadSpace } from "#app/policies/space.ts";
import { acting } from "#app/utils/acting.server.ts";
import { mailConfigured } from "#app/utils/mail.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace, requireSpace } from "#app/utils/space.server.ts";
import { membersUrl } from "#app/urls.ts";
import { DirectoryFilters } from "#app/people/DirectoryFilters.tsx";
import { parseDirectoryParams } from "#app/people/params.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "members.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const signedIn = await requireSpace(request, params.space, canReadSpace);
  return loadMembersPage(getDb(), { ...signedIn, now: Date.now() }, { mailConfigured: mailConfigured(), search: parseDirectoryParams(new URL(request.url)) });
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("change-role"), userId: z.string().min(1), role: z.enum(ROLES) }),
  z.object({ intent: z.literal("remove"), userId: z.string().min(1) }),
  z.object({ intent: z.literal("leave") }),
  z.object({ intent: z.literal("revoke"), invitationId: z.string().min(1) }),
  z.object({ intent: z.literal("reveal-link"), invitationId: z.string().min(1) }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await loadSpace(request, params.space), context);
  const { space, membership, actor } = ctx;
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const input = parsed.data;
  const db = getDb();
  const here = membersUrl(space.slug);

  if (input.intent === "revoke") {
    const result = await transact(db, (trx) => revokeInvitation(trx, ctx, input));
    if (!result.ok) {
      if (result.error === "not-found") notFound();
      if (result.error === "forbidden") forbidden();
      return redirectWithFlash(here, { kind: "error", key: "members.revokeStale", params: { email: result.email } });
    }
    return redirectWithFlash(here, { key: "members.revoked", params: { email: result.email } });
  }

  if (input.intent === "reveal-link") {
    const configured = mailConfigured();
    const result = await transact(db, (trx) => revealInvitationLink(trx, { ...ctx, mailConfigured: configured }, input));
    if (!result.ok) {
      if (result.error === "not-found") notFound();
      if (result.error === "forbidden") forbidden();
      // While mail can still carry it (queued, or delivered) the link stays with the mailbox.
      throw data({ revealed: null }, { status: 409 });
    }
    return { revealed: { id: result.id, email: result.email, link: result.link, confirm: configured } };
  }

  if (input.intent === "leave") {
    authorize(canLeave(actor, membership, space));
    const result = await transact(db, (trx) => leaveSpace(trx, ctx));
    if (!result.ok) {
      if (result.error === "forbidden") forbidden();
      return redirectWithFlash(here, { kind: "error", key: "members.cannotLeave" });
    }
    return redirectWithFlash("/spaces", { key: "members.left", params: { space: space.name } });
  }

  // change-role and remove: the target must be a member of this very space.
  authorize(canManageMembers(actor, membership, space));
  const result = await transact(db, (trx) => (input.intent === "change-role" ? changeRole(trx, ctx, input) : removeMember(trx, ctx, input)));
  if (!result.ok) {
    if (result.error === "forbidden") forbidden();
    if (result.error === "not-found") notFound();
    return redirectWithFlash(here, { kind: "error", key: "members.lastAdmin" });
  }
  return input.intent === "change-role"
    ? redirectWithFlash(here, { key: "members.roleChanged", params: { name: result.name, role: input.role } })
    : redirectWithFlash(here, { key: "members.removed", params: { name: result.name } });
}

export default function Members() {
  const t = useT();
  const formatDate = useFormatDate();
  const { me, spaceName, spaceSlug, members, invitations, can, search } = useLoaderData<typeof loader>();
  const revealed = useActionData<typeof action>()?.revealed;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="members-title">
        <div className="page-head">
          <div>
            <h2 id="members-title">{t("members.title")}</h2>
            <p>{search.filtered ? t("members.countFiltered", { count: members.length, total: search.total }) : t("members.count", { count: members.length })}</p>
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
        <DirectoryFilters action={membersUrl(spaceSlug)} params={search.params} facets={search.facets} withClub={false} layout="bar" />
        {members.length === 0 ? <p className="empty-state">{t("people.empty")}</p> : null}
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
                      <Avatar name={m.name} photoUrl={m.photoUrl} />
                      <span>
                        <strong>
                          {m.profileUrl ? <Link to={m.profileUrl}>{m.name}</Link> : m.name}
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
                  <td data-label={t("members.sponsor")}>{m.sponsor !== null ? shownName(m.sponsor, t) : <span className="muted">{t("members.noSponsor")}</span>}</td>
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
