import { actorOf } from "#app/policies/actor.ts";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { activeNetworkAdmins, memberDetail, openInvitations } from "#db/queries/admin.ts";
import { ROLES, type Role } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { deactivateAccount, reactivateAccount } from "#app/admin/accounts.server.ts";
import { shownName } from "#app/accounts/names.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { formatList } from "#app/i18n/index.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { adminMemberUrl, adminUrls, spaceUrl } from "#app/urls.ts";
import { StatusBadge } from "./admin.members._index.tsx";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "admin.member.title", { name: data?.user.display_name ?? "" });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canManageAccounts(actor));
  const id = params.member ?? "";
  if (!/^[a-z0-9]{10,40}$/.test(id)) notFound();
  const db = getDb();
  const detail = await memberDetail(db, id);
  if (!detail) notFound();
  const now = Date.now();
  const [invitations, admins] = await Promise.all([openInvitations(db, now, { limit: 20, email: detail.user.email }), activeNetworkAdmins(db)]);
  return {
    ...detail,
    invitations,
    self: detail.user.id === actor.id,
    lastAdmin: actorOf(detail.user).isNetworkAdmin && detail.user.deactivated_at === null && admins <= 1,
  };
}

const intentSchema = z.object({ intent: z.enum(["deactivate", "reactivate"]) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSignedIn(request, context), context);
  authorize(canManageAccounts(ctx.actor));
  const id = params.member ?? "";
  if (!/^[a-z0-9]{10,40}$/.test(id)) notFound();
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const here = adminMemberUrl(id);
  if (parsed.data.intent === "deactivate") {
    const result = await transact(getDb(), (trx) => deactivateAccount(trx, ctx, { userId: id }));
    if (!result.ok) {
      if (result.error === "not-found") notFound();
      if (result.error === "forbidden") forbidden();
      return redirectWithFlash(here, { kind: "error", key: `admin.member.refused.${result.error}` });
    }
    return redirectWithFlash(here, { key: "admin.member.deactivated", params: { name: result.name } });
  }
  const result = await transact(getDb(), (trx) => reactivateAccount(trx, ctx, { userId: id }));
  if (!result.ok) {
    if (result.error === "not-found") notFound();
    if (result.error === "forbidden") forbidden();
    return redirectWithFlash(here, { kind: "error", key: "admin.member.refused.already" });
  }
  return redirectWithFlash(here, { key: "admin.member.reactivated", params: { name: result.name } });
}

export default function AdminMember() {
  const t = useT();
  const formatDate = useFormatDate();
  const { user, memberships, sponsored, openSessions, secondFactor, factors, invitations, self, lastAdmin } = useLoaderData<typeof loader>();
  const locale = useLocale();
  // Which second factors (issue 20): "On (app, 2 passkeys)".
  const which = formatList(locale, [factors.totp ? t("passkey.console.app") : "", factors.passkeys > 0 ? t("passkey.console.passkeys", { count: factors.passkeys }) : ""].filter(Boolean));
  const role = (value: string) => ((ROLES as readonly string[]).includes(value) ? t(`role.${value as Role}`) : value);
  const deactivated = user.deactivated_at !== null;
  return (
    <div className="stack">
      <p className="muted small">
        <Link to={adminUrls.members}>← {t("admin.member.back")}</Link>
      </p>
      <div className="page-head">
        <div>
          <h2>{user.display_name}</h2>
          <p>{user.email}</p>
        </div>
        <StatusBadge deactivatedAt={user.deactivated_at} leavingAt={user.deletion_due_at} />
      </div>

      <section className="card" aria-labelledby="member-account">
        <h3 id="member-account">{t("admin.member.account")}</h3>
        <dl className="admin-facts">
          <dt>{t("admin.member.joined")}</dt>
          <dd>{formatDate(user.created_at)}</dd>
          <dt>{t("admin.members.lastSignIn")}</dt>
          <dd>{user.last_sign_in_at ? formatDate(user.last_sign_in_at) : t("admin.members.never")}</dd>
          <dt>{t("admin.member.sessions")}</dt>
          <dd>{openSessions}</dd>
          <dt>{t("admin.members.secondFactor")}</dt>
          <dd>{secondFactor ? t("passkey.console.which", { state: t("admin.members.secondFactor.on"), which }) : t("admin.members.secondFactor.off")}</dd>
          <dt>{t("admin.member.sponsor")}</dt>
          <dd>{user.sponsor_id && user.sponsor_name !== null ? <Link to={adminMemberUrl(user.sponsor_id)}>{shownName(user.sponsor_name, t)}</Link> : t("admin.member.noSponsor")}</dd>
          {user.is_network_admin ? (
            <>
              <dt>{t("admin.member.role")}</dt>
              <dd>{t("admin.members.admin")}</dd>
            </>
          ) : null}
          {deactivated ? (
            <>
              <dt>{t("admin.member.deactivatedOn")}</dt>
              <dd>
                {formatDate(user.deactivated_at!)}
                {user.deactivated_by_name ? ` · ${t("admin.member.by", { name: shownName(user.deactivated_by_name, t) })}` : ""}
              </dd>
            </>
          ) : null}
          {user.deletion_due_at !== null ? (
            <>
              <dt>{t("admin.member.leavingOn")}</dt>
              <dd>{formatDate(user.deletion_due_at)}</dd>
            </>
          ) : null}
        </dl>
        <div className="admin-row-actions">
          {deactivated ? (
            <Form method="post">
              <input type="hidden" name="intent" value="reactivate" />
              <button type="submit" className="btn btn-primary">
                {t("admin.member.reactivate")}
              </button>
            </Form>
          ) : self ? (
            <p className="muted small">{t("admin.member.notSelf")}</p>
          ) : lastAdmin ? (
            <p className="muted small">{t("admin.member.notLastAdmin")}</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="deactivate" />
              <button type="submit" className="btn btn-danger" aria-describedby="deactivate-hint">
                {t("admin.member.deactivate")}
              </button>
              <p id="deactivate-hint" className="field-hint">
                {t("admin.member.deactivateHint")}
              </p>
            </Form>
          )}
          {/* The reset's own route (app/routes/admin.people.$member.second-factor.ts): the member is told by mail, the reset is audited. */}
          {secondFactor && !self ? (
            <Form method="post" action={`/admin/people/${encodeURIComponent(user.id)}/second-factor`}>
              <input type="hidden" name="redirectTo" value={adminMemberUrl(user.id)} />
              <button type="submit" className="btn">
                {t("admin.member.resetSecondFactor")}
              </button>
            </Form>
          ) : null}
        </div>
      </section>

      <section className="card" aria-labelledby="member-clubs">
        <h3 id="member-clubs">{t("admin.member.clubs", { count: memberships.length })}</h3>
        {memberships.length === 0 ? (
          <p className="empty">{t("admin.member.noClubs")}</p>
        ) : (
          <ul className="list-reset admin-list">
            {memberships.map((m) => (
              <li key={m.id}>
                <Link to={spaceUrl(m.slug)}>{m.name}</Link> · {role(m.role)}
                <span className="muted small">
                  {" · "}
                  {t("admin.member.since", { date: formatDate(m.joined_at) })}
                  {m.sponsor_id && m.sponsor_name !== null ? (
                    <>
                      {" · "}
                      {t("admin.member.cooptedBy")} <Link to={adminMemberUrl(m.sponsor_id)}>{shownName(m.sponsor_name, t)}</Link>
                    </>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="member-sponsored">
        <h3 id="member-sponsored">{t("admin.member.sponsored", { count: sponsored.length })}</h3>
        {sponsored.length === 0 ? (
          <p className="empty">{t("admin.member.noneSponsored")}</p>
        ) : (
          <ul className="list-reset admin-list">
            {sponsored.map((s, i) => (
              <li key={`${s.id}-${i}`}>
                {s.deleted_at === null ? <Link to={adminMemberUrl(s.id)}>{s.display_name}</Link> : shownName(s.display_name, t)}
                <span className="muted small">
                  {" · "}
                  {s.space_name} · {formatDate(s.joined_at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {invitations.length > 0 ? (
        <section className="card" aria-labelledby="member-invitations">
          <h3 id="member-invitations">{t("admin.member.invitations")}</h3>
          <ul className="list-reset admin-list">
            {invitations.map((i) => (
              <li key={i.id}>
                {i.space_name} · {formatDate(i.created_at)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
