import type { ActionFunctionArgs } from "@remix-run/node";
import { transact } from "#db/transact.ts";
import { isPageId } from "#app/editor/url.ts";
import { canManageMaterials } from "#app/policies/workshop-followup.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { badRequest, forbidden, notFound, redirectWithFlash } from "#app/utils/http.server.ts";
import { workshopUrl } from "#app/urls.ts";
import { loadFollowUp } from "#app/workshops/followup.server.ts";
import { addMaterial, moveMaterial, removeMaterial, shareMaterial } from "#app/workshops/materials.server.ts";

/**
 * A workshop's materials (POST intent=add|remove|share|move): for those who
 * may edit the workshop (its facilitators, the space's admins; anyone else
 * 403). A workshop, page, file or material of another space or workshop is
 * 404 and nothing changes. Each change comes back to the materials on the
 * workshop's page with a flash.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await loadFollowUp(request, params, context);
  const { actor, membership, space, workshop, facilitatorIds } = ctx;
  if (!canManageMaterials(actor, membership, space, workshop, facilitatorIds)) forbidden();
  const form = await request.formData();
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const intent = field("intent");
  const who = acting(ctx, context);
  const back = `${workshopUrl(space.slug, workshop.id)}#materials`;
  const db = getDb();

  if (intent === "add") {
    const kind = field("kind");
    const targetId = field("targetId");
    if ((kind !== "page" && kind !== "file") || !isPageId(targetId)) badRequest();
    const done = await transact(db, (trx) => addMaterial(trx, who, { workshop, target: { kind, id: targetId }, shared: field("shared") === "1" }));
    if (!done.ok) notFound();
    return redirectWithFlash(back, { kind: done.already ? "info" : "success", key: done.already ? "workshops.materials.already" : "workshops.materials.added" });
  }

  const materialId = field("materialId");
  if (!isPageId(materialId)) badRequest();
  if (intent === "remove") {
    const done = await transact(db, (trx) => removeMaterial(trx, who, { workshop, materialId }));
    if (!done.ok) notFound();
    return redirectWithFlash(back, { key: "workshops.materials.removed" });
  }
  if (intent === "share") {
    const shared = field("shared");
    if (shared !== "0" && shared !== "1") badRequest();
    const done = await transact(db, (trx) => shareMaterial(trx, who, { workshop, materialId, shared: shared === "1" }));
    if (!done.ok) notFound();
    return redirectWithFlash(back, { key: shared === "1" ? "workshops.materials.nowShared" : "workshops.materials.notShared" });
  }
  if (intent === "move") {
    const direction = field("direction");
    if (direction !== "up" && direction !== "down") badRequest();
    const done = await transact(db, (trx) => moveMaterial(trx, who, { workshop, materialId, direction }));
    if (!done.ok) notFound();
    return redirectWithFlash(back, { key: "workshops.materials.moved" });
  }
  badRequest();
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
