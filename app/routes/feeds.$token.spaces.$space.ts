import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedReader, feedSpace, spaceFeed } from "#app/blog/feeds.server.ts";

/** A space's published articles as a private Atom feed, for whoever may read the space today. */
export async function loader({ params }: LoaderFunctionArgs) {
  const user = await feedReader(params.token);
  const space = await feedSpace(user, params.space);
  return spaceFeed(space, params.token!);
}
