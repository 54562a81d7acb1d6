import type { LoaderFunctionArgs } from "@remix-run/node";
import { transact } from "#db/transact.ts";
import { serveVersion } from "#app/files/download.server.ts";
import { openShareLink } from "#app/sharing/commands.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";

/**
 * The shared file's current version, as an attachment (nosniff, sandboxing
 * CSP: serveVersion), while the link works; checked at every request, so a
 * revoked link stops mid-way between the page and the download.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const result = await transact(getDb(), (trx) => openShareLink(trx, acting({}, context), params.token ?? "", { count: false }));
  if (!result.ok || result.opened.item.kind !== "file") notFound();
  const response = await serveVersion(request, result.opened.item.file, { inline: false });
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
}
