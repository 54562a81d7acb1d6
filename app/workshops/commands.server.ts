import type { Executor } from "#db/client.ts";
import type { Workshop } from "#db/schema.ts";
import { recordActivity } from "#db/queries/activity.ts";
import { audit } from "#db/queries/audit.ts";
import { insertWorkshop } from "#db/queries/workshops.ts";
import type { DerivedDocument } from "#app/editor/document.ts";
import { canScheduleWorkshops } from "#app/policies/workshop.ts";
import type { ActingParts, Letterhead } from "#app/utils/acting.server.ts";
import type { WorkshopFormValue } from "./form.server.ts";
import { announceWorkshop } from "./mails.server.ts";

/**
 * The workshop use cases. Each takes the executor (the route's transaction),
 * the acting context and its input, and answers a result or a typed refusal;
 * mails are queued in the same transaction and their ids answered, for the
 * route to send once committed.
 */

export type WorkshopActing = ActingParts<"actor" | "user" | "space" | "membership" | "ip" | "now">;

/**
 * A space's admin schedules a workshop: it is at once visible to the space,
 * in its agenda and its members' calendars; the scheduler facilitates it;
 * the members who asked for it get the announcement.
 */
export async function scheduleWorkshop(
  trx: Executor,
  ctx: WorkshopActing,
  input: { form: WorkshopFormValue; description: DerivedDocument; head: Letterhead },
): Promise<{ ok: true; workshop: Workshop; mailIds: string[] } | { ok: false; error: "forbidden" }> {
  const { actor, membership, space, user, now } = ctx;
  if (!canScheduleWorkshops(actor, membership, space)) return { ok: false, error: "forbidden" };
  const { form, description } = input;
  const workshop = await insertWorkshop(trx, {
    spaceId: space.id,
    state: "scheduled",
    title: form.title,
    startsAt: form.startsAt,
    endsAt: form.endsAt,
    timeZone: form.timeZone,
    place: form.place,
    videoUrl: form.videoUrl,
    outsideSpeaker: form.outsideSpeaker,
    capacity: form.capacity,
    description,
    createdBy: user.id,
    proposedBy: null,
    now,
  });
  await recordActivity(trx, { spaceId: space.id, actorId: user.id, verb: "workshop_scheduled", data: { title: workshop.title }, now });
  await audit(trx, { event: "workshop_scheduled", actorId: user.id, spaceId: space.id, ip: ctx.ip, data: { workshop: workshop.id }, now });
  const mailIds = await announceWorkshop(trx, { workshop, space, by: user, head: input.head, now });
  return { ok: true, workshop, mailIds };
}
