import * as Dialog from "@radix-ui/react-dialog";
import { AudienceLine } from "./audience-line.tsx";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from "react";
import type { ListingData } from "#app/files/load.server.ts";
import { isMessageKey } from "#app/i18n/index.ts";
import { useFormatDate, useFormatSize, useT } from "#app/i18n/react.tsx";
import { ConfirmDialog } from "./ui/confirm-dialog.tsx";
import { FolderIcon } from "./icons.tsx";
import { UploadQueue, type UploadQueueHandle } from "./upload-queue.tsx";
import { Breadcrumb } from "#app/components/breadcrumb.tsx";
import { landmark } from "#app/utils/landmark.ts";
import { fileDownloadUrl, fileThumbnailUrl, fileUrl, filesInProgressUrl, filesTrashUrl, folderUrl, uploadsUrl } from "#app/urls.ts";

type ActionData = { intent: string; id?: string; errors: Record<string, string[]> } | undefined;

/** One folder of a space's drive: breadcrumb, quota, the listing, uploads by picker or drag and drop. */
export function FileListing() {
  const t = useT();
  const formatSize = useFormatSize();
  const formatDate = useFormatDate();
  const data = useLoaderData<ListingData>();
  const queue = useRef<UploadQueueHandle>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const { space, folder, can } = data;
  const here = folder?.name ?? t("space.files");
  const remaining = Math.max(0, data.usage.quota - data.usage.used);
  const percentUsed = Math.min(100, Math.round((data.usage.used / Math.max(1, data.usage.quota)) * 100));

  function onDrop(event: DragEvent) {
    if (!can.upload) return;
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) queue.current?.add(event.dataTransfer.files);
  }

  return (
    <div
      className={`files${dragging ? " files-dragging" : ""}`}
      onDragOver={(e) => {
        if (!can.upload || !e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div className="files-head">
        <div>
          <Breadcrumb
            label={t("files.breadcrumb")}
            items={[
              ...(folder ? [{ to: folderUrl(space.slug, null), label: t("space.files") }] : []),
              ...data.ancestors.map((a) => ({ to: folderUrl(space.slug, a.id), label: a.name })),
            ]}
          />
          <h2 className="files-title">
            <bdi>{here}</bdi>
          </h2>
          <AudienceLine audience={data.audience} />
        </div>
        <div className="files-tools">
          {can.manageFolders ? <NewFolderDialog /> : null}
          {can.upload ? (
            <>
              <input
                ref={picker}
                type="file"
                multiple
                hidden
                onChange={(e) => {
                  if (e.currentTarget.files?.length) queue.current?.add(e.currentTarget.files);
                  e.currentTarget.value = "";
                }}
              />
              <button type="button" className="btn btn-primary" onClick={() => picker.current?.click()}>
                {t("files.upload")}
              </button>
            </>
          ) : null}
          {can.trash ? (
            <Link to={filesTrashUrl(space.slug)} className="btn btn-ghost">
              {t("files.trash")}
            </Link>
          ) : null}
          {can.manageUploads ? (
            <Link to={filesInProgressUrl(space.slug)} className="btn btn-ghost">
              {t("files.inProgress")}
            </Link>
          ) : null}
        </div>
      </div>

      <div className="files-quota">
        <div className="quota-bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percentUsed} aria-label={t("files.quotaLabel")}>
          <span style={{ width: `${percentUsed}%` }} className={percentUsed >= 90 ? "quota-high" : undefined} />
        </div>
        <p className="muted small">
          {t("files.quota", { used: formatSize(data.usage.used), quota: formatSize(data.usage.quota) })} ·{" "}
          {t("files.maxFile", { max: formatSize(data.maxFileBytes) })}
        </p>
      </div>

      {can.upload ? (
        <UploadQueue
          ref={queue}
          endpoint={uploadsUrl(space.slug)}
          folderId={folder?.id ?? null}
          maxFileBytes={data.maxFileBytes}
          remainingBytes={remaining}
        />
      ) : null}

      <section className="card files-listing" aria-labelledby="listing-title">
        <h3 id="listing-title" className="sr-only">
          {t("files.contents", { name: here })}
        </h3>
        {data.folders.length === 0 && data.files.length === 0 ? (
          <div className="empty files-empty">
            <FolderIcon aria-hidden="true" />
            <p>{can.upload ? t("files.emptyCanUpload") : t("files.empty")}</p>
          </div>
        ) : (
          <table className="files-table">
            <thead>
              <tr>
                <SortHeader column="name" label={t("files.colName")} />
                <SortHeader column="size" label={t("files.colSize")} className="num" />
                <SortHeader column="type" label={t("files.colType")} className="hide-narrow" />
                <SortHeader column="uploader" label={t("files.colUploader")} className="hide-narrow" />
                <SortHeader column="date" label={t("files.colDate")} className="hide-narrow" />
                <th scope="col">
                  <span className="sr-only">{t("files.colActions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.folders.map((f) => (
                <tr key={f.id}>
                  <td>
                    <Link to={folderUrl(space.slug, f.id)} className="file-name">
                      <span className="file-icon file-icon-folder" aria-hidden="true">
                        <FolderIcon />
                      </span>
                      <bdi>{f.name}</bdi>
                    </Link>
                  </td>
                  <td className="num muted">—</td>
                  <td className="hide-narrow muted">{t("files.typeFolder")}</td>
                  <td className="hide-narrow muted">{f.created_by_name ?? "—"}</td>
                  <td className="hide-narrow muted">{formatDate(f.updated_at, "date")}</td>
                  <td className="row-actions">
                    {can.manageFolders ? <ItemMenu kind="folder" id={f.id} name={f.name} currentFolder={folder?.id ?? null} inUse={f.usedFiles} /> : null}
                  </td>
                </tr>
              ))}
              {data.files.map((f) => (
                <tr key={f.id}>
                  <td>
                    <Link to={fileUrl(space.slug, f.id)} className="file-name">
                      {f.has_thumbnail ? (
                        <img className="file-thumb" src={fileThumbnailUrl(space.slug, f.id, f.version)} alt="" loading="lazy" width={32} height={32} />
                      ) : (
                        <span className="file-icon" aria-hidden="true">
                          {typeBadge(f.content_type)}
                        </span>
                      )}
                      <bdi>{f.name}</bdi>
                    </Link>
                    {f.version > 1 ? <span className="badge">{t("files.versionBadge", { number: String(f.version) })}</span> : null}
                  </td>
                  <td className="num">{formatSize(f.size)}</td>
                  <td className="hide-narrow muted">{typeLabel(f.content_type, t)}</td>
                  <td className="hide-narrow">{f.uploader_name ?? "—"}</td>
                  <td className="hide-narrow muted">{formatDate(f.updated_at, "date")}</td>
                  <td className="row-actions">
                    <a className="btn btn-ghost btn-small hide-narrow" href={fileDownloadUrl(space.slug, f.id)} download>
                      {t("files.download")}
                      <span className="sr-only"> {f.name}</span>
                    </a>
                    {f.canEdit ? <ItemMenu kind="file" id={f.id} name={f.name} currentFolder={folder?.id ?? null} inUse={f.usedByPages} inUseByPosts={f.usedByPosts} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {can.upload ? (
        <div className="drop-overlay" aria-hidden="true">
          <p>{t("files.dropHere", { name: here })}</p>
        </div>
      ) : null}
    </div>
  );
}

function SortHeader({ column, label, className }: { column: ListingData["sort"]; label: string; className?: string }) {
  const { sort, direction } = useLoaderData<ListingData>();
  const active = sort === column;
  const next = active && direction === "asc" ? "desc" : "asc";
  return (
    <th scope="col" className={className} aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={`?sort=${column}&dir=${next}`} preventScrollReset replace className="sort-link">
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (direction === "asc" ? "▲" : "▼") : ""}
        </span>
      </Link>
    </th>
  );
}

/** Short type labels for people, from the type sniffed at upload. */
function typeLabel(contentType: string, t: ReturnType<typeof useT>): string {
  if (contentType === "application/pdf") return "PDF";
  if (contentType.startsWith("image/")) return t("files.typeImage");
  if (contentType.startsWith("video/")) return t("files.typeVideo");
  if (contentType.startsWith("audio/")) return t("files.typeAudio");
  if (contentType.includes("wordprocessingml") || contentType === "application/msword") return "Word";
  if (contentType.includes("spreadsheetml") || contentType === "application/vnd.ms-excel") return "Excel";
  if (contentType.includes("presentationml") || contentType === "application/vnd.ms-powerpoint") return "PowerPoint";
  if (contentType.includes("opendocument")) return "OpenDocument";
  if (contentType === "application/zip") return "Zip";
  if (contentType.startsWith("text/")) return t("files.typeText");
  return t("files.typeOther");
}

/** The few letters a file without a thumbnail shows in place of one. */
export function typeBadge(contentType: string): ReactNode {
  if (contentType === "application/pdf") return "PDF";
  if (contentType.startsWith("image/")) return "IMG";
  if (contentType.startsWith("video/")) return "VID";
  if (contentType.startsWith("audio/")) return "SON";
  if (contentType.includes("spreadsheetml")) return "XLS";
  if (contentType.includes("presentationml")) return "PPT";
  if (contentType.includes("wordprocessingml")) return "DOC";
  if (contentType.startsWith("text/")) return "TXT";
  return "•••";
}

function FieldError({ errors, name }: { errors?: Record<string, string[]>; name: string }) {
  const t = useT();
  const list = errors?.[name];
  if (!list?.length) return null;
  return (
    <ul className="field-errors" id={`${name}-error`}>
      {list.map((e) => (
        <li key={e}>{isMessageKey(e) ? t(e) : e}</li>
      ))}
    </ul>
  );
}

/** A dialog holding one small form; it stays open to show the server's refusal beside the field. */
function FormDialog({
  trigger,
  title,
  intent,
  id,
  submitLabel,
  children,
  open,
  onOpenChange,
}: {
  trigger?: ReactNode;
  title: string;
  intent: string;
  id?: string;
  submitLabel: string;
  children: (errors?: Record<string, string[]>) => ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const t = useT();
  const actionData = useActionData<ActionData>();
  const navigation = useNavigation();
  const mine = actionData?.intent === intent && actionData.id === id ? actionData.errors : undefined;
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const wasSubmitting = useRef(false);
  useEffect(() => {
    // Closes once the server said yes (a redirect reloads the listing without errors for this form).
    if (wasSubmitting.current && navigation.state === "idle" && !mine) onOpenChange(false);
    wasSubmitting.current = submitting;
  }, [navigation.state, submitting, mine, onOpenChange]);
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger ? <Dialog.Trigger asChild>{trigger}</Dialog.Trigger> : null}
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby={undefined}>
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value={intent} />
            {id ? <input type="hidden" name="id" value={id} /> : null}
            {children(mine)}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="btn">
                  {t("common.cancel")}
                </button>
              </Dialog.Close>
              <button type="submit" className="btn btn-primary" disabled={submitting}>
                {submitLabel}
              </button>
            </div>
          </Form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function NewFolderDialog() {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <FormDialog
      open={open}
      onOpenChange={setOpen}
      trigger={<button className="btn">{t("files.newFolder")}</button>}
      title={t("files.newFolder")}
      intent="create-folder"
      submitLabel={t("files.create")}
    >
      {(errors) => (
        <div className={`field${errors?.name ? " field-invalid" : ""}`}>
          <label htmlFor="new-folder-name">{t("files.folderName")}</label>
          <input id="new-folder-name" name="name" required maxLength={255} autoFocus aria-invalid={errors?.name ? true : undefined} aria-describedby={errors?.name ? "name-error" : undefined} />
          <FieldError errors={errors} name="name" />
        </div>
      )}
    </FormDialog>
  );
}

/** Rename, move, delete: a menu per row, each choice opening its own dialog. */
function ItemMenu({
  kind,
  id,
  name,
  currentFolder,
  inUse,
  inUseByPosts = 0,
}: {
  kind: "file" | "folder";
  id: string;
  name: string;
  currentFolder: string | null;
  /** A file: the wiki pages that show or link to it; a folder: its files that pages or articles use. */
  inUse: number;
  /** A file: the articles that show it, link to it or have it as cover. */
  inUseByPosts?: number;
}) {
  const t = useT();
  const { allFolders } = useLoaderData<ListingData>();
  const [dialog, setDialog] = useState<"rename" | "move" | null>(null);
  const trashTrigger = useRef<HTMLButtonElement>(null);
  // A folder may not go into itself or below itself.
  const below = new Set<string>();
  if (kind === "folder") {
    below.add(id);
    let grew = true;
    while (grew) {
      grew = false;
      for (const f of allFolders) if (f.parent_id && below.has(f.parent_id) && !below.has(f.id)) (below.add(f.id), (grew = true));
    }
  }
  const destinations = allFolders.filter((f) => !below.has(f.id));
  return (
    <>
      {/* Not modal: a modal menu hides all but itself from screen readers (aria-hidden
          on its siblings), the landmarks with it; see landmark.ts. */}
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger className="btn btn-ghost btn-small" aria-label={t("files.actionsFor", { name })}>
          ⋯
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal container={landmark("main")}>
          <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
            <DropdownMenu.Item className="menu-item" onSelect={() => setDialog("rename")}>
              {t("files.rename")}
            </DropdownMenu.Item>
            <DropdownMenu.Item className="menu-item" onSelect={() => setDialog("move")}>
              {t("files.move")}
            </DropdownMenu.Item>
            <DropdownMenu.Separator className="menu-separator" />
            <DropdownMenu.Item className="menu-item menu-danger" onSelect={() => trashTrigger.current?.click()}>
              {t("files.delete")}
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <FormDialog
        open={dialog === "rename"}
        onOpenChange={(o) => setDialog(o ? "rename" : null)}
        title={t("files.renameTitle", { name })}
        intent={`rename-${kind}`}
        id={id}
        submitLabel={t("files.rename")}
      >
        {(errors) => (
          <div className={`field${errors?.name ? " field-invalid" : ""}`}>
            <label htmlFor={`rename-${id}`}>{t("files.newName")}</label>
            <input id={`rename-${id}`} name="name" defaultValue={name} required maxLength={255} autoFocus aria-invalid={errors?.name ? true : undefined} aria-describedby={errors?.name ? "name-error" : undefined} />
            <FieldError errors={errors} name="name" />
          </div>
        )}
      </FormDialog>
      <FormDialog
        open={dialog === "move"}
        onOpenChange={(o) => setDialog(o ? "move" : null)}
        title={t("files.moveTitle", { name })}
        intent={`move-${kind}`}
        id={id}
        submitLabel={t("files.move")}
      >
        {(errors) => (
          <div className={`field${errors?.target ? " field-invalid" : ""}`}>
            <label htmlFor={`move-${id}`}>{t("files.destination")}</label>
            <select id={`move-${id}`} name="target" defaultValue={currentFolder ?? ""} aria-describedby={errors?.target ? "target-error" : undefined}>
              <option value="">{t("files.topLevel")}</option>
              {destinations.map((f) => (
                <option key={f.id} value={f.id}>
                  {folderPath(f.id, allFolders)}
                </option>
              ))}
            </select>
            <FieldError errors={errors} name="target" />
          </div>
        )}
      </FormDialog>
      <ConfirmDialog
        trigger={<button ref={trashTrigger} type="button" hidden />}
        title={t(kind === "folder" ? "files.trashFolderTitle" : "files.trashFileTitle", { name })}
        description={t(kind === "folder" ? "files.trashFolderText" : "files.trashFileText")}
        confirmLabel={t("files.delete")}
        fields={{ intent: `trash-${kind}`, id }}
      >
        {inUse > 0 || inUseByPosts > 0 ? (
          <p className="notice notice-warning" role="note">
            {inUse > 0 ? t(kind === "folder" ? "files.folderInUse" : "files.fileInUse", { count: inUse }) : null}
            {inUse > 0 && inUseByPosts > 0 ? " " : null}
            {inUseByPosts > 0 ? t("files.fileInUseByPosts", { count: inUseByPosts }) : null}
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}

/** "Ateliers / 2026 / Mars" for the move picker. */
function folderPath(id: string, all: ListingData["allFolders"]): string {
  const byId = new Map(all.map((f) => [f.id, f]));
  const names: string[] = [];
  let current = byId.get(id);
  for (let depth = 0; current && depth < 50; depth++) {
    names.unshift(current.name);
    current = current.parent_id ? byId.get(current.parent_id) : undefined;
  }
  return names.join(" / ");
}
