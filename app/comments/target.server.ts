import type { Executor } from "#db/client.ts";
import type { CommentTarget } from "#db/queries/comments.ts";
import * as pages from "#db/queries/pages.ts";
import { findPostInSpace } from "#db/queries/posts.ts";
import type { Page, Post, Space } from "#db/schema.ts";
import { canReadPost } from "#app/policies/post.ts";
import { canReadSpace, type Actor, type MembershipFacts } from "#app/policies/space.ts";

/**
 * What a comment is about (an article or a wiki page), looked up within the
 * space of the URL, live and readable by the actor — or nothing: a draft the
 * actor may not read is not there for them. Shared by the commands and the
 * loader, which each say what "nothing" becomes (a refusal, a 404).
 */

export type ResolvedTarget =
  | { type: "page"; id: string; title: string; path: string; page: Page }
  | { type: "post"; id: string; title: string; path: string; post: Post };

export interface Reader {
  space: Space;
  actor: Actor | null;
  membership: MembershipFacts;
}

/** The target as the actor may see it, or null. */
export async function resolveTarget(db: Executor, ctx: Reader, target: CommentTarget): Promise<ResolvedTarget | null> {
  const { space, actor, membership } = ctx;
  if (!canReadSpace(actor, membership, space)) return null;
  if (target.type === "page") {
    const page = await pages.findInSpace(db, space.id, target.id);
    if (!page || page.deleted_at !== null) return null;
    return { type: "page", id: page.id, title: page.title, path: `/spaces/${space.slug}/wiki/${page.slug}`, page };
  }
  const post = await findPostInSpace(db, space.id, target.id);
  if (!post || post.deleted_at !== null || !canReadPost(actor, membership, space, post)) return null;
  return { type: "post", id: post.id, title: post.title, path: `/spaces/${space.slug}/blog/${post.slug}`, post };
}
