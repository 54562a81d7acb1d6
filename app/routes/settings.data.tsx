import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { listForUser } from "#db/queries/data-exports.ts";
import { transact } from "#db/transact.ts";
import { downloadable, requestExport } from "#app/exports/commands.server.ts";
import { kickExports } from "#app/exports/job.server.ts";
import { useFormatDate, useFormatSize, useT } from "#app/i18n/react.tsx";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { networkInfo } from "#app/utils/network.server.ts";

/**
 * "Mes données" (issue 19): ask for an export of everything of one's own,
 * follow it while it is built (the page asks again every few seconds, or
 * reloads itself without JavaScript), download it for 7 days. Only the
 * member's own exports, ever: the query takes their id.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "dataExport.title");

/** How often the page asks again while an export is being built. */
const POLL_SECONDS = 3;

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireSignedIn(request);
  const now = Date.now();
  const [latest] = await listForUser(getDb(), user.id, 1);
  const network = await networkInfo();
  return {
    network: network.name,
    pollSeconds: POLL_SECONDS,
    latest: latest
      ? {
          id: latest.id,
          state: latest.state === "ready" && !downloadable(latest, now) ? ("expired" as const) : latest.state,
          done: latest.done,
          total: latest.total,
          size: latest.size,
          files: latest.files,
          readyAt: latest.ready_at,
          expiresAt: latest.expires_at,
          downloadedAt: latest.downloaded_at,
        }
      : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireSignedIn(request);
  const form = await request.formData();
  if (form.get("intent") !== "export") badRequest();
  const outcome = await transact(getDb(), (trx) => requestExport(trx, acting(signedIn, context)));
  // Built right away in this process (claimed, so once), else by the primary's job.
  if (outcome.created) kickExports();
  return redirectWithFlash("/settings/data", { key: outcome.created ? "dataExport.requested" : "dataExport.alreadyUnderWay" });
}

export default function MyData() {
  const t = useT();
  const formatDate = useFormatDate();
  const formatSize = useFormatSize();
  const { network, latest, pollSeconds } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const underWay = latest?.state === "requested" || latest?.state === "building";
  const revalidator = useRevalidator();

  useEffect(() => {
    if (!underWay) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, pollSeconds * 1000);
    return () => clearInterval(timer);
  }, [underWay, pollSeconds, revalidator]);

  const percent = latest && latest.total > 0 ? Math.min(100, Math.floor((latest.done / latest.total) * 100)) : 0;

  return (
    <div className="stack">
      <section className="card form-card" aria-labelledby="data-title">
        <h2 id="data-title">{t("dataExport.title")}</h2>
        <p className="muted">{t("dataExport.intro", { network })}</p>
        <h3 className="data-export-holds">{t("dataExport.holds")}</h3>
        <ul className="data-export-list">
          <li>{t("dataExport.holds.profile")}</li>
          <li>{t("dataExport.holds.writing")}</li>
          <li>{t("dataExport.holds.workshops")}</li>
          <li>{t("dataExport.holds.conversations")}</li>
          <li>{t("dataExport.holds.settings")}</li>
          <li>{t("dataExport.holds.files")}</li>
        </ul>
        <p className="muted small">{t("dataExport.holds.readme")}</p>
      </section>

      <section className="card form-card" aria-labelledby="data-state-title">
        <h2 id="data-state-title" className="sr-only">
          {t("dataExport.progressLabel")}
        </h2>
        {/* What the export is doing now, read out as it changes. */}
        <div role="status" aria-live="polite" className="stack">
          {latest === null ? <p>{t("dataExport.none")}</p> : null}
          {latest?.state === "requested" ? <p>{t("dataExport.waiting")}</p> : null}
          {latest?.state === "building" ? (
            <>
              <p>
                <strong>{t("dataExport.building", { percent })}</strong>
                {latest.total > 0 ? (
                  <span className="muted small"> — {t("dataExport.buildingDetail", { done: formatSize(latest.done), total: formatSize(latest.total) })}</span>
                ) : null}
              </p>
            </>
          ) : null}
          {latest?.state === "ready" ? (
            <>
              <p>
                <strong>{t("dataExport.ready")}</strong>{" "}
                {t("dataExport.readyDetail", { size: formatSize(latest.size ?? 0), files: latest.files ?? 0, made: formatDate(latest.readyAt ?? 0) })}
              </p>
              <p className="muted small">{t("dataExport.expires", { date: formatDate(latest.expiresAt ?? 0) })}</p>
            </>
          ) : null}
          {latest?.state === "failed" ? <p className="form-error">{t("dataExport.failed")}</p> : null}
          {latest?.state === "expired" ? <p>{t("dataExport.expired")}</p> : null}
        </div>

        {underWay ? (
          <>
            <progress className="data-export-progress" max={100} value={latest?.state === "building" ? percent : undefined} aria-label={t("dataExport.progressLabel")} />
            <p className="muted small">{t("dataExport.leaveHint")}</p>
            <noscript>
              {/* Without JavaScript the page reloads itself until the export is done. */}
              <meta httpEquiv="refresh" content={String(pollSeconds)} />
              <p>
                <a href="/settings/data">{t("dataExport.refresh")}</a>
              </p>
            </noscript>
          </>
        ) : null}

        {!underWay ? (
          <div className="form-actions">
            {latest?.state === "ready" ? (
              <a className="btn btn-primary" href={`/settings/data/${latest.id}/download`} download>
                {t("dataExport.download")}
              </a>
            ) : null}
            <Form method="post">
              <input type="hidden" name="intent" value="export" />
              <button type="submit" className={latest?.state === "ready" ? "btn" : "btn btn-primary"} disabled={busy}>
                {latest === null ? t("dataExport.request") : t("dataExport.again")}
              </button>
            </Form>
          </div>
        ) : null}
        {latest?.state === "ready" && latest.downloadedAt ? <p className="muted small">{t("dataExport.downloadedAt", { date: formatDate(latest.downloadedAt) })}</p> : null}
        <p className="muted small">{t("dataExport.sessionNote")}</p>
      </section>
    </div>
  );
}
