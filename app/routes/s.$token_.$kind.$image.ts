import type { LoaderFunctionArgs } from "@remix-run/node";
import { findLiveFile } from "#db/queries/files.ts";
import { transact } from "#db/transact.ts";
import { serveVersion } from "#app/files/download.server.ts";
import { openShareLink } from "#app/sharing/commands.server.ts";
import { imagesOfPage } from "#app/sharing/html.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { wikiImageResponse } from "#app/wiki/image-response.server.ts";

/**
 * An image of a shared page (/s/<token>/files/<id> or /s/<token>/wiki/<id>),
 * served only while the link works and only if the page's current HTML
 * shows it: the link opens the page's own images and nothing else of the
 * space.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const kind = params.kind;
  if (kind !== "files" && kind !== "wiki") notFound();
  const db = getDb();
  const result = await transact(db, (trx) => openShareLink(trx, acting({}, context), params.token ?? "", { count: false }));
  if (!result.ok || result.opened.item.kind !== "page") notFound();
  const { space, item } = result.opened;
  const id = params.image ?? "";
  const shown = await imagesOfPage(item.page.content_html);
  if (!shown[kind].has(id)) notFound();
  if (kind === "wiki") return wikiImageResponse(db, space.id, id, { revalidate: true });
  const file = await findLiveFile(db, space.id, id);
  if (!file) notFound();
  // Inline for images (and PDF); anything else comes as opaque bytes, as /files/<id>/inline does.
  return serveVersion(request, file, { inline: true });
}
