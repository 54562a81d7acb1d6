import type { Executor } from "../client.ts";
import type { ReminderWhich } from "../schema.ts";
import { takesByMail, type MailRule } from "./notification-choices.ts";

/**
 * What the workshop reminders read and write (app/workshops/reminders.server.ts).
 * The claim is the row: inserting (workshop, which, starts_at) succeeds once,
 * in the transaction that queues the reminder's mails.
 */

/** Scheduled, live workshops of live spaces starting within (now, now + horizonMs], with their space's reminder settings. */
export function upcomingWorkshops(db: Executor, now: number, horizonMs: number) {
  return db
    .selectFrom("workshop as w")
    .innerJoin("space as s", "s.id", "w.space_id")
    .select([
      "w.id",
      "w.space_id",
      "w.title",
      "w.starts_at",
      "w.ends_at",
      "w.time_zone",
      "w.place",
      "w.video_url",
      "s.slug as space_slug",
      "s.name as space_name",
      "s.reminder_early_minutes",
      "s.reminder_late_minutes",
    ])
    .where("w.state", "=", "scheduled")
    .where("w.deleted_at", "is", null)
    .where("s.archived_at", "is", null)
    .where("w.starts_at", ">", now)
    .where("w.starts_at", "<=", now + horizonMs)
    .orderBy("w.starts_at")
    .execute();
}

/** The reminders already claimed for these workshops, as "id:which:starts_at" keys. */
export async function claimedReminders(db: Executor, workshopIds: string[]): Promise<Set<string>> {
  if (workshopIds.length === 0) return new Set();
  const rows = await db.selectFrom("workshop_reminder").select(["workshop_id", "which", "starts_at"]).where("workshop_id", "in", workshopIds).execute();
  return new Set(rows.map((r) => reminderKey(r.workshop_id, r.which, r.starts_at)));
}

export const reminderKey = (workshopId: string, which: ReminderWhich, startsAt: number) => `${workshopId}:${which}:${startsAt}`;

/** True when this call took the reminder; false when someone (another process, an earlier run) already had. */
export async function claimReminder(
  db: Executor,
  input: { workshopId: string; which: ReminderWhich; startsAt: number; mails: number; now: number },
): Promise<boolean> {
  const result = await db
    .insertInto("workshop_reminder")
    .values({ workshop_id: input.workshopId, which: input.which, starts_at: input.startsAt, sent_at: input.now, mails: input.mails })
    .onConflict((oc) => oc.columns(["workshop_id", "which", "starts_at"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * Those going to the workshop who still belong to its space and take
 * reminders by mail (`rule`). Those waiting, maybe or not going are not reminded.
 */
export function reminderRecipients(db: Executor, workshopId: string, spaceId: string, rule: MailRule) {
  return db
    .selectFrom("workshop_registration as r")
    .innerJoin("user as u", "u.id", "r.user_id")
    .innerJoin("space_member as m", (join) => join.onRef("m.user_id", "=", "r.user_id").on("m.space_id", "=", spaceId))
    .select(["u.id", "u.email", "u.locale", "u.time_zone", "u.display_name"])
    .where("r.workshop_id", "=", workshopId)
    .where("r.status", "=", "going")
    .where((eb) => takesByMail(eb, rule, eb.ref("u.id"), eb.ref("m.space_id")))
    .orderBy("r.arrival")
    .execute();
}

/** The space's two reminder leads, in minutes (null: off). */
export async function setReminderMinutes(db: Executor, spaceId: string, leads: { early: number | null; late: number | null }) {
  await db.updateTable("space").set({ reminder_early_minutes: leads.early, reminder_late_minutes: leads.late }).where("id", "=", spaceId).execute();
}
