import type { Post, Space, Visibility } from "#db/schema.ts";
import { can, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * The blog follows the SPEC's table: everyone who reads the space reads its
 * published articles; members write; an author edits, schedules, publishes
 * and unpublishes their own articles, editors and admins anyone's. What is
 * not out yet (drafts, scheduled, unpublished) is seen by its author and the
 * space's editors and admins only.
 */

type PostFacts = Pick<Post, "author_id" | "state">;

export const canReadPosts = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "read");
export const canWritePosts = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "contribute");
export const canModeratePosts = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "moderate");

const isAuthor = (actor: Actor | null, post: PostFacts) => actor !== null && post.author_id === actor.id;

export function canReadPost(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, post: PostFacts): boolean {
  if (!canReadPosts(actor, membership, space)) return false;
  if (post.state === "published") return true;
  return canModeratePosts(actor, membership, space) || (isAuthor(actor, post) && canWritePosts(actor, membership, space));
}

/** Edit, schedule, publish, unpublish, delete. */
export function canEditPost(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, post: PostFacts): boolean {
  if (canModeratePosts(actor, membership, space)) return true;
  return isAuthor(actor, post) && canWritePosts(actor, membership, space);
}

/**
 * The spaces, by visibility, whose articles may be opened to the whole
 * network. Not a secret one: its name on the network feed would already say
 * more than a secret space shows. canPublishToNetwork reads it, and the
 * network feed's query (db/queries/posts.ts listNetworkPosts) is built from
 * it (networkFeedFilter), so the SQL cannot say otherwise than the policy.
 */
export const PUBLISHES_TO_NETWORK: readonly Visibility[] = ["listed", "open"];

/** Whether an article of this space may be opened to the whole network. */
export function canPublishToNetwork(space: Pick<Space, "visibility">): boolean {
  return PUBLISHES_TO_NETWORK.includes(space.visibility);
}

/** What the network feed's query takes of canReadNetworkPost: the visibilities of the spaces it reads from. */
export function networkFeedFilter(): { spaceVisibilities: readonly Visibility[] } {
  return { spaceVisibilities: PUBLISHES_TO_NETWORK };
}

/**
 * A network-visible, published article is readable by every signed-in
 * member of the network through the network feed, member of its space or not.
 */
export function canReadNetworkPost(actor: Actor | null, space: Pick<Space, "visibility" | "archived_at">, post: Pick<Post, "state" | "visibility" | "deleted_at">): boolean {
  return actor !== null && post.state === "published" && post.visibility === "network" && post.deleted_at === null && space.archived_at === null && canPublishToNetwork(space);
}
