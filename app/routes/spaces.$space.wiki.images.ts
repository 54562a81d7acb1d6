import type { ActionFunctionArgs } from "@remix-run/node";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { newId } from "#db/ids.ts";
import { wikiImageKey } from "#storage/keys.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpaceAbility } from "#app/utils/space.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { MAX_IMAGE_BYTES, sniffImageType } from "#app/wiki/images.server.ts";

/**
 * An image pasted into a page: PNG, JPEG, GIF or WebP recognised from its
 * bytes (the name and the browser's type are ignored), 10 MB at most. The
 * file is stored before its row is written, so a listed image always exists.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { space, user } = await requireSpaceAbility(request, params.space, "contribute");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_IMAGE_BYTES + 64 * 1024) {
    return Response.json({ error: "too_large" }, { status: 413 });
  }
  const form = await request.formData();
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return Response.json({ error: "missing" }, { status: 400 });
  if (file.size > MAX_IMAGE_BYTES) return Response.json({ error: "too_large" }, { status: 413 });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffImageType(bytes);
  if (!type) return Response.json({ error: "not_an_image" }, { status: 415 });
  const id = newId();
  await getStorage().put(wikiImageKey(space.id, id), bytes);
  await getDb()
    .insertInto("wiki_image")
    .values({ id, space_id: space.id, content_type: type, size: bytes.length, sha256: encodeHexLowerCase(sha256(bytes)), uploaded_by: user.id, created_at: Date.now() })
    .execute();
  return Response.json({ src: `/spaces/${space.slug}/wiki/images/${id}` }, { status: 201 });
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
