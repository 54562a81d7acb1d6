import type { LoaderFunctionArgs } from "@remix-run/node";
import { suggestSkills } from "#app/people/directory.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";

const LIMIT = 8;

/**
 * Skills already used in the network, for the profile form's suggestions:
 * only from profiles whose skills the viewer may see, most used first.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 60);
  const skills = await suggestSkills(getDb(), actor, q, LIMIT);
  return Response.json({ skills }, { headers: { "Cache-Control": "private, no-store" } });
}
