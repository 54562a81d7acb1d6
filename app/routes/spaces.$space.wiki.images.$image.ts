import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { wikiImageKey } from "#storage/keys.ts";
import { ObjectNotFoundError } from "#storage/types.ts";
import { canReadPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/** An image of this space's wiki, to readers of the space only; checked at every request. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canReadPages);
  const image = await getDb()
    .selectFrom("wiki_image")
    .selectAll()
    .where("id", "=", params.image ?? "")
    .where("space_id", "=", space.id)
    .executeTakeFirst();
  if (!image) notFound();
  const stored = await getStorage()
    .get(wikiImageKey(space.id, image.id))
    .catch((error: unknown) => (error instanceof ObjectNotFoundError ? notFound() : Promise.reject(error)));
  return new Response(Readable.toWeb(stored.body) as ReadableStream, {
    headers: {
      // The type recorded from the bytes at upload; images are the one kind shown inline.
      "Content-Type": image.content_type,
      "Content-Length": String(stored.size),
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "private, max-age=3600",
      ETag: `"${image.sha256}"`,
    },
  });
}
