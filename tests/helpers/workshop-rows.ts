import type { Executor } from "#db/client.ts";
import { newId } from "#db/ids.ts";
import type { WorkshopState } from "#db/schema.ts";

/**
 * A workshop row, written as the schema holds one, for suites that need a
 * workshop in a given state before the scheduling commands (core's) are
 * joined: scheduled, in three days, for two hours, unless told otherwise.
 */

const HOUR = 60 * 60 * 1000;

export interface WorkshopRow {
  spaceId: string;
  createdBy: string;
  title?: string;
  state?: WorkshopState;
  startsAt?: number;
  endsAt?: number;
  capacity?: number | null;
  registrationClosesAt?: number | null;
  visibility?: "space" | "network";
  proposedBy?: string | null;
}

export async function insertWorkshop(db: Executor, w: WorkshopRow): Promise<string> {
  const id = newId();
  const now = Date.now();
  const startsAt = w.startsAt ?? now + 72 * HOUR;
  await db
    .insertInto("workshop")
    .values({
      id,
      space_id: w.spaceId,
      title: w.title ?? `Atelier ${id.slice(0, 6)}`,
      state: w.state ?? "scheduled",
      starts_at: startsAt,
      ends_at: w.endsAt ?? startsAt + 2 * HOUR,
      time_zone: "Europe/Paris",
      place: "8 rue des Artisans, Lyon",
      video_url: null,
      outside_speaker: null,
      capacity: w.capacity ?? null,
      registration_closes_at: w.registrationClosesAt ?? null,
      description_json: "{}",
      description_html: "",
      description_text: "",
      cover_file_id: null,
      visibility: w.visibility ?? "space",
      previous_id: null,
      notes_page_id: null,
      proposed_by: w.proposedBy ?? null,
      decided_by: null,
      decided_at: null,
      decline_reason: null,
      cancelled_at: w.state === "cancelled" ? now : null,
      cancel_reason: null,
      attendance_recorded_at: null,
      created_by: w.createdBy,
      created_at: now,
      updated_by: w.createdBy,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
    })
    .execute();
  return id;
}

/** The registrations of a workshop, in arrival order. */
export function registrationsOf(db: Executor, workshopId: string) {
  return db.selectFrom("workshop_registration").selectAll().where("workshop_id", "=", workshopId).orderBy("arrival").execute();
}
