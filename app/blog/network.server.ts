import type { Space } from "#db/schema.ts";
import { findMembership } from "#db/queries/members.ts";
import { findPostWithSpace } from "#db/queries/network-posts.ts";
import { isSameOriginPath } from "#app/editor/url.ts";
import { canReadNetworkPost } from "#app/policies/post.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * "Latest from the clubs": an article its authors opened to the whole
 * network, read by any signed-in member, member of its space or not. Only
 * the article itself leaves the space: the viewer who cannot read the space
 * gets its name, never a way into it.
 */

/** One network article by id, or 404 (signed-out visitors go to sign-in first). */
export async function loadNetworkPost(request: Request, postId: string | undefined, context?: object) {
  const signedIn = await requireSignedIn(request, context);
  const db = getDb();
  const row = postId && postId.length <= 64 ? await findPostWithSpace(db, postId) : undefined;
  if (!row) notFound();
  const { space_slug, space_name, space_visibility, space_join_policy, space_archived_at, author_name, ...post } = row;
  const space: Pick<Space, "id" | "slug" | "name" | "visibility" | "join_policy" | "archived_at"> = {
    id: post.space_id,
    slug: space_slug,
    name: space_name,
    visibility: space_visibility,
    join_policy: space_join_policy,
    archived_at: space_archived_at,
  };
  // Not readable and not there look the same: the article's existence is the space's business.
  if (!canReadNetworkPost(signedIn.actor, space, post)) notFound();
  const membership = await findMembership(db, space.id, signedIn.user.id);
  return { ...signedIn, post, authorName: author_name, space, membership, readsSpace: canReadSpace(signedIn.actor, membership, space) };
}

/** Whether a link points into this site (a path, or an absolute URL on BASE_URL's origin). */
function isOwnSite(href: string): boolean {
  if (isSameOriginPath(href)) return true;
  try {
    return new URL(href).origin === getEnv().baseUrl.origin;
  } catch {
    return false;
  }
}

/**
 * The article's HTML for a reader who cannot enter its space: links into the
 * site (wiki pages, files, the space's own addresses) become plain text, as
 * they would only answer 403 or 404. Links elsewhere and images stay (images
 * of the article's own files are served to network readers, see
 * app/files/by-id.server.ts). The HTML was sanitised by content.server.ts
 * when it was saved; this pass keeps every tag and attribute of it as is
 * (hence no allow-list here, and no warning about one) and only rewrites <a>.
 */
export async function htmlForOutsiders(html: string): Promise<string> {
  // sanitize-html brings htmlparser2 and PostCSS (~60 modules): loaded at the first such article, not at start.
  const { default: sanitizeHtml } = await import("sanitize-html");
  return sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    transformTags: {
      a: (tagName, attribs) => (isOwnSite(attribs.href ?? "") ? { tagName: "span", attribs: {} } : { tagName, attribs }),
    },
  });
}
