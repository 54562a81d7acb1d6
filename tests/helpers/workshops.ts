import type { Executor } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import type { RegistrationStatus, WorkshopState, WorkshopTable, WorkshopVisibility } from "#db/schema.ts";
import { textDoc } from "./lexical.ts";

/**
 * Workshops arranged straight in the database, for the calendar's tests,
 * written while core's commands were being written beside them: the lead
 * switches these to core's commands (app/workshops/commands.server.ts) once
 * they land. Only the columns the calendars read are given here.
 */

export interface SeedWorkshop {
  spaceId: string;
  createdBy: string;
  title?: string;
  state?: WorkshopState;
  /** UTC ms; by default in three days, for two hours. */
  startsAt?: number;
  endsAt?: number;
  capacity?: number | null;
  registrationClosesAt?: number | null;
  proposedBy?: string | null;
  timeZone?: string;
  place?: string | null;
  videoUrl?: string | null;
  description?: string;
  visibility?: WorkshopVisibility;
  sequence?: number;
  cancelReason?: string | null;
  deletedAt?: number | null;
}

export async function seedWorkshop(db: Executor, input: SeedWorkshop): Promise<Pick<WorkshopTable, "id" | "title">> {
  const now = Date.now();
  const id = newId();
  const startsAt = input.startsAt ?? now + 72 * 3_600_000;
  const endsAt = input.endsAt ?? startsAt + 2 * 3_600_000;
  const title = input.title ?? `Atelier ${id.slice(0, 6)}`;
  const description = input.description ?? `Déroulé de ${title}`;
  await db
    .insertInto("workshop")
    .values({
      id,
      space_id: input.spaceId,
      title,
      state: input.state ?? "scheduled",
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: input.timeZone ?? "Europe/Paris",
      place: input.place ?? null,
      video_url: input.videoUrl ?? null,
      outside_speaker: null,
      capacity: input.capacity ?? null,
      registration_closes_at: input.registrationClosesAt ?? null,
      description_json: textDoc(description),
      description_html: `<p>${description}</p>`,
      description_text: description,
      cover_file_id: null,
      visibility: input.visibility ?? "space",
      sequence: input.sequence ?? 0,
      previous_id: null,
      notes_page_id: null,
      proposed_by: input.proposedBy ?? null,
      decided_by: null,
      decided_at: null,
      decline_reason: null,
      cancelled_at: input.state === "cancelled" ? now : null,
      cancel_reason: input.cancelReason ?? null,
      attendance_recorded_at: null,
      created_by: input.createdBy,
      created_at: now,
      updated_by: input.createdBy,
      updated_at: now,
      deleted_at: input.deletedAt ?? null,
      deleted_by: input.deletedAt ? input.createdBy : null,
    })
    .execute();
  return { id, title };
}

/** seedWorkshop's id alone, for suites that need only that. */
export async function insertWorkshop(db: Executor, input: SeedWorkshop): Promise<string> {
  return (await seedWorkshop(db, input)).id;
}

/** A change a calendar must follow, as core's edit makes it: the SEQUENCE goes up with it. */
export async function changeWorkshop(db: Executor, id: string, change: { startsAt?: number; endsAt?: number; place?: string | null; state?: WorkshopState; cancelReason?: string }) {
  const row = await db.selectFrom("workshop").select(["sequence"]).where("id", "=", id).executeTakeFirstOrThrow();
  await db
    .updateTable("workshop")
    .set({
      ...(change.startsAt !== undefined ? { starts_at: change.startsAt } : {}),
      ...(change.endsAt !== undefined ? { ends_at: change.endsAt } : {}),
      ...(change.place !== undefined ? { place: change.place } : {}),
      ...(change.state !== undefined ? { state: change.state, cancelled_at: change.state === "cancelled" ? Date.now() : null } : {}),
      ...(change.cancelReason !== undefined ? { cancel_reason: change.cancelReason } : {}),
      sequence: row.sequence + 1,
      updated_at: Date.now(),
    })
    .where("id", "=", id)
    .execute();
}

/** A registration as registration's commands leave it, with the next arrival number. */
export async function seedRegistration(db: Executor, workshopId: string, userId: string, status: RegistrationStatus) {
  const now = Date.now();
  const last = await db
    .selectFrom("workshop_registration")
    .select((eb) => eb.fn.max("arrival").as("arrival"))
    .where("workshop_id", "=", workshopId)
    .executeTakeFirst();
  await db
    .insertInto("workshop_registration")
    .values({ workshop_id: workshopId, user_id: userId, status, note: null, arrival: Number(last?.arrival ?? 0) + 1, created_at: now, updated_at: now })
    .execute();
}

/** A workshop's registrations, in arrival order. */
export function registrationsOf(db: Executor, workshopId: string) {
  return db.selectFrom("workshop_registration").selectAll().where("workshop_id", "=", workshopId).orderBy("arrival").execute();
}
