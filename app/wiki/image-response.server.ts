import { Readable } from "node:stream";
import { wikiImageKey } from "#storage/keys.ts";
import { ObjectNotFoundError } from "#storage/types.ts";
import type { Executor } from "#db/client.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * One image of a space's wiki, as bytes: for its readers
 * (spaces.$space.wiki.images.$image) and for a share link of a page that
 * shows it (s.$token_.wiki.$image). Whoever calls has checked the reader.
 */
export async function wikiImageResponse(db: Executor, spaceId: string, imageId: string, options: { revalidate?: boolean } = {}): Promise<Response> {
  const image = await db.selectFrom("wiki_image").selectAll().where("id", "=", imageId).where("space_id", "=", spaceId).executeTakeFirst();
  if (!image) notFound();
  const stored = await getStorage()
    .get(wikiImageKey(spaceId, image.id))
    .catch((error: unknown) => (error instanceof ObjectNotFoundError ? notFound() : Promise.reject(error)));
  return new Response(Readable.toWeb(stored.body) as ReadableStream, {
    headers: {
      // The type recorded from the bytes at upload; images are the one kind shown inline.
      "Content-Type": image.content_type,
      "Content-Length": String(stored.size),
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      // Through a share link, asked again each time: a revoked link must stop showing it at once.
      "Cache-Control": options.revalidate ? "private, no-cache" : "private, max-age=3600",
      ETag: `"${image.sha256}"`,
    },
  });
}
