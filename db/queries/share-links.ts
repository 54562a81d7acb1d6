import type { Executor } from "../client.ts";
import type { ShareLink } from "../schema.ts";

/**
 * Share links (issue 19): found by the hash of their token, listed for an
 * item or a space with the name of their sharer, revoked, counted.
 */

export function insertShareLink(db: Executor, link: Omit<ShareLink, "open_count" | "last_opened_at" | "revoked_at" | "revoked_by">) {
  return db.insertInto("share_link").values(link).execute();
}

export function findByTokenHash(db: Executor, tokenHash: string) {
  return db.selectFrom("share_link").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
}

export function findShareLink(db: Executor, spaceId: string, id: string) {
  return db.selectFrom("share_link").selectAll().where("space_id", "=", spaceId).where("id", "=", id).executeTakeFirst();
}

/**
 * The links still working at `now` (not revoked, not expired), newest first,
 * with their sharer's name; for one item, or every item of the space.
 */
export function listLiveLinks(db: Executor, spaceId: string, now: number, item?: { kind: ShareLink["kind"]; id: string }) {
  let query = db
    .selectFrom("share_link as l")
    .leftJoin("user as u", "u.id", "l.created_by")
    .select(["l.id", "l.kind", "l.item_id", "l.created_by", "l.created_at", "l.expires_at", "l.open_count", "l.last_opened_at", "u.display_name as sharer_name"])
    .where("l.space_id", "=", spaceId)
    .where("l.revoked_at", "is", null)
    .where("l.expires_at", ">", now);
  if (item) query = query.where("l.kind", "=", item.kind).where("l.item_id", "=", item.id);
  return query.orderBy("l.created_at", "desc").orderBy("l.id").limit(500).execute();
}

export function revokeLink(db: Executor, id: string, by: string, now: number) {
  return db.updateTable("share_link").set({ revoked_at: now, revoked_by: by }).where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
}

/** One more opening: counted in the statement itself, so two at once both count. */
export function countOpening(db: Executor, id: string, now: number) {
  return db
    .updateTable("share_link")
    .set((eb) => ({ open_count: eb("open_count", "+", 1), last_opened_at: now }))
    .where("id", "=", id)
    .execute();
}

/** Housekeeping: links past their time (or revoked) for longer than `keepMs` leave the table. */
export function deleteDeadLinks(db: Executor, before: number) {
  return db
    .deleteFrom("share_link")
    .where((eb) => eb.or([eb("expires_at", "<", before), eb("revoked_at", "<", before)]))
    .executeTakeFirst();
}

/**
 * Revokes the live links of the space whose file or page is now in the
 * trash: called by every move to the trash, so a link stops for good (coming
 * back from the trash does not bring it back: the sharer makes a new one).
 */
export function revokeLinksOfTrashed(db: Executor, spaceId: string, by: string, now: number) {
  return db
    .updateTable("share_link")
    .set({ revoked_at: now, revoked_by: by })
    .where("space_id", "=", spaceId)
    .where("revoked_at", "is", null)
    .where((eb) =>
      eb.or([
        eb.and([eb("kind", "=", "file"), eb("item_id", "in", eb.selectFrom("file").select("id").where("space_id", "=", spaceId).where("deleted_at", "is not", null))]),
        eb.and([eb("kind", "=", "page"), eb("item_id", "in", eb.selectFrom("page").select("id").where("space_id", "=", spaceId).where("deleted_at", "is not", null))]),
      ]),
    )
    .executeTakeFirst();
}
