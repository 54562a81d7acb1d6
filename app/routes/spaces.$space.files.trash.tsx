import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import * as files from "#db/queries/files.ts";
import { transact } from "#db/transact.ts";
import { GeneralErrorBoundary } from "#app/components/error-boundary.tsx";
import { typeBadge } from "#app/components/file-listing.tsx";
import { FolderIcon } from "#app/components/icons.tsx";
import { ConfirmDialog } from "#app/components/ui/confirm-dialog.tsx";
import { purgeFromTrash, restoreFromTrash, type TrashKind } from "#app/files/commands.server.ts";
import { fileUrl, filesTrashUrl, filesUrl, folderUrl } from "#app/urls.ts";
import { deletePurgedObjects, TRASH_RETENTION_MS } from "#app/files/trash.server.ts";
import { useFormatDate, useFormatSize, useT } from "#app/i18n/react.tsx";
import { authorize } from "#app/policies/authorize.ts";
import { canManageFileTrash, canReadFiles } from "#app/policies/file.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, redirectWithFlash, refusedAs } from "#app/utils/http.server.ts";
import { pageTitle } from "#app/utils/meta.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "files.trashTitle");

/** The files trash of a space: only its editors and admins see it, restore from it, and purge it. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  authorize(canManageFileTrash(actor, membership, space));
  const entries = await files.listTrash(getDb(), space.id);
  return {
    spaceSlug: space.slug,
    entries: entries.map((e) => ({
      kind: e.kind,
      id: e.id,
      name: e.name,
      deletedAt: e.deleted_at,
      deletedBy: e.deleted_by_name,
      purgeAt: e.deleted_at + TRASH_RETENTION_MS,
      place: e.place_id ? { name: e.place_name ?? "", href: folderUrl(space.slug, e.place_id) } : null,
      bytes: e.bytes,
      files: e.files,
      contentType: e.content_type,
    })),
  };
}

function readKind(value: FormDataEntryValue | null): TrashKind | null {
  return value === "file" || value === "folder" ? value : null;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  authorize(canManageFileTrash(actor, membership, space));
  const form = await request.formData();
  const intent = form.get("intent");
  const db = getDb();
  const ctx = acting({ space, actor, membership }, context);
  const back = filesTrashUrl(space.slug);

  if (intent === "empty") {
    // Each entry in its own transaction: a long trash empties in steps, and one restored meanwhile stays.
    let count = 0;
    for (const entry of await files.listTrash(db, space.id)) {
      const purged = await transact(db, (trx) => purgeFromTrash(trx, ctx, { kind: entry.kind, id: entry.id }));
      if (!purged.ok) continue;
      await deletePurgedObjects(getStorage(), purged);
      count++;
    }
    return redirectWithFlash(back, { key: "files.trashEmptied", params: { count } });
  }

  const kind = readKind(form.get("kind"));
  const id = form.get("id");
  if (!kind || typeof id !== "string" || (intent !== "restore" && intent !== "purge")) badRequest();
  // The id must name a trash entry of this space; anything else is a 404.
  if (intent === "restore") {
    const restored = await transact(db, (trx) => restoreFromTrash(trx, ctx, { kind, id }));
    if (!restored.ok) refusedAs(restored.error);
    const to = kind === "file" ? fileUrl(space.slug, id) : folderUrl(space.slug, id);
    return redirectWithFlash(
      to,
      restored.renamed
        ? { key: "files.restoredRenamed", params: { name: restored.previousName, newName: restored.name } }
        : { key: "files.restored", params: { name: restored.name } },
    );
  }
  const purged = await transact(db, (trx) => purgeFromTrash(trx, ctx, { kind, id }));
  if (!purged.ok) refusedAs(purged.error);
  // After the commit: the rows are gone, so the bytes may go.
  await deletePurgedObjects(getStorage(), purged);
  return redirectWithFlash(back, { key: "files.purged", params: { name: purged.name } });
}

export default function FilesTrash() {
  const t = useT();
  const formatDate = useFormatDate();
  const formatSize = useFormatSize();
  const { spaceSlug, entries } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <section className="card files-trash" aria-labelledby="trash-title">
      <Breadcrumb label={t("files.breadcrumb")} items={[{ to: filesUrl(spaceSlug), label: t("space.files") }]} />
      <div className="page-head">
        <div>
          <h2 id="trash-title">{t("files.trashTitle")}</h2>
          <p className="muted">{t("files.trashIntro")}</p>
        </div>
        {entries.length > 0 ? (
          <ConfirmDialog
            trigger={
              <button type="button" className="btn btn-danger">
                {t("files.emptyTrash")}
              </button>
            }
            title={t("files.emptyTrashTitle")}
            description={t("files.emptyTrashText", { count: entries.length })}
            confirmLabel={t("files.emptyTrash")}
            fields={{ intent: "empty" }}
          />
        ) : null}
      </div>
      {entries.length === 0 ? (
        <p className="empty">{t("files.trashEmpty")}</p>
      ) : (
        <ul className="list trash-list">
          {entries.map((e) => (
            <li key={`${e.kind}-${e.id}`}>
              <span className={`file-icon${e.kind === "folder" ? " file-icon-folder" : ""}`} aria-hidden="true">
                {e.kind === "folder" ? <FolderIcon /> : typeBadge(e.contentType)}
              </span>
              <span className="grow">
                <strong>
                  <bdi>{e.name}</bdi>
                </strong>
                <span className="sr-only"> ({t(e.kind === "folder" ? "files.typeFolder" : "files.typeOther")})</span>
                <br />
                <span className="muted small">
                  {t("files.deletedBy", { name: e.deletedBy ?? "—", date: formatDate(e.deletedAt) })}
                  {" · "}
                  {e.kind === "folder" ? t("files.folderHolds", { count: e.files, size: formatSize(e.bytes) }) : formatSize(e.bytes)}
                  {" · "}
                  {e.place ? (
                    <>
                      {t("files.wasIn")} <Link to={e.place.href}>{e.place.name}</Link>
                    </>
                  ) : (
                    t("files.wasAtTop")
                  )}
                </span>
                <br />
                <span className="muted small">{t("files.purgeOn", { date: formatDate(e.purgeAt, "date") })}</span>
              </span>
              <span className="trash-actions">
                <Form method="post">
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="kind" value={e.kind} />
                  <input type="hidden" name="id" value={e.id} />
                  <button type="submit" className="btn btn-small" disabled={busy}>
                    {t("files.restore")}
                    <span className="sr-only"> {e.name}</span>
                  </button>
                </Form>
                <ConfirmDialog
                  trigger={
                    <button type="button" className="btn btn-small btn-danger">
                      {t("files.purge")}
                      <span className="sr-only"> {e.name}</span>
                    </button>
                  }
                  title={t(e.kind === "folder" ? "files.purgeFolderTitle" : "files.purgeFileTitle", { name: e.name })}
                  description={t(e.kind === "folder" ? "files.purgeFolderText" : "files.purgeFileText")}
                  confirmLabel={t("files.purge")}
                  fields={{ intent: "purge", kind: e.kind, id: e.id }}
                />
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
