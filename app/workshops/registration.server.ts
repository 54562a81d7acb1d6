import type { Executor } from "#db/client.ts";
import type { RegistrationStatus, Space, Workshop } from "#db/schema.ts";
import * as registrations from "#db/queries/workshop-registrations.ts";
import { notify } from "#app/notifications/commands.server.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { canAttendWorkshop, canReadWorkshop } from "#app/policies/workshop.ts";
import type { ActingParts, Letterhead } from "#app/utils/acting.server.ts";
import { mailRegistered } from "./mails.server.ts";

/**
 * Going, maybe or not going to a workshop, with a waitlist once its
 * capacity is reached. Every change runs in the caller's write transaction,
 * which SQLite serializes across processes (BEGIN IMMEDIATE, db/client.ts):
 * the count of those going and the arrival number are read and written
 * under the same lock, so 30 people asking at once for 10 seats leave
 * exactly 10 going and 20 waiting, in the order their requests got the lock.
 * A seat freed (a withdrawal, a capacity raised) goes at once to the first
 * waiting, who is told in the app and by mail.
 */

export type RegistrationChoice = Exclude<RegistrationStatus, "waiting">;
export const REGISTRATION_CHOICES: readonly RegistrationChoice[] = ["going", "maybe", "not_going"];
export function isRegistrationChoice(value: unknown): value is RegistrationChoice {
  return typeof value === "string" && (REGISTRATION_CHOICES as readonly string[]).includes(value);
}

/** A note to the facilitators ("I'll be 10 minutes late"): one short line or two. */
export const NOTE_MAX = 280;

export type ClosedBecause = "cancelled" | "past" | "deadline" | "proposed";

export interface RegistrationView {
  seats: { capacity: number | null; going: number; waiting: number; left: number | null };
  mine: { status: RegistrationStatus; note: string | null; position: number | null } | null;
  attendees: { id: string; name: string; status: "going" | "maybe" }[];
  open: boolean;
  closedBecause: ClosedBecause | null;
}

type Timing = Pick<Workshop, "state" | "starts_at" | "ends_at" | "registration_closes_at">;

/**
 * Why registration is closed, or null while it is open. A workshop takes
 * registrations while scheduled and until its deadline, or until it starts
 * when it names none; once it has ended it is past.
 */
export function closedBecause(workshop: Timing, now: number): ClosedBecause | null {
  if (workshop.state === "cancelled") return "cancelled";
  if (workshop.state !== "scheduled") return "proposed";
  if (now >= workshop.ends_at) return "past";
  if (now >= (workshop.registration_closes_at ?? workshop.starts_at)) return "deadline";
  return null;
}

/** What the workshop page shows of registration, for this viewer (null: nobody signed in). */
export async function registrationView(
  db: Executor,
  workshop: Pick<Workshop, "id" | "capacity"> & Timing,
  viewerId: string | null,
  now: number,
): Promise<RegistrationView> {
  const counts = await registrations.countByStatus(db, workshop.id);
  const mineRow = viewerId ? await registrations.findRegistration(db, workshop.id, viewerId) : undefined;
  const mine = mineRow
    ? {
        status: mineRow.status,
        note: mineRow.note,
        position: mineRow.status === "waiting" ? await registrations.waitingPosition(db, workshop.id, mineRow.arrival) : null,
      }
    : null;
  const people = await registrations.attendees(db, workshop.id);
  const closed = closedBecause(workshop, now);
  return {
    seats: {
      capacity: workshop.capacity,
      going: counts.going,
      waiting: counts.waiting,
      left: workshop.capacity === null ? null : Math.max(0, workshop.capacity - counts.going),
    },
    mine,
    attendees: people.map((p) => ({ id: p.id, name: p.name, status: p.status as "going" | "maybe" })),
    open: closed === null,
    closedBecause: closed,
  };
}

/** Core's edit asks before lowering a capacity: refused (with how many are going) below those going. */
export async function capacityRefusal(trx: Executor, workshopId: string, capacity: number | null): Promise<null | { going: number }> {
  if (capacity === null) return null;
  const { going } = await registrations.countByStatus(trx, workshopId);
  return capacity < going ? { going } : null;
}

/**
 * Fills the free seats from the waitlist, first come first served; answers
 * who was promoted, in that order. For every change that may free a seat: a
 * withdrawal here, a capacity raised by the workshop's edit (which then tells
 * them with tellPromoted).
 */
export async function promoteWaiting(trx: Executor, workshopId: string, now: number): Promise<string[]> {
  const workshop = await trx.selectFrom("workshop").select(["capacity"]).where("id", "=", workshopId).executeTakeFirst();
  if (!workshop) return [];
  const { going, waiting } = await registrations.countByStatus(trx, workshopId);
  if (waiting === 0) return [];
  const free = workshop.capacity === null ? waiting : workshop.capacity - going;
  if (free <= 0) return [];
  const promoted = (await registrations.firstWaiting(trx, workshopId, free)).map((r) => r.user_id);
  await registrations.markGoing(trx, workshopId, promoted, now);
  return promoted;
}

/**
 * Tells those promoted from the waitlist as each chose (a commitment they
 * made: even from a muted club): in the app, and by mail the workshop's own
 * "a seat freed up for you" with its calendar event, so nobody gets two.
 * Answers the mail ids, to send once committed.
 */
export async function tellPromoted(
  trx: Executor,
  input: {
    workshop: Pick<Workshop, "id" | "title" | "starts_at" | "ends_at" | "time_zone" | "place" | "video_url">;
    space: Pick<Space, "id" | "name" | "slug">;
    promoted: string[];
    actorId: string | null;
    head?: Letterhead;
    now: number;
  },
): Promise<string[]> {
  const { workshop, space, promoted, now } = input;
  if (promoted.length === 0) return [];
  const { mailTo } = await notify(trx, {
    kind: "workshopPromoted",
    spaceId: space.id,
    owner: { kind: "workshop", id: workshop.id },
    actorId: input.actorId,
    recipients: promoted,
    // Their mail is the workshop's own, with its calendar invitation.
    ownMail: true,
    now,
  });
  if (!input.head || mailTo.length === 0) return [];
  return mailRegistered(trx, { workshop, space, change: "promoted", userIds: mailTo, head: input.head, now });
}

export type RegistrationActing = ActingParts<"actor" | "user" | "space" | "membership" | "now">;

export type RegisterRefusal =
  | { ok: false; error: "not_found" | "forbidden" }
  | { ok: false; error: "workshops.registration.closed"; closedBecause: ClosedBecause }
  | { ok: false; error: "workshops.registration.noteTooLong" | "workshops.registration.badNote" | "workshops.registration.badStatus" };

const CONTROL_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** The note as stored: trimmed, CRLF as LF, empty as none; a refusal when too long or holding control characters. */
export function cleanNote(note: string | null | undefined): { ok: true; note: string | null } | { ok: false; error: "workshops.registration.noteTooLong" | "workshops.registration.badNote" } {
  const text = (note ?? "").replace(/\r\n/g, "\n").trim();
  if (text.length > NOTE_MAX) return { ok: false, error: "workshops.registration.noteTooLong" };
  if (CONTROL_BUT_LF.test(text)) return { ok: false, error: "workshops.registration.badNote" };
  return { ok: true, note: text === "" ? null : text };
}

/**
 * The viewer says going, maybe or not going. "going" with every seat taken
 * (or others already waiting) puts them on the waitlist, at the end; leaving
 * "going" frees a seat for the first waiting. Saying again what one already
 * said changes only the note, and keeps one's place.
 */
export async function register(
  trx: Executor,
  ctx: RegistrationActing,
  input: { workshopId: string; status: RegistrationChoice; note: string | null; head?: Letterhead },
): Promise<{ ok: true; status: RegistrationStatus; arrival: number; position: number | null; promoted: string[]; mailIds: string[] } | RegisterRefusal> {
  const { actor, user, space, membership, now } = ctx;
  const workshop = await registrations.findWorkshopForRegistration(trx, space.id, input.workshopId);
  // To one who may not read the space, the space refuses whether or not the id exists.
  if (!workshop) return { ok: false, error: canReadSpace(actor, membership, space) ? "not_found" : "forbidden" };
  if (!canReadWorkshop(actor, membership, space, { ...workshop, deleted_at: null })) {
    // Someone else's proposal is not there for a reader of the space; to the rest, the space refuses, whether or not the id exists.
    return { ok: false, error: canReadSpace(actor, membership, space) ? "not_found" : "forbidden" };
  }
  // The SPEC's Roles table: guests up RSVP; a workshop opened to the network, every member of the network.
  if (!canAttendWorkshop(actor, membership, space, workshop)) return { ok: false, error: "forbidden" };
  if (!isRegistrationChoice(input.status)) return { ok: false, error: "workshops.registration.badStatus" };
  const note = cleanNote(input.note);
  if (!note.ok) return note;
  const closed = closedBecause(workshop, now);
  if (closed) return { ok: false, error: "workshops.registration.closed", closedBecause: closed };

  const before = await registrations.findRegistration(trx, workshop.id, user.id);
  const wasHolding = before?.status === "going" || before?.status === "waiting";
  let status: RegistrationStatus;
  let arrival: number;
  if (input.status === "going" && wasHolding) {
    // Already going or waiting: the place is kept.
    status = before!.status;
    arrival = before!.arrival;
  } else if (input.status === "going") {
    const counts = await registrations.countByStatus(trx, workshop.id);
    const full = workshop.capacity !== null && (counts.going >= workshop.capacity || counts.waiting > 0);
    status = full ? "waiting" : "going";
    arrival = await registrations.nextArrival(trx, workshop.id);
  } else {
    status = input.status;
    arrival = before?.arrival ?? (await registrations.nextArrival(trx, workshop.id));
  }
  const row = { workshopId: workshop.id, userId: user.id, status, note: note.note, arrival, now };
  if (before) await registrations.updateRegistration(trx, row);
  else await registrations.insertRegistration(trx, row);

  // Any change may leave a seat free with people waiting (a withdrawal; a capacity raised since): fill it now.
  const filled = await promoteWaiting(trx, workshop.id, now);
  if (filled.includes(user.id)) status = "going";
  const promoted = filled.filter((id) => id !== user.id);
  const mailIds = await tellPromoted(trx, { workshop, space, promoted, actorId: user.id, head: input.head, now });
  // The place acknowledged, read under the same lock: what a waiting person is told.
  const position = status === "waiting" ? await registrations.waitingPosition(trx, workshop.id, arrival) : null;
  return { ok: true, status, arrival, position, promoted, mailIds };
}
