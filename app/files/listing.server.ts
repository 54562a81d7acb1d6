import { data, type ActionFunctionArgs } from "@remix-run/node";
import * as files from "#db/queries/files.ts";
import { transact } from "#db/transact.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canManageFolders, canReadFiles } from "#app/policies/file.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { badRequest, notFound, redirectWithFlash, refusedAs } from "#app/utils/http.server.ts";
import { safeRedirect } from "#app/utils/request.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import {
  createFolder,
  moveFile,
  moveFolder,
  renameFile,
  renameFolder,
  trashFile,
  trashFolder,
  type Destination,
  type Forbidden,
  type Invalid,
  type NotFound,
} from "./commands.server.ts";
import { filesUrl, folderUrl } from "#app/urls.ts";

/**
 * The action of the two listing routes (the top of a space's files, and one
 * folder): folder and file changes. It checks who may, opens the
 * transaction, calls the command (commands.server.ts) and answers: a
 * redirect with a flash, the field's error with 400, or 404 / 403 for an id
 * that is not the space's or a file that is not the actor's to change.
 */

/** The command's refusal as the listing answers it: the field's message beside it, or 404 / 403. */
function answer(intent: string, refusal: NotFound | Forbidden | Invalid, id?: string) {
  if (refusal.error !== "invalid") refusedAs(refusal.error);
  return data({ intent, id, errors: { [refusal.field]: [refusal.message] } as Record<string, string[]> }, { status: 400 });
}

function nameOf(form: FormData): string {
  const raw = form.get("name");
  return typeof raw === "string" ? raw : "";
}

/** A destination from a form: "" is the top; anything but a string is no destination at all. */
function destinationOf(form: FormData): Destination {
  const raw = form.get("target");
  if (raw === "") return null;
  return typeof raw === "string" ? raw : undefined;
}

/** Folder and file changes from a listing: every one asks the policies again and checks ids against the space. */
export async function listingAction({ request, params, context }: ActionFunctionArgs, folderId: string | null) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  const db = getDb();
  if (folderId !== null && !(await files.findLiveFolder(db, space.id, folderId))) notFound();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  // The address asked for comes from the visitor too ("//spaces/…" would name another host).
  const here = new URL(request.url);
  const back = safeRedirect(here.pathname + here.search, filesUrl(space.slug), getEnv().baseUrl.origin);
  const ctx = acting({ space, actor, membership }, context);
  const id = String(form.get("id") ?? "");

  switch (intent) {
    case "create-folder": {
      authorize(canManageFolders(actor, membership, space));
      const done = await transact(db, (trx) => createFolder(trx, ctx, { parentId: folderId, name: nameOf(form) }));
      if (!done.ok) return answer(intent, done);
      return redirectWithFlash(folderUrl(space.slug, done.folder.id), { key: "files.folderCreated", params: { name: done.folder.name } });
    }
    case "rename-folder": {
      authorize(canManageFolders(actor, membership, space));
      const done = await transact(db, (trx) => renameFolder(trx, ctx, { folderId: id, name: nameOf(form) }));
      if (!done.ok) return answer(intent, done, id);
      return redirectWithFlash(back, { key: "files.folderRenamed", params: { name: done.name } });
    }
    case "move-folder": {
      authorize(canManageFolders(actor, membership, space));
      const done = await transact(db, (trx) => moveFolder(trx, ctx, { folderId: id, destination: destinationOf(form) }));
      if (!done.ok) return answer(intent, done, id);
      return redirectWithFlash(back, { key: "files.folderMoved", params: { name: done.folder.name } });
    }
    case "trash-folder": {
      authorize(canManageFolders(actor, membership, space));
      const done = await transact(db, (trx) => trashFolder(trx, ctx, { folderId: id }));
      if (!done.ok) return answer(intent, done, id);
      return redirectWithFlash(back, { key: "files.folderTrashed", params: { name: done.folder.name } });
    }
    case "rename-file": {
      const done = await transact(db, (trx) => renameFile(trx, ctx, { fileId: id, name: nameOf(form) }));
      if (!done.ok) return answer(intent, done, id);
      return redirectWithFlash(back, { key: "files.fileRenamed", params: { name: done.name } });
    }
    case "move-file": {
      const done = await transact(db, (trx) => moveFile(trx, ctx, { fileId: id, destination: destinationOf(form) }));
      if (!done.ok) return answer(intent, done, id);
      return redirectWithFlash(back, { key: "files.fileMoved", params: { name: done.file.name } });
    }
    case "trash-file": {
      const done = await transact(db, (trx) => trashFile(trx, ctx, { fileId: id }));
      if (!done.ok) return answer(intent, done, id);
      return redirectWithFlash(back, { key: "files.fileTrashed", params: { name: done.file.name } });
    }
    default:
      badRequest();
  }
}
