import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedReader, networkFeed } from "#app/blog/feeds.server.ts";

/** The network's "latest from the clubs" as a private Atom feed: any member with a current token. */
export async function loader({ params }: LoaderFunctionArgs) {
  const user = await feedReader(params.token);
  return networkFeed(user, params.token!);
}
