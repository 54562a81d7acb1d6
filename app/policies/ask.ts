import type { AskScope } from "#db/queries/asks.ts";
import { VISIBILITIES, type Ask, type Visibility } from "#db/schema.ts";
import { canPublishToNetwork } from "./post.ts";
import { can, type Actor, type MembershipFacts, type SpaceFacts } from "./space.ts";

/**
 * Asks (issue 16): members and above post them; everyone who takes part in
 * the space (guests included) answers them; editors and admins moderate
 * (close, to the trash and back); the author edits, resolves, thanks and
 * closes their own. An ask to the network (never from a secret or archived
 * space: the rule of network-visible articles) is read and answered by
 * every signed-in member of the network — and nothing else of its space.
 * An ask is open until resolved or past its deadline; closed, it stays
 * readable and takes no more answers.
 */

export type AskFacts = Pick<Ask, "author_id" | "audience" | "deleted_at" | "resolved_at" | "closes_at">;

/** The Asks tab of a space and its list. */
export const canReadAsks = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "read");
export const canPostAsk = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "contribute");
export const canModerateAsks = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => can(a, m, s, "moderate");

/** Whether asks of this space may go to the whole network. */
export function canAskNetwork(space: SpaceFacts): boolean {
  return space.archived_at === null && canPublishToNetwork(space);
}

const isAuthor = (actor: Actor | null, ask: Pick<AskFacts, "author_id">) => actor !== null && ask.author_id !== null && ask.author_id === actor.id;

function toNetwork(actor: Actor | null, space: SpaceFacts, ask: Pick<AskFacts, "audience">): boolean {
  return actor !== null && ask.audience === "network" && canAskNetwork(space);
}

/** Resolved, or its deadline passed: it takes no more answers. */
export function isAskClosed(ask: Pick<AskFacts, "resolved_at" | "closes_at">, now: number): boolean {
  return ask.resolved_at !== null || (ask.closes_at !== null && ask.closes_at <= now);
}

export function canReadAsk(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, ask: AskFacts): boolean {
  if (ask.deleted_at !== null) return false;
  return can(actor, membership, space, "read") || toNetwork(actor, space, ask);
}

/**
 * Whether one may write in the thread: whoever takes part in the space, or
 * the whole network for a network ask. A closed ask keeps its answers
 * editable by their authors (a typo found after it was resolved).
 */
export function canWriteInAskThread(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, ask: AskFacts): boolean {
  if (!canReadAsk(actor, membership, space, ask)) return false;
  return can(actor, membership, space, "participate") || (space.archived_at === null && toNetwork(actor, space, ask));
}

/** Answering is commenting on the ask, while it is open. */
export function canAnswerAsk(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, ask: AskFacts, now: number): boolean {
  return canWriteInAskThread(actor, membership, space, ask) && !isAskClosed(ask, now);
}

/** Change its words: the author, while still a contributor here. */
export function canEditAsk(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, ask: AskFacts): boolean {
  return ask.deleted_at === null && isAuthor(actor, ask) && can(actor, membership, space, "contribute");
}

/** Mark resolved (and thank), or reopen: the author; close as moderation: editors and admins. */
export function canResolveAsk(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, ask: AskFacts): boolean {
  return canEditAsk(actor, membership, space, ask) || (ask.deleted_at === null && canModerateAsks(actor, membership, space));
}

/** Thank those who helped: the author alone. */
export const canThankForAsk = canEditAsk;

/** To the space's trash: its author or a moderator; back from it: a moderator. */
export function canDeleteAsk(actor: Actor | null, membership: MembershipFacts, space: SpaceFacts, ask: AskFacts): boolean {
  return canResolveAsk(actor, membership, space, ask);
}
export const canRestoreAsk = (a: Actor | null, m: MembershipFacts, s: SpaceFacts) => canModerateAsks(a, m, s);

/**
 * Which asks a list may show this reader, as the query takes it
 * (db/queries/asks.ts listAsks): their spaces' asks whole, a space everyone
 * reads (an open one), and network asks — each read off the rules above for
 * a reader with no membership, so the SQL cannot say otherwise than
 * canReadAsk.
 */
export function askListScope(actor: Actor, memberSpaceIds: readonly string[]): AskScope {
  const outsider = (visibility: Visibility) => ({ visibility, join_policy: "coopt_approval" as const, archived_at: null });
  return {
    all: actor.isNetworkAdmin,
    spaceIds: memberSpaceIds,
    readableVisibilities: VISIBILITIES.filter((v) => can(actor, null, outsider(v), "read")),
    networkVisibilities: VISIBILITIES.filter((v) => canAskNetwork(outsider(v))),
  };
}
