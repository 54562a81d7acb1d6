import type { Executor } from "../client.ts";
import type { RegistrationStatus, Workshop } from "../schema.ts";

/**
 * Registrations to a workshop: one row a person, its status (going,
 * waiting, maybe, not_going) and its arrival number. The arrival number is
 * given inside the registering transaction (which holds SQLite's write lock
 * from its BEGIN IMMEDIATE, db/client.ts), so two registrations never share
 * one, whatever the number of processes: the waitlist is read in its order.
 */

export type RegistrationFacts = Pick<
  Workshop,
  "id" | "space_id" | "title" | "state" | "starts_at" | "ends_at" | "time_zone" | "place" | "video_url" | "capacity" | "registration_closes_at" | "visibility" | "proposed_by"
>;

/** A live workshop of this space (not in the trash), with what registering needs of it. */
export function findWorkshopForRegistration(db: Executor, spaceId: string, workshopId: string): Promise<RegistrationFacts | undefined> {
  return db
    .selectFrom("workshop")
    .select(["id", "space_id", "title", "state", "starts_at", "ends_at", "time_zone", "place", "video_url", "capacity", "registration_closes_at", "visibility", "proposed_by"])
    .where("space_id", "=", spaceId)
    .where("id", "=", workshopId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export function findRegistration(db: Executor, workshopId: string, userId: string) {
  return db.selectFrom("workshop_registration").selectAll().where("workshop_id", "=", workshopId).where("user_id", "=", userId).executeTakeFirst();
}

/** How many hold each status. */
export async function countByStatus(db: Executor, workshopId: string): Promise<Record<RegistrationStatus, number>> {
  const rows = await db
    .selectFrom("workshop_registration")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("workshop_id", "=", workshopId)
    .groupBy("status")
    .execute();
  const counts: Record<RegistrationStatus, number> = { going: 0, waiting: 0, maybe: 0, not_going: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** The next arrival number; only meaningful inside the write transaction that uses it. */
export async function nextArrival(db: Executor, workshopId: string): Promise<number> {
  const row = await db
    .selectFrom("workshop_registration")
    .select((eb) => eb.fn.max<number | null>("arrival").as("last"))
    .where("workshop_id", "=", workshopId)
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

export async function insertRegistration(
  db: Executor,
  input: { workshopId: string; userId: string; status: RegistrationStatus; note: string | null; arrival: number; now: number },
) {
  await db
    .insertInto("workshop_registration")
    .values({
      workshop_id: input.workshopId,
      user_id: input.userId,
      status: input.status,
      note: input.note,
      arrival: input.arrival,
      created_at: input.now,
      updated_at: input.now,
    })
    .execute();
}

export async function updateRegistration(
  db: Executor,
  input: { workshopId: string; userId: string; status: RegistrationStatus; note: string | null; arrival: number; now: number },
) {
  await db
    .updateTable("workshop_registration")
    .set({ status: input.status, note: input.note, arrival: input.arrival, updated_at: input.now })
    .where("workshop_id", "=", input.workshopId)
    .where("user_id", "=", input.userId)
    .execute();
}

/** The first `limit` waiting, in arrival order. */
export function firstWaiting(db: Executor, workshopId: string, limit: number) {
  return db
    .selectFrom("workshop_registration")
    .select(["user_id", "arrival"])
    .where("workshop_id", "=", workshopId)
    .where("status", "=", "waiting")
    .orderBy("arrival")
    .limit(limit)
    .execute();
}

export async function markGoing(db: Executor, workshopId: string, userIds: string[], now: number) {
  if (userIds.length === 0) return;
  await db
    .updateTable("workshop_registration")
    .set({ status: "going", updated_at: now })
    .where("workshop_id", "=", workshopId)
    .where("user_id", "in", userIds)
    .where("status", "=", "waiting")
    .execute();
}

/** 1 for the first waiting, …; null when not waiting. */
export async function waitingPosition(db: Executor, workshopId: string, arrival: number): Promise<number> {
  const row = await db
    .selectFrom("workshop_registration")
    .select((eb) => eb.fn.countAll<number>().as("ahead"))
    .where("workshop_id", "=", workshopId)
    .where("status", "=", "waiting")
    .where("arrival", "<", arrival)
    .executeTakeFirst();
  return Number(row?.ahead ?? 0) + 1;
}

/** Who is coming or may come, going first, each in arrival order, with their names. */
export function attendees(db: Executor, workshopId: string) {
  return db
    .selectFrom("workshop_registration as r")
    .innerJoin("user as u", "u.id", "r.user_id")
    .select(["u.id", "u.display_name as name", "r.status", "r.arrival"])
    .where("r.workshop_id", "=", workshopId)
    .where("r.status", "in", ["going", "maybe"])
    .orderBy("r.status")
    .orderBy("r.arrival")
    .execute();
}
