import type { Executor } from "#db/client.ts";
import type { Workshop } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { findLiveFile } from "#db/queries/files.ts";
import * as workshops from "#db/queries/workshops.ts";
import type { DerivedDocument } from "#app/editor/document.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { notify } from "#app/notifications/commands.server.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";
import type { FieldErrors, WorkshopForm } from "./form.server.ts";
import { capacityRefusal } from "./registration.server.ts";

/**
 * The workshops' use cases, as the blog's (app/blog/commands.server.ts):
 * each runs inside the transaction its caller opened and answers a result or
 * a typed refusal; the caller has checked the policy (app/policies/workshop.ts)
 * and the form (form.server.ts), and derived the description (checkDocument).
 */

export type WorkshopActing = ActingParts<"user" | "space" | "now" | "ip">;

export type FieldRefusal = { ok: false; errors: FieldErrors };
export type Conflict = { ok: false; conflict: true; current: Workshop };
export type StateRefusal = { ok: false; error: "workshops.wrongState" };
type Mailed = { mailIds: string[] };

/** The form's fields, once the database agrees: facilitators are members here, the cover an image of this space. */
async function fieldsOf(trx: Executor, ctx: WorkshopActing, form: WorkshopForm, content: DerivedDocument): Promise<{ ok: true; value: workshops.WorkshopFields } | FieldRefusal> {
  const errors: FieldErrors = {};
  const members = await workshops.membersAmong(trx, ctx.space.id, form.facilitatorIds);
  if (form.facilitatorIds.some((id) => !members.has(id))) errors.facilitators = "workshops.facilitatorNotMember";
  let coverFileId: string | null = null;
  if (form.coverFileId) {
    // Another space's file is as unknown here as one that does not exist.
    const file = await findLiveFile(trx, ctx.space.id, form.coverFileId);
    if (!file || !(INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) errors.coverFileId = "workshops.coverNotFound";
    else coverFileId = file.id;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title: form.title,
      startsAt: form.startsAt,
      endsAt: form.endsAt,
      timeZone: form.timeZone,
      place: form.place,
      videoUrl: form.videoUrl,
      outsideSpeaker: form.outsideSpeaker,
      capacity: form.capacity,
      registrationClosesAt: form.registrationClosesAt,
      description: { json: content.json, html: content.html, text: content.text },
      coverFileId,
    },
  };
}

async function recordScheduled(trx: Executor, ctx: WorkshopActing, id: string, title: string) {
  await recordActivity(trx, { spaceId: ctx.space.id, actorId: ctx.user.id, verb: "workshop_scheduled", data: { title, id }, now: ctx.now });
  await audit(trx, { event: "workshop_scheduled", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshopId: id, title }, now: ctx.now });
}

/** An admin schedules: the workshop is out at once. */
export async function scheduleWorkshop(trx: Executor, ctx: WorkshopActing, input: { form: WorkshopForm; content: DerivedDocument; previousId?: string | null }): Promise<{ ok: true; id: string } | FieldRefusal> {
  const fields = await fieldsOf(trx, ctx, input.form, input.content);
  if (!fields.ok) return fields;
  const id = await workshops.insertWorkshop(trx, {
    spaceId: ctx.space.id,
    state: "scheduled",
    fields: fields.value,
    facilitatorIds: input.form.facilitatorIds,
    actorId: ctx.user.id,
    proposedBy: null,
    previousId: input.previousId ?? null,
    now: ctx.now,
  });
  await recordScheduled(trx, ctx, id, fields.value.title);
  return { ok: true, id };
}

/** A member proposes: it waits in the admins' approvals queue. */
export async function proposeWorkshop(trx: Executor, ctx: WorkshopActing, input: { form: WorkshopForm; content: DerivedDocument }): Promise<{ ok: true; id: string } | FieldRefusal> {
  const fields = await fieldsOf(trx, ctx, input.form, input.content);
  if (!fields.ok) return fields;
  const id = await workshops.insertWorkshop(trx, {
    spaceId: ctx.space.id,
    state: "proposed",
    fields: fields.value,
    facilitatorIds: input.form.facilitatorIds,
    actorId: ctx.user.id,
    proposedBy: ctx.user.id,
    previousId: null,
    now: ctx.now,
  });
  return { ok: true, id };
}

/** Accept (scheduled) or decline (with a reason); the proposer is told in the app. */
export async function decideProposal(
  trx: Executor,
  ctx: WorkshopActing,
  input: { workshop: Workshop; accept: boolean; reason: string | null },
): Promise<({ ok: true } & Mailed) | StateRefusal> {
  const w = input.workshop;
  if (w.state !== "proposed") return { ok: false, error: "workshops.wrongState" };
  await workshops.setState(
    trx,
    w.id,
    input.accept
      ? { state: "scheduled", decided_by: ctx.user.id, decided_at: ctx.now }
      : { state: "declined", decided_by: ctx.user.id, decided_at: ctx.now, decline_reason: input.reason },
    ctx.user.id,
    ctx.now,
  );
  if (input.accept) await recordScheduled(trx, ctx, w.id, w.title);
  const mailIds: string[] = [];
  if (w.proposed_by && w.proposed_by !== ctx.user.id) {
    const told = await notify(trx, {
      kind: input.accept ? "workshopAccepted" : "workshopDeclined",
      spaceId: ctx.space.id,
      owner: { kind: "workshop", id: w.id },
      actorId: ctx.user.id,
      recipients: [{ userId: w.proposed_by, mail: false }],
      now: ctx.now,
    });
    mailIds.push(...told.mailIds);
  }
  return { ok: true, mailIds };
}

/** What a calendar must follow: a change to any of these raises the iCalendar SEQUENCE. */
function calendarChanged(w: Workshop, f: workshops.WorkshopFields): boolean {
  return w.title !== f.title || w.starts_at !== f.startsAt || w.ends_at !== f.endsAt || w.time_zone !== f.timeZone || w.place !== f.place || w.video_url !== f.videoUrl;
}

export async function editWorkshop(
  trx: Executor,
  ctx: WorkshopActing,
  input: { workshop: Workshop; baseRevision: number; form: WorkshopForm; content: DerivedDocument },
): Promise<{ ok: true } | FieldRefusal | Conflict | StateRefusal> {
  const w = input.workshop;
  if (w.state === "cancelled" || w.state === "declined") return { ok: false, error: "workshops.wrongState" };
  if (w.revision !== input.baseRevision) return { ok: false, conflict: true, current: w };
  const fields = await fieldsOf(trx, ctx, input.form, input.content);
  if (!fields.ok) return fields;
  if (fields.value.capacity !== w.capacity) {
    const refusal = await capacityRefusal(trx, w.id, fields.value.capacity);
    if (refusal) return { ok: false, errors: { capacity: "workshops.capacityBelowGoing" } };
  }
  const written = await workshops.updateWorkshop(trx, {
    id: w.id,
    baseRevision: input.baseRevision,
    fields: fields.value,
    raiseSequence: calendarChanged(w, fields.value),
    actorId: ctx.user.id,
    now: ctx.now,
  });
  if (!written) {
    const current = await workshops.findWorkshop(trx, ctx.space.id, w.id);
    return { ok: false, conflict: true, current: current ?? w };
  }
  await workshops.setFacilitators(trx, w.id, input.form.facilitatorIds);
  return { ok: true };
}

/** Kept and shown as cancelled; those registered are told in the app. */
export async function cancelWorkshop(trx: Executor, ctx: WorkshopActing, input: { workshop: Workshop; reason: string }): Promise<({ ok: true } & Mailed) | StateRefusal> {
  const w = input.workshop;
  if (w.state !== "scheduled") return { ok: false, error: "workshops.wrongState" };
  await workshops.setState(trx, w.id, { state: "cancelled", cancelled_at: ctx.now, cancel_reason: input.reason }, ctx.user.id, ctx.now);
  await recordActivity(trx, { spaceId: ctx.space.id, actorId: ctx.user.id, verb: "workshop_cancelled", data: { title: w.title, id: w.id }, now: ctx.now });
  await audit(trx, { event: "workshop_cancelled", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshopId: w.id, title: w.title, reason: input.reason }, now: ctx.now });
  const recipients = (await workshops.registeredIds(trx, w.id)).filter((id) => id !== ctx.user.id);
  if (recipients.length === 0) return { ok: true, mailIds: [] };
  const told = await notify(trx, {
    kind: "workshopCancellation",
    spaceId: ctx.space.id,
    owner: { kind: "workshop", id: w.id },
    actorId: ctx.user.id,
    recipients: recipients.map((userId) => ({ userId, mail: false })),
    now: ctx.now,
  });
  return { ok: true, mailIds: told.mailIds };
}

/** To the space's trash (kept, restorable). */
export async function deleteWorkshop(trx: Executor, ctx: WorkshopActing, input: { workshop: Workshop }): Promise<{ ok: true }> {
  await workshops.setDeleted(trx, input.workshop.id, { at: ctx.now, by: ctx.user.id });
  await audit(trx, { event: "workshop_deleted", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshopId: input.workshop.id, title: input.workshop.title }, now: ctx.now });
  return { ok: true };
}

export async function restoreWorkshop(trx: Executor, ctx: WorkshopActing, input: { workshop: Workshop }): Promise<{ ok: true } | StateRefusal> {
  if (input.workshop.deleted_at === null) return { ok: false, error: "workshops.wrongState" };
  await workshops.setDeleted(trx, input.workshop.id, null);
  await audit(trx, { event: "workshop_restored", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshopId: input.workshop.id, title: input.workshop.title }, now: ctx.now });
  return { ok: true };
}

/** The next session: the same workshop on a new date, pointing back at this one. */
export async function scheduleNextSession(
  trx: Executor,
  ctx: WorkshopActing,
  input: { workshop: Workshop; startsAt: number; endsAt: number },
): Promise<{ ok: true; id: string } | FieldRefusal> {
  const w = input.workshop;
  if (input.startsAt <= ctx.now) return { ok: false, errors: { startsAt: "workshops.startInPast" } };
  if (input.endsAt <= input.startsAt) return { ok: false, errors: { endsAt: "workshops.endBeforeStart" } };
  const facilitatorIds = await workshops.facilitatorIds(trx, w.id);
  const id = await workshops.insertWorkshop(trx, {
    spaceId: ctx.space.id,
    state: "scheduled",
    fields: {
      title: w.title,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      timeZone: w.time_zone,
      place: w.place,
      videoUrl: w.video_url,
      outsideSpeaker: w.outside_speaker,
      capacity: w.capacity,
      registrationClosesAt: null,
      description: { json: w.description_json, html: w.description_html, text: w.description_text },
      coverFileId: w.cover_file_id,
    },
    facilitatorIds,
    actorId: ctx.user.id,
    proposedBy: null,
    previousId: w.id,
    now: ctx.now,
  });
  await workshops.copyMaterials(trx, w.id, id, ctx.user.id, ctx.now);
  await recordScheduled(trx, ctx, id, w.title);
  return { ok: true, id };
}
