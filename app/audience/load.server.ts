import type { Executor } from "#db/client.ts";
import { findMembership, membersWithRoles } from "#db/queries/members.ts";
import { findById as findUser } from "#db/queries/users.ts";
import type { Role, Space } from "#db/schema.ts";
import { audienceOf, roleGroup, type ReadRule, type RoleGroup } from "#app/policies/audience.ts";
import { canReadSpace, type Actor, type MembershipFacts } from "#app/policies/space.ts";
import { mayReadThread, type ResolvedOwner } from "#app/owners/resolve.server.ts";
import { membersUrl } from "#app/urls.ts";

/**
 * What an item's audience line shows (app/components/audience-line.tsx):
 * the audience audienceOf reads off the item's own read rule, with the
 * numbers and names behind it. The names only for a reader who may open the
 * space's member list anyway (canReadSpace: what the Members tab asks), so
 * the line tells nobody more than the club already shows them.
 */

export interface AudiencePerson {
  id: string;
  name: string;
  role: Role;
}

export type AudienceView =
  | { reach: "network" }
  | {
      reach: "space";
      space: string;
      group: RoleGroup;
      /** People of the space whose role reads it. */
      count: number;
      /** The author, when they read it beyond their role ("you" when it is the viewer). */
      author: "you" | { name: string } | null;
      /** Who they are, up to LISTED of them, for a viewer who may see the member list; null otherwise. */
      people: AudiencePerson[] | null;
      /** How many more than the list shows. */
      more: number;
      membersPath: string;
    };

/** A list longer than this ends with "and N more" and a link to the member list. */
export const LISTED = 60;

export interface AudienceReader {
  space: Pick<Space, "id" | "slug" | "name" | "visibility" | "join_policy" | "archived_at">;
  actor: Actor;
  membership: MembershipFacts;
}

/**
 * `authorId`: who wrote it (an article's author, an ask's, a workshop's
 * proposer), asked apart with the membership they hold: a draft reads "you
 * and the 3 editors and admins of …".
 */
export async function describeAudience(db: Executor, reader: AudienceReader, rule: ReadRule, authorId?: string | null): Promise<AudienceView> {
  const { space, actor } = reader;
  const authorMembership = authorId ? (authorId === actor.id ? reader.membership : await findMembership(db, space.id, authorId)) : null;
  const audience = audienceOf(rule, authorId ? { id: authorId, membership: authorMembership ? { role: authorMembership.role } : null } : null);
  if (audience.network) return { reach: "network" };

  const members = audience.roles.length > 0 ? await membersWithRoles(db, space.id, audience.roles) : [];
  const author = authorId && audience.author ? ((await findUser(db, authorId)) ?? null) : null;
  const named = author ? { id: author.id, name: author.display_name, role: authorMembership?.role ?? ("member" as const) } : null;
  let people: AudiencePerson[] | null = null;
  // The names, for a reader the Members tab shows them to anyway.
  if (canReadSpace(actor, reader.membership, space)) {
    const all = [...(named ? [named] : []), ...members.map((m) => ({ id: m.id, name: m.display_name, role: m.role }))];
    people = all.slice(0, LISTED);
  }
  return {
    reach: "space",
    space: space.name,
    group: roleGroup(audience.roles),
    count: members.length,
    author: named ? (named.id === actor.id ? "you" : { name: named.name }) : null,
    people,
    more: people ? Math.max(0, members.length + (named ? 1 : 0) - people.length) : 0,
    membersPath: membersUrl(space.slug),
  };
}

/** Who wrote an owner, when it has an author who may read it beyond their role. */
export function ownerAuthor(owner: ResolvedOwner): string | null {
  switch (owner.kind) {
    case "page":
      return null;
    case "post":
      return owner.post.author_id;
    case "workshop":
      return owner.workshop.proposed_by;
    case "ask":
      return owner.ask.author_id;
  }
}

/** Who reads a comment thread: mayReadThread, the rule its loader asks. */
export function threadAudience(db: Executor, reader: AudienceReader & { space: Space }, owner: ResolvedOwner): Promise<AudienceView> {
  return describeAudience(db, reader, (actor, membership) => mayReadThread({ space: reader.space, actor, membership }, owner), ownerAuthor(owner));
}
