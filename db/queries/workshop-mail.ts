import type { Executor } from "../client.ts";
import type { RegistrationStatus } from "../schema.ts";

/**
 * Who the workshop mails go to (app/workshops/mails.server.ts), with what
 * each mail needs of them: address, language, time zone.
 */

const person = ["u.id", "u.email", "u.locale", "u.time_zone", "u.display_name"] as const;

/** The space's members but those named (who scheduled it, who proposed it): who may hear of a new workshop. */
export async function memberIds(db: Executor, spaceId: string, except: readonly string[]): Promise<string[]> {
  let query = db.selectFrom("space_member").select("user_id").where("space_id", "=", spaceId);
  if (except.length > 0) query = query.where("user_id", "not in", [...except]);
  return (await query.orderBy("user_id").execute()).map((r) => r.user_id);
}

/** Those registered to the workshop with one of these statuses, in arrival order. */
export function registeredRecipients(db: Executor, workshopId: string, statuses: readonly RegistrationStatus[]) {
  return db
    .selectFrom("workshop_registration as r")
    .innerJoin("user as u", "u.id", "r.user_id")
    .select([...person, "r.status"])
    .where("r.workshop_id", "=", workshopId)
    .where("r.status", "in", [...statuses])
    .orderBy("r.arrival")
    .execute();
}

/** These people, by id, with their registration to the workshop if any. */
export function peopleByIds(db: Executor, workshopId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("user as u")
    .leftJoin("workshop_registration as r", (join) => join.onRef("r.user_id", "=", "u.id").on("r.workshop_id", "=", workshopId))
    .select([...person, "r.status"])
    .where("u.id", "in", userIds)
    .orderBy("u.id")
    .execute();
}
