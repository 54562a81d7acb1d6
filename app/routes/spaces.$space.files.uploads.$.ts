import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { findOwnUpload, forgetUpload, handleUpload } from "#app/files/uploads.server.ts";
import { authorize } from "#app/policies/authorize.ts";
import { canUploadFiles } from "#app/policies/file.ts";
import { notFound } from "#app/utils/http.server.ts";
import { loadSpace } from "#app/utils/space.server.ts";

/**
 * The tus endpoint of a space: POST creates an upload, HEAD tells how far it
 * got, PATCH sends bytes, DELETE abandons it. Every request is checked here
 * first — signed in, may upload in this space, and for an existing upload,
 * that it is this person's, in this space.
 */
async function handle({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  const { space, actor, membership } = await loadSpace(request, params.space, context);
  authorize(canUploadFiles(actor, membership, space));
  const upload = { space, actor, membership };
  const id = params["*"] ?? "";
  if (request.method === "POST") {
    if (id !== "") notFound();
  } else if (id === "" || !(await findOwnUpload(id, upload))) {
    notFound();
  }
  const response = await handleUpload(request, upload);
  if (request.method === "DELETE" && response.status === 204) await forgetUpload(id);
  return response;
}

export const loader = handle;
export const action = handle;
