import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listMembers, MEMBER_STATUSES, openInvitations, SIGN_IN_FILTERS, type MemberFilters } from "#db/queries/admin.ts";
import { transact } from "#db/transact.ts";
import { resendInvitation, revokeAnyInvitation } from "#app/admin/invitations.server.ts";
import { shownName } from "#app/accounts/names.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { Pager } from "#app/components/pager.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { send } from "#app/mail/outbox.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { acting, letterhead } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { adminMemberUrl, adminUrls, spaceUrl } from "#app/urls.ts";

const PAGE = 25;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.members.title");

/** The list's filters from the address: anything unknown is no filter (an old bookmark, a hand-typed address). */
function parseFilters(url: URL): MemberFilters & { invited: boolean; page: number } {
  const p = url.searchParams;
  const status = p.get("status") ?? "";
  const signIn = p.get("signin") ?? "";
  const secondFactor = p.get("2fa") ?? "";
  const space = p.get("space") ?? "";
  const page = Number(p.get("page"));
  return {
    q: (p.get("q") ?? "").slice(0, 200),
    status: (MEMBER_STATUSES as readonly string[]).includes(status) ? (status as MemberFilters["status"]) : null,
    invited: status === "invited",
    spaceId: /^[a-z0-9]{10,40}$/.test(space) ? space : null,
    signIn: (SIGN_IN_FILTERS as readonly string[]).includes(signIn) ? (signIn as MemberFilters["signIn"]) : null,
    secondFactor: secondFactor === "on" || secondFactor === "off" ? secondFactor : null,
    page: Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/**
 * The network's members for its admin: searched by name or address, filtered
 * by state, club, last sign-in and second factor, paged; "invited" lists the
 * invitations still open across the network instead, to send again or revoke.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canManageAccounts(actor));
  const url = new URL(request.url);
  const filters = parseFilters(url);
  const db = getDb();
  const now = Date.now();
  const spaces = await db.selectFrom("space").select(["id", "name"]).orderBy("name").execute();
  const query = Object.fromEntries([...url.searchParams].filter(([k, v]) => k !== "page" && v !== ""));
  if (filters.invited) {
    const invitations = await openInvitations(db, now, { limit: 200 });
    return { filters, query, spaces, members: null, total: invitations.length, pageCount: 1, invitations, now };
  }
  const { total, rows } = await listMembers(db, filters, { now, offset: (filters.page - 1) * PAGE, limit: PAGE });
  return { filters, query, spaces, members: rows, total, pageCount: Math.max(1, Math.ceil(total / PAGE)), invitations: null, now };
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("resend"), invitationId: z.string().min(1).max(64), back: z.string().max(2000).optional() }),
  z.object({ intent: z.literal("revoke"), invitationId: z.string().min(1).max(64), back: z.string().max(2000).optional() }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSignedIn(request, context), context);
  authorize(canManageAccounts(ctx.actor));
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const input = parsed.data;
  // Back to the same filtered list; only an address of this list.
  const back = input.back?.startsWith(`${adminUrls.members}?`) ? input.back : `${adminUrls.members}?status=invited`;
  if (input.intent === "resend") {
    const head = await letterhead();
    const result = await transact(getDb(), (trx) => resendInvitation(trx, { ...ctx, letterhead: head }, input));
    if (!result.ok) {
      if (result.error === "not-found") notFound();
      if (result.error === "forbidden") forbidden();
      return redirectWithFlash(back, { kind: "error", key: `admin.invitations.refused.${result.error}` });
    }
    send(result.mailIds);
    return redirectWithFlash(back, { key: "admin.invitations.resent", params: { email: result.email } });
  }
  const result = await transact(getDb(), (trx) => revokeAnyInvitation(trx, ctx, input));
  if (!result.ok) {
    if (result.error === "not-found") notFound();
    if (result.error === "forbidden") return redirectWithFlash(back, { kind: "error", key: "admin.invitations.refused.archived" });
    return redirectWithFlash(back, { kind: "error", key: "admin.invitations.refused.stale" });
  }
  return redirectWithFlash(back, { key: "admin.invitations.revoked", params: { email: result.email } });
}

export default function AdminMembers() {
  const t = useT();
  const formatDate = useFormatDate();
  const { filters, query, spaces, members, total, pageCount, invitations, now } = useLoaderData<typeof loader>();
  const status = filters.invited ? "invited" : (filters.status ?? "");
  const here = `${adminUrls.members}?${new URLSearchParams({ ...query, ...(filters.page > 1 ? { page: String(filters.page) } : {}) })}`;
  const pageLink = (page: number) => `?${new URLSearchParams({ ...query, page: String(page) })}`;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h2>{t("admin.members.title")}</h2>
          <p>{t("admin.members.intro")}</p>
        </div>
      </div>
      <Form method="get" className="card admin-filters" role="search" aria-label={t("admin.members.filters")}>
        <div className="field admin-filter-q">
          <label htmlFor="admin-q">{t("admin.members.q")}</label>
          <input id="admin-q" name="q" type="search" defaultValue={filters.q} maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="admin-status">{t("admin.members.status")}</label>
          <select id="admin-status" name="status" defaultValue={status}>
            <option value="">{t("admin.members.status.all")}</option>
            <option value="active">{t("admin.members.status.active")}</option>
            <option value="deactivated">{t("admin.members.status.deactivated")}</option>
            <option value="leaving">{t("admin.members.status.leaving")}</option>
            <option value="invited">{t("admin.members.status.invited")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="admin-space">{t("admin.members.club")}</label>
          <select id="admin-space" name="space" defaultValue={filters.spaceId ?? ""}>
            <option value="">{t("admin.members.club.all")}</option>
            {spaces.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="admin-signin">{t("admin.members.signIn")}</label>
          <select id="admin-signin" name="signin" defaultValue={filters.signIn ?? ""}>
            <option value="">{t("admin.members.signIn.any")}</option>
            <option value="never">{t("admin.members.signIn.never")}</option>
            <option value="30">{t("admin.members.signIn.30")}</option>
            <option value="90">{t("admin.members.signIn.90")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="admin-2fa">{t("admin.members.secondFactor")}</label>
          <select id="admin-2fa" name="2fa" defaultValue={filters.secondFactor ?? ""}>
            <option value="">{t("admin.members.secondFactor.any")}</option>
            <option value="on">{t("admin.members.secondFactor.on")}</option>
            <option value="off">{t("admin.members.secondFactor.off")}</option>
          </select>
        </div>
        <div className="admin-filter-actions">
          <button type="submit" className="btn btn-primary">
            {t("admin.members.search")}
          </button>
          <Link to={adminUrls.members} className="btn btn-ghost">
            {t("admin.members.reset")}
          </Link>
        </div>
      </Form>

      <section className="card" aria-labelledby="admin-count">
        <h3 id="admin-count" className="directory-count" aria-live="polite">
          {invitations ? t("admin.invitations.count", { count: total }) : t("admin.members.count", { count: total })}
        </h3>
        {members ? (
          members.length === 0 ? (
            <p className="empty">{t("admin.members.empty")}</p>
          ) : (
            <div className="table-wrap">
              <table className="table responsive">
                <thead>
                  <tr>
                    <th scope="col">{t("admin.members.name")}</th>
                    <th scope="col">{t("admin.members.status")}</th>
                    <th scope="col">{t("admin.members.clubs")}</th>
                    <th scope="col">{t("admin.members.lastSignIn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => (
                    <tr key={m.id}>
                      <td data-label={t("admin.members.name")}>
                        <div>
                          <Link to={adminMemberUrl(m.id)}>
                            <strong>{m.display_name}</strong>
                          </Link>{" "}
                          {m.is_network_admin ? <span className="badge badge-brand">{t("admin.members.admin")}</span> : null}
                          <div className="muted small">{m.email}</div>
                        </div>
                      </td>
                      <td data-label={t("admin.members.status")}>
                        <StatusBadge deactivatedAt={m.deactivated_at} leavingAt={m.deletion_due_at} />
                      </td>
                      <td data-label={t("admin.members.clubs")}>{m.clubs}</td>
                      <td data-label={t("admin.members.lastSignIn")} className="when">
                        {m.last_sign_in_at ? formatDate(m.last_sign_in_at) : t("admin.members.never")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : invitations && invitations.length === 0 ? (
          <p className="empty">{t("admin.invitations.empty")}</p>
        ) : invitations ? (
          <div className="table-wrap">
            <table className="table responsive">
              <thead>
                <tr>
                  <th scope="col">{t("admin.invitations.email")}</th>
                  <th scope="col">{t("admin.invitations.club")}</th>
                  <th scope="col">{t("admin.invitations.sponsor")}</th>
                  <th scope="col">{t("admin.invitations.state")}</th>
                  <th scope="col">
                    <span className="sr-only">{t("admin.invitations.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td data-label={t("admin.invitations.email")}>{i.email}</td>
                    <td data-label={t("admin.invitations.club")}>
                      <Link to={spaceUrl(i.space_slug)}>{i.space_name}</Link>
                    </td>
                    <td data-label={t("admin.invitations.sponsor")}>{shownName(i.sponsor_name, t)}</td>
                    <td data-label={t("admin.invitations.state")}>
                      <div>
                        <span className="badge">{t(i.status === "sent" ? "admin.invitations.sent" : "admin.invitations.waiting")}</span>
                        <div className="muted small">
                          {formatDate(i.created_at)}
                          {i.status === "sent" && i.expires_at && i.expires_at > now ? ` · ${t("admin.invitations.expires", { date: formatDate(i.expires_at) })}` : ""}
                        </div>
                      </div>
                    </td>
                    <td data-label={t("admin.invitations.actions")}>
                      {i.archived_at === null ? (
                        <div className="admin-row-actions">
                          {i.status === "sent" ? (
                            <Form method="post">
                              <input type="hidden" name="intent" value="resend" />
                              <input type="hidden" name="invitationId" value={i.id} />
                              <input type="hidden" name="back" value={here} />
                              <button type="submit" className="btn btn-small" aria-label={t("admin.invitations.resendTo", { email: i.email })}>
                                {t("admin.invitations.resend")}
                              </button>
                            </Form>
                          ) : null}
                          <Form method="post">
                            <input type="hidden" name="intent" value="revoke" />
                            <input type="hidden" name="invitationId" value={i.id} />
                            <input type="hidden" name="back" value={here} />
                            <button type="submit" className="btn btn-small btn-danger" aria-label={t("admin.invitations.revokeFor", { email: i.email })}>
                              {t("admin.invitations.revoke")}
                            </button>
                          </Form>
                        </div>
                      ) : (
                        <span className="muted small">{t("admin.invitations.archivedClub")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <Pager page={filters.page} pageCount={pageCount} link={pageLink} label={t("admin.members.pages")} />
      </section>
    </div>
  );
}

/** A member's state in words; the colour only repeats what the words say. */
export function StatusBadge({ deactivatedAt, leavingAt }: { deactivatedAt: number | null; leavingAt: number | null }) {
  const t = useT();
  if (deactivatedAt !== null) return <span className="badge badge-warning">{t("admin.members.status.deactivated")}</span>;
  if (leavingAt !== null) return <span className="badge badge-secret">{t("admin.members.status.leaving")}</span>;
  return <span className="badge badge-accent">{t("admin.members.status.active")}</span>;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
