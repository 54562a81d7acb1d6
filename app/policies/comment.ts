import type { Comment } from "#db/schema.ts";
import { can, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Comments follow the SPEC's table: everyone who takes part in a space
 * (guests included) comments; an author edits and deletes their own
 * comments; editors and admins delete anyone's (moderation). Nobody edits
 * someone else's words. Reading the target is checked apart (a draft
 * article is not there for those who may not read it). A thread with rules
 * of its own (an ask's, answered by the whole network when it is a network
 * ask) passes `mayWrite`, the thread's answer to "may this reader write here".
 */
type CommentFacts = Pick<Comment, "author_id" | "deleted_at">;

export const canWriteComments = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "participate");
export const canModerateComments = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "moderate");

const isAuthor = (actor: Actor | null, comment: CommentFacts) => actor !== null && comment.author_id !== null && comment.author_id === actor.id;

export function canEditComment(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  comment: CommentFacts,
  mayWrite = canWriteComments(actor, membership, space),
): boolean {
  return comment.deleted_at === null && isAuthor(actor, comment) && mayWrite;
}

export function canDeleteComment(
  actor: Actor | null,
  membership: MembershipFacts,
  space: SpaceFacts,
  comment: CommentFacts,
  mayWrite = canWriteComments(actor, membership, space),
): boolean {
  if (comment.deleted_at !== null) return false;
  if (canModerateComments(actor, membership, space)) return true;
  return isAuthor(actor, comment) && mayWrite;
}
