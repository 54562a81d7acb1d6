import type { LoaderFunctionArgs } from "@remix-run/node";
import { describeAudience } from "#app/audience/load.server.ts";
import type { Executor } from "#db/client.ts";
import * as files from "#db/queries/files.ts";
import { networkPostsUsingFile } from "#db/queries/network-posts.ts";
import type { Folder, Space, StoredFile } from "#db/schema.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canEditFile, canManageFileTrash, canManageFolders, canManageUploads, canReadFiles, canUploadFiles } from "#app/policies/file.ts";
import { canReadNetworkPost } from "#app/policies/post.ts";
import type { Actor } from "#app/policies/space.ts";
import type { Reader } from "#app/owners/resolve.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { INLINE_IMAGE_TYPES } from "./content-type.server.ts";
import { aliveSince } from "./reservations.server.ts";
import { countByKind, fileUsage } from "./usage.server.ts";

/** What the files pages load: a folder's listing, a file named by id alone. */

const SORTS = ["name", "size", "type", "uploader", "date"] as const;

/** Live files in the folder or below it that something the reader sees uses. */
async function usedFilesBelow(db: Executor, reader: Reader, folderId: string): Promise<number> {
  return (await fileUsage(db, reader, await files.liveFilesBelow(db, folderId))).size;
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
  const [listing, ancestors, usage, audience] = await Promise.all([
    files.listFolder(db, space.id, folderId, sort, direction),
    folder ? files.folderAncestors(db, folder) : [],
    files.spaceUsage(db, space.id, aliveSince(Date.now())),
    // Who reads this folder and what it holds: the rule this loader asked (canReadFiles).
    describeAudience(db, { space, actor, membership }, (a, m) => canReadFiles(a, m, space)),
  ]);
  const manageFolders = canManageFolders(actor, membership, space);
  // What trashing each item would break in the wiki and the blog, for the confirmation to say so first.
  const reader = { space, actor, membership };
  const [fileUsers, folderUsage] = await Promise.all([
    fileUsage(db, reader, listing.files.map((f) => f.id)),
    manageFolders ? Promise.all(listing.folders.map((f) => usedFilesBelow(db, reader, f.id))) : [],
  ]);
  const fileRows = listing.files.map((f) => {
    const used = countByKind(fileUsers.get(f.id));
    return { ...f, canEdit: canEditFile(actor, membership, space, f), usedByPages: used.pages, usedByPosts: used.posts };
  });
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
    audience,
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

/**
 * A live file named by id alone, as wiki content names it (/files/:id),
 * with the same checks as its address in its space: a secret space's file is
 * a 404 to outsiders, a file in the trash is a 404 to every reader.
 *
 * `inlineImage` is for /files/:id/inline, the address images in content use.
 * There, one more reader is let in: a network member outside the space, for
 * an image (and nothing else) that an article of that space opened to the
 * whole network shows — otherwise its images would be broken for exactly
 * the readers the network feed is for. Nothing else of the space opens:
 * not its other images, not this file's page, not its other versions.
 */
export async function loadFileById(request: Request, fileId: string | undefined, context?: object, options: { inlineImage?: boolean } = {}) {
  const row = fileId ? await files.findFileWithSpaceSlug(getDb(), fileId) : undefined;
  if (!row) notFound();
  const { space_slug: spaceSlug, ...file } = row;
  const { actor, membership, space } = await loadSpace(request, spaceSlug, context);
  if (!canReadFiles(actor, membership, space)) {
    authorize(options.inlineImage === true && (await shownByNetworkPost(actor, space, file)));
  }
  if (file.deleted_at !== null) notFound();
  return { file, space };
}

/** A live inline image that a network-readable article of its own space lists among its files (post_file). */
async function shownByNetworkPost(actor: Actor, space: Space, file: StoredFile): Promise<boolean> {
  if (file.deleted_at !== null || !(INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) return false;
  const posts = await networkPostsUsingFile(getDb(), space.id, file.id);
  return posts.some((post) => canReadNetworkPost(actor, space, post));
}
