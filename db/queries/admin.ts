import { sql } from "kysely";
import type { Executor } from "../client.ts";
import { searchable } from "../text.ts";

/**
 * The network admin's console (issue 20): the facts its pages show and the
 * few writes of its own (an account deactivated or back). The rules (who
 * may, what may not be done to whom) are app/admin/'s.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** The one network row of a deployment (db/queries/network.ts). */
const NETWORK_ID = "network";

/** An account's state as the console names it. Deleted accounts (their row stays, empty) are listed nowhere. */
export const MEMBER_STATUSES = ["active", "deactivated", "leaving"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const SIGN_IN_FILTERS = ["never", "30", "90"] as const;
export type SignInFilter = (typeof SIGN_IN_FILTERS)[number];

export interface MemberFilters {
  /** Words of a name, or part of an address. */
  q: string;
  status: MemberStatus | null;
  spaceId: string | null;
  /** "never": not once; "30", "90": not in that many days (never included). */
  signIn: SignInFilter | null;
  /** "on": a confirmed authenticator (second_factor tables, engineer A's part of issue 20); "off": none. */
  secondFactor: "on" | "off" | null;
}

/** LIKE's own characters taken literally: an address holds "_" often. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function membersQuery(db: Executor, filters: MemberFilters, now: number) {
  let query = db.selectFrom("user as u").where("u.deleted_at", "is", null);
  const words = searchable(filters.q).trim().split(" ").filter(Boolean).slice(0, 8);
  const needle = filters.q.trim().toLowerCase().slice(0, 200);
  if (needle) {
    query = query.where((eb) => {
      // Raw SQL for ESCAPE, which Kysely's builder does not write; PostgreSQL reads it the same.
      const byEmail = sql<boolean>`lower(u.email) LIKE ${`%${likeLiteral(needle)}%`} ESCAPE '\\'`;
      // A search of signs only ("%%", "--") has no words: the address alone is searched.
      return words.length ? eb.or([eb.and(words.map((w) => eb("u.name_search", "like", `% ${w}%`))), byEmail]) : eb.and([byEmail]);
    });
  }
  if (filters.status === "active") query = query.where("u.deactivated_at", "is", null).where("u.deletion_due_at", "is", null);
  if (filters.status === "deactivated") query = query.where("u.deactivated_at", "is not", null);
  if (filters.status === "leaving") query = query.where("u.deletion_due_at", "is not", null);
  if (filters.spaceId) {
    const spaceId = filters.spaceId;
    query = query.where(({ exists, selectFrom }) =>
      exists(selectFrom("space_member as m").select("m.user_id").whereRef("m.user_id", "=", "u.id").where("m.space_id", "=", spaceId)),
    );
  }
  if (filters.signIn === "never") query = query.where("u.last_sign_in_at", "is", null);
  if (filters.signIn === "30" || filters.signIn === "90") {
    const since = now - Number(filters.signIn) * DAY_MS;
    query = query.where((eb) => eb.or([eb("u.last_sign_in_at", "is", null), eb("u.last_sign_in_at", "<", since)]));
  }
  if (filters.secondFactor) {
    const wanted = filters.secondFactor === "on";
    query = query.where(({ exists, not, or, selectFrom }) => {
      // A confirmed authenticator or at least one passkey (issue 20): either is a second factor.
      const has = or([
        exists(selectFrom("totp_factor as f").select("f.user_id").whereRef("f.user_id", "=", "u.id").where("f.confirmed_at", "is not", null)),
        exists(selectFrom("passkey as k").select("k.user_id").whereRef("k.user_id", "=", "u.id")),
      ]);
      return wanted ? has : not(has);
    });
  }
  return query;
}

/** One page of the members matching the filters, by name, and how many match in all. */
export async function listMembers(db: Executor, filters: MemberFilters, options: { now: number; offset: number; limit: number }) {
  const base = membersQuery(db, filters, options.now);
  const [total, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    base
      .select((eb) => [
        "u.id",
        "u.display_name",
        "u.email",
        "u.is_network_admin",
        "u.deactivated_at",
        "u.deletion_due_at",
        "u.last_sign_in_at",
        "u.created_at",
        eb.selectFrom("space_member as m").select((c) => c.fn.countAll<number>().as("n")).whereRef("m.user_id", "=", "u.id").as("clubs"),
      ])
      .orderBy("u.name_search")
      .orderBy("u.id")
      .offset(options.offset)
      .limit(options.limit)
      .execute(),
  ]);
  return { total: Number(total.n), rows: rows.map((r) => ({ ...r, clubs: Number(r.clubs ?? 0) })) };
}

/** A member as the console shows them: the account, its clubs, who co-opted them and whom they co-opted. */
export async function memberDetail(db: Executor, userId: string) {
  const user = await db
    .selectFrom("user as u")
    .leftJoin("user as s", "s.id", "u.sponsor_id")
    .leftJoin("user as d", "d.id", "u.deactivated_by")
    .select([
      "u.id",
      "u.display_name",
      "u.email",
      "u.is_network_admin",
      "u.created_at",
      "u.deactivated_at",
      "u.deletion_due_at",
      "u.last_sign_in_at",
      "u.sponsor_id",
      "s.display_name as sponsor_name",
      "d.display_name as deactivated_by_name",
    ])
    .where("u.id", "=", userId)
    .where("u.deleted_at", "is", null)
    .executeTakeFirst();
  if (!user) return null;
  const [memberships, sponsored, sessions, secondFactor, passkeys] = await Promise.all([
    db
      .selectFrom("space_member as m")
      .innerJoin("space as s", "s.id", "m.space_id")
      .leftJoin("user as p", "p.id", "m.sponsor_id")
      .select(["s.id", "s.slug", "s.name", "s.archived_at", "m.role", "m.joined_at", "m.sponsor_id", "p.display_name as sponsor_name"])
      .where("m.user_id", "=", userId)
      .orderBy("s.name")
      .execute(),
    // Whom they brought in: to the network (their first club) or to another club since.
    db
      .selectFrom("space_member as m")
      .innerJoin("user as u", "u.id", "m.user_id")
      .innerJoin("space as s", "s.id", "m.space_id")
      .select(["u.id", "u.display_name", "u.deleted_at", "s.name as space_name", "m.joined_at"])
      .where("m.sponsor_id", "=", userId)
      .orderBy("m.joined_at", "desc")
      .limit(200)
      .execute(),
    db.selectFrom("session").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow(),
    // A confirmed authenticator (engineer A's tables): what the console's filter calls "second factor on".
    db.selectFrom("totp_factor").select("user_id").where("user_id", "=", userId).where("confirmed_at", "is not", null).executeTakeFirst(),
    // Passkeys count as a second factor too.
    db.selectFrom("passkey").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow(),
  ]);
  const factors = { totp: secondFactor !== undefined, passkeys: Number(passkeys.n) };
  return { user, memberships, sponsored, openSessions: Number(sessions.n), secondFactor: factors.totp || factors.passkeys > 0, factors };
}

/** Network admins still able to act (not deactivated, not deleted). */
export async function activeNetworkAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("user")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("is_network_admin", "=", 1)
    .where("deactivated_at", "is", null)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Deactivates an account and ends its sessions; false when it was not active (already deactivated, deleted, unknown). */
export async function deactivateUser(db: Executor, userId: string, byId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("user")
    .set({ deactivated_at: now, deactivated_by: byId, updated_at: now })
    .where("id", "=", userId)
    .where("deactivated_at", "is", null)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await db.deleteFrom("session").where("user_id", "=", userId).execute();
  return true;
}

/** Lifts a deactivation; false when the account was not deactivated. */
export async function reactivateUser(db: Executor, userId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("user")
    .set({ deactivated_at: null, deactivated_by: null, updated_at: now })
    .where("id", "=", userId)
    .where("deactivated_at", "is not", null)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Invitations still open across the network (waiting for approval, or sent and not expired), newest first. */
export function openInvitations(db: Executor, now: number, options: { limit: number; email?: string }) {
  let query = db
    .selectFrom("invitation as i")
    .innerJoin("space as s", "s.id", "i.space_id")
    .innerJoin("user as p", "p.id", "i.sponsor_id")
    .select(["i.id", "i.email", "i.role", "i.status", "i.created_at", "i.expires_at", "s.id as space_id", "s.slug as space_slug", "s.name as space_name", "s.archived_at", "p.display_name as sponsor_name"])
    .where((eb) => eb.or([eb("i.status", "=", "pending_approval"), eb.and([eb("i.status", "=", "sent"), eb("i.expires_at", ">", now)])]));
  if (options.email) query = query.where("i.email", "=", options.email);
  return query.orderBy("i.created_at", "desc").orderBy("i.id", "desc").limit(options.limit).execute();
}

export function findInvitation(db: Executor, invitationId: string) {
  return db.selectFrom("invitation").selectAll().where("id", "=", invitationId).executeTakeFirst();
}

/**
 * Every space with what the console shows of it: members, bytes stored
 * (every version, the trash too, as the quota counts them: files.ts
 * spaceUsage, less the room uploads under way hold), and what was done in it
 * since `since`: wiki edits, articles published, comments, file versions
 * uploaded. Five grouped queries, whatever the number of spaces.
 */
export async function spacesOverview(db: Executor, since: number) {
  const [spaces, members, stored, edits, posts, comments, uploads] = await Promise.all([
    db.selectFrom("space").select(["id", "slug", "name", "kind", "visibility", "storage_quota_bytes", "archived_at", "created_at"]).orderBy("name").execute(),
    db.selectFrom("space_member").select((eb) => ["space_id", eb.fn.countAll<number>().as("n")]).groupBy("space_id").execute(),
    db.selectFrom("file_version").select((eb) => ["space_id", eb.fn.sum<number>("size").as("n")]).groupBy("space_id").execute(),
    db
      .selectFrom("page_revision as r")
      .innerJoin("page as p", "p.id", "r.page_id")
      .select((eb) => ["p.space_id", eb.fn.countAll<number>().as("n")])
      .where("r.created_at", ">=", since)
      .groupBy("p.space_id")
      .execute(),
    db.selectFrom("post").select((eb) => ["space_id", eb.fn.countAll<number>().as("n")]).where("published_at", ">=", since).groupBy("space_id").execute(),
    db.selectFrom("comment").select((eb) => ["space_id", eb.fn.countAll<number>().as("n")]).where("created_at", ">=", since).groupBy("space_id").execute(),
    db.selectFrom("file_version").select((eb) => ["space_id", eb.fn.countAll<number>().as("n")]).where("created_at", ">=", since).groupBy("space_id").execute(),
  ]);
  const bySpace = (rows: Array<{ space_id: string; n: number | string | null }>) => new Map(rows.map((r) => [r.space_id, Number(r.n ?? 0)]));
  const [m, s, e, p, c, u] = [members, stored, edits, posts, comments, uploads].map(bySpace);
  return spaces.map((space) => ({
    ...space,
    members: m.get(space.id) ?? 0,
    storedBytes: s.get(space.id) ?? 0,
    activity: { edits: e.get(space.id) ?? 0, posts: p.get(space.id) ?? 0, comments: c.get(space.id) ?? 0, uploads: u.get(space.id) ?? 0 },
  }));
}

/** The network's settings the console changes; a null leaves the default (the deployment's). */
export async function updateNetworkSettings(
  db: Executor,
  input: { name: string; defaultLocale: "fr" | "en"; mailFromName: string | null; mailFromAddress: string | null },
) {
  await db
    .updateTable("network")
    .set({ name: input.name, default_locale: input.defaultLocale, mail_from_name: input.mailFromName, mail_from_address: input.mailFromAddress })
    .where("id", "=", NETWORK_ID)
    .execute();
}

export async function setNetworkLogo(db: Executor, logoKey: string | null) {
  await db.updateTable("network").set({ logo_key: logoKey }).where("id", "=", NETWORK_ID).execute();
}
