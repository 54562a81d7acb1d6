import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { authorize } from "#app/policies/authorize.ts";
import { canManageAccounts } from "#app/policies/network.ts";
import { requireSignedIn } from "#app/utils/auth.server.ts";
import { adminUrls } from "#app/urls.ts";

/** /admin opens on the members: what a network admin comes for most. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireSignedIn(request, context);
  authorize(canManageAccounts(actor));
  throw redirect(adminUrls.members);
}
