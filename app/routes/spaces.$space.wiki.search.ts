import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchTitles } from "#db/queries/pages.ts";
import { canReadPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";

/** Page titles of this space matching ?q=, for the editor's [[ picker. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canReadPages);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 100);
  const found = await searchTitles(getDb(), space.id, q, 8);
  return Response.json({ pages: found.map((p) => ({ id: p.id, title: p.title })) }, { headers: { "Cache-Control": "private, no-store" } });
}
