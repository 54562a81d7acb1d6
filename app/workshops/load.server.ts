import type { LoaderFunctionArgs } from "@remix-run/node";
import * as workshops from "#db/queries/workshops.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { getDb } from "#app/utils/db.server.ts";
import { forbidden, notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * The workshop an address names, for a reader who may read it
 * (canReadWorkshop), with who leads it. A secret space is 404 to outsiders
 * (loadSpace); outside a listed or open space a workshop not opened to the
 * network is refused as the space's other pages are (403), whether or not
 * the id exists; inside, another space's id, a trashed one or someone else's
 * proposal is not there (404).
 */
export async function loadWorkshop(request: Request, params: { space?: string; workshop?: string }, context: LoaderFunctionArgs["context"]) {
  const ctx = await loadSpace(request, params.space, context);
  const id = params.workshop ?? "";
  const workshop = id.length <= 64 ? await workshops.findWorkshop(getDb(), ctx.space.id, id) : undefined;
  if (!workshop || !canReadWorkshop(ctx.actor, ctx.membership, ctx.space, workshop)) {
    if (!canReadSpace(ctx.actor, ctx.membership, ctx.space)) forbidden();
    notFound();
  }
  const facilitatorIds = await workshops.facilitatorIds(getDb(), workshop.id);
  return { ...ctx, workshop, facilitatorIds };
}
