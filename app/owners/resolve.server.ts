import type { Executor } from "#db/client.ts";
import type { Owner, OwnerKind } from "#db/owners.ts";
import type { Ask, Page, Post, Space, Workshop } from "#db/schema.ts";
import { canAnswerAsk, canReadAsk, canWriteInAskThread, type AskFacts } from "#app/policies/ask.ts";
import { canWriteComments } from "#app/policies/comment.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canReadPost } from "#app/policies/post.ts";
import { canReadSpace, type Actor, type MembershipFacts } from "#app/policies/space.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { ownerUrl } from "#app/urls.ts";

/**
 * The one place that turns an owner (a kind and an id: what a comment, a
 * file link, a notification is about) into the thing as a reader may see it:
 * found in the space of the request, not deleted, readable under its policy,
 * with its title and address — or nothing. A draft the reader may not read
 * is not there for them, and an id of another space never is. Callers say
 * what "nothing" becomes (a refusal, a 404, a line left out).
 *
 * A new kind (a workshop, an ask) adds one entry to KINDS; the type checker
 * then points at every switch over kinds that must learn it.
 */

export interface Reader {
  space: Space;
  actor: Actor | null;
  membership: MembershipFacts;
}

interface Resolved<K extends OwnerKind> {
  kind: K;
  id: string;
  title: string;
  slug: string;
  /** Where it is read in the app (app/urls.ts). */
  path: string;
}

/** What the post policies look at, kept so another reader can be checked against the same article (mayRead). */
type PostFacts = Pick<Post, "author_id" | "state">;

/** What deciding whether a workshop is readable looks at (app/policies/workshop.ts). */
type WorkshopFacts = Pick<Workshop, "state" | "proposed_by" | "deleted_at" | "visibility">;

export type ResolvedOwner =
  | Resolved<"page">
  | (Resolved<"post"> & { post: PostFacts })
  | (Resolved<"workshop"> & { workshop: WorkshopFacts })
  | (Resolved<"ask"> & { ask: AskFacts });

// Only the columns a title, an address and a policy need: a list of files
// resolves many owners, and their content is not needed for any of it.
type PageRow = Pick<Page, "id" | "title" | "slug">;
type PostRow = Pick<Post, "id" | "title" | "slug"> & PostFacts;
type WorkshopRow = Pick<Workshop, "id" | "title"> & WorkshopFacts;
type AskRow = Pick<Ask, "id" | "title"> & AskFacts;
interface RowOf {
  page: PageRow;
  post: PostRow;
  workshop: WorkshopRow;
  ask: AskRow;
}

interface KindEntry<R> {
  /** The live rows of these ids in this space, one query for all of them. */
  load(db: Executor, spaceId: string, ids: string[]): Promise<R[]>;
  readable(reader: Reader, row: R): boolean;
  resolved(space: Space, row: R): ResolvedOwner;
}

const KINDS: { [K in OwnerKind]: KindEntry<RowOf[K]> } = {
  page: {
    load: (db, spaceId, ids) =>
      db.selectFrom("page").select(["id", "title", "slug"]).where("space_id", "=", spaceId).where("id", "in", ids).where("deleted_at", "is", null).execute(),
    readable: ({ actor, membership, space }) => canReadPages(actor, membership, space),
    resolved: (space, page) => ({ kind: "page", id: page.id, title: page.title, slug: page.slug, path: ownerUrl(space.slug, { kind: "page", slug: page.slug }) }),
  },
  post: {
    load: (db, spaceId, ids) =>
      db
        .selectFrom("post")
        .select(["id", "title", "slug", "author_id", "state"])
        .where("space_id", "=", spaceId)
        .where("id", "in", ids)
        .where("deleted_at", "is", null)
        .execute(),
    readable: ({ actor, membership, space }, post) => canReadPost(actor, membership, space, post),
    resolved: (space, post) => ({
      kind: "post",
      id: post.id,
      title: post.title,
      slug: post.slug,
      path: ownerUrl(space.slug, { kind: "post", slug: post.slug }),
      post: { author_id: post.author_id, state: post.state },
    }),
  },
  workshop: {
    load: (db, spaceId, ids) =>
      db
        .selectFrom("workshop")
        .select(["id", "title", "state", "proposed_by", "deleted_at", "visibility"])
        .where("space_id", "=", spaceId)
        .where("id", "in", ids)
        .where("deleted_at", "is", null)
        .execute(),
    readable: ({ actor, membership, space }, w) => canReadWorkshop(actor, membership, space, w),
    resolved: (space, w) => ({
      kind: "workshop",
      id: w.id,
      title: w.title,
      slug: w.id,
      path: ownerUrl(space.slug, { kind: "workshop", slug: w.id }),
      workshop: { state: w.state, proposed_by: w.proposed_by, deleted_at: w.deleted_at, visibility: w.visibility },
    }),
  },
  ask: {
    load: (db, spaceId, ids) =>
      db
        .selectFrom("ask")
        .select(["id", "title", "author_id", "audience", "deleted_at", "resolved_at", "closes_at"])
        .where("space_id", "=", spaceId)
        .where("id", "in", ids)
        .where("deleted_at", "is", null)
        .execute(),
    readable: ({ actor, membership, space }, a) => canReadAsk(actor, membership, space, a),
    resolved: (space, a) => ({
      kind: "ask",
      id: a.id,
      title: a.title,
      slug: a.id,
      path: ownerUrl(space.slug, { kind: "ask", slug: a.id }),
      ask: { author_id: a.author_id, audience: a.audience, deleted_at: a.deleted_at, resolved_at: a.resolved_at, closes_at: a.closes_at },
    }),
  },
};

/** Whether this reader may read an owner already found (say, another member than the one who resolved it). */
export function mayRead(reader: Reader, owner: ResolvedOwner): boolean {
  switch (owner.kind) {
    case "page":
      return KINDS.page.readable(reader, owner);
    case "post":
      return KINDS.post.readable(reader, { ...owner, ...owner.post });
    case "workshop":
      return KINDS.workshop.readable(reader, { ...owner, ...owner.workshop });
    case "ask":
      return KINDS.ask.readable(reader, { ...owner, ...owner.ask });
  }
}

/**
 * Whether this reader may read an owner's comments. A thread is its club's:
 * a workshop or an article opened to the network shows outsiders the thing
 * itself, never its comments (the workshop page and the network's article
 * page show none). An ask's thread is the ask's: the network answers a
 * network ask in it. The search indexes comments by the same rule
 * (db/search/indexer.ts, commentDocs).
 */
export function mayReadThread(reader: Reader, owner: ResolvedOwner): boolean {
  if (owner.kind === "ask") return mayRead(reader, owner);
  return canReadSpace(reader.actor, reader.membership, reader.space) && mayRead(reader, owner);
}

/** An ask's thread rights, for a page that holds the ask itself rather than a resolved owner. */
export function askThreadRights({ actor, membership, space }: Reader, ask: AskFacts, now: number): { answer: boolean; write: boolean } {
  return { answer: canAnswerAsk(actor, membership, space, ask, now), write: canWriteInAskThread(actor, membership, space, ask) };
}

/**
 * What a reader may do in an owner's comment thread: `answer` (post a new
 * comment or reply) and `write` (edit or delete their own). Comments of a
 * space are its participants' (guests up); an ask's thread follows the ask's
 * policy: the network answers a network ask, and a closed ask takes no new
 * answers while its answerers may still mend theirs.
 */
export function threadRights(reader: Reader, owner: ResolvedOwner, now: number): { answer: boolean; write: boolean } {
  const { actor, membership, space } = reader;
  if (owner.kind === "ask") return askThreadRights(reader, owner.ask, now);
  const write = canWriteComments(actor, membership, space);
  return { answer: write, write };
}

/**
 * Many owners at once, for lists: one query per kind, whatever their number.
 * Answers those the reader may see, keyed `kind:id` (ownerKey); the others
 * are simply absent.
 */
export async function resolveOwners(db: Executor, reader: Reader, owners: readonly Owner[]): Promise<Map<string, ResolvedOwner>> {
  const found = new Map<string, ResolvedOwner>();
  for (const kind of Object.keys(KINDS) as OwnerKind[]) {
    const ids = [...new Set(owners.filter((o) => o.kind === kind).map((o) => o.id))];
    if (ids.length === 0) continue;
    const entry = KINDS[kind] as KindEntry<PageRow | PostRow | WorkshopRow | AskRow>;
    for (const row of await entry.load(db, reader.space.id, ids)) {
      if (!entry.readable(reader, row)) continue;
      found.set(ownerKey({ kind, id: row.id }), entry.resolved(reader.space, row));
    }
  }
  return found;
}

/** One owner as the reader may see it, or null. */
export async function resolveOwner(db: Executor, reader: Reader, owner: Owner): Promise<ResolvedOwner | null> {
  return (await resolveOwners(db, reader, [owner])).get(ownerKey(owner)) ?? null;
}

/** The key resolveOwners answers under. */
export const ownerKey = (owner: Owner) => `${owner.kind}:${owner.id}`;
