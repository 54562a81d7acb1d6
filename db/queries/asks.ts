import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { ExpressionBuilder } from "kysely";
import type { Ask, AskAudience, AskKind, AskTable, Database, SpaceTable, Visibility } from "../schema.ts";
import type { Region } from "../profile-fields.ts";
import { distinctSkills } from "./people.ts";

/**
 * Asks (issue 16) and what hangs on them: the skills they want, the members
 * their author thanked. Their answers are comments (comments.ts, ask_id).
 * Every lookup by id is by space too: an id from another space finds nothing.
 */

export interface AskFields {
  kind: AskKind;
  audience: AskAudience;
  title: string;
  body: { json: string; html: string; text: string };
  skills: readonly string[];
  region: Region | "";
  deadline: string | null;
  closesAt: number | null;
}

function columnsOf(f: AskFields) {
  return {
    kind: f.kind,
    audience: f.audience,
    title: f.title,
    body_json: f.body.json,
    body_html: f.body.html,
    body_text: f.body.text,
    region: f.region,
    deadline: f.deadline,
    closes_at: f.closesAt,
  };
}

async function setSkills(db: Executor, askId: string, labels: readonly string[]) {
  await db.deleteFrom("ask_skill").where("ask_id", "=", askId).execute();
  const skills = distinctSkills(labels);
  if (skills.length === 0) return;
  await db
    .insertInto("ask_skill")
    .values(skills.map((s, position) => ({ ask_id: askId, skill_key: s.key, label: s.label, position })))
    .execute();
}

export async function insertAsk(db: Executor, input: { spaceId: string; authorId: string; fields: AskFields; now: number }): Promise<Ask> {
  const row: Ask = {
    id: newId(),
    space_id: input.spaceId,
    author_id: input.authorId,
    ...columnsOf(input.fields),
    resolved_at: null,
    created_at: input.now,
    updated_at: input.now,
    deleted_at: null,
    deleted_by: null,
  };
  await db.insertInto("ask").values(row).execute();
  await setSkills(db, row.id, input.fields.skills);
  return row;
}

export async function updateAsk(db: Executor, id: string, fields: AskFields, now: number) {
  await db.updateTable("ask").set({ ...columnsOf(fields), updated_at: now }).where("id", "=", id).execute();
  await setSkills(db, id, fields.skills);
}

/** An ask of this space, in the trash or not. */
export function findAsk(db: Executor, spaceId: string, id: string): Promise<Ask | undefined> {
  return db.selectFrom("ask").selectAll().where("space_id", "=", spaceId).where("id", "=", id).executeTakeFirst();
}

export async function skillsOf(db: Executor, askIds: readonly string[]): Promise<Map<string, Array<{ key: string; label: string }>>> {
  const out = new Map<string, Array<{ key: string; label: string }>>();
  if (askIds.length === 0) return out;
  const rows = await db
    .selectFrom("ask_skill")
    .select(["ask_id", "skill_key", "label"])
    .where("ask_id", "in", [...askIds])
    .orderBy("ask_id")
    .orderBy("position")
    .execute();
  for (const r of rows) {
    const list = out.get(r.ask_id) ?? [];
    list.push({ key: r.skill_key, label: r.label });
    out.set(r.ask_id, list);
  }
  return out;
}

export async function setResolved(db: Executor, id: string, resolvedAt: number | null, now: number) {
  await db.updateTable("ask").set({ resolved_at: resolvedAt, updated_at: now }).where("id", "=", id).execute();
}

export async function setDeleted(db: Executor, id: string, by: string | null, now: number | null) {
  await db.updateTable("ask").set({ deleted_at: now, deleted_by: by }).where("id", "=", id).execute();
}

/** Who answered in the thread (live answers), the author of the ask left out, in order of first answer. */
export async function answerers(db: Executor, askId: string): Promise<Array<{ id: string; name: string }>> {
  const rows = await db
    .selectFrom("comment as c")
    .innerJoin("user as u", "u.id", "c.author_id")
    .innerJoin("ask as a", "a.id", "c.ask_id")
    .select(["u.id", "u.display_name as name", (eb) => eb.fn.min("c.created_at").as("first")])
    .where("c.ask_id", "=", askId)
    .where("c.deleted_at", "is", null)
    .where((eb) => eb.or([eb("a.author_id", "is", null), eb("c.author_id", "!=", eb.ref("a.author_id"))]))
    .groupBy(["u.id", "u.display_name"])
    .orderBy("first")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name }));
}

export async function thankedIds(db: Executor, askId: string): Promise<Set<string>> {
  const rows = await db.selectFrom("ask_thanks").select("user_id").where("ask_id", "=", askId).execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Adds thanks (once each); answers who was newly thanked. */
export async function addThanks(db: Executor, askId: string, userIds: readonly string[], now: number): Promise<string[]> {
  const already = await thankedIds(db, askId);
  const fresh = [...new Set(userIds)].filter((id) => !already.has(id));
  if (fresh.length > 0) await db.insertInto("ask_thanks").values(fresh.map((user_id) => ({ ask_id: askId, user_id, created_at: now }))).execute();
  return fresh;
}

/** How many asks a member was thanked for (a profile's "helped N times"); asks in the trash do not count. */
export async function helpedCount(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("ask_thanks as t")
    .innerJoin("ask as a", "a.id", "t.ask_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("t.user_id", "=", userId)
    .where("a.deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Which asks a reader may read, as the list's query needs it: built by the
 * ask policy (askListScope in app/policies/ask.ts) so that the SQL cannot say
 * otherwise than canReadAsk.
 */
export interface AskScope {
  /** Everything (a network admin). */
  all: boolean;
  /** Spaces whose asks the reader reads whole: theirs. */
  spaceIds: readonly string[];
  /** Visibilities of spaces whose asks every member reads (an open space), while not archived. */
  readableVisibilities: readonly Visibility[];
  /** Visibilities of spaces whose network asks every member reads, while not archived. */
  networkVisibilities: readonly Visibility[];
}

type Joined = Database & { a: AskTable; s: SpaceTable };

/** The reader's scope as a condition on an ask (a) and its space (s). */
export function askInScope(scope: AskScope) {
  return (eb: ExpressionBuilder<Joined, "a" | "s">) => {
    const ways = [eb.and([eb("s.archived_at", "is", null), eb("a.audience", "=", "network"), eb("s.visibility", "in", [...scope.networkVisibilities])])];
    if (scope.spaceIds.length > 0) ways.push(eb("a.space_id", "in", [...scope.spaceIds]));
    if (scope.readableVisibilities.length > 0) ways.push(eb.and([eb("s.archived_at", "is", null), eb("s.visibility", "in", [...scope.readableVisibilities])]));
    return eb.or(ways);
  };
}

export interface AskFilters {
  spaceId?: string;
  kind?: AskKind;
  skillKey?: string;
  region?: Region;
  /** Open (not resolved, deadline not passed), closed, or both. */
  state: "open" | "closed" | "all";
  /** Only the space's trash (a moderator's view of one space). */
  trash?: boolean;
}

export interface AskListRow {
  id: string;
  space_id: string;
  space_slug: string;
  space_name: string;
  author_id: string | null;
  author_name: string | null;
  kind: AskKind;
  audience: AskAudience;
  title: string;
  body_text: string;
  region: Region | "";
  deadline: string | null;
  closes_at: number | null;
  resolved_at: number | null;
  created_at: number;
  deleted_at: number | null;
  answers: number;
}

/** Newest first, `limit` at most, after `before` (the last row of the previous page). */
export function listAsks(db: Executor, scope: AskScope, filters: AskFilters, options: { now: number; limit: number; before?: { at: number; id: string } }): Promise<AskListRow[]> {
  let query = db
    .selectFrom("ask as a")
    .innerJoin("space as s", "s.id", "a.space_id")
    .leftJoin("user as u", "u.id", "a.author_id")
    .select((eb) => [
      "a.id",
      "a.space_id",
      "s.slug as space_slug",
      "s.name as space_name",
      "a.author_id",
      "u.display_name as author_name",
      "a.kind",
      "a.audience",
      "a.title",
      "a.body_text",
      "a.region",
      "a.deadline",
      "a.closes_at",
      "a.resolved_at",
      "a.created_at",
      "a.deleted_at",
      eb
        .selectFrom("comment as c")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("c.ask_id", "=", "a.id")
        .where("c.deleted_at", "is", null)
        .as("answers"),
    ]);
  query = filters.trash ? query.where("a.deleted_at", "is not", null) : query.where("a.deleted_at", "is", null);
  if (!scope.all) {
    query = query.where(askInScope(scope));
  }
  if (filters.spaceId) query = query.where("a.space_id", "=", filters.spaceId);
  if (filters.kind) query = query.where("a.kind", "=", filters.kind);
  if (filters.region) query = query.where("a.region", "=", filters.region);
  if (filters.skillKey) {
    const key = filters.skillKey;
    query = query.where((eb) => eb.exists(eb.selectFrom("ask_skill as k").select("k.ask_id").whereRef("k.ask_id", "=", "a.id").where("k.skill_key", "=", key)));
  }
  const now = options.now;
  if (filters.state === "open") {
    query = query.where("a.resolved_at", "is", null).where((eb) => eb.or([eb("a.closes_at", "is", null), eb("a.closes_at", ">", now)]));
  } else if (filters.state === "closed") {
    query = query.where((eb) => eb.or([eb("a.resolved_at", "is not", null), eb("a.closes_at", "<=", now)]));
  }
  const before = options.before;
  if (before) {
    query = query.where((eb) => eb.or([eb("a.created_at", "<", before.at), eb.and([eb("a.created_at", "=", before.at), eb("a.id", "<", before.id)])]));
  }
  return query.orderBy("a.created_at", "desc").orderBy("a.id", "desc").limit(options.limit).execute() as Promise<AskListRow[]>;
}

/** The spaces a list of asks may be filtered by: those of the scope that hold asks the reader may read. */
export function spacesWithAsks(db: Executor, scope: AskScope) {
  let query = db
    .selectFrom("ask as a")
    .innerJoin("space as s", "s.id", "a.space_id")
    .select(["s.id", "s.slug", "s.name"])
    .distinct()
    .where("a.deleted_at", "is", null);
  if (!scope.all) {
    query = query.where(askInScope(scope));
  }
  return query.orderBy("s.name").execute();
}
