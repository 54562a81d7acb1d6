import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as notifications from "#db/queries/notifications.ts";
import { commentPath } from "#app/comments/mail.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifications.title");

/** The viewer's notifications, newest first; opening one (GET /notifications/:id) marks it read. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const rows = await notifications.listForUser(getDb(), user.id);
  return {
    items: rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      createdAt: n.created_at,
      unread: n.read_at === null,
      actor: n.actor_name,
      space: n.space_name,
      title: n.post_title ?? n.page_title ?? "",
      excerpt: n.excerpt,
      href: commentPath({ space_slug: n.space_slug, post_slug: n.post_slug, page_slug: n.page_slug, comment_id: n.comment_id }),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const form = await request.formData();
  if (form.get("intent") !== "read-all") badRequest();
  await notifications.markAllRead(getDb(), user.id, Date.now());
  return redirectWithFlash("/notifications", { key: "notifications.markedAllRead" });
}

export default function Notifications() {
  const t = useT();
  const formatDate = useFormatDate();
  const { items } = useLoaderData<typeof loader>();
  const unread = items.some((n) => n.unread);
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
      {items.length === 0 ? (
        <p className="card muted">{t("notifications.empty")}</p>
      ) : (
        <ul className="notification-list card" aria-label={t("notifications.title")}>
          {items.map((n) => (
            <li key={n.id} className={n.unread ? "notification unread" : "notification"}>
              <a href={`/notifications/${n.id}`} className="notification-link">
                {n.unread ? <span className="notification-dot" aria-label={t("notifications.unread")} role="img" /> : null}
                <span className="notification-text">
                  <span className="notification-what">
                    {t(n.kind === "mention" ? "notifications.mention" : "notifications.reply", { name: n.actor ?? t("comments.formerMember"), title: n.title })}
                  </span>
                  {n.excerpt ? <span className="notification-excerpt">{n.excerpt}</span> : null}
                  <span className="notification-meta">
                    {t("notifications.inSpace", { space: n.space })} · <time dateTime={new Date(n.createdAt).toISOString()}>{formatDate(n.createdAt)}</time>
                  </span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to="/settings/notifications">{t("notifications.mailSettings")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
