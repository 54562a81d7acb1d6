import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listReports, reportMessages } from "#db/queries/conversations.ts";
import { transact } from "#db/transact.ts";
import { shownName } from "#app/accounts/names.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { handleReport } from "#app/conversations/commands.server.ts";
import { useFormatDate, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canHandleReports } from "#app/policies/network.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { personUrl, reportsUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "reports.title");

/**
 * Conversations reported to the network admins: the reason, who reported,
 * and the copy of the messages the report carries — the only words of
 * anyone's private conversations an admin ever reads. Marking one handled
 * is audited.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canHandleReports(actor));
  const db = getDb();
  const handled = new URL(request.url).searchParams.get("handled") === "1";
  const reports = await listReports(db, { handled, limit: 50 });
  const messages = await reportMessages(db, reports.map((r) => r.id));
  return {
    handled,
    reports: reports.map((r) => ({
      id: r.id,
      reason: r.reason,
      at: r.created_at,
      handledAt: r.handled_at,
      reporter: r.reporter_id && r.reporter_name !== null ? { id: r.reporter_id, name: r.reporter_name } : null,
      messages: messages.get(r.id) ?? [],
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSignedIn(request, context), context);
  authorize(canHandleReports(ctx.actor));
  const form = await request.formData();
  const reportId = form.get("reportId");
  if (form.get("intent") !== "handle" || typeof reportId !== "string" || reportId.length > 64) badRequest();
  const done = await transact(getDb(), (trx) => handleReport(trx, ctx, { reportId }));
  if (!done.ok) notFound();
  return redirectWithFlash(reportsUrl, { key: "reports.handledFlash" });
}

export default function Reports() {
  const t = useT();
  const formatDate = useFormatDate();
  const { handled, reports } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h2>{t("reports.title")}</h2>
          <p>{t("reports.intro")}</p>
        </div>
        <Link to={handled ? reportsUrl : `${reportsUrl}?handled=1`} className="btn">
          {t(handled ? "reports.showOpen" : "reports.showHandled")}
        </Link>
      </div>
      {reports.length === 0 ? <p className="card empty-state">{t(handled ? "reports.emptyHandled" : "reports.empty")}</p> : null}
      {reports.map((r) => (
        <article key={r.id} className="card report" aria-labelledby={`report-${r.id}`}>
          <h3 id={`report-${r.id}`} className="report-title">
            {r.reporter ? t("reports.by", { name: r.reporter.name }) : t("reports.byFormer")} · {formatDate(r.at)}
          </h3>
          <p className="report-reason">
            <strong>{t("reports.reason")}</strong> {r.reason}
          </p>
          <h4 className="field-label">{t("reports.messages", { count: r.messages.length })}</h4>
          <ol className="list-reset report-messages">
            {r.messages.map((m, i) => (
              <li key={i} className="message">
                <p className="message-meta">
                  <strong>{m.authorId ? <Link to={personUrl(m.authorId)}>{m.authorName}</Link> : shownName(m.authorName, t)}</strong> {formatDate(m.at)}
                </p>
                <p className="report-text">{m.text}</p>
              </li>
            ))}
          </ol>
          {r.handledAt === null ? (
            <Form method="post">
              <input type="hidden" name="intent" value="handle" />
              <input type="hidden" name="reportId" value={r.id} />
              <button type="submit" className="btn btn-small">
                {t("reports.handle")}
              </button>
            </Form>
          ) : (
            <p className="muted small">{t("reports.handledOn", { date: formatDate(r.handledAt) })}</p>
          )}
        </article>
      ))}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
