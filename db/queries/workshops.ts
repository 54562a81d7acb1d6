import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { Workshop, WorkshopState } from "../schema.ts";

/** What a workshop form writes (the commands check it first). */
export interface WorkshopFields {
  title: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  place: string | null;
  videoUrl: string | null;
  outsideSpeaker: string | null;
  capacity: number | null;
  registrationClosesAt: number | null;
  description: { json: string; html: string; text: string };
  coverFileId: string | null;
  visibility: "space" | "network";
}

/** The form's fields as the table's columns, for a new workshop and an edit alike. */
function columnsOf(f: WorkshopFields) {
  return {
    title: f.title,
    starts_at: f.startsAt,
    ends_at: f.endsAt,
    time_zone: f.timeZone,
    place: f.place,
    video_url: f.videoUrl,
    outside_speaker: f.outsideSpeaker,
    capacity: f.capacity,
    registration_closes_at: f.registrationClosesAt,
    description_json: f.description.json,
    description_html: f.description.html,
    description_text: f.description.text,
    cover_file_id: f.coverFileId,
    visibility: f.visibility,
  };
}

export function findWorkshop(db: Executor, spaceId: string, id: string) {
  // Always by space too: the id of another space's workshop finds nothing here.
  return db.selectFrom("workshop").selectAll().where("space_id", "=", spaceId).where("id", "=", id).executeTakeFirst();
}

export async function facilitatorIds(db: Executor, workshopId: string): Promise<string[]> {
  const rows = await db.selectFrom("workshop_facilitator").select("user_id").where("workshop_id", "=", workshopId).execute();
  return rows.map((r) => r.user_id);
}

export function facilitators(db: Executor, workshopId: string) {
  return db
    .selectFrom("workshop_facilitator")
    .innerJoin("user", "user.id", "workshop_facilitator.user_id")
    .select(["user.id", "user.display_name as name"])
    .where("workshop_facilitator.workshop_id", "=", workshopId)
    .orderBy("user.display_name")
    .execute();
}

/** Which of these people are members of the space (any role). */
export async function membersAmong(db: Executor, spaceId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom("space_member").select("user_id").where("space_id", "=", spaceId).where("user_id", "in", [...userIds]).execute();
  return new Set(rows.map((r) => r.user_id));
}

export async function insertWorkshop(
  db: Executor,
  input: { spaceId: string; state: WorkshopState; fields: WorkshopFields; facilitatorIds: readonly string[]; actorId: string; proposedBy: string | null; previousId: string | null; now: number },
): Promise<string> {
  const id = newId();
  await db
    .insertInto("workshop")
    .values({
      id,
      space_id: input.spaceId,
      ...columnsOf(input.fields),
      state: input.state,
      previous_id: input.previousId,
      proposed_by: input.proposedBy,
      created_by: input.actorId,
      created_at: input.now,
      updated_by: input.actorId,
      updated_at: input.now,
    })
    .execute();
  await setFacilitators(db, id, input.facilitatorIds);
  return id;
}

export async function setFacilitators(db: Executor, workshopId: string, userIds: readonly string[]) {
  await db.deleteFrom("workshop_facilitator").where("workshop_id", "=", workshopId).execute();
  const unique = [...new Set(userIds)];
  if (unique.length > 0) await db.insertInto("workshop_facilitator").values(unique.map((user_id) => ({ workshop_id: workshopId, user_id }))).execute();
}

/** Writes the fields on top of `baseRevision` only; false when someone saved meanwhile. */
export async function updateWorkshop(
  db: Executor,
  input: { id: string; baseRevision: number; fields: WorkshopFields; raiseSequence: boolean; actorId: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable("workshop")
    .set((eb) => ({
      ...columnsOf(input.fields),
      revision: eb("revision", "+", 1),
      sequence: input.raiseSequence ? eb("sequence", "+", 1) : eb.ref("sequence"),
      updated_by: input.actorId,
      updated_at: input.now,
    }))
    .where("id", "=", input.id)
    .where("revision", "=", input.baseRevision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setState(
  db: Executor,
  id: string,
  changes: Partial<{ state: WorkshopState; decided_by: string; decided_at: number; decline_reason: string | null; cancelled_at: number; cancel_reason: string }>,
  actorId: string,
  now: number,
) {
  await db
    .updateTable("workshop")
    .set((eb) => ({ ...changes, revision: eb("revision", "+", 1), sequence: eb("sequence", "+", 1), updated_by: actorId, updated_at: now }))
    .where("id", "=", id)
    .execute();
}

export async function setDeleted(db: Executor, id: string, deleted: { at: number; by: string } | null) {
  await db
    .updateTable("workshop")
    .set({ deleted_at: deleted?.at ?? null, deleted_by: deleted?.by ?? null })
    .where("id", "=", id)
    .execute();
}

/** People registered going, waiting or maybe: those a cancellation is told to. */
export async function registeredIds(db: Executor, workshopId: string): Promise<string[]> {
  const rows = await db.selectFrom("workshop_registration").select("user_id").where("workshop_id", "=", workshopId).where("status", "in", ["going", "waiting", "maybe"]).execute();
  return rows.map((r) => r.user_id);
}

/**
 * What a list of workshops shows and its policy reads: never the description
 * (up to megabytes of Lexical JSON and HTML per row), which only the page needs.
 */
const LIST_COLUMNS = [
  "id",
  "title",
  "state",
  "starts_at",
  "ends_at",
  "time_zone",
  "place",
  "video_url",
  "outside_speaker",
  "capacity",
  "visibility",
  "proposed_by",
  "deleted_at",
  "attendance_recorded_at",
  "created_at",
] as const;
export type WorkshopListRow = Pick<Workshop, (typeof LIST_COLUMNS)[number]>;

/** The space's workshops a list shows (not in the trash), earliest first. */
export function listWorkshops(db: Executor, spaceId: string, options: { states: readonly WorkshopState[]; from?: number; before?: number; limit: number }) {
  let q = db.selectFrom("workshop").select(LIST_COLUMNS).where("space_id", "=", spaceId).where("deleted_at", "is", null).where("state", "in", [...options.states]);
  if (options.from !== undefined) q = q.where("ends_at", ">=", options.from);
  if (options.before !== undefined) q = q.where("ends_at", "<", options.before);
  return q.orderBy("starts_at", options.before !== undefined ? "desc" : "asc").limit(options.limit).execute();
}

/** The space's workshops in the trash, latest thrown first, with who threw them. */
export function listTrashedWorkshops(db: Executor, spaceId: string) {
  return db
    .selectFrom("workshop as w")
    .leftJoin("user as u", "u.id", "w.deleted_by")
    .select(["w.id", "w.title", "w.deleted_at", "u.display_name as deleted_by_name"])
    .where("w.space_id", "=", spaceId)
    .where("w.deleted_at", "is not", null)
    .orderBy("w.deleted_at", "desc")
    .limit(200)
    .execute();
}

/** The next session lists the same pages and files as the one it continues, in the same order. */
export async function copyMaterials(db: Executor, fromId: string, toId: string, actorId: string, now: number) {
  const rows = await db.selectFrom("workshop_material").selectAll().where("workshop_id", "=", fromId).orderBy("position").execute();
  if (rows.length === 0) return;
  await db
    .insertInto("workshop_material")
    .values(rows.map((r) => ({ id: newId(), workshop_id: toId, page_id: r.page_id, file_id: r.file_id, shared: r.shared, position: r.position, added_by: actorId, added_at: now })))
    .execute();
}

/** Proposals waiting (or declined) that this viewer may see: all for the admins, their own otherwise. */
export function listProposals(db: Executor, spaceId: string, proposedBy: string | null) {
  let q = db.selectFrom("workshop").select(LIST_COLUMNS).where("space_id", "=", spaceId).where("deleted_at", "is", null).where("state", "=", "proposed");
  if (proposedBy !== null) q = q.where("proposed_by", "=", proposedBy);
  return q.orderBy("starts_at").limit(100).execute();
}

/** The names of those who lead each of these workshops, by workshop id (one query for a whole list). */
export async function facilitatorNames(db: Executor, workshopIds: readonly string[]): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  if (workshopIds.length === 0) return names;
  const rows = await db
    .selectFrom("workshop_facilitator as f")
    .innerJoin("user as u", "u.id", "f.user_id")
    .select(["f.workshop_id", "u.display_name"])
    .where("f.workshop_id", "in", [...workshopIds])
    .orderBy("u.display_name")
    .execute();
  for (const r of rows) names.set(r.workshop_id, [...(names.get(r.workshop_id) ?? []), r.display_name]);
  return names;
}


/** This member's registrations (going, waiting, maybe) to the space's workshops still to come, soonest first. */
export function myUpcomingRegistrations(db: Executor, spaceId: string, userId: string, now: number) {
  return db
    .selectFrom("workshop as w")
    .innerJoin("workshop_registration as r", "r.workshop_id", "w.id")
    .select(LIST_COLUMNS.map((c) => `w.${c}` as const))
    .select("r.status as my_status")
    .where("w.space_id", "=", spaceId)
    .where("r.user_id", "=", userId)
    .where("r.status", "in", ["going", "waiting", "maybe"])
    .where("w.deleted_at", "is", null)
    .where("w.state", "in", ["scheduled", "cancelled"])
    .where("w.ends_at", ">=", now)
    .orderBy("w.starts_at")
    .limit(50)
    .execute();
}
