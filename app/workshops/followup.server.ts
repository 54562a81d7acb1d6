import type { Space, Workshop } from "#db/schema.ts";
import { liveNotesPage } from "#db/queries/workshop-notes.ts";
import * as workshops from "#db/queries/workshops.ts";
import type { Executor } from "#db/client.ts";
import { isPageId } from "#app/editor/url.ts";
import { canReadPages } from "#app/policies/page.ts";
import { canReadSpace, type Actor, type MembershipFacts } from "#app/policies/space.ts";
import { canEditWorkshop, canReadWorkshop } from "#app/policies/workshop.ts";
import { canManageMaterials, hasStarted } from "#app/policies/workshop-followup.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { workshopAttendanceUrl, workshopMaterialsUrl, workshopNotesUrl, wikiPageUrl } from "#app/urls.ts";
import { materialsView } from "./materials.server.ts";

/**
 * What the materials, attendance and notes routes share: the workshop of the
 * address, found in this space and readable by the viewer, or 404 (another
 * space's id, a proposal that is not theirs, one in the trash); and what the
 * workshop page shows of them.
 */
export async function loadFollowUp(request: Request, params: { space?: string; workshop?: string }, context?: object) {
  const ctx = await loadSpace(request, params.space, context);
  const id = params.workshop;
  if (!isPageId(id)) notFound();
  const db = getDb();
  const workshop = await workshops.findWorkshop(db, ctx.space.id, id);
  if (!workshop || !canReadWorkshop(ctx.actor, ctx.membership, ctx.space, workshop)) notFound();
  const facilitatorIds = await workshops.facilitatorIds(db, workshop.id);
  return { ...ctx, workshop, facilitatorIds, mayEdit: canEditWorkshop(ctx.actor, ctx.membership, ctx.space, workshop, facilitatorIds) };
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
    workshops.attendanceCounts(db, [workshop.id]),
  ]);
  const started = hasStarted(workshop, now);
  const followUp = started && canEditWorkshop(actor, membership, space, workshop, facilitatorIds);
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
