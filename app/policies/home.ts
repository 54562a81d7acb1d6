import type { AskScope } from "#db/queries/asks.ts";
import { askListScope } from "./ask.ts";
import { canManageMembers, canReadSpace, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";
import { canScheduleWorkshops } from "./workshop.ts";

/**
 * The home (issue 18) is a member's own clubs: the news of the spaces they
 * belong to and may read, what waits there for the roles they hold, and the
 * network's asks as any member reads them. A network admin's power to act in
 * every space is not news: their home, like anyone's, is their clubs — and so
 * a secret club's activity reaches the homes of its members and no one else's.
 */
export interface HomeScope {
  clubIds: string[];
  /** Where they approve co-optations and requests to join. */
  approveIn: string[];
  /** Where they decide the workshops members propose. */
  scheduleIn: string[];
  /** Asks beyond their clubs: those of the network, as a member without any special power reads them. */
  asks: AskScope;
}

export function homeScope(actor: Actor, memberships: ReadonlyArray<{ space: SpaceFacts & { id: string }; membership: MembershipFacts }>): HomeScope {
  const mine = memberships.filter(({ space, membership }) => membership && canReadSpace(actor, membership, space));
  const clubIds = mine.map(({ space }) => space.id);
  return {
    clubIds,
    approveIn: mine.filter(({ space, membership }) => canManageMembers(actor, membership, space)).map(({ space }) => space.id),
    scheduleIn: mine.filter(({ space, membership }) => canScheduleWorkshops(actor, membership, space)).map(({ space }) => space.id),
    // Read as a member without any power reads them: a network admin reads every club's asks, but those are not news for them.
    asks: askListScope({ ...actor, isNetworkAdmin: false }, clubIds),
  };
}
