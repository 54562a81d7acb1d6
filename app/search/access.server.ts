import type { Executor } from "#db/client.ts";
import { directoryIndex, viewerFor, type Viewer } from "#app/people/directory-index.server.ts";
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
  // What the scope below reads from the directory's index; kept as a query for tools and tests.
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

/** What a viewer's searches may read, and the spaces with their role, for results' clubs and links. */
export interface SearchScope {
  spaces: SpaceWithRole[];
  /** The spaces the viewer may read (canReadSpace). */
  readable: SpaceWithRole[];
  access: string[];
}

/**
 * The part of a scope that depends on spaces and memberships only, kept per
 * viewer with the directory's in-memory index: it holds every space and
 * every membership's role, and its version moves with any change to them
 * (triggers of migrations 20261205_0100 and _1000). A search reads no space
 * row and asks the policies 200 spaces × 5 times only once per change.
 */
const standing = new WeakMap<Viewer, { spaces: SpaceWithRole[]; readable: SpaceWithRole[]; access: string[] }>();

export async function searchScope(db: Executor, actor: Actor): Promise<SearchScope> {
  const [index, conversations] = await Promise.all([directoryIndex(db), conversationsOf(db, actor.id)]);
  const viewer = viewerFor(index, actor);
  let known = standing.get(viewer);
  if (!known) {
    const me = index.byId.get(actor.id);
    const roles = new Map<string, Role>();
    me?.spaces.forEach((id, i) => roles.set(id, me.roles[i]!));
    const spaces = index.spaces.map((s) => ({ ...s, role: roles.get(s.id) ?? null }));
    known = { spaces, readable: spaces.filter((s) => canReadSpace(actor, s.role ? { role: s.role } : null, s)), access: accessWordsOf(actor, spaces, []) };
    standing.set(viewer, known);
  }
  // Conversations are read each time: leaving one is not a directory change.
  return { ...known, access: conversations.length ? [...known.access, ...conversations.map(accessWord.conversation)] : known.access };
}
