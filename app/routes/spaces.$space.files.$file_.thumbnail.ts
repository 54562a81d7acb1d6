import type { LoaderFunctionArgs } from "@remix-run/node";
import { findFileInSpace } from "#db/queries/files.ts";
import { serveThumbnail } from "#app/files/download.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/** The small WebP the server made of an image, for listings; ?version=N for an earlier one. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  const file = await findFileInSpace(getDb(), space.id, params.file ?? "");
  if (!file || file.deleted_at !== null) notFound();
  const url = new URL(request.url);
  return serveThumbnail(request, file, url.searchParams.has("version") ? Number(url.searchParams.get("version")) : undefined);
}
