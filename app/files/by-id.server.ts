import type { Space, StoredFile } from "#db/schema.ts";
import { findFileWithSpaceSlug } from "#db/queries/files.ts";
import { networkPostsUsingFile } from "#db/queries/network-posts.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canReadFiles } from "#app/policies/file.ts";
import { canReadNetworkPost } from "#app/policies/post.ts";
import type { Actor } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { INLINE_IMAGE_TYPES } from "./content-type.server.ts";

/**
 * A live file named by id alone, as wiki content names it (/files/:id),
 * with the same checks as its address in its space: a secret space's file is
 * a 404 to outsiders, a file in the trash is a 404 to every reader.
 *
 * `inlineImage` is for /files/:id/inline, the address images in content use.
 * There, one more reader is let in: a network member outside the space, for
 * an image (and nothing else) that an article of that space opened to the
 * whole network shows — otherwise its images would be broken for exactly
 * the readers the network feed is for. Nothing else of the space opens:
 * not its other images, not this file's page, not its other versions.
 */
export async function loadFileById(request: Request, fileId: string | undefined, context?: object, options: { inlineImage?: boolean } = {}) {
  const row = fileId ? await findFileWithSpaceSlug(getDb(), fileId) : undefined;
  if (!row) notFound();
  const { space_slug: spaceSlug, ...file } = row;
  const { actor, membership, space } = await loadSpace(request, spaceSlug, context);
  if (!canReadFiles(actor, membership, space)) {
    authorize(options.inlineImage === true && (await shownByNetworkPost(actor, space, file)));
  }
  if (file.deleted_at !== null) notFound();
  return { file, space };
}

/** A live inline image that a network-readable article of its own space lists among its files (post_file). */
async function shownByNetworkPost(actor: Actor, space: Space, file: StoredFile): Promise<boolean> {
  if (file.deleted_at !== null || !(INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) return false;
  const posts = await networkPostsUsingFile(getDb(), space.id, file.id);
  return posts.some((post) => canReadNetworkPost(actor, space, post));
}
