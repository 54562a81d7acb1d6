import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { findWithSpace } from "#db/queries/pages.ts";
import { getDb } from "#app/utils/db.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { notFound } from "#app/utils/http.server.ts";
import { wikiPageUrl } from "#app/urls.ts";

/**
 * Internal links in wiki content point here by page id, so renaming or
 * moving a page never breaks them; this answers with the page's current address.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = params.id ? await findWithSpace(getDb(), params.id) : undefined;
  if (!page || page.deleted_at !== null) notFound();
  const { actor, membership, space } = await loadSpace(request, page.space_slug);
  authorize(canReadSpace(actor, membership, space));
  throw redirect(wikiPageUrl(space.slug, page.slug));
}
