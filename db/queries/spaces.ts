import type { Executor } from "../client.ts";
import { preparedFirst } from "../prepared.ts";
import { newId } from "../ids.ts";
import type { JoinPolicy, Space, SpaceKind, Visibility } from "../schema.ts";

export const DEFAULT_QUOTA_BYTES = 10 * 1024 ** 3;

export interface SpaceInput {
  slug: string;
  name: string;
  kind: SpaceKind;
  description: string;
  visibility: Visibility;
  joinPolicy: JoinPolicy;
  storageQuotaBytes?: number;
}

/** Compiled once (db/prepared.ts): every page of a space runs it. */
export const findBySlug = preparedFirst((db, slug: string) => db.selectFrom("space").selectAll().where("slug", "=", slug));

export function findById(db: Executor, id: string) {
  return db.selectFrom("space").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function slugTaken(db: Executor, slug: string, exceptId?: string) {
  let query = db.selectFrom("space").select("id").where("slug", "=", slug);
  if (exceptId) query = query.where("id", "!=", exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function createSpace(db: Executor, input: SpaceInput & { createdBy: string; now: number }): Promise<Space> {
  const space: Space = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    kind: input.kind,
    description: input.description,
    visibility: input.visibility,
    join_policy: input.joinPolicy,
    storage_quota_bytes: input.storageQuotaBytes ?? DEFAULT_QUOTA_BYTES,
    created_by: input.createdBy,
    created_at: input.now,
    archived_at: null,
    reminder_early_minutes: 24 * 60,
    reminder_late_minutes: 60,
    share_links: 0,
  };
  await db.insertInto("space").values(space).execute();
  return space;
}

/** Whether the space's members may share a file or a page outside it (its admins' switch on the settings page). */
export async function setShareLinks(db: Executor, id: string, allowed: boolean) {
  await db.updateTable("space").set({ share_links: allowed ? 1 : 0 }).where("id", "=", id).execute();
}

export async function updateSpace(db: Executor, id: string, input: SpaceInput) {
  await db
    .updateTable("space")
    .set({
      slug: input.slug,
      name: input.name,
      kind: input.kind,
      description: input.description,
      visibility: input.visibility,
      join_policy: input.joinPolicy,
      ...(input.storageQuotaBytes !== undefined ? { storage_quota_bytes: input.storageQuotaBytes } : {}),
    })
    .where("id", "=", id)
    .execute();
}

export async function setArchived(db: Executor, id: string, archivedAt: number | null) {
  await db.updateTable("space").set({ archived_at: archivedAt }).where("id", "=", id).execute();
}

/** The member's spaces with their role, in the order their lists show them. */
function spacesOf(db: Executor, userId: string) {
  return db
    .selectFrom("space_member as me")
    .innerJoin("space", "space.id", "me.space_id")
    .selectAll("space")
    .select("me.role")
    .where("me.user_id", "=", userId)
    // Active spaces (no archived_at) first: said outright, as PostgreSQL sorts nulls last where SQLite sorts them first.
    .orderBy("space.archived_at", (ob) => ob.asc().nullsFirst())
    .orderBy("space.name");
}

/** The member's spaces with their role, without the counts listForUser adds (the home and digests read these often). */
export function membershipsOf(db: Executor, userId: string) {
  return spacesOf(db, userId).execute();
}

/** The member's spaces with their role and how many members each has. */
export function listForUser(db: Executor, userId: string) {
  return spacesOf(db, userId)
    .select((eb) => eb.selectFrom("space_member as m").select(eb.fn.countAll<number>().as("n")).whereRef("m.space_id", "=", "space.id").as("member_count"))
    .execute();
}

/**
 * The network's club directory: the live spaces of the visibilities
 * outsiders know of, the viewer's own spaces, and (for a network admin) all
 * of them. Which visibilities, and who sees all, is the directory policy's
 * to say (app/policies/directory.ts directoryFilter): db/ does not own the rule.
 */
export function listDirectory(db: Executor, options: { includeAll: boolean; viewerId: string; knownToOutsiders: readonly Visibility[] }) {
  let query = db
    .selectFrom("space")
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom("space_member as m")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("m.space_id", "=", "space.id")
        .as("member_count"),
    );
  if (!options.includeAll) {
    query = query.where((eb) =>
      eb.or([
        eb.and([eb("visibility", "in", options.knownToOutsiders), eb("archived_at", "is", null)]),
        eb.exists(
          eb
            .selectFrom("space_member as mine")
            .select("mine.user_id")
            .whereRef("mine.space_id", "=", "space.id")
            .where("mine.user_id", "=", options.viewerId),
        ),
      ]),
    );
  }
  return query.orderBy("kind").orderBy("name").execute();
}
