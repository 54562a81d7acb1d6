import { findFileWithSpaceSlug } from "#db/queries/files.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * A live file named by id alone, as wiki content names it (/files/:id),
 * with the same checks as its address in its space: a secret space's file is
 * a 404 to outsiders, a file in the trash is a 404 to every reader.
 */
export async function loadFileById(request: Request, fileId: string | undefined, context?: object) {
  const row = fileId ? await findFileWithSpaceSlug(getDb(), fileId) : undefined;
  if (!row) notFound();
  const { space_slug: spaceSlug, ...file } = row;
  const { actor, membership, space } = await loadSpace(request, spaceSlug, context);
  authorize(canReadFiles(actor, membership, space));
  if (file.deleted_at !== null) notFound();
  return { file, space };
}
