import * as pages from "#db/queries/pages.ts";
import { canReadPages } from "#app/policies/page.ts";
import type { SpacePolicy } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * The space (checked as usual) and one of its live pages by its address or
 * a former one (`moved`); 404 otherwise. `policy` is the page policy the
 * route needs (canReadPages, canEditPages…), 403 when it says no.
 */
export async function loadPage(
  request: Request,
  params: { space?: string; page?: string },
  policy: SpacePolicy = canReadPages,
  loadContext?: object,
) {
  const context = await requireSpace(request, params.space, policy, loadContext);
  const found = params.page ? await pages.findBySlugOrAlias(getDb(), context.space.id, params.page) : undefined;
  if (!found) notFound();
  return { ...context, page: found.page, moved: found.moved };
}
