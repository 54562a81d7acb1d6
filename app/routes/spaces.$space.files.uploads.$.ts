import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "#app/policies/authorize.ts";
import { canUploadFiles } from "#app/policies/file.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * The tus endpoint of a space: POST creates an upload, HEAD tells how far it
 * got, PATCH sends bytes, DELETE abandons it. Every request is checked here
 * first — signed in, may upload in this space, and for an existing upload,
 * that it is this person's, in this space. HEAD of a complete upload and the
 * quota of a PATCH resuming a lapsed one are answered before tus sees them.
 */
async function handle({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canUploadFiles(actor, membership, space));
  // @tus/server and what it brings (~3 MB) load at a process's first upload, not at start (README, Memory at rest).
  const { beforePatch, findOwnUpload, forgetUpload, handleUpload, headOfComplete } = await import("#app/files/uploads.server.ts");
  const upload = { space, actor, membership };
  const id = params["*"] ?? "";
  if (request.method === "POST") {
    if (id !== "") notFound();
  } else {
    const row = id === "" ? undefined : await findOwnUpload(id, upload);
    if (!row) notFound();
    // A complete upload is answered here: its file named, or made now if a crash left it without one.
    const early = request.method === "HEAD" ? await headOfComplete(row) : request.method === "PATCH" ? await beforePatch(row, upload) : null;
    if (early) return early;
  }
  const response = await handleUpload(request, upload);
  if (request.method === "DELETE" && response.status === 204) await forgetUpload(id);
  return response;
}

export const loader = handle;
export const action = handle;
