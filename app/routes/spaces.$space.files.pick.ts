import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchFiles } from "#db/queries/files.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { fileImageSrc, fileLinkHref } from "#app/editor/url.ts";
import { fileThumbnailUrl } from "#app/urls.ts";

const LIMIT = 40;

/**
 * The editor's file picker: this space's live files, newest first,
 * ?q= part of the name, ?kind=image for images a page can show.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canReadFiles(actor, membership, space));
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 200);
  const images = url.searchParams.get("kind") === "image";
  const rows = await searchFiles(getDb(), space.id, { query, contentTypes: images ? INLINE_IMAGE_TYPES : undefined, limit: LIMIT });
  return Response.json(
    {
      files: rows.map((f) => ({
        id: f.id,
        name: f.name,
        size: f.size,
        contentType: f.content_type,
        folder: f.folder_name,
        thumbnail: f.has_thumbnail ? fileThumbnailUrl(space.slug, f.id, f.version) : null,
        src: fileImageSrc(f.id),
        href: fileLinkHref(f.id),
      })),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
