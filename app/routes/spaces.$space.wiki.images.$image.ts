import type { LoaderFunctionArgs } from "@remix-run/node";
import { canReadPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { wikiImageResponse } from "#app/wiki/image-response.server.ts";

/** An image of this space's wiki, to readers of the space only; checked at every request. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canReadPages);
  return wikiImageResponse(getDb(), space.id, params.image ?? "");
}
