import type { Executor } from "../client.ts";
import type { Space } from "../schema.ts";

/**
 * What "Latest from the clubs" reads beyond the feed itself
 * (posts.listNetworkPosts): one post by id with the facts of its space that
 * the policy needs, and which network posts use a given file. These return
 * candidates; app/policies/post.ts (canReadNetworkPost) decides.
 */

/** A post by id (trashed or not), with its author's name and the facts of its space. */
export function findPostWithSpace(db: Executor, postId: string) {
  return db
    .selectFrom("post as p")
    .innerJoin("space as s", "s.id", "p.space_id")
    .leftJoin("user as u", "u.id", "p.author_id")
    .selectAll("p")
    .select([
      "s.slug as space_slug",
      "s.name as space_name",
      "s.visibility as space_visibility",
      "s.join_policy as space_join_policy",
      "s.archived_at as space_archived_at",
      "u.display_name as author_name",
    ])
    .where("p.id", "=", postId)
    .executeTakeFirst();
}

/** Visibility and archiving of these spaces, by id. */
export async function spaceFacts(db: Executor, spaceIds: string[]): Promise<Map<string, Pick<Space, "id" | "visibility" | "join_policy" | "archived_at">>> {
  if (spaceIds.length === 0) return new Map();
  const rows = await db.selectFrom("space").select(["id", "visibility", "join_policy", "archived_at"]).where("id", "in", [...new Set(spaceIds)]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Published, network-visible, live posts of `spaceId` that show or link to
 * `fileId` (post_file: content and cover). A post of another space never
 * counts, even if its row named the file.
 */
export function networkPostsUsingFile(db: Executor, spaceId: string, fileId: string) {
  return db
    .selectFrom("post_file as pf")
    .innerJoin("post as p", "p.id", "pf.post_id")
    .select(["p.id", "p.state", "p.visibility", "p.deleted_at"])
    .where("pf.file_id", "=", fileId)
    .where("p.space_id", "=", spaceId)
    .where("p.visibility", "=", "network")
    .where("p.state", "=", "published")
    .where("p.deleted_at", "is", null)
    .execute();
}
