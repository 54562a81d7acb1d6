import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { spacesOverview } from "#db/queries/admin.ts";
import { transact } from "#db/transact.ts";
import { archiveSpaceById } from "#app/admin/spaces.server.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { useFormatSize, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { adminUrls, spaceUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "admin.spaces.title");

const ACTIVITY_DAYS = 30;

/** Every space of the network: storage against its quota, members, what was done in it lately; archived or brought back. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canManageAccounts(actor));
  const since = Date.now() - ACTIVITY_DAYS * 24 * 60 * 60 * 1000;
  return { spaces: await spacesOverview(getDb(), since), days: ACTIVITY_DAYS };
}

const intentSchema = z.object({ intent: z.enum(["archive", "unarchive"]), spaceId: z.string().min(1).max(64) });

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = acting(await requireSignedIn(request, context), context);
  authorize(canManageAccounts(ctx.actor));
  const parsed = intentSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) badRequest();
  const archived = parsed.data.intent === "archive";
  const result = await transact(getDb(), (trx) => archiveSpaceById(trx, ctx, { spaceId: parsed.data.spaceId, archived }));
  if (!result.ok) {
    if (result.error === "not-found") notFound();
    if (result.error === "forbidden") forbidden();
    return redirectWithFlash(adminUrls.spaces, { kind: "info", key: archived ? "admin.spaces.alreadyArchived" : "admin.spaces.alreadyActive" });
  }
  return redirectWithFlash(adminUrls.spaces, { key: archived ? "admin.spaces.archived" : "admin.spaces.unarchived", params: { name: result.name } });
}

export default function AdminSpaces() {
  const t = useT();
  const formatSize = useFormatSize();
  const { spaces, days } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h2>{t("admin.spaces.title")}</h2>
          <p>{t("admin.spaces.intro")}</p>
        </div>
      </div>
      <div className="card">
        {spaces.length === 0 ? (
          <p className="empty">{t("admin.spaces.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="table responsive">
              <caption className="admin-caption">{t("admin.spaces.caption", { days })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("admin.spaces.name")}</th>
                  <th scope="col">{t("admin.spaces.members")}</th>
                  <th scope="col">{t("admin.spaces.storage")}</th>
                  <th scope="col">{t("admin.spaces.activity", { days })}</th>
                  <th scope="col">
                    <span className="sr-only">{t("admin.spaces.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {spaces.map((s) => {
                  const percent = s.storage_quota_bytes > 0 ? Math.min(100, Math.round((s.storedBytes / s.storage_quota_bytes) * 100)) : 0;
                  const a = s.activity;
                  return (
                    <tr key={s.id}>
                      <td data-label={t("admin.spaces.name")}>
                        <div>
                          <Link to={spaceUrl(s.slug)}>{s.name}</Link>{" "}
                          {s.archived_at !== null ? <span className="badge badge-warning">{t("admin.spaces.archivedBadge")}</span> : null}
                          <div className="muted small">{t(`kind.${s.kind}`)}</div>
                        </div>
                      </td>
                      <td data-label={t("admin.spaces.members")}>{s.members}</td>
                      <td data-label={t("admin.spaces.storage")}>
                        <div className="admin-usage">
                          <span>{t("admin.spaces.used", { used: formatSize(s.storedBytes), quota: formatSize(s.storage_quota_bytes), percent })}</span>
                          <meter className={percent >= 90 ? "admin-meter admin-meter-high" : "admin-meter"} min={0} max={100} value={percent} aria-hidden="true" />
                        </div>
                      </td>
                      <td data-label={t("admin.spaces.activity", { days })}>
                        {a.edits + a.posts + a.comments + a.uploads === 0 ? (
                          <span className="muted">{t("admin.spaces.quiet")}</span>
                        ) : (
                          <span>{t("admin.spaces.activityLine", { edits: a.edits, posts: a.posts, comments: a.comments, uploads: a.uploads })}</span>
                        )}
                      </td>
                      <td data-label={t("admin.spaces.actions")}>
                        <Form method="post">
                          <input type="hidden" name="spaceId" value={s.id} />
                          {s.archived_at === null ? (
                            <button type="submit" name="intent" value="archive" className="btn btn-small" aria-label={t("admin.spaces.archiveName", { name: s.name })}>
                              {t("admin.spaces.archive")}
                            </button>
                          ) : (
                            <button type="submit" name="intent" value="unarchive" className="btn btn-small" aria-label={t("admin.spaces.unarchiveName", { name: s.name })}>
                              {t("admin.spaces.unarchive")}
                            </button>
                          )}
                        </Form>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
