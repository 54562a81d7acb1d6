import type { User } from "#db/schema.ts";

/** Who acts, as the policies see them: an account, and whether it runs the network. */
export interface Actor {
  id: string;
  isNetworkAdmin: boolean;
}

/** The one place an account becomes an actor: the session, feeds, commands and jobs all build it here. */
export function actorOf(user: Pick<User, "id" | "is_network_admin">): Actor {
  return { id: user.id, isNetworkAdmin: user.is_network_admin === 1 };
}
