import type { ActionFunctionArgs } from "@remix-run/node";
import { autosavePost } from "#app/blog/edit.server.ts";
import { loadPostToEdit } from "#app/blog/load.server.ts";
import type { AutosaveAnswer } from "#app/components/post-form.tsx";

/**
 * Where a draft's editor saves itself (POST, answered in JSON, never a
 * navigation): the same checks and the same save as the edit route's
 * intent=autosave. Every refusal is an answer the editor can show — signed
 * out, gone, no longer allowed — never an error page that would take the
 * writer's text off the screen.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const headers = { "Cache-Control": "no-store" };
  const form = await request.formData();
  let ctx;
  try {
    ctx = await loadPostToEdit(request, params, form);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    const error: AutosaveAnswer =
      thrown.status === 404
        ? { ok: false, error: "notFound" }
        : thrown.status === 403
          ? { ok: false, error: "forbidden" }
          : thrown.status >= 300 && thrown.status < 400
            ? { ok: false, error: "signedOut" }
            : { ok: false, error: "failed" };
    const status = thrown.status >= 300 && thrown.status < 400 ? 401 : thrown.status;
    return Response.json(error, { status, headers });
  }
  const { status, answer } = await autosavePost(ctx, form);
  return Response.json(answer, { status, headers });
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
