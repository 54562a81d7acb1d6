import type { SearchKind } from "../schema.ts";

/**
 * Who may read an indexed row, said as words in its `access` column: the
 * search's MATCH asks for rows holding at least one of the viewer's words,
 * so trimming happens inside the index's own query and every count and page
 * is of readable rows only.
 *
 * A row's words depend on the row (and, for a comment, on what it is on)
 * and never on its space's settings or on memberships: those are read when
 * the viewer's words are made (app/search/access.server.ts, from the
 * policies themselves), so archiving a space, opening it or removing a
 * member changes what is found at once, with nothing to reindex. The two
 * halves are held equal to the policies by tests/integration/search-access.test.ts,
 * which asks both for every row and every viewer of a network.
 */

/**
 * Server-made ids are lower-case base32 and go in as they are; anything else
 * (test or imported ids) goes in as hexadecimal after a 9, a digit base32
 * never writes, so no two ids make one word and no id is cut in two by the
 * tokenizer.
 */
function safe(id: string): string {
  return /^[a-z0-8]*$/.test(id) ? id : `9${Buffer.from(id, "utf8").toString("hex")}`;
}

export const accessWord = {
  /** Whoever may read space s (canReadSpace). */
  readers: (space: string) => `r${safe(space)}`,
  /** Every member of the network, while space s may open things to it (canOpenToNetwork). */
  network: (space: string) => `n${safe(space)}`,
  /** Those who moderate articles in s: they read every draft (canModeratePosts). */
  moderators: (space: string) => `m${safe(space)}`,
  /** The author of a draft, while they may write articles in s (canReadPost). */
  author: (space: string, user: string) => `d${safe(space)}x${safe(user)}`,
  /** Those who schedule workshops in s: they read proposals (canReadWorkshop). */
  schedulers: (space: string) => `s${safe(space)}`,
  /** Who proposed a workshop, while they may read s. */
  proposer: (space: string, user: string) => `p${safe(space)}x${safe(user)}`,
  /** The members of a conversation who have not left it. */
  conversation: (id: string) => `c${safe(id)}`,
};

/** Words for the filters, in the same column: a filter is one more word the row must hold. */
export const filterWord = {
  space: (space: string) => `g${safe(space)}`,
  kind: (kind: SearchKind) => `k${kind}`,
  author: (user: string) => `u${safe(user)}`,
};

/** The facts of a row that say who reads it. */
export type AccessFacts =
  | { kind: "page" | "file"; spaceId: string }
  | { kind: "post"; spaceId: string; state: string; visibility: string; authorId: string | null }
  | { kind: "workshop"; spaceId: string; state: string; visibility: string; proposedBy: string | null }
  | { kind: "ask"; spaceId: string; audience: string }
  | { kind: "conversation"; conversationId: string };

/** A row's access words: the policies' rules (app/policies/*.ts), row by row. */
export function accessWords(facts: AccessFacts): string[] {
  switch (facts.kind) {
    case "page":
    case "file":
      return [accessWord.readers(facts.spaceId)];
    case "post": {
      // canReadPost: published for every reader; otherwise moderators and the author who may write.
      if (facts.state !== "published") {
        const words = [accessWord.moderators(facts.spaceId)];
        if (facts.authorId) words.push(accessWord.author(facts.spaceId, facts.authorId));
        return words;
      }
      // canReadNetworkPost: a published network article, for the whole network.
      return facts.visibility === "network" ? [accessWord.readers(facts.spaceId), accessWord.network(facts.spaceId)] : [accessWord.readers(facts.spaceId)];
    }
    case "workshop": {
      // canReadWorkshop: scheduled and cancelled ones are shown; proposals to schedulers and proposer.
      if (facts.state !== "scheduled" && facts.state !== "cancelled") {
        const words = [accessWord.schedulers(facts.spaceId)];
        if (facts.proposedBy) words.push(accessWord.proposer(facts.spaceId, facts.proposedBy));
        return words;
      }
      return facts.visibility === "network" ? [accessWord.readers(facts.spaceId), accessWord.network(facts.spaceId)] : [accessWord.readers(facts.spaceId)];
    }
    case "ask":
      // canReadAsk: the club, and the network for a network ask.
      return facts.audience === "network" ? [accessWord.readers(facts.spaceId), accessWord.network(facts.spaceId)] : [accessWord.readers(facts.spaceId)];
    case "conversation":
      return [accessWord.conversation(facts.conversationId)];
  }
}
