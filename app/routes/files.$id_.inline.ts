import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadFileById } from "#app/files/load.server.ts";
import { serveVersion } from "#app/files/download.server.ts";

/**
 * Images in wiki content: the file's current version, served at once (no
 * redirect per image) and checked at every request. Only images and PDF are
 * inline; anything else still comes as an attachment, so an <img> naming an
 * HTML file shows nothing and runs nothing. An image that an article opened
 * to the whole network shows is also served to network members outside its
 * space (loadFileById, `inlineImage`).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { file } = await loadFileById(request, params.id, context, { inlineImage: true });
  return serveVersion(request, file, { inline: true });
}
