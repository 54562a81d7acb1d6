import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getSignedIn } from "#app/utils/auth.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  throw redirect((await getSignedIn(request)) ? "/spaces" : "/login");
}
