import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { markAllRead } from "#app/notifications/commands.server.ts";
import { loadNotifications } from "#app/notifications/load.server.ts";
import { findReadyNotDownloaded } from "#db/queries/data-exports.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { formatList } from "#app/i18n/index.ts";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import type { RootData } from "#app/root.tsx";
import { notificationUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifications.title");

const PAGE = 50;

/**
 * The viewer's notifications, newest first, a page at a time; opening one
 * (GET /notifications/:id) marks it read. ?before=<time>.<id> is the last row
 * of the previous page (as in the audit log): only a position in the viewer's
 * own list, so a cursor copied from someone else reveals nothing. One that
 * does not parse is a 400, never a silent first page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const param = new URL(request.url).searchParams.get("before");
  let before: { at: number; id: string } | undefined;
  if (param !== null) {
    const cursor = /^(\d{1,15})\.([a-z0-9]{1,64})$/.exec(param);
    if (!cursor) badRequest();
    before = { at: Number(cursor[1]), id: cursor[2] };
  }
  const [{ items, next }, ready] = await Promise.all([
    loadNotifications(getDb(), user.id, { before, limit: PAGE }),
    // The bell counts a ready export (db/queries/notifications.ts): it heads the first page until downloaded.
    before === undefined ? findReadyNotDownloaded(getDb(), user.id, Date.now()) : undefined,
  ]);
  return { paged: before !== undefined, next, items, exportReady: ready?.expires_at ? { until: ready.expires_at } : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  if (form.get("intent") !== "read-all") badRequest();
  await markAllRead(getDb(), { userId: user.id, now: Date.now() });
  return redirectWithFlash("/notifications", { key: "notifications.markedAllRead" });
}

export default function Notifications() {
  const t = useT();
  const formatDate = useFormatDate();
  const { items, paged, next, exportReady } = useLoaderData<typeof loader>();
  const locale = useLocale();
  // "Sophie Lefèvre, Karim Benali et 2 autres": who wrote on a gathered line.
  const names = (all: string[]) => formatList(locale, all.length <= 3 ? all : [...all.slice(0, 2), t("notifications.others", { count: all.length - 2 })]);
  // "Mark all as read" reads everything, not just this page: offered while
  // the bell counts anything, on the oldest page too.
  const root = useRouteLoaderData<RootData>("root");
  // (The ready export the bell also counts is not read by it, only by downloading.)
  const unread = (root?.user?.unreadNotifications ?? 0) - (exportReady ? 1 : 0) > 0 || items.some((n) => n.unread);
  return (
    <div className="stack notifications-page">
      <div className="page-head">
        <div>
          <h1>{t("notifications.title")}</h1>
          <p className="muted">{t("notifications.intro")}</p>
        </div>
        {unread ? (
          <Form method="post" className="actions">
            <input type="hidden" name="intent" value="read-all" />
            <button type="submit" className="btn btn-small">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      {items.length === 0 && !exportReady ? (
        <p className="card muted">{t("notifications.empty")}</p>
      ) : (
        <ul className="notification-list card" aria-label={t("notifications.title")}>
          {exportReady ? (
            <li className="notification unread">
              <Link to="/settings/data" className="notification-link">
                <span className="notification-dot" aria-label={t("notifications.unread")} role="img" />
                <span className="notification-text">
                  <span className="notification-what">{t("notifications.exportReady")}</span>
                  <span className="notification-meta">{t("notifications.exportReadyUntil", { date: formatDate(exportReady.until) })}</span>
                </span>
              </Link>
            </li>
          ) : null}
          {items.map((n) => (
            <li key={n.id} className={n.unread ? "notification unread" : "notification"}>
              <a href={notificationUrl(n.id)} className="notification-link">
                {n.unread ? <span className="notification-dot" aria-label={t("notifications.unread")} role="img" /> : null}
                <span className="notification-text">
                  <span className="notification-what">
                    {n.grouped ? t(n.grouped, { count: n.count, title: n.title }) : n.what ? t(n.what, { name: n.actor ?? t("comments.formerMember"), title: n.title }) : null}
                  </span>
                  {n.excerpt ? <span className="notification-excerpt">{n.excerpt}</span> : null}
                  <span className="notification-meta">
                    {n.grouped && n.names.length > 0 ? <>{names(n.names)} · </> : null}
                    {t("notifications.inSpace", { space: n.space })} · <time dateTime={new Date(n.createdAt).toISOString()}>{formatDate(n.createdAt)}</time>
                  </span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {paged || next ? (
        <p className="actions">
          {paged ? (
            <Link className="btn btn-small" to="/notifications">
              {t("notifications.newest")}
            </Link>
          ) : null}
          {next ? (
            <Link className="btn btn-small" to={`?${new URLSearchParams({ before: next })}`}>
              {t("notifications.older")}
            </Link>
          ) : null}
        </p>
      ) : null}
      <p className="small">
        <Link to="/settings/notifications">{t("notifications.mailSettings")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
