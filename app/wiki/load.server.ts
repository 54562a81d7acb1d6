import * as pages from "#db/queries/pages.ts";
import type { SpaceAbility } from "#app/policies/space.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpaceAbility } from "#app/utils/space.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * The space (checked as usual) and one of its live pages by its address or
 * a former one (`moved`); 404 otherwise.
 */
export async function loadPage(
  request: Request,
  params: { space?: string; page?: string },
  ability: SpaceAbility = "read",
  loadContext?: object,
) {
  const context = await requireSpaceAbility(request, params.space, ability, loadContext);
  const found = params.page ? await pages.findBySlugOrAlias(getDb(), context.space.id, params.page) : undefined;
  if (!found) notFound();
  return { ...context, page: found.page, moved: found.moved };
}
