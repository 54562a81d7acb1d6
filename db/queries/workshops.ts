import type { Executor } from "../client.ts";
import { newId } from "../ids.ts";
import type { Workshop, WorkshopState } from "../schema.ts";

/** A workshop of this space by id (a trashed one included), or undefined: ids from a request are checked against their space here. */
export function findWorkshop(db: Executor, spaceId: string, workshopId: string): Promise<Workshop | undefined> {
  return db.selectFrom("workshop").selectAll().where("id", "=", workshopId).where("space_id", "=", spaceId).executeTakeFirst();
}

export async function insertWorkshop(
  db: Executor,
  input: {
    spaceId: string;
    state: WorkshopState;
    title: string;
    startsAt: number;
    endsAt: number;
    timeZone: string;
    place: string | null;
    videoUrl: string | null;
    outsideSpeaker: string | null;
    capacity: number | null;
    description: { json: string; html: string; text: string };
    createdBy: string;
    proposedBy: string | null;
    now: number;
  },
): Promise<Workshop> {
  const id = newId();
  await db
    .insertInto("workshop")
    .values({
      id,
      space_id: input.spaceId,
      title: input.title,
      state: input.state,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      time_zone: input.timeZone,
      place: input.place,
      video_url: input.videoUrl,
      outside_speaker: input.outsideSpeaker,
      capacity: input.capacity,
      registration_closes_at: null,
      description_json: input.description.json,
      description_html: input.description.html,
      description_text: input.description.text,
      cover_file_id: null,
      previous_id: null,
      notes_page_id: null,
      proposed_by: input.proposedBy,
      decided_by: null,
      decided_at: null,
      decline_reason: null,
      cancelled_at: null,
      cancel_reason: null,
      attendance_recorded_at: null,
      created_by: input.createdBy,
      created_at: input.now,
      updated_by: input.createdBy,
      updated_at: input.now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  await db.insertInto("workshop_facilitator").values({ workshop_id: id, user_id: input.createdBy }).execute();
  return db.selectFrom("workshop").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

/** The space's live workshops of these states, ending after `after` (upcoming) or before it (past), soonest or latest first. */
export function listWorkshops(db: Executor, input: { spaceId: string; states: readonly WorkshopState[]; when: "upcoming" | "past"; now: number; limit: number }) {
  let query = db
    .selectFrom("workshop as w")
    .leftJoin("user as u", "u.id", "w.created_by")
    .select(["w.id", "w.title", "w.state", "w.starts_at", "w.ends_at", "w.time_zone", "w.place", "w.video_url", "w.capacity", "w.visibility", "w.proposed_by", "w.deleted_at", "u.display_name as facilitator"])
    .where("w.space_id", "=", input.spaceId)
    .where("w.deleted_at", "is", null)
    .where("w.state", "in", [...input.states]);
  query = input.when === "upcoming" ? query.where("w.ends_at", ">", input.now).orderBy("w.starts_at", "asc") : query.where("w.ends_at", "<=", input.now).orderBy("w.starts_at", "desc");
  return query.limit(input.limit).execute();
}

/** Who facilitates it: members by name. */
export function facilitators(db: Executor, workshopId: string) {
  return db
    .selectFrom("workshop_facilitator as f")
    .innerJoin("user as u", "u.id", "f.user_id")
    .select(["u.id", "u.display_name as name"])
    .where("f.workshop_id", "=", workshopId)
    .orderBy("u.display_name")
    .execute();
}
