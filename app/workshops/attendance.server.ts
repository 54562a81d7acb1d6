import type { Executor } from "#db/client.ts";
import type { Workshop } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import * as attendance from "#db/queries/workshop-attendance.ts";
import { membersAmong } from "#db/queries/workshops.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";

/**
 * Who came to a workshop, recorded by its facilitators or the space's admins
 * (the caller checked canEditWorkshop) once it has started: the registered
 * ticked off, plus walk-ins chosen among the space's members. Recording again
 * corrects the list. A workshop that was cancelled, or is still a proposal,
 * took no one.
 */

export type FollowUpActing = ActingParts<"user" | "space" | "now" | "ip">;

export type FollowUpRefusal = { ok: false; error: "workshops.followUp.notStarted" | "workshops.followUp.cancelled" | "workshops.followUp.notHeld" };

/** A bound on one form: far more than any room holds. */
export const ATTENDANCE_MAX = 1000;

/** Why nothing can follow this workshop yet (or ever), or null once it has taken place. */
export function followUpRefusal(workshop: Pick<Workshop, "state" | "starts_at">, now: number): FollowUpRefusal | null {
  if (workshop.state === "cancelled") return { ok: false, error: "workshops.followUp.cancelled" };
  if (workshop.state !== "scheduled") return { ok: false, error: "workshops.followUp.notHeld" };
  if (now < workshop.starts_at) return { ok: false, error: "workshops.followUp.notStarted" };
  return null;
}

export async function recordAttendance(
  trx: Executor,
  ctx: FollowUpActing,
  input: { workshop: Pick<Workshop, "id" | "title" | "state" | "starts_at" | "attendance_recorded_at">; attendedIds: readonly string[] },
): Promise<{ ok: true; count: number; walkIns: number } | FollowUpRefusal | { ok: false; error: "not_found" | "workshops.attendance.tooMany" }> {
  const { workshop } = input;
  const refusal = followUpRefusal(workshop, ctx.now);
  if (refusal) return refusal;
  const ids = [...new Set(input.attendedIds)];
  if (ids.length > ATTENDANCE_MAX) return { ok: false, error: "workshops.attendance.tooMany" };
  const registered = new Set((await attendance.registeredPeople(trx, workshop.id)).map((p) => p.id));
  const walkIns = ids.filter((id) => !registered.has(id));
  // A walk-in is a member of this space; anyone else named (another club's member, a forged id) is not there.
  const members = await membersAmong(trx, ctx.space.id, walkIns);
  if (walkIns.some((id) => !members.has(id))) return { ok: false, error: "not_found" };
  await attendance.replaceAttendance(
    trx,
    workshop.id,
    ids.map((userId) => ({ userId, walkIn: !registered.has(userId) })),
    ctx.now,
  );
  const data = { workshopId: workshop.id, title: workshop.title, count: ids.length, walkIns: walkIns.length };
  // One line on the space's activity, the first time; a correction is the audit log's to keep.
  if (workshop.attendance_recorded_at === null) {
    await recordActivity(trx, { spaceId: ctx.space.id, actorId: ctx.user.id, verb: "workshop_attendance_recorded", data: { title: workshop.title, id: workshop.id, count: ids.length }, now: ctx.now });
  }
  await audit(trx, { event: "workshop_attendance_recorded", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data, now: ctx.now });
  return { ok: true, count: ids.length, walkIns: walkIns.length };
}
