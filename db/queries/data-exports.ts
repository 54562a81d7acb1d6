import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { Database, DataExportTable } from "../schema.ts";
import type { ExpressionBuilder, Selectable } from "kysely";

/**
 * A member's data exports (issue 19): the row's life (requested, claimed and
 * built, ready or failed, expired) and the claim that makes each one built
 * exactly once across processes and restarts.
 */

export type DataExport = Selectable<DataExportTable>;

const UNDER_WAY = ["requested", "building"] as const;

/** The export being built for this member, if any (at most one: a unique index holds it). */
export function findUnderWay(db: Executor, userId: string): Promise<DataExport | undefined> {
  return db.selectFrom("data_export").selectAll().where("user_id", "=", userId).where("state", "in", [...UNDER_WAY]).executeTakeFirst();
}

/** A member's exports, newest first (the settings page shows the latest few). */
export function listForUser(db: Executor, userId: string, limit = 5): Promise<DataExport[]> {
  return db.selectFrom("data_export").selectAll().where("user_id", "=", userId).orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
}

/** One export of this member's; another member's id is not found. */
export function findForUser(db: Executor, userId: string, id: string): Promise<DataExport | undefined> {
  return db.selectFrom("data_export").selectAll().where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
}

/** The member's export that is ready and not yet downloaded, while it lasts: the home says so (app/home). */
export function findReadyNotDownloaded(db: Executor, userId: string, now: number): Promise<Pick<DataExport, "id" | "expires_at"> | undefined> {
  return db
    .selectFrom("data_export")
    .select(["id", "expires_at"])
    .where("user_id", "=", userId)
    .where("state", "=", "ready")
    .where("downloaded_at", "is", null)
    .where("expires_at", ">", now)
    .orderBy("ready_at", "desc")
    .executeTakeFirst();
}

export async function insertRequest(db: Executor, userId: string, now: number): Promise<DataExport> {
  const row = { id: newId(), user_id: userId, state: "requested" as const, created_at: now };
  await db.insertInto("data_export").values(row).execute();
  return (await db.selectFrom("data_export").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow()) as DataExport;
}

/**
 * Claims one export to build, oldest first: one waiting, or one whose builder's
 * claim ran out (it died). One UPDATE, whose subquery SQLite reads under the
 * write lock the statement holds: of two processes sweeping at once, one gets it.
 * PostgreSQL reads the subquery once, before waiting for the row another
 * sweeper is updating: the UPDATE's own WHERE repeats the claim's conditions,
 * which PostgreSQL checks again on the row as that sweeper left it, so the
 * later one claims nothing. An export tried `maxAttempts` times is left for
 * giveUpTried.
 */
export async function claimNext(db: Executor, options: { by: string; now: number; claimMs: number; maxAttempts: number }): Promise<DataExport | undefined> {
  await giveUpTried(db, options);
  const claimed = await db
    .updateTable("data_export")
    .set((eb) => ({
      state: "building",
      claimed_by: options.by,
      claimed_until: options.now + options.claimMs,
      attempts: eb("attempts", "+", 1),
      started_at: options.now,
      done: 0,
    }))
    .where("id", "=", db.selectFrom("data_export").select("id").where(claimable(options)).orderBy("created_at").limit(1))
    .where(claimable(options))
    .returningAll()
    .executeTakeFirst();
  return claimed as DataExport | undefined;
}

/** An export a sweeper may take: waiting, or building under a claim that ran out, and tried fewer than `maxAttempts` times. */
function claimable(options: { now: number; maxAttempts: number }) {
  return (eb: ExpressionBuilder<Database, "data_export">) =>
    eb.and([
      eb("attempts", "<", options.maxAttempts),
      eb.or([
        eb("state", "=", "requested"),
        eb.and([eb("state", "=", "building"), eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", options.now)])]),
      ]),
    ]);
}

/** Exports whose every try died mid-way: failed, so they stop coming back and the member may ask again. */
async function giveUpTried(db: Executor, options: { now: number; maxAttempts: number }) {
  await db
    .updateTable("data_export")
    .set({ state: "failed", error: "attempts", claimed_by: null, claimed_until: null })
    .where("state", "=", "building")
    .where("attempts", ">=", options.maxAttempts)
    .where("claimed_until", "<", options.now)
    .execute();
}

/**
 * Records progress and pushes the claim forward, if the claim is still `by`'s.
 * False: it was taken over (this builder was presumed dead), so it stops.
 */
export async function recordProgress(db: Executor, input: { id: string; by: string; done: number; total: number; until: number }): Promise<boolean> {
  const result = await db
    .updateTable("data_export")
    .set({ done: input.done, total: input.total, claimed_until: input.until })
    .where("id", "=", input.id)
    .where("claimed_by", "=", input.by)
    .where("state", "=", "building")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markReady(
  db: Executor,
  input: { id: string; by: string; storageKey: string; size: number; files: number; now: number; expiresAt: number },
): Promise<boolean> {
  const result = await db
    .updateTable("data_export")
    .set((eb) => ({
      state: "ready",
      storage_key: input.storageKey,
      size: input.size,
      files: input.files,
      done: eb.ref("total"),
      ready_at: input.now,
      expires_at: input.expiresAt,
      claimed_by: null,
      claimed_until: null,
    }))
    .where("id", "=", input.id)
    .where("claimed_by", "=", input.by)
    .where("state", "=", "building")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markFailed(db: Executor, input: { id: string; by: string; error: string }): Promise<boolean> {
  const result = await db
    .updateTable("data_export")
    .set({ state: "failed", error: input.error.slice(0, 200), claimed_by: null, claimed_until: null })
    .where("id", "=", input.id)
    .where("claimed_by", "=", input.by)
    .where("state", "=", "building")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markDownloaded(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable("data_export").set({ downloaded_at: now }).where("id", "=", id).execute();
}

/** Ready exports past their 7 days, for housekeeping to delete with their zip. */
export function listExpired(db: Executor, now: number, limit: number): Promise<Array<Pick<DataExport, "id" | "storage_key">>> {
  return db.selectFrom("data_export").select(["id", "storage_key"]).where("expires_at", "<=", now).orderBy("expires_at").limit(limit).execute();
}

/** Failed exports a week old: only a record, and the member may ask again anyway. */
export async function deleteFailedBefore(db: Executor, before: number): Promise<void> {
  await db.deleteFrom("data_export").where("state", "=", "failed").where("created_at", "<", before).execute();
}

export async function deleteExport(db: Executor, id: string): Promise<void> {
  await db.deleteFrom("data_export").where("id", "=", id).execute();
}

// ---------------------------------------------------------------------------
// What goes in a member's export: their own rows, and of anyone else only a
// display name (never a profile field, an address or someone else's words).

export function exportProfile(db: Executor, userId: string) {
  return db.selectFrom("user").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
}

export function exportSkills(db: Executor, userId: string) {
  return db.selectFrom("user_skill").select(["label"]).where("user_id", "=", userId).orderBy("position").execute();
}

export function exportMemberships(db: Executor, userId: string) {
  return db
    .selectFrom("space_member as m")
    .innerJoin("space as s", "s.id", "m.space_id")
    .leftJoin("user as sponsor", "sponsor.id", "m.sponsor_id")
    .select(["s.name as space", "s.slug as space_slug", "m.role", "m.joined_at", "sponsor.display_name as sponsor"])
    .where("m.user_id", "=", userId)
    .orderBy("m.joined_at")
    .execute();
}

export function exportJoinRequests(db: Executor, userId: string) {
  return db
    .selectFrom("join_request as j")
    .innerJoin("space as s", "s.id", "j.space_id")
    .select(["s.name as space", "j.message", "j.status", "j.created_at", "j.decided_at", "j.refusal_reason"])
    .where("j.user_id", "=", userId)
    .orderBy("j.created_at")
    .execute();
}

/** Co-optations the member made: the club, the role and what became of it — not the address they wrote to (someone else's). */
export function exportInvitations(db: Executor, userId: string) {
  return db
    .selectFrom("invitation as i")
    .innerJoin("space as s", "s.id", "i.space_id")
    .leftJoin("user as joined", "joined.id", "i.accepted_by")
    .select(["s.name as space", "i.role", "i.message", "i.status", "i.created_at", "joined.display_name as accepted_by"])
    .where("i.sponsor_id", "=", userId)
    .orderBy("i.created_at")
    .execute();
}

export function exportPagesCreated(db: Executor, userId: string) {
  return db
    .selectFrom("page as p")
    .innerJoin("space as s", "s.id", "p.space_id")
    .select(["p.id", "p.title", "p.slug", "s.name as space", "s.slug as space_slug", "p.created_at", "p.deleted_at"])
    .where("p.created_by", "=", userId)
    .orderBy("p.created_at")
    .execute();
}

export function exportPageRevisions(db: Executor, userId: string) {
  return db
    .selectFrom("page_revision as r")
    .innerJoin("page as p", "p.id", "r.page_id")
    .innerJoin("space as s", "s.id", "p.space_id")
    .select(["r.page_id", "p.title as page_title", "p.slug as page_slug", "s.name as space", "s.slug as space_slug", "r.number", "r.title", "r.summary", "r.content_text", "r.content_json", "r.created_at"])
    .where("r.author_id", "=", userId)
    .orderBy("r.created_at")
    .orderBy("r.number")
    .execute();
}

export function exportPosts(db: Executor, userId: string) {
  return db
    .selectFrom("post as p")
    .innerJoin("space as s", "s.id", "p.space_id")
    .select([
      "p.id",
      "p.title",
      "p.slug",
      "s.name as space",
      "s.slug as space_slug",
      "p.state",
      "p.visibility",
      "p.excerpt",
      "p.content_text",
      "p.content_html",
      "p.created_at",
      "p.published_at",
      "p.publish_at",
      "p.updated_at",
      "p.deleted_at",
    ])
    .where("p.author_id", "=", userId)
    .orderBy("p.created_at")
    .execute();
}

export function exportPostTags(db: Executor, postIds: string[]) {
  if (postIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("post_tag").select(["post_id", "label"]).where("post_id", "in", postIds).execute();
}

export function exportPostRevisions(db: Executor, userId: string) {
  return db
    .selectFrom("post_revision as r")
    .innerJoin("post as p", "p.id", "r.post_id")
    .select(["r.post_id", "p.title as post_title", "r.number", "r.title", "r.excerpt", "r.summary", "r.content_text", "r.created_at"])
    .where("r.author_id", "=", userId)
    .orderBy("r.created_at")
    .orderBy("r.number")
    .execute();
}

/** The member's own comments, with what they are on (its title and club); never the other comments of the thread. */
export function exportComments(db: Executor, userId: string) {
  return db
    .selectFrom("comment as c")
    .innerJoin("space as s", "s.id", "c.space_id")
    .leftJoin("post as p", "p.id", "c.post_id")
    .leftJoin("page as pg", "pg.id", "c.page_id")
    .leftJoin("ask as a", "a.id", "c.ask_id")
    .leftJoin("workshop as w", "w.id", "c.workshop_id")
    .select([
      "c.id",
      "c.body_text",
      "c.body_html",
      "c.created_at",
      "c.edited_at",
      "c.deleted_at",
      "c.parent_id",
      "s.name as space",
      "s.slug as space_slug",
      "c.post_id",
      "p.slug as post_slug",
      "p.title as post_title",
      "c.page_id",
      "pg.slug as page_slug",
      "pg.title as page_title",
      "c.ask_id",
      "a.title as ask_title",
      "c.workshop_id",
      "w.title as workshop_title",
    ])
    .where("c.author_id", "=", userId)
    .orderBy("c.created_at")
    .execute();
}

export function exportAsks(db: Executor, userId: string) {
  return db
    .selectFrom("ask as a")
    .innerJoin("space as s", "s.id", "a.space_id")
    .select(["a.id", "a.kind", "a.audience", "a.title", "a.body_text", "a.region", "a.deadline", "a.resolved_at", "a.created_at", "a.updated_at", "a.deleted_at", "s.name as space", "s.slug as space_slug"])
    .where("a.author_id", "=", userId)
    .orderBy("a.created_at")
    .execute();
}

export function exportAskSkills(db: Executor, askIds: string[]) {
  if (askIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("ask_skill").select(["ask_id", "label"]).where("ask_id", "in", askIds).orderBy("position").execute();
}

/** Whom the member thanked on their asks: display names only. */
export function exportAskThanks(db: Executor, askIds: string[]) {
  if (askIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("ask_thanks as t")
    .innerJoin("user as u", "u.id", "t.user_id")
    .select(["t.ask_id", "u.display_name", "t.created_at"])
    .where("t.ask_id", "in", askIds)
    .execute();
}

export function exportRegistrations(db: Executor, userId: string) {
  return db
    .selectFrom("workshop_registration as r")
    .innerJoin("workshop as w", "w.id", "r.workshop_id")
    .innerJoin("space as s", "s.id", "w.space_id")
    .leftJoin("workshop_attendance as at", (join) => join.onRef("at.workshop_id", "=", "r.workshop_id").onRef("at.user_id", "=", "r.user_id"))
    .select(["w.id", "w.title", "s.name as space", "s.slug as space_slug", "w.starts_at", "w.ends_at", "w.time_zone", "w.state", "r.status", "r.note", "r.created_at", "r.updated_at", "at.user_id as attended"])
    .where("r.user_id", "=", userId)
    .orderBy("w.starts_at")
    .execute();
}

export function exportWorkshopsProposed(db: Executor, userId: string) {
  return db
    .selectFrom("workshop as w")
    .innerJoin("space as s", "s.id", "w.space_id")
    .select(["w.id", "w.title", "s.name as space", "s.slug as space_slug", "w.state", "w.starts_at", "w.description_text", "w.created_at"])
    .where((eb) => eb.or([eb("w.proposed_by", "=", userId), eb("w.created_by", "=", userId)]))
    .orderBy("w.created_at")
    .execute();
}

/** The conversations the member is (or was) in: when they were there. */
export function exportConversations(db: Executor, userId: string) {
  return db
    .selectFrom("conversation_member as cm")
    .innerJoin("conversation as c", "c.id", "cm.conversation_id")
    .select(["c.id", "c.created_at", "cm.joined_at", "cm.left_at", "cm.muted"])
    .where("cm.user_id", "=", userId)
    .orderBy("c.created_at")
    .execute();
}

/** Who else is in those conversations: their display name, nothing more. */
export function exportConversationPeople(db: Executor, conversationIds: string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("conversation_member as cm")
    .innerJoin("user as u", "u.id", "cm.user_id")
    .select(["cm.conversation_id", "u.id as user_id", "u.display_name"])
    .where("cm.conversation_id", "in", conversationIds)
    .execute();
}

/** The messages of one conversation while the member was in it: theirs to read then, theirs to take. */
export function exportMessages(db: Executor, input: { conversationId: string; from: number; until: number | null }) {
  let query = db
    .selectFrom("message as m")
    .leftJoin("user as u", "u.id", "m.author_id")
    .select(["m.id", "m.author_id", "u.display_name as author", "m.body_text", "m.created_at", "m.deleted_at"])
    .where("m.conversation_id", "=", input.conversationId)
    .where("m.created_at", ">=", input.from);
  if (input.until !== null) query = query.where("m.created_at", "<=", input.until);
  return query.orderBy("m.created_at").orderBy("m.id").execute();
}

export function exportContactRequests(db: Executor, userId: string) {
  return db
    .selectFrom("contact_request as r")
    .innerJoin("user as f", "f.id", "r.from_id")
    .innerJoin("user as t", "t.id", "r.to_id")
    .select(["r.from_id", "f.display_name as from_name", "t.display_name as to_name", "r.state", "r.created_at", "r.decided_at"])
    .where((eb) => eb.or([eb("r.from_id", "=", userId), eb("r.to_id", "=", userId)]))
    .orderBy("r.created_at")
    .execute();
}

export function exportNotificationChoices(db: Executor, userId: string) {
  return db.selectFrom("notification_choice").select(["kind", "delivery", "updated_at"]).where("user_id", "=", userId).orderBy("kind").execute();
}

export function exportClubLevels(db: Executor, userId: string) {
  return db
    .selectFrom("club_notification_level as l")
    .innerJoin("space as s", "s.id", "l.space_id")
    .select(["s.name as space", "l.level", "l.updated_at"])
    .where("l.user_id", "=", userId)
    .execute();
}

export function exportBlocks(db: Executor, userId: string) {
  return db
    .selectFrom("user_block as b")
    .innerJoin("user as u", "u.id", "b.blocked_id")
    .select(["u.display_name", "b.created_at"])
    .where("b.blocker_id", "=", userId)
    .execute();
}

/** Every notification the member received, with what it was about (a title) and who it came from (a name). */
export function exportNotifications(db: Executor, userId: string) {
  return db
    .selectFrom("notification as n")
    .innerJoin("space as s", "s.id", "n.space_id")
    .leftJoin("user as a", "a.id", "n.actor_id")
    .leftJoin("post as p", (join) => join.onRef("p.id", "=", "n.owner_id").on("n.owner_kind", "=", "post"))
    .leftJoin("page as pg", (join) => join.onRef("pg.id", "=", "n.owner_id").on("n.owner_kind", "=", "page"))
    .leftJoin("ask as k", (join) => join.onRef("k.id", "=", "n.owner_id").on("n.owner_kind", "=", "ask"))
    .leftJoin("workshop as w", (join) => join.onRef("w.id", "=", "n.owner_id").on("n.owner_kind", "=", "workshop"))
    .select(["n.kind", "n.owner_kind", "s.name as space", "a.display_name as from", "p.title as post_title", "pg.title as page_title", "k.title as ask_title", "w.title as workshop_title", "n.created_at", "n.read_at"])
    .where("n.user_id", "=", userId)
    .orderBy("n.created_at")
    .execute();
}

/** Every version of a file the member uploaded (the trash's too), with where it sits. */
export function exportFileVersions(db: Executor, userId: string) {
  return db
    .selectFrom("file_version as v")
    .innerJoin("file as f", "f.id", "v.file_id")
    .innerJoin("space as s", "s.id", "v.space_id")
    .select([
      "v.id",
      "v.file_id",
      "v.number",
      "v.storage_key",
      "v.size",
      "v.content_type",
      "v.sha256",
      "v.original_name",
      "v.created_at",
      "f.name",
      "f.version as current_version",
      "f.folder_id",
      "f.deleted_at",
      "s.name as space",
      "s.slug as space_slug",
    ])
    .where("v.uploaded_by", "=", userId)
    .orderBy("s.slug")
    .orderBy("v.created_at")
    .orderBy("v.number")
    .execute();
}

/** The folders of these spaces, to name a file's place in the zip as it is in the club. */
export function exportFolders(db: Executor, spaceIds: string[]) {
  if (spaceIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("folder").select(["id", "parent_id", "name"]).where("space_id", "in", spaceIds).execute();
}

export function exportFolderSpaces(db: Executor, fileIds: string[]) {
  if (fileIds.length === 0) return Promise.resolve([]);
  return db.selectFrom("file").select(["space_id"]).distinct().where("id", "in", fileIds).execute();
}

export function exportWikiImages(db: Executor, userId: string) {
  return db
    .selectFrom("wiki_image as i")
    .innerJoin("space as s", "s.id", "i.space_id")
    .select(["i.id", "i.space_id", "i.content_type", "i.size", "i.sha256", "i.created_at", "s.name as space", "s.slug as space_slug"])
    .where("i.uploaded_by", "=", userId)
    .orderBy("i.created_at")
    .execute();
}
