import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { listAudit } from "#db/queries/audit.ts";
import { ROLES, type Role } from "#db/schema.ts";
import { shownName } from "#app/accounts/names.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { isMessageKey } from "#app/i18n/index.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canViewAuditLog } from "#app/policies/network.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { adminUrls, spaceUrl } from "#app/urls.ts";

const PAGE = 50;
const EVENTS = [
  "sign_in",
  "sign_in_failed",
  "sign_in_throttled",
  "sign_out",
  "password_changed",
  "password_reset_requested",
  "password_reset",
  "session_revoked",
  "network_created",
  "space_created",
  "space_updated",
  "space_archived",
  "space_unarchived",
  "invitation_created",
  "invitation_approved",
  "invitation_refused",
  "invitation_revoked",
  "invitation_accepted",
  "join_requested",
  "join_approved",
  "join_refused",
  "role_changed",
  "member_removed",
  "member_left",
  "file_purged",
  "upload_cancelled",
  "folder_purged",
  "comment_moderated",
  "account_deletion_requested",
  "account_deletion_cancelled",
  "account_deleted",
  "data_export_requested",
  "data_export_ready",
  "data_export_downloaded",
  "share_link_created",
  "share_link_opened",
  "share_link_revoked",
  "account_deactivated",
  "account_reactivated",
  "sign_in_deactivated",
  "network_updated",
  "audit_exported",
  "second_factor_enabled",
  "second_factor_disabled",
  "second_factor_failed",
  "second_factor_throttled",
  "second_factor_reset",
  "second_factor_requirement_changed",
  "recovery_codes_renewed",
  "recovery_code_used",
  "passkey_added",
  "passkey_renamed",
  "passkey_removed",
  "passkey_sign_in",
  "passkey_failed",
] as const;

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "audit.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request);
  authorize(canViewAuditLog(actor));
  const url = new URL(request.url);
  // The cursor is "<time>.<id>" of the last row shown.
  const cursor = (url.searchParams.get("before") ?? "").match(/^(\d+)\.([a-z0-9]+)$/);
  const before = cursor ? { at: Number(cursor[1]), id: cursor[2] } : undefined;
  const eventParam = url.searchParams.get("event") ?? "";
  const event = (EVENTS as readonly string[]).includes(eventParam) ? eventParam : undefined;
  const rows = await listAudit(getDb(), { before, event, limit: PAGE + 1 });
  return {
    events: EVENTS,
    entries: rows.slice(0, PAGE).map((r) => ({
      id: r.id,
      event: r.event,
      at: r.created_at,
      actor: r.actor_name,
      actorEmail: r.actor_email,
      target: r.target_name,
      space: r.space_name,
      spaceSlug: r.space_slug,
      ip: r.ip,
      data: JSON.parse(r.data) as Record<string, unknown>,
    })),
    next: rows.length > PAGE ? `${rows[PAGE - 1].created_at}.${rows[PAGE - 1].id}` : null,
  };
}

/**
 * The few details worth a glance: the address typed at a failed sign-in, the
 * roles of a change, where a moderated comment was. Roles are stored as their
 * values ("member") and shown by their names in the reader's language.
 */
/** Why a code or a passkey was refused, as the audit stores it (a word of the code's), in words. */
const REFUSALS = ["wrong", "reused", "no-challenge", "unknown", "invalid", "other-account", "replayed", "malformed"] as const;

function details(event: string, data: Record<string, unknown>, role: (value: string) => string, refusal: (value: (typeof REFUSALS)[number]) => string): string {
  const parts: string[] = [];
  if (typeof data.email === "string") parts.push(data.email);
  if (typeof data.from === "string" && typeof data.to === "string") parts.push(`${role(data.from)} → ${role(data.to)}`);
  if (typeof data.role === "string") parts.push(role(data.role));
  // A refused code's or passkey's reason is ours to word; any other (a cancelled workshop's) is a person's, quoted as written.
  const refused = event === "second_factor_failed" || event === "passkey_failed";
  if (refused && typeof data.reason === "string" && (REFUSALS as readonly string[]).includes(data.reason)) parts.push(refusal(data.reason as (typeof REFUSALS)[number]));
  else if (typeof data.reason === "string" && data.reason) parts.push(`« ${data.reason} »`);
  if (typeof data.commentId === "string" && typeof data.title === "string") parts.push(data.title);
  return parts.join(" · ");
}

export default function AuditLog() {
  const t = useT();
  const formatDate = useFormatDate();
  const { events, entries, next } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const event = params.get("event") ?? "";
  const label = (e: string) => {
    const key = `audit.e.${e}`;
    return isMessageKey(key) ? t(key) : e;
  };
  // A value no longer a role (an old entry) shows as stored rather than not at all.
  const role = (value: string) => ((ROLES as readonly string[]).includes(value) ? t(`role.${value as Role}`) : value);
  const refusal = (value: (typeof REFUSALS)[number]) => t(`audit.refusal.${value}`);
  return (
    <>
      <div className="page-head">
        <div>
          <h2>{t("audit.title")}</h2>
          <p>{t("audit.intro")}</p>
        </div>
        <Form method="get" className="inline-form">
          <label htmlFor="audit-event" className="sr-only">
            {t("audit.filter")}
          </label>
          <select id="audit-event" name="event" defaultValue={event}>
            <option value="">{t("audit.all")}</option>
            {events.map((e) => (
              <option key={e} value={e}>
                {label(e)}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-small">
            {t("audit.apply")}
          </button>
          {/* A download, not a page: a plain link, the browser saves what the server streams. */}
          <a className="btn btn-small" href={`${adminUrls.auditCsv}${event ? `?event=${encodeURIComponent(event)}` : ""}`} download>
            {t("admin.audit.csv")}
          </a>
        </Form>
      </div>
      <div className="card">
        {entries.length === 0 ? (
          <p className="empty">{t("audit.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table responsive">
              <thead>
                <tr>
                  <th scope="col">{t("audit.when")}</th>
                  <th scope="col">{t("audit.event")}</th>
                  <th scope="col">{t("audit.who")}</th>
                  <th scope="col">{t("audit.target")}</th>
                  <th scope="col">{t("audit.space")}</th>
                  <th scope="col">{t("audit.ip")}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td data-label={t("audit.when")} className="when">
                      {formatDate(e.at)}
                    </td>
                    <td data-label={t("audit.event")}>
                      {/* One box for the badge and its details: on a phone the cell lays its children in a row. */}
                      <div>
                        <span className={`badge${e.event.includes("failed") || e.event.includes("throttled") ? " badge-warning" : ""}`}>
                          {label(e.event)}
                        </span>
                        {details(e.event, e.data, role, refusal) ? <div className="muted small">{details(e.event, e.data, role, refusal)}</div> : null}
                      </div>
                    </td>
                    <td data-label={t("audit.who")}>{e.actor !== null ? shownName(e.actor, t) : "—"}</td>
                    <td data-label={t("audit.target")}>{e.target !== null ? shownName(e.target, t) : "—"}</td>
                    <td data-label={t("audit.space")}>{e.spaceSlug ? <Link to={spaceUrl(e.spaceSlug)}>{e.space}</Link> : "—"}</td>
                    <td data-label={t("audit.ip")}>
                      <code className="small">{e.ip || "—"}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="actions">
          {params.get("before") ? (
            <Link className="btn btn-small" to={event ? `?event=${event}` : "?"}>
              {t("common.newest")}
            </Link>
          ) : null}
          {next ? (
            <Link className="btn btn-small" to={`?${new URLSearchParams({ ...(event ? { event } : {}), before: next })}`}>
              {t("common.older")}
            </Link>
          ) : null}
        </p>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
