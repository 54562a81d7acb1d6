import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findMember, shareASpace } from "#db/queries/people.ts";
import { photoKey } from "#storage/keys.ts";
import { ObjectNotFoundError } from "#storage/types.ts";
import { PHOTO_SIZES, type PhotoSize } from "#app/people/photo.server.ts";
import { canSeeField, relationOf } from "#app/policies/profile.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";

/**
 * A member's photo, to whoever may see that field of their profile, checked
 * at every request; 404 for anyone else, for a photo id that is not the
 * member's current one, and for no photo at all. The id changes with each
 * new photo, so an address is cached for good — privately.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  const size = params.size as PhotoSize;
  if (!Object.hasOwn(PHOTO_SIZES, size)) notFound();
  const db = getDb();
  const member = await findMember(db, params.member ?? "");
  if (!member || member.photo_id === null || member.photo_id !== params.photo) notFound();
  const relation = relationOf(actor, member.id, member.id !== actor.id && (await shareASpace(db, actor.id, member.id)));
  if (!canSeeField(relation, member.listing, member.vis_photo)) notFound();
  const etag = `"${member.photo_id}-${size}"`;
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers: { ETag: etag, "Cache-Control": "private, max-age=31536000, immutable" } });
  const stored = await getStorage()
    .get(photoKey(member.id, member.photo_id, size))
    .catch((error: unknown) => (error instanceof ObjectNotFoundError ? notFound() : Promise.reject(error)));
  return new Response(Readable.toWeb(stored.body) as ReadableStream, {
    headers: {
      // Made by the server (photo.server.ts): always WebP.
      "Content-Type": "image/webp",
      "Content-Length": String(stored.size),
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "private, max-age=31536000, immutable",
      ETag: etag,
    },
  });
}
