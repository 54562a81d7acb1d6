import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { preparedFirst } from "../prepared.ts";
import { newId } from "../ids.ts";
import type { NotificationOwner, NotificationOwnerKind } from "../owners.ts";
import type { NotificationKind } from "../schema.ts";

/**
 * In-app notifications: about an owner (a page, a post …), of any kind (a
 * mention, a reply …), with the comment they are about when there is one.
 * The mail that may go with one is a row of the outbox (mail-outbox.ts)
 * naming the notification.
 */

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  spaceId: string;
  owner: NotificationOwner;
  commentId: string | null;
  actorId: string | null;
  now: number;
  /** Its person takes this kind in the digest. */
  inDigest?: boolean;
}

export async function insertNotifications(db: Executor, items: NewNotification[]): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = items.map((n) => ({
    id: newId(),
    user_id: n.userId,
    kind: n.kind,
    space_id: n.spaceId,
    owner_kind: n.owner.kind,
    owner_id: n.owner.id,
    comment_id: n.commentId,
    actor_id: n.actorId,
    created_at: n.now,
    read_at: null,
    in_digest: n.inDigest ? 1 : 0,
  }));
  // SQLite takes at most 32,766 parameters a statement: a club of thousands is told in slices.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto("notification").values(rows.slice(i, i + 500)).execute();
  return rows.map((r) => r.id);
}

/** People who already have a notification about this comment (an edit never notifies twice). */
export async function notifiedUsers(db: Executor, commentId: string): Promise<Set<string>> {
  const rows = await db.selectFrom("notification").select("user_id").where("comment_id", "=", commentId).execute();
  return new Set(rows.map((r) => r.user_id));
}

/**
 * The visibilities of spaces whose network asks every member of the network
 * reads (not archived): what canAskNetwork says (app/policies/ask.ts); a
 * unit test holds the two together, as db/ may not import the policies.
 */
export const NETWORK_ASK_VISIBILITIES = ["listed", "open"] as const;

/**
 * Only what the person may still see: notifications from spaces they are a
 * member of (or any, for a network admin), or about a network ask or a
 * workshop opened to the network (read by the whole network), about comments not deleted (one without a comment has
 * none to lose: the left join leaves c.deleted_at null).
 */
function visible(db: Executor, userId: string) {
  return db
    .selectFrom("notification as n")
    .leftJoin("comment as c", "c.id", "n.comment_id")
    .innerJoin("user as me", "me.id", "n.user_id")
    .where("n.user_id", "=", userId)
    .where("c.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("me.is_network_admin", "=", 1),
        eb.exists(
          eb
            .selectFrom("space_member as m")
            .select(sql`1`.as("one"))
            .whereRef("m.space_id", "=", "n.space_id")
            .whereRef("m.user_id", "=", "n.user_id"),
        ),
        eb.exists(
          eb
            .selectFrom("ask as na")
            .innerJoin("space as ns", "ns.id", "na.space_id")
            .select(sql`1`.as("one"))
            .whereRef("na.id", "=", "n.owner_id")
            .where("n.owner_kind", "=", "ask")
            .where("na.audience", "=", "network")
            .where("na.deleted_at", "is", null)
            .where("ns.archived_at", "is", null)
            .where("ns.visibility", "in", [...NETWORK_ASK_VISIBILITIES]),
        ),
        // The answer to one's request to join a club: theirs, member or not.
        eb.and([eb("n.owner_kind", "=", "space"), eb("n.kind", "=", "joinAnswered")]),
        // A workshop opened to the network: those of other clubs who registered hear of its changes
        // (canOpenToNetwork: the same visibilities as network asks, not archived).
        eb.exists(
          eb
            .selectFrom("workshop as nw")
            .innerJoin("space as nws", "nws.id", "nw.space_id")
            .select(sql`1`.as("one"))
            .whereRef("nw.id", "=", "n.owner_id")
            .where("n.owner_kind", "=", "workshop")
            .where("nw.visibility", "=", "network")
            .where("nw.deleted_at", "is", null)
            .where("nws.archived_at", "is", null)
            .where("nws.visibility", "in", [...NETWORK_ASK_VISIBILITIES]),
        ),
      ]),
    );
}

// The bell's number, on every page: compiled once (db/prepared.ts). It counts lines of the
// list, not rows: unread notifications of one kind about one thing are one ("3 replies on …").
// A data export ready and not yet downloaded is a line too (the top of the notifications page):
// it has no club, so it is no notification row, but it is counted in the same statement.
const unreadCount = preparedFirst((db, userId: string, now: number) =>
  db
    .selectFrom(
      visible(db, userId)
        .select("n.kind")
        .where("n.read_at", "is", null)
        .groupBy(["n.kind", "n.owner_kind", "n.owner_id"])
        .as("g"),
    )
    .select((eb) => [
      eb.fn.countAll<number>().as("n"),
      eb
        .selectFrom("data_export as x")
        .select((x) => x.fn.countAll<number>().as("c"))
        .where("x.user_id", "=", userId)
        .where("x.state", "=", "ready")
        .where("x.downloaded_at", "is", null)
        .where("x.expires_at", ">", now)
        .as("exports"),
    ]),
);

export async function countUnread(db: Executor, userId: string, now: number): Promise<number> {
  const row = await unreadCount(db, userId, now);
  return Number(row?.n ?? 0) + Math.min(1, Number(row?.exports ?? 0));
}

export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  actor_id: string | null;
  created_at: number;
  read_at: number | null;
  owner_kind: NotificationOwnerKind;
  owner_id: string;
  comment_id: string | null;
  actor_name: string | null;
  space_slug: string;
  space_name: string;
  post_slug: string | null;
  post_title: string | null;
  page_slug: string | null;
  page_title: string | null;
  workshop_id: string | null;
  workshop_title: string | null;
  ask_id: string | null;
  ask_title: string | null;
  excerpt: string;
}

function items(db: Executor, userId: string) {
  return visible(db, userId)
    .innerJoin("space as s", "s.id", "n.space_id")
    .leftJoin("user as a", "a.id", "n.actor_id")
    .leftJoin("post as p", (join) => join.onRef("p.id", "=", "n.owner_id").on("n.owner_kind", "=", "post"))
    .leftJoin("page as pg", (join) => join.onRef("pg.id", "=", "n.owner_id").on("n.owner_kind", "=", "page"))
    .leftJoin("workshop as w", (join) => join.onRef("w.id", "=", "n.owner_id").on("n.owner_kind", "=", "workshop"))
    .leftJoin("ask as k", (join) => join.onRef("k.id", "=", "n.owner_id").on("n.owner_kind", "=", "ask"))
    .select([
      "n.id",
      "n.kind",
      "n.created_at",
      "n.read_at",
      "n.owner_kind",
      "n.owner_id",
      "n.comment_id",
      "n.actor_id",
      "a.display_name as actor_name",
      "s.slug as space_slug",
      "s.name as space_name",
      "p.slug as post_slug",
      "p.title as post_title",
      "pg.slug as page_slug",
      "pg.title as page_title",
      "w.id as workshop_id",
      "w.title as workshop_title",
      "k.id as ask_id",
      "k.title as ask_title",
      // Raw SQL: the first 200 characters, cut in the database (a comment may be long); none without a comment.
      sql<string>`coalesce(substr(c.body_text, 1, 200), '')`.as("excerpt"),
    ]);
}

/**
 * Newest first; `before` is the last row of the previous page (time and id:
 * one comment notifies several people in the same millisecond, and ids break
 * the tie). The cursor is only a position: the rows are always the user's own.
 */
export function listForUser(db: Executor, userId: string, options: { before?: { at: number; id: string }; limit: number }): Promise<NotificationItem[]> {
  let query = items(db, userId);
  const before = options.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([eb("n.created_at", "<", before.at), eb.and([eb("n.created_at", "=", before.at), eb("n.id", "<", before.id)])]),
    );
  }
  return query.orderBy("n.created_at", "desc").orderBy("n.id", "desc").limit(options.limit).execute();
}

/** Of these things (workshops …), those the member already has a notification about. */
export async function ownersNotified(db: Executor, userId: string, ownerKind: NotificationOwnerKind, ownerIds: readonly string[]): Promise<Set<string>> {
  if (ownerIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("notification")
    .select("owner_id")
    .distinct()
    .where("user_id", "=", userId)
    .where("owner_kind", "=", ownerKind)
    .where("owner_id", "in", [...ownerIds])
    .execute();
  return new Set(rows.map((r) => r.owner_id));
}

/**
 * What a digest gathers of the member's notifications: those they take "in
 * the digest", made within (since, until], still unread (read is seen) and
 * still theirs to see; newest first.
 */
export function forDigest(db: Executor, userId: string, window: { since: number; until: number; limit: number }): Promise<NotificationItem[]> {
  return items(db, userId)
    .where("n.in_digest", "=", 1)
    .where("n.read_at", "is", null)
    .where("n.created_at", ">", window.since)
    .where("n.created_at", "<=", window.until)
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(window.limit)
    .execute();
}

/**
 * Mentions of the person since `since`, in these spaces (or a network ask), about something
 * still there, that they have not answered: no comment of theirs (not
 * deleted) in the same thread after it. What the home lists as waiting for
 * them; newest first.
 */
export function unansweredMentions(db: Executor, userId: string, options: { since: number; limit: number; spaceIds: readonly string[] }): Promise<NotificationItem[]> {
  return items(db, userId)
    .where("n.kind", "=", "mention")
    .where("n.created_at", ">=", options.since)
    // Or in a network ask, which any member answers wherever it was asked.
    .where((eb) => {
      const ways = [eb.and([eb("n.owner_kind", "=", "ask"), eb("k.audience", "=", "network")])];
      if (options.spaceIds.length > 0) ways.push(eb("n.space_id", "in", [...options.spaceIds]));
      return eb.or(ways);
    })
    // Still there to answer: not in a trash, an article still published.
    .where((eb) =>
      eb.or([
        eb.and([eb("n.owner_kind", "=", "post"), eb("p.deleted_at", "is", null), eb("p.state", "=", "published")]),
        eb.and([eb("n.owner_kind", "=", "page"), eb("pg.deleted_at", "is", null)]),
        eb.and([eb("n.owner_kind", "=", "workshop"), eb("w.deleted_at", "is", null)]),
        eb.and([eb("n.owner_kind", "=", "ask"), eb("k.deleted_at", "is", null)]),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("comment as mine")
            .select("mine.id")
            .where("mine.author_id", "=", userId)
            .where("mine.deleted_at", "is", null)
            .whereRef("mine.created_at", ">", "n.created_at")
            .where((o) =>
              o.or([
                o.and([o("n.owner_kind", "=", "post"), o("mine.post_id", "=", o.ref("n.owner_id"))]),
                o.and([o("n.owner_kind", "=", "page"), o("mine.page_id", "=", o.ref("n.owner_id"))]),
                o.and([o("n.owner_kind", "=", "workshop"), o("mine.workshop_id", "=", o.ref("n.owner_id"))]),
                o.and([o("n.owner_kind", "=", "ask"), o("mine.ask_id", "=", o.ref("n.owner_id"))]),
              ]),
            ),
        ),
      ),
    )
    .orderBy("n.created_at", "desc")
    .orderBy("n.id", "desc")
    .limit(options.limit)
    .execute();
}

/** One of the user's own notifications, if they may still see it. */
export function findVisibleForUser(db: Executor, userId: string, id: string): Promise<NotificationItem | undefined> {
  return items(db, userId).where("n.id", "=", id).executeTakeFirst();
}

/** Reads one of the person's notifications and, with it, the others of its line: the same kind about the same thing. */
export async function markRead(db: Executor, userId: string, id: string, now: number) {
  const row = await db.selectFrom("notification").select(["kind", "owner_kind", "owner_id"]).where("user_id", "=", userId).where("id", "=", id).executeTakeFirst();
  if (!row) return;
  await db
    .updateTable("notification")
    .set({ read_at: now })
    .where("user_id", "=", userId)
    .where("kind", "=", row.kind)
    .where("owner_kind", "=", row.owner_kind)
    .where("owner_id", "=", row.owner_id)
    .where("read_at", "is", null)
    .execute();
}

/**
 * Nothing waits any more in this space (every co-optation and request to join
 * decided): its admins' "a decision waits" notifications are done, read.
 */
export async function settleApprovals(db: Executor, spaceId: string, now: number) {
  const waiting = await db
    .selectFrom("invitation")
    .select("id")
    .where("space_id", "=", spaceId)
    .where("status", "=", "pending_approval")
    .unionAll(db.selectFrom("join_request").select("id").where("space_id", "=", spaceId).where("status", "=", "pending"))
    .executeTakeFirst();
  if (waiting) return;
  await db
    .updateTable("notification")
    .set({ read_at: now })
    .where("space_id", "=", spaceId)
    .where("kind", "=", "approvalWaiting")
    .where("read_at", "is", null)
    .execute();
}

export async function markAllRead(db: Executor, userId: string, now: number): Promise<number> {
  const result = await db.updateTable("notification").set({ read_at: now }).where("user_id", "=", userId).where("read_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** What the mail of a notification says, composed when it is sent. */
export interface NotificationMail {
  id: string;
  user_id: string;
  space_id: string;
  owner_id: string;
  kind: NotificationKind;
  locale: string | null;
  actor_name: string | null;
  space_slug: string;
  space_name: string;
  owner_kind: NotificationOwnerKind;
  comment_id: string | null;
  /** The comment's text; null when the notification is about no comment. */
  body_text: string | null;
  post_slug: string | null;
  post_title: string | null;
  page_slug: string | null;
  page_title: string | null;
  workshop_id: string | null;
  workshop_title: string | null;
  ask_id: string | null;
  ask_title: string | null;
}

/** Undefined when there is nothing left to tell: its comment was deleted meanwhile. */
export function mailOf(db: Executor, id: string): Promise<NotificationMail | undefined> {
  return db
    .selectFrom("notification as n")
    .innerJoin("user as u", "u.id", "n.user_id")
    .leftJoin("comment as c", "c.id", "n.comment_id")
    .innerJoin("space as s", "s.id", "n.space_id")
    .leftJoin("user as a", "a.id", "n.actor_id")
    .leftJoin("post as p", (join) => join.onRef("p.id", "=", "n.owner_id").on("n.owner_kind", "=", "post"))
    .leftJoin("page as pg", (join) => join.onRef("pg.id", "=", "n.owner_id").on("n.owner_kind", "=", "page"))
    .leftJoin("workshop as w", (join) => join.onRef("w.id", "=", "n.owner_id").on("n.owner_kind", "=", "workshop"))
    .leftJoin("ask as k", (join) => join.onRef("k.id", "=", "n.owner_id").on("n.owner_kind", "=", "ask"))
    .select([
      "n.user_id",
      "n.space_id",
      "n.owner_id",
      "n.id",
      "n.kind",
      "u.locale",
      "a.display_name as actor_name",
      "s.slug as space_slug",
      "s.name as space_name",
      "n.owner_kind",
      "n.comment_id",
      "c.body_text",
      "p.slug as post_slug",
      "p.title as post_title",
      "pg.slug as page_slug",
      "pg.title as page_title",
      "w.id as workshop_id",
      "w.title as workshop_title",
      "k.id as ask_id",
      "k.title as ask_title",
    ])
    .where("n.id", "=", id)
    .where("c.deleted_at", "is", null)
    .executeTakeFirst();
}

/** The address each notification's person has now. */
export function recipients(db: Executor, ids: string[]): Promise<Array<{ id: string; email: string }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("notification as n").innerJoin("user as u", "u.id", "n.user_id").select(["n.id", "u.email"]).where("n.id", "in", ids).execute();
}
