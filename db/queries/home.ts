import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Executor } from "../client.ts";
import type { AskKind } from "../schema.ts";
import { askInScope, type AskScope } from "./asks.ts";

/**
 * The member's home (issue 18): what happened in their clubs, newest first,
 * from the content's own tables (so a page in the trash or an article
 * unpublished simply stops being there), a page at a time on (time, kind,
 * id). Each source reads, club by club, its newest rows after the cursor
 * through an index on (club, time), and they are merged here: a page costs
 * one short read per source and club, however much each club holds.
 *
 * Which clubs, and which asks beyond them, is the caller's to say (the
 * policies' homeScope); nothing here decides who may read what.
 */

export const FEED_KINDS = ["ask", "file", "member", "page", "post", "workshop"] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface FeedCursor {
  at: number;
  kind: FeedKind;
  id: string;
}

export interface FeedQuery {
  viewerId: string;
  /** The clubs whose news is wanted (the viewer's, or one of them). */
  spaceIds: readonly string[];
  /** Asks the viewer may read beyond those clubs, that want their skills or region. */
  asks: { scope: AskScope; skillKeys: readonly string[]; region: string; spaceId?: string } | null;
  before: FeedCursor | null;
  /** Only what happened after this moment (a digest's window); none by default. */
  since?: number;
  limit: number;
  /** An ask is open until its deadline. */
  now: number;
}

interface Base {
  kind: FeedKind;
  id: string;
  at: number;
  space_id: string;
  space_slug: string;
  space_name: string;
  actor_id: string | null;
  actor_name: string | null;
  title: string;
}

export type FeedRow =
  | (Base & { kind: "post"; slug: string; excerpt: string })
  | (Base & { kind: "page"; slug: string; created: boolean })
  | (Base & { kind: "file"; version: number })
  | (Base & { kind: "workshop"; starts_at: number; ends_at: number; time_zone: string; cancelled: boolean })
  | (Base & { kind: "ask"; ask_kind: AskKind; region: string; answers: number })
  | (Base & { kind: "member"; sponsor_name: string | null; by_request: boolean });

/**
 * Rows of one source after the cursor, in the feed's order: (time, kind, id)
 * descending. The kind is fixed within a source, so "after" is a plain
 * comparison on time, or on (time, id) for the cursor's own kind.
 */
function after<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, kind: FeedKind, q: Pick<FeedQuery, "before" | "since">, time: Expression<number | null>, id: Expression<string>): Expression<SqlBool> {
  const cursor = q.before;
  const since = q.since === undefined ? eb.lit(true) : eb(time, ">", q.since);
  if (!cursor) return since;
  if (kind < cursor.kind) return eb.and([since, eb(time, "<=", cursor.at)]);
  if (kind > cursor.kind) return eb.and([since, eb(time, "<", cursor.at)]);
  // Said as a range on time first, so the (club, time) index still bounds the read.
  return eb.and([since, eb(time, "<=", cursor.at), eb.or([eb(time, "<", cursor.at), eb(id, "<", cursor.id)])]);
}

/** The cursor before which lies everything up to `until`, included: every kind sorts after "ask", and "ask" ties on an empty id. */
export const upTo = (until: number): FeedCursor => ({ at: until + 1, kind: "ask", id: "" });


async function posts(db: Executor, q: FeedQuery, spaceId: string): Promise<FeedRow[]> {
  const rows = await db
    .selectFrom("post as p")
    .innerJoin("space as s", "s.id", "p.space_id")
    .leftJoin("user as u", "u.id", "p.author_id")
    .select(["p.id", "p.published_at as at", "p.space_id", "s.slug as space_slug", "s.name as space_name", "p.author_id as actor_id", "u.display_name as actor_name", "p.title", "p.slug", "p.excerpt"])
    .where("p.space_id", "=", spaceId)
    .where("p.state", "=", "published")
    .where("p.deleted_at", "is", null)
    .where("p.published_at", "is not", null)
    .where((eb) => eb.or([eb("p.author_id", "is", null), eb("p.author_id", "!=", q.viewerId)]))
    .where((eb) => after(eb, "post", q, eb.ref("p.published_at"), eb.ref("p.id")))
    .orderBy("p.published_at", "desc")
    .orderBy("p.id", "desc")
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ ...r, kind: "post" as const, at: r.at ?? 0 }));
}

async function pages(db: Executor, q: FeedQuery, spaceId: string): Promise<FeedRow[]> {
  const rows = await db
    .selectFrom("page as p")
    .innerJoin("space as s", "s.id", "p.space_id")
    .leftJoin("user as u", "u.id", "p.updated_by")
    .select(["p.id", "p.updated_at as at", "p.space_id", "s.slug as space_slug", "s.name as space_name", "p.updated_by as actor_id", "u.display_name as actor_name", "p.title", "p.slug", "p.revision"])
    .where("p.space_id", "=", spaceId)
    .where("p.deleted_at", "is", null)
    .where((eb) => eb.or([eb("p.updated_by", "is", null), eb("p.updated_by", "!=", q.viewerId)]))
    .where((eb) => after(eb, "page", q, eb.ref("p.updated_at"), eb.ref("p.id")))
    .orderBy("p.updated_at", "desc")
    .orderBy("p.id", "desc")
    .limit(q.limit)
    .execute();
  return rows.map(({ revision, ...r }) => ({ ...r, kind: "page" as const, created: revision <= 1 }));
}

async function files(db: Executor, q: FeedQuery, spaceId: string): Promise<FeedRow[]> {
  const rows = await db
    .selectFrom("file as f")
    .innerJoin("space as s", "s.id", "f.space_id")
    .leftJoin("user as u", "u.id", "f.updated_by")
    .select(["f.id", "f.updated_at as at", "f.space_id", "s.slug as space_slug", "s.name as space_name", "f.updated_by as actor_id", "u.display_name as actor_name", "f.name as title", "f.version"])
    .where("f.space_id", "=", spaceId)
    .where("f.deleted_at", "is", null)
    .where((eb) => eb.or([eb("f.updated_by", "is", null), eb("f.updated_by", "!=", q.viewerId)]))
    .where((eb) => after(eb, "file", q, eb.ref("f.updated_at"), eb.ref("f.id")))
    .orderBy("f.updated_at", "desc")
    .orderBy("f.id", "desc")
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ ...r, kind: "file" as const }));
}

async function workshops(db: Executor, q: FeedQuery, spaceId: string): Promise<FeedRow[]> {
  // Announced when scheduled: at its creation, or when its proposal was accepted.
  const rows = await db
    .selectFrom("workshop as w")
    .innerJoin("space as s", "s.id", "w.space_id")
    .leftJoin("user as u", "u.id", "w.created_by")
    .select((eb) => [
      "w.id",
      eb.fn.coalesce("w.decided_at", "w.created_at").as("at"),
      "w.space_id",
      "s.slug as space_slug",
      "s.name as space_name",
      "w.created_by as actor_id",
      "u.display_name as actor_name",
      "w.title",
      "w.starts_at",
      "w.ends_at",
      "w.time_zone",
      "w.state",
    ])
    .where("w.space_id", "=", spaceId)
    .where("w.state", "in", ["scheduled", "cancelled"])
    .where("w.deleted_at", "is", null)
    .where((eb) => eb.or([eb("w.created_by", "is", null), eb("w.created_by", "!=", q.viewerId)]))
    .where((eb) => after(eb, "workshop", q, eb.fn.coalesce("w.decided_at", "w.created_at"), eb.ref("w.id")))
    .orderBy("at", "desc")
    .orderBy("w.id", "desc")
    .limit(q.limit)
    .execute();
  return rows.map(({ state, ...r }) => ({ ...r, kind: "workshop" as const, cancelled: state === "cancelled" }));
}

async function asks(db: Executor, q: FeedQuery): Promise<FeedRow[]> {
  const wanted = q.asks;
  if (!wanted || (wanted.skillKeys.length === 0 && wanted.region === "")) return [];
  const rows = await db
    .selectFrom("ask as a")
    .innerJoin("space as s", "s.id", "a.space_id")
    .leftJoin("user as u", "u.id", "a.author_id")
    .select((eb) => [
      eb.selectFrom("comment as c").select((e) => e.fn.countAll<number>().as("n")).whereRef("c.ask_id", "=", "a.id").where("c.deleted_at", "is", null).as("answers"),
      "a.id",
      "a.created_at as at",
      "a.space_id",
      "s.slug as space_slug",
      "s.name as space_name",
      "a.author_id as actor_id",
      "u.display_name as actor_name",
      "a.title",
      "a.kind as ask_kind",
      "a.region",
    ])
    .where("a.deleted_at", "is", null)
    .where("a.resolved_at", "is", null)
    .where((eb) => eb.or([eb("a.closes_at", "is", null), eb("a.closes_at", ">", q.now)]))
    .where((eb) => eb.or([eb("a.author_id", "is", null), eb("a.author_id", "!=", q.viewerId)]))
    .where(askInScope(wanted.scope))
    .where((eb) => (wanted.spaceId ? eb("a.space_id", "=", wanted.spaceId) : eb.lit(true)))
    .where((eb) => {
      const ways = [];
      if (wanted.skillKeys.length > 0) ways.push(eb.exists(eb.selectFrom("ask_skill as k").select("k.ask_id").whereRef("k.ask_id", "=", "a.id").where("k.skill_key", "in", [...wanted.skillKeys])));
      if (wanted.region !== "") ways.push(eb("a.region", "=", wanted.region as never));
      return eb.or(ways);
    })
    .where((eb) => after(eb, "ask", q, eb.ref("a.created_at"), eb.ref("a.id")))
    .orderBy("a.created_at", "desc")
    .orderBy("a.id", "desc")
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ ...r, kind: "ask" as const, answers: Number(r.answers ?? 0) }));
}

async function members(db: Executor, q: FeedQuery, spaceId: string): Promise<FeedRow[]> {
  // A person may arrive in two of the viewer's clubs at one moment: the id names both.
  // The ":" is written as a literal: PostgreSQL cannot type a parameter of concat(), which takes "any".
  const rows = await db
    .selectFrom("space_member as m")
    .innerJoin("space as s", "s.id", "m.space_id")
    .innerJoin("user as u", "u.id", "m.user_id")
    .leftJoin("user as sponsor", "sponsor.id", "m.sponsor_id")
    .select((eb) => [
      eb.fn<string>("concat", ["m.user_id", sql.lit(":"), "m.space_id"]).as("id"),
      "m.joined_at as at",
      "m.space_id",
      "s.slug as space_slug",
      "s.name as space_name",
      "m.user_id as actor_id",
      "u.display_name as actor_name",
      "u.display_name as title",
      "sponsor.display_name as sponsor_name",
      // Let in at their own request: the "sponsor" is then the admin who said yes.
      eb
        .exists(eb.selectFrom("join_request as jr").select("jr.id").whereRef("jr.space_id", "=", "m.space_id").whereRef("jr.user_id", "=", "m.user_id").where("jr.status", "=", "approved"))
        .as("by_request"),
    ])
    .where("m.space_id", "=", spaceId)
    .where("m.user_id", "!=", q.viewerId)
    // The member who opened the club arrived with it: nobody co-opted them.
    .where((eb) => eb.or([eb("s.created_by", "is", null), eb("s.created_by", "!=", eb.ref("m.user_id"))]))
    .where((eb) => after(eb, "member", q, eb.ref("m.joined_at"), eb.fn<string>("concat", ["m.user_id", sql.lit(":"), "m.space_id"])))
    .orderBy("m.joined_at", "desc")
    .orderBy("id", "desc")
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ ...r, kind: "member" as const, by_request: Boolean(r.by_request) }));
}

/** The sources read club by club: each read is then bounded by its (club, time) index, however big the others. */
const BY_CLUB: Record<Exclude<FeedKind, "ask">, (db: Executor, q: FeedQuery, spaceId: string) => Promise<FeedRow[]>> = { file: files, member: members, page: pages, post: posts, workshop: workshops };

/** The feed's order: newest first, then kind, then id, all descending (what `after` reads). */
export function feedOrder(a: Pick<FeedRow, "at" | "kind" | "id">, b: Pick<FeedRow, "at" | "kind" | "id">): number {
  if (a.at !== b.at) return b.at - a.at;
  if (a.kind !== b.kind) return a.kind < b.kind ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Up to `limit` items after the cursor, from every source, in the feed's order. */
export async function feed(db: Executor, q: FeedQuery, kinds: readonly FeedKind[] = FEED_KINDS): Promise<FeedRow[]> {
  const reads: Array<Promise<FeedRow[]>> = [];
  for (const kind of kinds) {
    if (kind === "ask") reads.push(asks(db, q));
    else for (const spaceId of q.spaceIds) reads.push(BY_CLUB[kind](db, q, spaceId));
  }
  return (await Promise.all(reads)).flat().sort(feedOrder).slice(0, q.limit);
}

/** What waits for a club's admins: co-optations to approve, requests to join, workshops proposed. */
export interface AwaitingDecision {
  space_id: string;
  invitations: number;
  requests: number;
  proposals: number;
}

/** Per space, in the spaces where the viewer approves members (`members`) or schedules workshops (`workshops`); spaces with nothing waiting are left out. */
export async function awaitingDecisions(db: Executor, spaces: { members: readonly string[]; workshops: readonly string[] }): Promise<AwaitingDecision[]> {
  const count = (rows: Array<{ space_id: string; n: number | string | bigint }>) => new Map(rows.map((r) => [r.space_id, Number(r.n)]));
  const [invitations, requests, proposals] = await Promise.all([
    spaces.members.length === 0
      ? []
      : db
          .selectFrom("invitation")
          .select((eb) => ["space_id", eb.fn.countAll<number>().as("n")])
          .where("space_id", "in", [...spaces.members])
          .where("status", "=", "pending_approval")
          .groupBy("space_id")
          .execute(),
    spaces.members.length === 0
      ? []
      : db
          .selectFrom("join_request")
          .select((eb) => ["space_id", eb.fn.countAll<number>().as("n")])
          .where("space_id", "in", [...spaces.members])
          .where("status", "=", "pending")
          .groupBy("space_id")
          .execute(),
    spaces.workshops.length === 0
      ? []
      : db
          .selectFrom("workshop")
          .select((eb) => ["space_id", eb.fn.countAll<number>().as("n")])
          .where("space_id", "in", [...spaces.workshops])
          .where("state", "=", "proposed")
          .where("deleted_at", "is", null)
          .groupBy("space_id")
          .execute(),
  ]);
  const [i, r, p] = [count(invitations), count(requests), count(proposals)];
  const ids = [...new Set([...i.keys(), ...r.keys(), ...p.keys()])];
  return ids.map((id) => ({ space_id: id, invitations: i.get(id) ?? 0, requests: r.get(id) ?? 0, proposals: p.get(id) ?? 0 }));
}

/** The workshops a member registered for (going, maybe, or waiting for a seat) that have not ended, soonest first; in one club if named. */
export function nextWorkshopsOf(db: Executor, userId: string, options: { now: number; limit: number; spaceId?: string }) {
  const { now, limit, spaceId } = options;
  return db
    .selectFrom("workshop_registration as r")
    .innerJoin("workshop as w", "w.id", "r.workshop_id")
    .innerJoin("space as s", "s.id", "w.space_id")
    .select(["w.id", "w.title", "w.starts_at", "w.ends_at", "w.time_zone", "w.place", "w.state", "w.visibility", "w.deleted_at", "w.proposed_by", "w.space_id", "s.slug as space_slug", "s.name as space_name", "s.visibility as space_visibility", "s.join_policy as space_join_policy", "s.archived_at as space_archived_at", "r.status"])
    .where("r.user_id", "=", userId)
    .where("r.status", "in", ["going", "maybe", "waiting"])
    .where("w.state", "in", ["scheduled", "cancelled"])
    .where("w.deleted_at", "is", null)
    .where("w.ends_at", ">", now)
    .where((eb) => (spaceId ? eb("w.space_id", "=", spaceId) : eb.lit(true)))
    .orderBy("w.starts_at")
    .orderBy("w.id")
    .limit(limit)
    .execute();
}
