import { linkSigner } from "#app/mail/links.server.ts";
import { unsubscribeUrl } from "#app/mail/unsubscribe.server.ts";
import type { DB, Executor } from "#db/client.ts";
import type { Locale, ReminderWhich } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import * as reminders from "#db/queries/workshop-reminders.ts";
import { audit } from "#db/queries/audit.ts";
import { isLocale } from "#app/i18n/index.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import { queueMails, send } from "#app/mail/outbox.server.ts";
import { canConfigureSpace } from "#app/policies/space.ts";
import { letterhead, type ActingParts, type Letterhead } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { logLine } from "#app/utils/log.ts";
import { workshopUrl } from "#app/urls.ts";
import { workshopReminderMail } from "./mail.ts";
import { mailRule } from "#app/notifications/choices.ts";
import { EARLY_CHOICES, LATE_CHOICES, type EarlyChoice, type LateChoice } from "./reminder-choices.ts";

/**
 * Reminders to those going to a workshop, as many minutes before it as the
 * space's admins chose (a day and an hour by default; either may be off).
 * A job of the primary process looks every minute. Each reminder is claimed
 * by inserting its row (workshop, which, the start it announces) in the
 * transaction that queues its mails: two processes, a run repeated after a
 * restart, or a run cut short by a crash can never send it twice, and the
 * mail outbox then delivers each mail once. A workshop moved to another
 * start is reminded again for the new one.
 */

const EVERY_MS = 60_000;
/** The longest lead an admin may choose (a week): no reminder is looked for further ahead. */
export const MAX_LEAD_MINUTES = 7 * 24 * 60;

export interface Leads {
  early: number | null;
  late: number | null;
}

/**
 * Which reminder is due now: of those whose moment has come, the one closest
 * to the start is sent; one further back is passed over (claimed, no mail),
 * so a server down through the day-before moment does not send both at once
 * an hour before.
 */
export function remindersDue(leads: Leads, startsAt: number, now: number): { send: ReminderWhich | null; passOver: ReminderWhich[] } {
  if (now >= startsAt) return { send: null, passOver: [] };
  const due = (["early", "late"] as const)
    .filter((which) => leads[which] !== null && now >= startsAt - leads[which]! * 60_000)
    .sort((a, b) => leads[a]! - leads[b]!);
  return { send: due[0] ?? null, passOver: due.slice(1) };
}

type Upcoming = Awaited<ReturnType<typeof reminders.upcomingWorkshops>>[number];

/** One workshop's due reminder, in the caller's transaction: claims it, then queues its mails. */
async function remindOne(trx: Executor, workshop: Upcoming, due: { send: ReminderWhich | null; passOver: ReminderWhich[] }, head: Letterhead, now: number) {
  for (const which of due.passOver) await reminders.claimReminder(trx, { workshopId: workshop.id, which, startsAt: workshop.starts_at, mails: 0, now });
  if (!due.send) return { ok: true as const, mailIds: [] };
  const people = await reminders.reminderRecipients(trx, workshop.id, workshop.space_id, mailRule("workshopReminder"));
  const claimed = await reminders.claimReminder(trx, { workshopId: workshop.id, which: due.send, startsAt: workshop.starts_at, mails: people.length, now });
  if (!claimed) return { ok: true as const, mailIds: [] };
  const url = new URL(workshopUrl(workshop.space_slug, workshop.id), head.baseUrl).href;
  const signer = await linkSigner(trx);
  const mails = people.map((person) => ({
    mail: workshopReminderMail({
      to: person.email,
      locale: (isLocale(person.locale) ? person.locale : head.network.locale) as Locale,
      network: head.network.name,
      readerZone: person.time_zone,
      workshop,
      space: workshop.space_name,
      url,
      settingsUrl: new URL("/settings/notifications", head.baseUrl).href,
      unsubscribeUrl: unsubscribeUrl(signer, head.baseUrl, person.id, "workshopReminder"),
    }),
  }));
  return { ok: true as const, mailIds: await queueMails(trx, mails, now) };
}

/**
 * Looks for due reminders and queues them, each workshop in a transaction of
 * its own. Returns the ids of the mails queued, for the caller to send.
 */
export async function queueDueReminders(db: DB, head: Letterhead, now: number): Promise<string[]> {
  const upcoming = await reminders.upcomingWorkshops(db, now, MAX_LEAD_MINUTES * 60_000);
  const claimed = await reminders.claimedReminders(db, upcoming.map((w) => w.id));
  const mailIds: string[] = [];
  for (const workshop of upcoming) {
    const due = remindersDue({ early: workshop.reminder_early_minutes, late: workshop.reminder_late_minutes }, workshop.starts_at, now);
    const open = (which: ReminderWhich) => !claimed.has(reminders.reminderKey(workshop.id, which, workshop.starts_at));
    const left = { send: due.send && open(due.send) ? due.send : null, passOver: due.passOver.filter(open) };
    if (!left.send && left.passOver.length === 0) continue;
    const done = await transact(db, (trx) => remindOne(trx, workshop, left, head, now));
    mailIds.push(...done.mailIds);
  }
  return mailIds;
}

export async function remindNow(now = Date.now()) {
  const ids = await queueDueReminders(getDb(), await letterhead(), now);
  if (ids.length > 0) console.log(logLine`Queued ${ids.length} workshop reminder mail(s)`);
  send(ids);
  return ids.length;
}

/** In the primary process only, like the publisher: one reminder however many workers. */
export const workshopRemindersJob: Job = { name: "workshop-reminders", everyMs: EVERY_MS, run: ({ now }) => remindNow(now) };

/** A space's admins choose the two reminders' leads (or turn either off), from the choices offered. */
export async function chooseReminders(
  trx: Executor,
  ctx: ActingParts<"actor" | "membership" | "space" | "user" | "ip" | "now">,
  input: { early: EarlyChoice; late: LateChoice },
): Promise<{ ok: true } | { ok: false; error: "forbidden" | "invalid" }> {
  if (!canConfigureSpace(ctx.actor, ctx.membership, ctx.space)) return { ok: false, error: "forbidden" };
  if (!EARLY_CHOICES.includes(input.early) || !LATE_CHOICES.includes(input.late)) return { ok: false, error: "invalid" };
  await reminders.setReminderMinutes(trx, ctx.space.id, input);
  await audit(trx, { event: "space_updated", actorId: ctx.user.id, spaceId: ctx.space.id, ip: ctx.ip, data: { workshopReminders: input }, now: ctx.now });
  return { ok: true };
}
