import type { LoaderFunctionArgs } from "@remix-run/node";
import { listChildren } from "#db/queries/pages.ts";
import { canReadPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";

/** One level of the page tree, fetched as the reader opens a branch: titles only, never content. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canReadPages);
  const parent = new URL(request.url).searchParams.get("parent") || null;
  const children = await listChildren(getDb(), space.id, parent);
  return Response.json(
    { pages: children.map((c) => ({ id: c.id, title: c.title, slug: c.slug, childCount: Number(c.child_count) })) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
