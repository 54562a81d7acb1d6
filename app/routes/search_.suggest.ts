import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadSuggestions } from "#app/search/load.server.ts";
import { MAX_QUERY } from "#app/search/params.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";

/**
 * Suggestions under the header's search box, as JSON: titles the viewer may
 * read and people they may find, that start like ?q=. Never cached: they are
 * the viewer's own.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, MAX_QUERY);
  const suggestions = await loadSuggestions(getDb(), actor, q);
  return Response.json({ suggestions }, { headers: { "Cache-Control": "private, no-store" } });
}
