import type { Executor } from "../client.ts";
import type { RegistrationStatus } from "../schema.ts";
import { takesByMail, type MailRule } from "./notification-choices.ts";

/**
 * Who the workshop mails go to (app/workshops/mails.server.ts), with what
 * each mail needs of them: address, language, time zone.
 */

const person = ["u.id", "u.email", "u.locale", "u.time_zone", "u.display_name"] as const;

/** The space's members who take new workshops by mail (`rule`), but the one who scheduled it. */
export function announcementRecipients(db: Executor, spaceId: string, exceptUserId: string | null, rule: MailRule) {
  let query = db
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .select(person)
    .where("m.space_id", "=", spaceId)
    .where((eb) => takesByMail(eb, rule, eb.ref("u.id"), eb.ref("m.space_id")));
  if (exceptUserId) query = query.where("u.id", "!=", exceptUserId);
  return query.orderBy("u.id").execute();
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
