import type { LoaderFunctionArgs } from "@remix-run/node";
import { fold } from "#db/text.ts";
import { canWriteComments } from "#app/policies/comment.ts";
import { authorize } from "#app/policies/authorize.ts";
import { getDb } from "#app/utils/db.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

const MAX_MENTION_RESULTS = 8;

/**
 * Members of this space whose name matches ?q= (case and accents ignored,
 * any word's start first), for the comment editor's "@" picker: at most 8,
 * the viewer and those leaving the network left out. Only for those who may comment here.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space, actor, membership, user } = await loadSpace(request, params.space);
  authorize(canWriteComments(actor, membership, space));
  const q = fold((new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 80));
  const rows = await getDb()
    .selectFrom("space_member as m")
    .innerJoin("user as u", "u.id", "m.user_id")
    .select(["u.id", "u.display_name"])
    .where("m.space_id", "=", space.id)
    .where("u.id", "!=", user.id)
    // One leaving the network has left the directory at once: nobody calls them in any more.
    .where("u.deletion_due_at", "is", null)
    .orderBy("u.display_name")
    .execute();
  const scored = rows
    .map((r) => {
      const name = fold(r.display_name);
      const at = q === "" ? 0 : name.indexOf(q);
      const wordStart = at === 0 || (at > 0 && /\s|-/.test(name[at - 1]));
      return { r, rank: at < 0 ? -1 : wordStart ? 0 : 1 };
    })
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank);
  const members = scored.slice(0, MAX_MENTION_RESULTS).map(({ r }) => ({ id: r.id, name: r.display_name }));
  return Response.json({ members }, { headers: { "Cache-Control": "private, no-store" } });
}
