import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { WorkshopState } from "../schema.ts";

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
  const f = input.fields;
  await db
    .insertInto("workshop")
    .values({
      id,
      space_id: input.spaceId,
      title: f.title,
      state: input.state,
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
  const f = input.fields;
  const result = await db
    .updateTable("workshop")
    .set((eb) => ({
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

/** The space's workshops a list shows (not in the trash), earliest first. */
export function listWorkshops(db: Executor, spaceId: string, options: { states: readonly WorkshopState[]; from?: number; before?: number; limit: number }) {
  let q = db.selectFrom("workshop").selectAll().where("space_id", "=", spaceId).where("deleted_at", "is", null).where("state", "in", [...options.states]);
  if (options.from !== undefined) q = q.where("ends_at", ">=", options.from);
  if (options.before !== undefined) q = q.where("ends_at", "<", options.before);
  return q.orderBy("starts_at", options.before !== undefined ? "desc" : "asc").limit(options.limit).execute();
}

export function listTrashedWorkshops(db: Executor, spaceId: string) {
  return db.selectFrom("workshop").selectAll().where("space_id", "=", spaceId).where("deleted_at", "is not", null).orderBy("deleted_at", "desc").execute();
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
  let q = db.selectFrom("workshop").selectAll().where("space_id", "=", spaceId).where("deleted_at", "is", null).where("state", "=", "proposed");
  if (proposedBy !== null) q = q.where("proposed_by", "=", proposedBy);
  return q.orderBy("starts_at").limit(100).execute();
}
