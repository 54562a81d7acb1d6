import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { recordActivity } from "#db/queries/activity.ts";
import * as files from "#db/queries/files.ts";
import type { Folder } from "#db/schema.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canEditFile, canManageFileTrash, canManageFolders, canManageUploads, canReadFiles, canUploadFiles } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { badRequest, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { safeRedirect } from "#app/utils/request.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { cleanName, MAX_NAME_LENGTH } from "./names.ts";
import { aliveSince } from "./reservations.server.ts";

const SORTS = ["name", "size", "type", "uploader", "date"] as const;

export function folderUrl(spaceSlug: string, folderId: string | null) {
  return folderId ? `/spaces/${spaceSlug}/files/folders/${folderId}` : `/spaces/${spaceSlug}/files`;
}

/** One folder of a space's files (the top when `folderId` is null): what it holds, and what the viewer may do. */
export async function loadListing({ request, params, context }: LoaderFunctionArgs, folderId: string | null) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  const db = getDb();
  let folder: Folder | undefined;
  if (folderId !== null) {
    folder = await files.findLiveFolder(db, space.id, folderId);
    if (!folder) notFound();
  }
  const url = new URL(request.url);
  const sortParam = url.searchParams.get("sort");
  const sort = (SORTS as readonly string[]).includes(sortParam ?? "") ? (sortParam as files.SortKey) : "name";
  const direction: files.SortDirection = url.searchParams.get("dir") === "desc" ? "desc" : "asc";
  const [listing, ancestors, usage] = await Promise.all([
    files.listFolder(db, space.id, folderId, sort, direction),
    folder ? files.folderAncestors(db, folder) : [],
    files.spaceUsage(db, space.id, aliveSince(Date.now())),
  ]);
  const manageFolders = canManageFolders(actor, membership, space);
  // What trashing each item would break in the wiki, for the confirmation to say so first.
  const [pageCounts, folderUsage] = await Promise.all([
    files.pageCountsForFiles(db, listing.files.map((f) => f.id)),
    manageFolders ? Promise.all(listing.folders.map((f) => files.usedFilesBelow(db, f.id))) : [],
  ]);
  const fileRows = listing.files.map((f) => ({ ...f, canEdit: canEditFile(actor, membership, space, f), usedByPages: pageCounts.get(f.id) ?? 0 }));
  const folderRows = listing.folders.map((f, i) => ({ ...f, usedFiles: folderUsage[i] ?? 0 }));
  const anyEditable = manageFolders || fileRows.some((f) => f.canEdit);
  return {
    space: { slug: space.slug, name: space.name },
    folder: folder ? { id: folder.id, name: folder.name, parentId: folder.parent_id } : null,
    ancestors,
    folders: folderRows,
    files: fileRows,
    sort,
    direction,
    usage: { used: usage.stored + usage.reserved, quota: space.storage_quota_bytes },
    maxFileBytes: getEnv().maxFileBytes,
    // Destinations for "move", only when the viewer can move something.
    allFolders: anyEditable ? await files.listLiveFolders(db, space.id) : [],
    can: {
      upload: canUploadFiles(actor, membership, space),
      manageFolders,
      trash: canManageFileTrash(actor, membership, space),
      manageUploads: canManageUploads(actor, membership, space),
    },
  };
}

export type ListingData = Awaited<ReturnType<typeof loadListing>>;

type FieldErrors = Record<string, string[]>;

function invalid(intent: string, errors: FieldErrors, id?: string) {
  return data({ intent, id, errors }, { status: 400 });
}

function readName(form: FormData): { name: string } | { error: string } {
  const raw = form.get("name");
  const name = typeof raw === "string" ? cleanName(raw) : null;
  if (!name) return { error: "v.required" };
  if ([...name].length > MAX_NAME_LENGTH) return { error: "files.nameTooLong" };
  return { name };
}

/** A destination folder from a form: "" is the top; anything else must be a live folder of this space. */
async function readTarget(form: FormData, spaceId: string): Promise<{ id: string | null } | null> {
  const raw = form.get("target");
  if (raw === "" ) return { id: null };
  if (typeof raw !== "string") return null;
  const folder = await files.findLiveFolder(getDb(), spaceId, raw);
  return folder ? { id: folder.id } : null;
}

/** Folder and file changes from a listing: every one asks the policies again and checks ids against the space. */
export async function listingAction({ request, params, context }: ActionFunctionArgs, folderId: string | null) {
  const { space, actor, membership, user } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  const db = getDb();
  if (folderId !== null && !(await files.findLiveFolder(db, space.id, folderId))) notFound();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  // The address asked for comes from the visitor too ("//spaces/…" would name another host).
  const here = new URL(request.url);
  const back = safeRedirect(here.pathname + here.search, `/spaces/${space.slug}/files`, getEnv().baseUrl.origin);
  const now = Date.now();

  switch (intent) {
    case "create-folder": {
      authorize(canManageFolders(actor, membership, space));
      const read = readName(form);
      if ("error" in read) return invalid(intent, { name: [read.error] });
      if (await files.folderNameTaken(db, space.id, folderId, read.name)) return invalid(intent, { name: ["files.nameTaken"] });
      const folder = await files.createFolder(db, { spaceId: space.id, parentId: folderId, name: read.name, userId: user.id, now });
      return redirectWithFlash(folderUrl(space.slug, folder.id), { key: "files.folderCreated", params: { name: folder.name } });
    }
    case "rename-folder":
    case "move-folder":
    case "trash-folder": {
      authorize(canManageFolders(actor, membership, space));
      const folder = await files.findLiveFolder(db, space.id, String(form.get("id") ?? ""));
      if (!folder) notFound();
      if (intent === "rename-folder") {
        const read = readName(form);
        if ("error" in read) return invalid(intent, { name: [read.error] }, folder.id);
        if (await files.folderNameTaken(db, space.id, folder.parent_id, read.name, folder.id)) return invalid(intent, { name: ["files.nameTaken"] }, folder.id);
        await files.renameFolder(db, folder.id, read.name, now);
        return redirectWithFlash(back, { key: "files.folderRenamed", params: { name: read.name } });
      }
      if (intent === "move-folder") {
        const target = await readTarget(form, space.id);
        if (!target) return invalid(intent, { target: ["files.badTarget"] }, folder.id);
        if (target.id && (await files.isFolderSelfOrDescendant(db, folder.id, target.id))) return invalid(intent, { target: ["files.moveIntoItself"] }, folder.id);
        if (await files.folderNameTaken(db, space.id, target.id, folder.name, folder.id)) return invalid(intent, { target: ["files.nameTakenThere"] }, folder.id);
        await files.moveFolder(db, folder.id, target.id, now);
        return redirectWithFlash(back, { key: "files.folderMoved", params: { name: folder.name } });
      }
      await db.transaction().execute(async (trx) => {
        const count = await files.trashFolder(trx, folder.id, user.id, now);
        await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "file_deleted", data: { folder: folder.name, files: count }, now });
      });
      return redirectWithFlash(back, { key: "files.folderTrashed", params: { name: folder.name } });
    }
    case "rename-file":
    case "move-file":
    case "trash-file": {
      const file = await files.findLiveFile(db, space.id, String(form.get("id") ?? ""));
      if (!file) notFound();
      authorize(canEditFile(actor, membership, space, file));
      if (intent === "rename-file") {
        const read = readName(form);
        if ("error" in read) return invalid(intent, { name: [read.error] }, file.id);
        const clash = await files.findFileByName(db, space.id, file.folder_id, read.name);
        if (clash && clash.id !== file.id) return invalid(intent, { name: ["files.nameTaken"] }, file.id);
        await files.renameFile(db, file.id, read.name, user.id, now);
        return redirectWithFlash(back, { key: "files.fileRenamed", params: { name: read.name } });
      }
      if (intent === "move-file") {
        const target = await readTarget(form, space.id);
        if (!target) return invalid(intent, { target: ["files.badTarget"] }, file.id);
        const clash = await files.findFileByName(db, space.id, target.id, file.name);
        if (clash && clash.id !== file.id) return invalid(intent, { target: ["files.nameTakenThere"] }, file.id);
        await files.moveFile(db, file.id, target.id, user.id, now);
        return redirectWithFlash(back, { key: "files.fileMoved", params: { name: file.name } });
      }
      await db.transaction().execute(async (trx) => {
        await files.trashFile(trx, file.id, user.id, now);
        await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "file_deleted", data: { fileId: file.id, name: file.name }, now });
      });
      return redirectWithFlash(back, { key: "files.fileTrashed", params: { name: file.name } });
    }
    default:
      badRequest();
  }
}
