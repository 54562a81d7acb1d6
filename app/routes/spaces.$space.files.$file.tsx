import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AudienceLine } from "#app/components/audience-line.tsx";
import { describeAudience } from "#app/audience/load.server.ts";
import { canShareOutside } from "#app/policies/share.ts";
import { useRef } from "react";
import * as files from "#db/queries/files.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { UploadQueue, type UploadQueueHandle } from "#app/components/upload-queue.tsx";
import { isPreviewable } from "#app/files/content-type.server.ts";
import { useFormatDate, useFormatSize, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canEditFile, canReadFiles } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { aliveSince } from "#app/files/reservations.server.ts";
import { fileUsage } from "#app/files/usage.server.ts";
import { fileDownloadUrl, filesUrl, folderUrl, uploadsUrl, sharesUrl } from "#app/urls.ts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, "files.fileTitle", { name: data?.file.name ?? "" });

/** One file: its preview, its facts, every version, and a new version for those who may. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  const db = getDb();
  const file = await files.findLiveFile(db, space.id, params.file ?? "");
  if (!file) notFound();
  const folder = file.folder_id ? await files.findLiveFolder(db, space.id, file.folder_id) : undefined;
  const [versions, ancestors, usage, usedBy, audience] = await Promise.all([
    files.listVersions(db, file.id),
    folder ? files.folderAncestors(db, folder) : [],
    files.spaceUsage(db, space.id, aliveSince(Date.now())),
    fileUsage(db, { space, actor, membership }, [file.id]).then((m) => m.get(file.id) ?? []),
    // Who reads it: the rule this loader asked (canReadFiles).
    describeAudience(db, { space, actor, membership }, (a, m) => canReadFiles(a, m, space)),
  ]);
  return {
    spaceSlug: space.slug,
    file: { id: file.id, name: file.name, size: file.size, contentType: file.content_type, version: file.version, updatedAt: file.updated_at },
    path: [...ancestors, ...(folder ? [{ id: folder.id, name: folder.name }] : [])].map((f) => ({ name: f.name, href: folderUrl(space.slug, f.id) })),
    folderHref: folderUrl(space.slug, folder?.id ?? null),
    downloadHref: fileDownloadUrl(space.slug, file.id),
    preview: isPreviewable(file.content_type)
      ? {
          kind: file.content_type === "application/pdf" ? "pdf" : "image",
          href: fileDownloadUrl(space.slug, file.id, { version: file.version, inline: "1" }),
          frameHref: fileDownloadUrl(space.slug, file.id, { version: file.version, inline: "frame" }),
        }
      : null,
    versions: versions.map((v) => ({
      number: v.number,
      size: v.size,
      at: v.created_at,
      by: v.uploader_name,
      originalName: v.original_name,
      href: fileDownloadUrl(space.slug, file.id, { version: v.number }),
    })),
    usedBy: usedBy.filter((o) => o.kind === "page").map((o) => ({ title: o.title, href: o.path })),
    usedByPosts: usedBy.filter((o) => o.kind === "post").map((o) => ({ title: o.title, href: o.path })),
    canEdit: canEditFile(actor, membership, space, file),
    shareHref: canShareOutside(actor, membership, space) ? sharesUrl(space.slug, { kind: "file", id: file.id }) : null,
    audience,
    maxFileBytes: getEnv().maxFileBytes,
    remainingBytes: Math.max(0, space.storage_quota_bytes - usage.stored - usage.reserved),
  };
}

export default function FilePage() {
  const t = useT();
  const formatSize = useFormatSize();
  const formatDate = useFormatDate();
  const data = useLoaderData<typeof loader>();
  const queue = useRef<UploadQueueHandle>(null);
  const picker = useRef<HTMLInputElement>(null);
  const { file } = data;
  return (
    <div className="stack">
      <section className="card file-page" aria-labelledby="file-title">
        <Breadcrumb
          label={t("files.breadcrumb")}
          items={[{ to: filesUrl(data.spaceSlug), label: t("space.files") }, ...data.path.map((p) => ({ to: p.href, label: p.name }))]}
        />
        <div className="page-head">
          <div>
            <h1 id="file-title" className="file-title">
              <bdi>{file.name}</bdi>
            </h1>
            <p className="page-head-meta">
              {t("files.fileMeta", { size: formatSize(file.size), version: String(file.version), date: formatDate(file.updatedAt) })}
            </p>
            <AudienceLine audience={data.audience} />
          </div>
          <div className="actions">
            <a className="btn btn-primary" href={data.downloadHref} download>
              {t("files.download")}
            </a>
            {data.shareHref ? (
              <Link to={data.shareHref} className="btn">
                {t("share.action")}
              </Link>
            ) : null}
            {data.canEdit ? (
              <>
                <input
                  ref={picker}
                  type="file"
                  hidden
                  onChange={(e) => {
                    if (e.currentTarget.files?.length) queue.current?.add(e.currentTarget.files);
                    e.currentTarget.value = "";
                  }}
                />
                <button type="button" className="btn" onClick={() => picker.current?.click()}>
                  {t("files.uploadVersion")}
                </button>
              </>
            ) : null}
          </div>
        </div>
        {data.preview?.kind === "image" ? (
          <figure className="file-preview">
            <img src={data.preview.href} alt={t("files.previewOf", { name: file.name })} />
          </figure>
        ) : null}
        {data.preview?.kind === "pdf" ? (
          <figure className="file-preview file-preview-pdf">
            {/* The browser's own PDF viewer, in a frame of the sandboxed inline
                route (the page's CSP: an <iframe> of 'self', never an <object>).
                The link is for browsers without a viewer (most phones) and for a
                full-size view. */}
            <iframe src={data.preview.frameHref} title={t("files.previewOf", { name: file.name })} />
            <figcaption>
              <a href={data.preview.href} target="_blank" rel="noopener">
                {t("files.openPdf")}
              </a>
            </figcaption>
          </figure>
        ) : null}
      </section>
      {data.canEdit ? (
        <UploadQueue
          ref={queue}
          endpoint={uploadsUrl(data.spaceSlug)}
          folderId={null}
          fileId={file.id}
          maxFileBytes={data.maxFileBytes}
          remainingBytes={data.remainingBytes}
        />
      ) : null}
      <UsedIn id="used-title" title={t("files.usedIn")} owners={data.usedBy} />
      <UsedIn id="used-posts-title" title={t("files.usedInPosts")} owners={data.usedByPosts} />
      <section className="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{t("files.versions")}</h2>
        <ul className="list">
          {data.versions.map((v) => (
            <li key={v.number}>
              <span className="grow">
                <span className="version-label">
                  <strong>{t("files.versionN", { number: String(v.number) })}</strong>
                  {v.number === file.version ? <span className="badge">{t("files.current")}</span> : null}
                </span>
                <span className="muted small">
                  {t("files.versionMeta", { size: formatSize(v.size), name: v.by ?? "—", date: formatDate(v.at) })}
                </span>
                {v.originalName !== file.name ? (
                  <>
                    <br />
                    <span className="muted small">
                      {t("files.sentAs")} <bdi>{v.originalName}</bdi>
                    </span>
                  </>
                ) : null}
              </span>
              <a className="btn btn-small" href={v.href} download>
                {t("files.download")}
                <span className="sr-only"> {t("files.versionN", { number: String(v.number) })}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <p>
        <Link to={data.folderHref}>← {t("files.backToFolder")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

/** The wiki pages, or the articles, that use this file: links, under a heading; nothing when none. */
function UsedIn({ id, title, owners }: { id: string; title: string; owners: Array<{ href: string; title: string }> }) {
  if (owners.length === 0) return null;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="list">
        {owners.map((p) => (
          <li key={p.href}>
            <Link to={p.href}>{p.title}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
