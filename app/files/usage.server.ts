import type { Executor } from "#db/client.ts";
import { ownersUsingFiles } from "#db/queries/file-usage.ts";
import { ownerKey, resolveOwners, type Reader, type ResolvedOwner } from "#app/owners/resolve.server.ts";

/**
 * What uses each of these files, as this reader may see it: the wiki pages
 * and articles (drafts only for who may read them) that show, link to or
 * have as cover each file, by title. Files nothing uses are absent. Two
 * queries for the links, one per kind for the owners, however many files.
 */
export async function fileUsage(db: Executor, reader: Reader, fileIds: readonly string[]): Promise<Map<string, ResolvedOwner[]>> {
  const uses = await ownersUsingFiles(db, fileIds);
  const readable = await resolveOwners(db, reader, uses);
  const byFile = new Map<string, ResolvedOwner[]>();
  for (const use of uses) {
    const owner = readable.get(ownerKey(use));
    if (!owner) continue;
    const list = byFile.get(use.file_id);
    if (list) list.push(owner);
    else byFile.set(use.file_id, [owner]);
  }
  return byFile;
}

/** How many of a file's users are of each kind, for the warnings before it goes to the trash. */
export function countByKind(owners: readonly ResolvedOwner[] | undefined) {
  return { pages: owners?.filter((o) => o.kind === "page").length ?? 0, posts: owners?.filter((o) => o.kind === "post").length ?? 0 };
}
