import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { loadFileById } from "#app/files/load.server.ts";
import { fileUrl } from "#app/urls.ts";

/** Links to a space file in wiki content point here by id: the file's page at its current address. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { file, space } = await loadFileById(request, params.id, context);
  throw redirect(fileUrl(space.slug, file.id));
}
