import type { Executor } from "#db/client.ts";
import type { Workshop } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { findLiveFile } from "#db/queries/files.ts";
import * as workshops from "#db/queries/workshops.ts";
import type { DerivedDocument } from "#app/editor/document.ts";
import { INLINE_IMAGE_TYPES } from "#app/files/content-type.server.ts";
import { notify } from "#app/notifications/commands.server.ts";
import type { MessageKey } from "#app/i18n/index.ts";
import { canOpenToNetwork, canProposeWorkshop, canScheduleWorkshops } from "#app/policies/workshop.ts";
import type { ActingParts, Letterhead } from "#app/utils/acting.server.ts";
import type { WorkshopField, WorkshopFormValue } from "./form.server.ts";
import { announceWorkshop, mailRegistered } from "./mails.server.ts";
import { capacityRefusal, promoteWaiting, tellPromoted } from "./registration.server.ts";

/**
 * The workshops' use cases, as the blog's (app/blog/commands.server.ts):
 * each runs inside the transaction its caller opened and answers a result or
 * a typed refusal; the caller has checked the policy (app/policies/workshop.ts)
 * and the form (form.server.ts), and derived the description (checkDocument).
 */

export type WorkshopActing = ActingParts<"actor" | "user" | "space" | "membership" | "now" | "ip">;

export type FieldErrors = Partial<Record<WorkshopField, MessageKey>>;
export type FieldRefusal = { ok: false; errors: FieldErrors };
export type Forbidden = { ok: false; error: "forbidden" };
export type Conflict = { ok: false; conflict: true; current: Workshop };
export type StateRefusal = { ok: false; error: "workshops.wrongState" };
type Mailed = { mailIds: string[] };

/** The form's fields, once the database agrees: facilitators are members here, the cover an image of this space. */
async function fieldsOf(trx: Executor, ctx: WorkshopActing, form: WorkshopFormValue, content: DerivedDocument): Promise<{ ok: true; value: workshops.WorkshopFields } | FieldRefusal> {
  const errors: FieldErrors = {};
  const members = await workshops.membersAmong(trx, ctx.space.id, form.facilitatorIds);
  if (form.facilitatorIds.some((id) => !members.has(id))) errors.facilitators = "workshops.error.facilitatorNotMember";
  if (form.network && !canOpenToNetwork(ctx.space)) errors.network = "workshops.error.networkNotAllowed";
  let coverFileId: string | null = null;
  if (form.coverFileId) {
    // Another space's file is as unknown here as one that does not exist.
    const file = await findLiveFile(trx, ctx.space.id, form.coverFileId);
    if (!file || !(INLINE_IMAGE_TYPES as readonly string[]).includes(file.content_type)) errors.coverFileId = "workshops.error.coverNotFound";
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
      visibility: form.network ? "network" : "space",
    },
  };
}

/** Who leads it: those named; else, without an outside speaker either, whoever schedules or proposes it. */
function leadsOf(form: WorkshopFormValue, ctx: WorkshopActing): string[] {
  return form.facilitatorIds.length > 0 || form.outsideSpeaker ? form.facilitatorIds : [ctx.user.id];
}

async function recordScheduled(trx: Executor, ctx: WorkshopActing, id: string, title: string) {
  await recordActivity(trx, { spaceId: ctx.space.id, actorId: ctx.user.id, verb: "workshop_scheduled", data: { title, id }, now: ctx.now });
  await audit(trx, { event: "workshop_scheduled", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshop: id }, now: ctx.now });
}

/**
 * A space's admin schedules a workshop: it is at once visible to the space,
 * in its agenda and its members' calendars; the members who asked for it get
 * the announcement. `previousId` (another workshop of this space) makes it
 * the next session of that one: its materials come along.
 */
export async function scheduleWorkshop(
  trx: Executor,
  ctx: WorkshopActing,
  input: { form: WorkshopFormValue; content: DerivedDocument; head: Letterhead; previousId?: string | null },
): Promise<({ ok: true; workshop: Workshop } & Mailed) | FieldRefusal | Forbidden> {
  if (!canScheduleWorkshops(ctx.actor, ctx.membership, ctx.space)) return { ok: false, error: "forbidden" };
  const fields = await fieldsOf(trx, ctx, input.form, input.content);
  if (!fields.ok) return fields;
  // Another space's workshop is no previous session of this one.
  const previous = input.previousId ? await workshops.findWorkshop(trx, ctx.space.id, input.previousId) : undefined;
  const id = await workshops.insertWorkshop(trx, {
    spaceId: ctx.space.id,
    state: "scheduled",
    fields: fields.value,
    facilitatorIds: leadsOf(input.form, ctx),
    actorId: ctx.user.id,
    proposedBy: null,
    previousId: previous?.id ?? null,
    now: ctx.now,
  });
  if (previous) await workshops.copyMaterials(trx, previous.id, id, ctx.user.id, ctx.now);
  await recordScheduled(trx, ctx, id, fields.value.title);
  const workshop = (await workshops.findWorkshop(trx, ctx.space.id, id))!;
  const mailIds = await announceWorkshop(trx, { workshop, space: ctx.space, by: ctx.user, head: input.head, now: ctx.now });
  return { ok: true, workshop, mailIds };
}

/** A member proposes: it waits in the admins' approvals queue. */
export async function proposeWorkshop(
  trx: Executor,
  ctx: WorkshopActing,
  input: { form: WorkshopFormValue; content: DerivedDocument },
): Promise<{ ok: true; id: string } | FieldRefusal | Forbidden> {
  if (!canProposeWorkshop(ctx.actor, ctx.membership, ctx.space)) return { ok: false, error: "forbidden" };
  const fields = await fieldsOf(trx, ctx, input.form, input.content);
  if (!fields.ok) return fields;
  const id = await workshops.insertWorkshop(trx, {
    spaceId: ctx.space.id,
    state: "proposed",
    fields: fields.value,
    facilitatorIds: leadsOf(input.form, ctx),
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
  input: { workshop: Workshop; accept: boolean; reason: string | null; head: Letterhead },
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
  const mailIds: string[] = [];
  if (input.accept) {
    await recordScheduled(trx, ctx, w.id, w.title);
    // Accepted, it is scheduled like any other: the club hears of it (its proposer does not need to).
    mailIds.push(...(await announceWorkshop(trx, { workshop: w, space: ctx.space, by: ctx.user, proposedBy: w.proposed_by, head: input.head, now: ctx.now })));
  }
  if (w.proposed_by && w.proposed_by !== ctx.user.id) {
    const told = await notify(trx, {
      kind: input.accept ? "workshopAccepted" : "workshopDeclined",
      spaceId: ctx.space.id,
      owner: { kind: "workshop", id: w.id },
      actorId: ctx.user.id,
      recipients: [w.proposed_by],
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
  input: { workshop: Workshop; baseRevision: number; form: WorkshopFormValue; content: DerivedDocument; head: Letterhead },
): Promise<({ ok: true } & Mailed) | FieldRefusal | Conflict | StateRefusal> {
  const w = input.workshop;
  if (w.state === "cancelled" || w.state === "declined") return { ok: false, error: "workshops.wrongState" };
  if (w.revision !== input.baseRevision) return { ok: false, conflict: true, current: w };
  const fields = await fieldsOf(trx, ctx, input.form, input.content);
  if (!fields.ok) return fields;
  if (fields.value.capacity !== w.capacity) {
    const refusal = await capacityRefusal(trx, w.id, fields.value.capacity);
    if (refusal) return { ok: false, errors: { capacity: "workshops.error.capacityBelowGoing" } };
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
  await workshops.setFacilitators(trx, w.id, leadsOf(input.form, ctx));
  const mailIds: string[] = [];
  if (w.state === "scheduled" && w.ends_at > ctx.now) {
    const after = { ...w, title: fields.value.title, starts_at: fields.value.startsAt, ends_at: fields.value.endsAt, time_zone: fields.value.timeZone, place: fields.value.place, video_url: fields.value.videoUrl };
    // A new time or place changes a commitment: those registered hear of it, with the updated event.
    if (calendarChanged(w, fields.value)) {
      const { mailTo } = await notify(trx, {
        kind: "workshopChanged",
        spaceId: ctx.space.id,
        owner: { kind: "workshop", id: w.id },
        actorId: ctx.user.id,
        recipients: (await workshops.registeredIds(trx, w.id)).filter((id) => id !== ctx.user.id),
        // Their mail is the workshop's own, with the updated event for their calendar.
        ownMail: true,
        now: ctx.now,
      });
      if (mailTo.length > 0) mailIds.push(...(await mailRegistered(trx, { workshop: after, space: ctx.space, change: "changed", userIds: mailTo, head: input.head, now: ctx.now })));
    }
    // More seats, or none any more: those waiting come in, in their order.
    const promoted = await promoteWaiting(trx, w.id, ctx.now);
    mailIds.push(...(await tellPromoted(trx, { workshop: after, space: ctx.space, promoted, actorId: ctx.user.id, head: input.head, now: ctx.now })));
  }
  return { ok: true, mailIds };
}

/** Kept and shown as cancelled; those registered are told in the app and by mail, with the cancelling event for their calendar. */
export async function cancelWorkshop(
  trx: Executor,
  ctx: WorkshopActing,
  input: { workshop: Workshop; reason: string; head: Letterhead },
): Promise<({ ok: true } & Mailed) | StateRefusal> {
  const w = input.workshop;
  if (w.state !== "scheduled" || w.ends_at <= ctx.now) return { ok: false, error: "workshops.wrongState" };
  await workshops.setState(trx, w.id, { state: "cancelled", cancelled_at: ctx.now, cancel_reason: input.reason }, ctx.user.id, ctx.now);
  await recordActivity(trx, { spaceId: ctx.space.id, actorId: ctx.user.id, verb: "workshop_cancelled", data: { title: w.title, id: w.id }, now: ctx.now });
  await audit(trx, { event: "workshop_cancelled", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshop: w.id, title: w.title, reason: input.reason }, now: ctx.now });
  const recipients = (await workshops.registeredIds(trx, w.id)).filter((id) => id !== ctx.user.id);
  if (recipients.length === 0) return { ok: true, mailIds: [] };
  const { mailTo } = await notify(trx, {
    kind: "workshopCancellation",
    spaceId: ctx.space.id,
    owner: { kind: "workshop", id: w.id },
    actorId: ctx.user.id,
    recipients,
    // The workshop mail below says it, with the calendar's cancellation: one mail, not two.
    ownMail: true,
    now: ctx.now,
  });
  const mailIds = await mailRegistered(trx, { workshop: w, space: ctx.space, change: "cancelled", reason: input.reason, userIds: mailTo, head: input.head, now: ctx.now });
  return { ok: true, mailIds };
}

/** To the space's trash (kept, restorable). */
export async function deleteWorkshop(trx: Executor, ctx: WorkshopActing, input: { workshop: Workshop }): Promise<{ ok: true }> {
  await workshops.setDeleted(trx, input.workshop.id, { at: ctx.now, by: ctx.user.id });
  await audit(trx, { event: "workshop_deleted", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshop: input.workshop.id, title: input.workshop.title }, now: ctx.now });
  return { ok: true };
}

export async function restoreWorkshop(trx: Executor, ctx: WorkshopActing, input: { workshop: Workshop }): Promise<{ ok: true } | StateRefusal> {
  if (input.workshop.deleted_at === null) return { ok: false, error: "workshops.wrongState" };
  await workshops.setDeleted(trx, input.workshop.id, null);
  await audit(trx, { event: "workshop_restored", actorId: ctx.user.id, ip: ctx.ip, spaceId: ctx.space.id, data: { workshop: input.workshop.id, title: input.workshop.title }, now: ctx.now });
  return { ok: true };
}
