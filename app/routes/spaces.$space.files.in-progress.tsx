import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { transact } from "#db/transact.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { UPLOAD_IDLE_MS } from "#app/files/reservations.server.ts";
import { cancelUpload } from "#app/files/commands.server.ts";
import { discardUploadParts, uploadsInProgress } from "#app/files/upload-admin.server.ts";
import { useFormatDate, useFormatSize, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canManageUploads } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, redirectWithFlash, refusedAs } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { clientIp } from "#app/utils/request.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { filesInProgressUrl, filesUrl } from "#app/urls.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "files.inProgressTitle");

/** The uploads under way in a space, for its admins (and the network admin): who, what, how far, and cancel. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canManageUploads(actor, membership, space));
  return {
    spaceSlug: space.slug,
    idleMinutes: UPLOAD_IDLE_MS / 60_000,
    uploads: await uploadsInProgress(getDb(), space.id, Date.now()),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canManageUploads(actor, membership, space));
  const form = await request.formData();
  const id = form.get("id");
  if (form.get("intent") !== "cancel-upload" || typeof id !== "string") badRequest();
  const cancelled = await transact(getDb(), (trx) => cancelUpload(trx, { space, actor, membership, ip: clientIp(context), now: Date.now() }, { uploadId: id }));
  if (!cancelled.ok) refusedAs(cancelled.error);
  // After the commit: its parts are no row's any more.
  await discardUploadParts(getStorage(), id);
  return redirectWithFlash(filesInProgressUrl(space.slug), { key: "files.uploadCancelled", params: { name: cancelled.upload.name } });
}

export default function UploadsInProgress() {
  const t = useT();
  const formatDate = useFormatDate();
  const formatSize = useFormatSize();
  const { spaceSlug, idleMinutes, uploads } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card files-trash" aria-labelledby="in-progress-title">
      <Breadcrumb label={t("files.breadcrumb")} items={[{ to: filesUrl(spaceSlug), label: t("space.files") }]} />
      <div className="page-head">
        <div>
          <h2 id="in-progress-title">{t("files.inProgressTitle")}</h2>
          <p className="muted">{t("files.inProgressIntro", { minutes: idleMinutes })}</p>
        </div>
      </div>
      {uploads.length === 0 ? (
        <p className="empty">{t("files.inProgressEmpty")}</p>
      ) : (
        <ul className="list trash-list">
          {uploads.map((u) => (
            <li key={u.id}>
              <span className="grow">
                <strong>
                  <bdi>{u.name}</bdi>
                </strong>{" "}
                <span className="muted">{t("files.inProgressBy", { name: u.uploader ?? "—" })}</span>
                <br />
                <span className="muted small">
                  {t("files.inProgressReceived", { received: formatSize(u.received), size: formatSize(u.size) })}
                  {" · "}
                  {t("files.inProgressActive", { date: formatDate(u.activeAt) })}
                  {u.lapsed ? ` · ${t("files.inProgressLapsed")}` : null}
                </span>
              </span>
              <span className="trash-actions">
                <Form method="post">
                  <input type="hidden" name="intent" value="cancel-upload" />
                  <input type="hidden" name="id" value={u.id} />
                  <button type="submit" className="btn btn-small btn-danger" disabled={busy}>
                    {t("files.cancelUploadOf")}
                    <span className="sr-only"> {u.name}</span>
                  </button>
                </Form>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
