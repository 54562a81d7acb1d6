import type { Executor } from "#db/client.ts";
import { accessWord } from "#db/search/access.ts";
import type { Role, Space } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canModeratePosts, canWritePosts } from "#app/policies/post.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { canOpenToNetwork, canScheduleWorkshops } from "#app/policies/workshop.ts";

/** A space as the search's access words need it, with the viewer's role there. */
export type SpaceWithRole = Pick<Space, "id" | "slug" | "name" | "kind" | "visibility" | "join_policy" | "archived_at"> & { role: Role | null };

/** Every space of the network and the viewer's role in each, for their access words and the club filter. */
export function spacesFor(db: Executor, userId: string): Promise<SpaceWithRole[]> {
  return db
    .selectFrom("space")
    .leftJoin("space_member", (j) => j.onRef("space_member.space_id", "=", "space.id").on("space_member.user_id", "=", userId))
    .select(["space.id", "space.slug", "space.name", "space.kind", "space.visibility", "space.join_policy", "space.archived_at", "space_member.role"])
    .orderBy("space.name")
    .execute();
}

/**
 * The viewer's access words (db/search/access.ts), asked of the policies
 * themselves, space by space: whoever the policies let read a thing holds
 * one of the words its indexed row holds, and nobody else does. Made at
 * each search from the memberships as they are now, so a member removed
 * from a club stops finding its content at once.
 */
export function accessWordsOf(actor: Actor, spaces: readonly SpaceWithRole[], conversationIds: readonly string[]): string[] {
  const words: string[] = [];
  for (const space of spaces) {
    const membership = space.role ? { role: space.role } : null;
    if (canReadSpace(actor, membership, space)) {
      words.push(accessWord.readers(space.id), accessWord.proposer(space.id, actor.id));
      // Proposals: reading them needs no write ability, so an archived space still shows its admins what they decided.
      if (canScheduleWorkshops(actor, membership, { ...space, archived_at: null })) words.push(accessWord.schedulers(space.id));
    }
    if (canModeratePosts(actor, membership, space)) words.push(accessWord.moderators(space.id));
    if (canWritePosts(actor, membership, space)) words.push(accessWord.author(space.id, actor.id));
    // Articles, workshops and asks opened to the network: one rule (canReadNetworkPost, canReadWorkshop, canReadAsk).
    if (canOpenToNetwork(space)) words.push(accessWord.network(space.id));
  }
  for (const id of conversationIds) words.push(accessWord.conversation(id));
  return words;
}

/** The conversations the viewer reads: those they are in and have not left. */
export async function conversationsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom("conversation_member").select("conversation_id").where("user_id", "=", userId).where("left_at", "is", null).execute();
  return rows.map((r) => r.conversation_id);
}
