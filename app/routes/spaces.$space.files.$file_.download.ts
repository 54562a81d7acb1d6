import type { LoaderFunctionArgs } from "@remix-run/node";
import { findFileInSpace } from "#db/queries/files.ts";
import { serveVersion } from "#app/files/download.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canManageFileTrash, canReadFiles } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * A file's bytes, checked at every request: ?version=N for an earlier one,
 * ?inline=1 to preview an image or a PDF (anything else still downloads),
 * ?inline=frame for the same preview inside a frame of our own pages.
 * Files in the trash stay downloadable by those who run the trash.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  const file = await findFileInSpace(getDb(), space.id, params.file ?? "");
  if (!file) notFound();
  if (file.deleted_at !== null && !canManageFileTrash(actor, membership, space)) notFound();
  const url = new URL(request.url);
  const inline = url.searchParams.get("inline");
  return serveVersion(request, file, {
    version: url.searchParams.has("version") ? Number(url.searchParams.get("version")) : undefined,
    inline: inline === "1" || inline === "frame",
    // Only ?inline=frame, what the file page puts in its <iframe>, may be framed (by our pages only);
    // the same preview opened in a tab (?inline=1) stays unframeable.
    frameable: inline === "frame",
  });
}
