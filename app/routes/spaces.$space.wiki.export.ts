import type { LoaderFunctionArgs } from "@remix-run/node";
import { canReadPages } from "#app/policies/page.ts";
import { getDb } from "#app/utils/db.server.ts";
import { attachment } from "#app/utils/http.server.ts";
import { requireSpace } from "#app/utils/space.server.ts";
import { wikiZipStream } from "#app/wiki/export.server.ts";

/** The space's whole wiki as a zip of Markdown files. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { space } = await requireSpace(request, params.space, canReadPages);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(await wikiZipStream(getDb(), space.id), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": attachment(`wiki-${space.slug}-${day}.zip`),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
