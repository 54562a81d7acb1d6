import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getNetwork } from "#db/queries/network.ts";
import { ObjectNotFoundError } from "#storage/types.ts";
import { logoIdOf } from "#app/admin/logo.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";

/**
 * The network's logo, to anyone: the sign-in page shows it before anyone is
 * signed in, as it shows the network's name. Only the current logo's id
 * answers (an old one is 404); the id changes with each new logo, so the
 * address is cached for good. Made by the server (app/admin/logo.server.ts):
 * always WebP, served as an image that can never be run as a page.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const network = await getNetwork(getDb());
  const id = logoIdOf(network?.logo_key ?? null);
  if (!id || id !== params.logo) notFound();
  const stored = await getStorage()
    .get(network!.logo_key!)
    .catch((error: unknown) => (error instanceof ObjectNotFoundError ? notFound() : Promise.reject(error)));
  return new Response(Readable.toWeb(stored.body) as ReadableStream, {
    headers: {
      "Content-Type": "image/webp",
      "Content-Length": String(stored.size),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}
