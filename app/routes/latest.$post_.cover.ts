import type { LoaderFunctionArgs } from "@remix-run/node";
import { findLiveFile } from "#db/queries/files.ts";
import { loadNetworkPost } from "#app/blog/network.server.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { serveThumbnail, serveVersion } from "#app/files/download.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * The cover image of a network article, for every reader of the article
 * (/files/:id/inline would ask for membership of its space): the current
 * version, inline, with the headers of every stored byte (nosniff, sandbox
 * CSP); `?thumbnail` for the small WebP the feed lists. Only an image of the
 * article's own space, live, and still an image: a cover whose file became a
 * PDF in a new version is not served.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { post } = await loadNetworkPost(request, params.post, context);
  if (!post.cover_file_id) notFound();
  const file = await findLiveFile(getDb(), post.space_id, post.cover_file_id);
  if (!file || !(INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) notFound();
  if (new URL(request.url).searchParams.has("thumbnail") && file.has_thumbnail === 1) return serveThumbnail(request, file);
  return serveVersion(request, file, { inline: true });
}
