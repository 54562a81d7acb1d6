import type { Executor } from "../client.ts";

/**
 * Who came to a workshop, recorded after it started by its facilitators or
 * the space's admins: those registered, ticked off, and walk-ins among the
 * space's members (walk_in = 1). Recording again replaces the list.
 */

/** Those who said they would come (going, waiting, maybe), in arrival order: the list ticked off. */
export function registeredPeople(db: Executor, workshopId: string) {
  return db
    .selectFrom("workshop_registration as r")
    .innerJoin("user as u", "u.id", "r.user_id")
    .select(["u.id", "u.display_name as name", "r.status"])
    .where("r.workshop_id", "=", workshopId)
    .where("r.status", "in", ["going", "waiting", "maybe"])
    .orderBy("r.arrival")
    .execute();
}

/** The space's members, by name: where walk-ins are chosen. */
export function spaceMembers(db: Executor, spaceId: string) {
  return db
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .select(["u.id", "u.display_name as name"])
    .where("m.space_id", "=", spaceId)
    .orderBy("u.display_name")
    .execute();
}

export function attendance(db: Executor, workshopId: string) {
  return db
    .selectFrom("workshop_attendance as a")
    .innerJoin("user as u", "u.id", "a.user_id")
    .select(["u.id", "u.display_name as name", "a.walk_in"])
    .where("a.workshop_id", "=", workshopId)
    .orderBy("u.display_name")
    .execute();
}

/** Replaces the workshop's attendance with these people and stamps when it was recorded. */
export async function replaceAttendance(db: Executor, workshopId: string, people: ReadonlyArray<{ userId: string; walkIn: boolean }>, now: number) {
  await db.deleteFrom("workshop_attendance").where("workshop_id", "=", workshopId).execute();
  if (people.length > 0) {
    await db
      .insertInto("workshop_attendance")
      .values(people.map((p) => ({ workshop_id: workshopId, user_id: p.userId, walk_in: p.walkIn ? 1 : 0 })))
      .execute();
  }
  await db.updateTable("workshop").set({ attendance_recorded_at: now }).where("id", "=", workshopId).execute();
}

/** Going and attended: those told when the notes are published. */
export async function participantIds(db: Executor, workshopId: string): Promise<string[]> {
  const going = await db.selectFrom("workshop_registration").select("user_id").where("workshop_id", "=", workshopId).where("status", "=", "going").execute();
  const came = await db.selectFrom("workshop_attendance").select("user_id").where("workshop_id", "=", workshopId).execute();
  return [...new Set([...going, ...came].map((r) => r.user_id))];
}

/** How many attended each of these workshops (those whose attendance was recorded), by workshop id. */
export async function attendanceCounts(db: Executor, workshopIds: readonly string[]): Promise<Map<string, number>> {
  if (workshopIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("workshop_attendance")
    .select(["workshop_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("workshop_id", "in", [...workshopIds])
    .groupBy("workshop_id")
    .execute();
  return new Map(rows.map((r) => [r.workshop_id, Number(r.n)]));
}
