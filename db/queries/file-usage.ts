import type { Executor } from "../client.ts";
import type { OwnerKind } from "../owners.ts";

/**
 * Which owners use a file: the wiki pages and articles whose content shows
 * or links to it, or (an article) whose cover it is. Each kind keeps its own
 * link table (page_file, post_file, written on every save); this is the one
 * question asked of them all, so "used by" warnings and lists cover every
 * kind, and a new kind (a workshop's materials) joins here.
 */

export interface FileUse {
  file_id: string;
  kind: OwnerKind;
  id: string;
  title: string;
  slug: string;
}

/**
 * Live owners (not in their trash) using any of these files, one row per
 * file and owner, by title. Readability is not decided here: a draft uses
 * its files too; app/owners resolves the rows for a reader.
 */
export async function ownersUsingFiles(db: Executor, fileIds: readonly string[]): Promise<FileUse[]> {
  if (fileIds.length === 0) return [];
  const ids = [...new Set(fileIds)];
  const pages = db
    .selectFrom("page_file as l")
    .innerJoin("page as o", "o.id", "l.page_id")
    .select((eb) => ["l.file_id", eb.val<OwnerKind>("page").as("kind"), "o.id", "o.title", "o.slug"])
    .where("l.file_id", "in", ids)
    .where("o.deleted_at", "is", null);
  const posts = db
    .selectFrom("post_file as l")
    .innerJoin("post as o", "o.id", "l.post_id")
    .select((eb) => ["l.file_id", eb.val<OwnerKind>("post").as("kind"), "o.id", "o.title", "o.slug"])
    .where("l.file_id", "in", ids)
    .where("o.deleted_at", "is", null);
  return pages.unionAll(posts).orderBy("title").orderBy("kind").orderBy("id").execute();
}
