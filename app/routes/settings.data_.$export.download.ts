import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { findForUser } from "#db/queries/data-exports.ts";
import { transact } from "#db/transact.ts";
import { ObjectNotFoundError } from "#storage/types.ts";
import { downloadable, recordDownload } from "#app/exports/commands.server.ts";
import { acting } from "#app/utils/acting.server.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { attachment, notFound } from "#app/utils/http.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";

/**
 * A member's export, streamed from storage as an attachment: only to them
 * (signed in, the query takes their id: anyone else's export is 404, an
 * admin's request too), only while ready and not expired. Every download is
 * audited. The same headers as a club's files: nosniff, and a sandbox CSP
 * should a browser ever render it.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const signedIn = await requireSignedIn(request);
  const id = params.export ?? "";
  if (!/^[a-z0-9]{10,40}$/.test(id)) notFound();
  const exp = await findForUser(getDb(), signedIn.user.id, id);
  const now = Date.now();
  if (!exp || !downloadable(exp, now) || exp.storage_key === null) notFound();
  const day = new Date(exp.ready_at ?? now).toISOString().slice(0, 10);
  const headers = {
    "Content-Type": "application/zip",
    "Content-Disposition": attachment(`cercle-mes-donnees-${day}.zip`),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
    "Cross-Origin-Resource-Policy": "same-origin",
    // Private to this member and this session: never in a shared cache, never transformed.
    "Cache-Control": "private, no-store, no-transform",
  };
  // A HEAD neither opens the object nor counts as a download.
  if (request.method === "HEAD") return new Response(null, { status: 200, headers: { ...headers, "Content-Length": String(exp.size ?? 0) } });
  const stored = await getStorage()
    .get(exp.storage_key)
    .catch((error: unknown) => (error instanceof ObjectNotFoundError ? notFound() : Promise.reject(error)));
  await transact(getDb(), (trx) => recordDownload(trx, acting(signedIn, context, now), exp));
  return new Response(Readable.toWeb(stored.body) as ReadableStream, { status: 200, headers: { ...headers, "Content-Length": String(stored.size) } });
}
