import type { LoaderFunctionArgs } from "@remix-run/node";
import type { Space, Workshop } from "#db/schema.ts";
import { liveNotesPage } from "#db/queries/workshop-notes.ts";
import { attendanceCounts } from "#db/queries/workshop-attendance.ts";
import type { Executor } from "#db/client.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canReadSpace, type Actor, type MembershipFacts } from "#app/policies/space.ts";
import { canEditWorkshop } from "#app/policies/workshop.ts";
import { canFollowUpWorkshop, canManageMaterials, hasStarted } from "#app/policies/workshop-followup.ts";
import { workshopAttendanceUrl, workshopMaterialsUrl, workshopNotesUrl, wikiPageUrl } from "#app/urls.ts";
import { loadWorkshop } from "./load.server.ts";
import { materialsView } from "./materials.server.ts";

/**
 * What the materials, attendance and notes routes share: the workshop of the
 * address as its page finds it (loadWorkshop: another space's id, a proposal
 * that is not theirs, one in the trash is 404; a workshop outside a listed
 * or open space the reader is not in, 403), and whether they may edit it;
 * and what the workshop page shows of them.
 */
export async function loadFollowUp(request: Request, params: { space?: string; workshop?: string }, context: LoaderFunctionArgs["context"]) {
  const ctx = await loadWorkshop(request, params, context);
  return { ...ctx, mayEdit: canEditWorkshop(ctx.actor, ctx.membership, ctx.space, ctx.workshop, ctx.facilitatorIds) };
}

/**
 * The workshop page's part of materials, attendance and notes, for this
 * reader: the props of MaterialsPanel and FollowUpPanel, in one call.
 */
export async function followUpView(
  db: Executor,
  reader: { space: Space; actor: Actor | null; membership: MembershipFacts },
  workshop: Workshop,
  facilitatorIds: readonly string[],
  now: number,
) {
  const { space, actor, membership } = reader;
  const manage = canManageMaterials(actor, membership, space, workshop, facilitatorIds);
  const readsSpace = canReadSpace(actor, membership, space);
  const [materials, notesPage, counts] = await Promise.all([
    materialsView(db, space, workshop, { sharedOnly: !readsSpace }),
    canReadPages(actor, membership, space) ? liveNotesPage(db, space.id, workshop.notes_page_id) : undefined,
    attendanceCounts(db, [workshop.id]),
  ]);
  const started = hasStarted(workshop, now);
  const followUp = canFollowUpWorkshop(actor, membership, space, workshop, facilitatorIds, now);
  return {
    materials: {
      spaceSlug: space.slug,
      action: workshopMaterialsUrl(space.slug, workshop.id),
      materials,
      canManage: manage,
      networkOpen: workshop.visibility === "network",
    },
    followUp: {
      started,
      notes: notesPage ? { title: notesPage.title, href: wikiPageUrl(space.slug, notesPage.slug) } : null,
      // Not recorded (null) is not "nobody came" (0).
      attended: workshop.attendance_recorded_at === null ? null : (counts.get(workshop.id) ?? 0),
      canRecordAttendance: followUp,
      canWriteNotes: followUp,
      attendanceUrl: workshopAttendanceUrl(space.slug, workshop.id),
      notesAction: workshopNotesUrl(space.slug, workshop.id),
    },
  };
}
