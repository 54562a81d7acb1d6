import { describe, expect, test } from "vitest";
import { NETWORK_ASK_VISIBILITIES } from "#db/queries/notifications.ts";
import { VISIBILITIES, type AskAudience, type Role, type Visibility } from "#db/schema.ts";
import {
  askListScope,
  canAnswerAsk,
  canAskNetwork,
  canDeleteAsk,
  canEditAsk,
  canModerateAsks,
  canPostAsk,
  canReadAsk,
  canReadAsks,
  canResolveAsk,
  canRestoreAsk,
  canThankForAsk,
  canWriteInAskThread,
  isAskClosed,
  type AskFacts,
} from "#app/policies/ask.ts";
import type { Actor } from "#app/policies/actor.ts";

/**
 * The ask policies (issue 16), over every combination of who acts (no one
 * signed in, an outsider, each role, the network admin), the space (secret,
 * listed, open; archived or not), the ask (to the space or the network; the
 * actor's own or someone else's; open, with a deadline ahead, resolved, past
 * its deadline, closing this very instant, in the trash): 7 × 3 × 2 × 2 × 2 ×
 * 6 = 1008 cases. The expected answers come from the rules of the policy's
 * doc comments and the SPEC's role table, written out below one by one, each
 * saying when it applies and what it answers. A case no rule speaks for, or
 * two rules that disagree, fails the table: the rules are written
 * independently of the code, not computed from it.
 */

type Who = "anonymous" | "outsider" | Role | "network admin";
type State = "open" | "deadline ahead" | "resolved" | "deadline passed" | "closes now" | "trashed";

interface Facts {
  who: Who;
  visibility: Visibility;
  archived: boolean;
  audience: AskAudience;
  author: boolean;
  state: State;
}

const WHO: Who[] = ["anonymous", "outsider", "guest", "member", "editor", "admin", "network admin"];
const STATES: State[] = ["open", "deadline ahead", "resolved", "deadline passed", "closes now", "trashed"];
const NOW = 1_800_000_000_000;

const all: Facts[] = WHO.flatMap((who) =>
  VISIBILITIES.flatMap((visibility) =>
    [false, true].flatMap((archived) =>
      (["space", "network"] as const).flatMap((audience) =>
        [false, true]
          // No one unsigned wrote an ask.
          .filter((author) => !(author && who === "anonymous"))
          .flatMap((author) => STATES.map((state) => ({ who, visibility, archived, audience, author, state }))),
      ),
    ),
  ),
);

const me: Actor = { id: "me", isNetworkAdmin: false };
const netAdmin: Actor = { id: "na", isNetworkAdmin: true };

function actorOf(who: Who): Actor | null {
  if (who === "anonymous") return null;
  return who === "network admin" ? netAdmin : me;
}
const membershipOf = (who: Who) => (who === "guest" || who === "member" || who === "editor" || who === "admin" ? { role: who } : null);
const spaceOf = (f: Pick<Facts, "visibility" | "archived">) => ({ visibility: f.visibility, join_policy: "coopt_approval" as const, archived_at: f.archived ? NOW - 1000 : null });

function askOf(f: Facts): AskFacts {
  const actor = actorOf(f.who);
  return {
    author_id: f.author && actor ? actor.id : "someone-else",
    audience: f.audience,
    deleted_at: f.state === "trashed" ? NOW - 10 : null,
    resolved_at: f.state === "resolved" ? NOW - 60_000 : null,
    closes_at: f.state === "deadline ahead" ? NOW + 60_000 : f.state === "deadline passed" ? NOW - 60_000 : f.state === "closes now" ? NOW : null,
  };
}

const describeFacts = (f: Facts) =>
  `${f.who}, ${f.visibility}${f.archived ? " archived" : ""} space, ${f.audience} ask, ${f.author ? "own" : "another's"}, ${f.state}`;

// The words of the rules.
const isRole = (f: Facts) => f.who === "guest" || f.who === "member" || f.who === "editor" || f.who === "admin";
const contributor = (f: Facts) => f.who === "member" || f.who === "editor" || f.who === "admin" || f.who === "network admin";
const moderator = (f: Facts) => f.who === "editor" || f.who === "admin" || f.who === "network admin";
const toWholeNetwork = (f: Facts) => f.audience === "network" && f.visibility !== "secret" && !f.archived;
const trashed = (f: Facts) => f.state === "trashed";
const closed = (f: Facts) => f.state === "resolved" || f.state === "deadline passed" || f.state === "closes now";

interface Rule {
  rule: string;
  applies: (f: Facts) => boolean;
  answer: boolean;
}

/** What the rules answer for these facts; throws when none or several disagreeing apply. */
function ruled(rules: Rule[], f: Facts): boolean {
  const applying = rules.filter((r) => r.applies(f));
  const answers = new Set(applying.map((r) => r.answer));
  if (answers.size !== 1) throw new Error(`rules for ${describeFacts(f)}: ${applying.map((r) => `${r.rule} → ${r.answer}`).join("; ") || "none"}`);
  return [...answers][0];
}

const READ: Rule[] = [
  { rule: "an ask in the trash is nobody's to read (as an ask)", applies: trashed, answer: false },
  { rule: "no one reads anything without signing in", applies: (f) => f.who === "anonymous", answer: false },
  { rule: "every role of the space reads its asks, archived or not", applies: (f) => isRole(f) && !trashed(f), answer: true },
  { rule: "the network admin reads every space", applies: (f) => f.who === "network admin" && !trashed(f), answer: true },
  { rule: "an open space is read by every signed-in member (archiving stops writing, not reading)", applies: (f) => f.who === "outsider" && f.visibility === "open" && !trashed(f), answer: true },
  { rule: "an ask to the network, from a listed or open live space, is read by every signed-in member", applies: (f) => f.who === "outsider" && toWholeNetwork(f) && !trashed(f), answer: true },
  {
    rule: "an outsider reads nothing else of a space it does not read",
    applies: (f) => f.who === "outsider" && f.visibility !== "open" && !toWholeNetwork(f) && !trashed(f),
    answer: false,
  },
];

const WRITE_IN_THREAD: Rule[] = [
  { rule: "what one may not read, one may not write in", applies: (f) => !ruled(READ, f), answer: false },
  { rule: "an archived space takes no writing", applies: (f) => f.archived, answer: false },
  { rule: "everyone who takes part in the space writes (guests included)", applies: (f) => isRole(f) && !f.archived && !trashed(f), answer: true },
  { rule: "the network admin takes part everywhere", applies: (f) => f.who === "network admin" && !f.archived && !trashed(f), answer: true },
  { rule: "the whole network writes in a network ask's thread", applies: (f) => f.who === "outsider" && toWholeNetwork(f) && !trashed(f), answer: true },
  { rule: "reading an open space is not taking part in it", applies: (f) => f.who === "outsider" && !toWholeNetwork(f), answer: false },
];

const ANSWER: Rule[] = [
  { rule: "one answers only in a thread one may write in", applies: (f) => !ruled(WRITE_IN_THREAD, f), answer: false },
  { rule: "a resolved ask, or one past its deadline, takes no more answers", applies: closed, answer: false },
  { rule: "an open ask takes answers from whoever may write in its thread", applies: (f) => !closed(f) && ruled(WRITE_IN_THREAD, f), answer: true },
];

const EDIT: Rule[] = [
  { rule: "an ask in the trash is not edited", applies: trashed, answer: false },
  { rule: "only its author changes its words", applies: (f) => !f.author, answer: false },
  { rule: "an archived space takes no writing", applies: (f) => f.archived, answer: false },
  { rule: "an author no longer a contributor (a guest now, or gone) edits no more", applies: (f) => f.author && !contributor(f), answer: false },
  { rule: "the author, still a contributor, edits their own, resolved or not", applies: (f) => f.author && contributor(f) && !f.archived && !trashed(f), answer: true },
];

const RESOLVE: Rule[] = [
  { rule: "an ask in the trash is not resolved nor deleted again", applies: trashed, answer: false },
  { rule: "an archived space takes no writing", applies: (f) => f.archived, answer: false },
  { rule: "the author, still a contributor, resolves and deletes their own", applies: (f) => f.author && contributor(f) && !f.archived && !trashed(f), answer: true },
  { rule: "editors, admins and the network admin moderate anyone's", applies: (f) => moderator(f) && !f.archived && !trashed(f), answer: true },
  { rule: "a member does not close someone else's ask", applies: (f) => f.who === "member" && !f.author, answer: false },
  { rule: "guests, outsiders and no one signed in never resolve nor delete", applies: (f) => f.who === "guest" || f.who === "outsider" || f.who === "anonymous", answer: false },
];

const RESTORE: Rule[] = [
  { rule: "an archived space takes no writing", applies: (f) => f.archived, answer: false },
  { rule: "the space's moderators bring an ask back from the trash", applies: (f) => moderator(f) && !f.archived, answer: true },
  { rule: "no one else does, not even its author", applies: (f) => !moderator(f), answer: false },
];

const POST: Rule[] = [
  { rule: "an archived space takes no writing", applies: (f) => f.archived, answer: false },
  { rule: "members and above post asks", applies: (f) => contributor(f) && !f.archived, answer: true },
  { rule: "guests answer but do not ask; outsiders neither", applies: (f) => !contributor(f), answer: false },
];

const READ_TAB: Rule[] = [
  { rule: "no one reads anything without signing in", applies: (f) => f.who === "anonymous", answer: false },
  { rule: "every role of the space, and the network admin, reads its Asks tab", applies: (f) => isRole(f) || f.who === "network admin", answer: true },
  { rule: "an open space is read by every signed-in member", applies: (f) => f.who === "outsider" && f.visibility === "open", answer: true },
  { rule: "an outsider reads no other club's tab (its network asks are read one by one, not through the club)", applies: (f) => f.who === "outsider" && f.visibility !== "open", answer: false },
];

describe("every combination, against the rules", () => {
  test("the table covers every combination", () => {
    // anonymous has no own ask: 6 × 3 × 2 × 2 × 2 × 6 + 1 × 3 × 2 × 2 × 1 × 6
    expect(all).toHaveLength(6 * 3 * 2 * 2 * 2 * 6 + 3 * 2 * 2 * 6);
  });

  test.each(all.map((f) => [describeFacts(f), f] as const))("%s", (_, f) => {
    const actor = actorOf(f.who);
    const membership = membershipOf(f.who);
    const space = spaceOf(f);
    const ask = askOf(f);
    expect(canReadAsk(actor, membership, space, ask), "read").toBe(ruled(READ, f));
    expect(canWriteInAskThread(actor, membership, space, ask), "write in thread").toBe(ruled(WRITE_IN_THREAD, f));
    expect(canAnswerAsk(actor, membership, space, ask, NOW), "answer").toBe(ruled(ANSWER, f));
    expect(canEditAsk(actor, membership, space, ask), "edit").toBe(ruled(EDIT, f));
    expect(canThankForAsk(actor, membership, space, ask), "thank").toBe(ruled(EDIT, f));
    expect(canResolveAsk(actor, membership, space, ask), "resolve").toBe(ruled(RESOLVE, f));
    expect(canDeleteAsk(actor, membership, space, ask), "delete").toBe(ruled(RESOLVE, f));
    expect(canRestoreAsk(actor, membership, space), "restore").toBe(ruled(RESTORE, f));
    expect(canModerateAsks(actor, membership, space), "moderate").toBe(ruled(RESTORE, f));
    expect(canPostAsk(actor, membership, space), "post").toBe(ruled(POST, f));
    expect(canReadAsks(actor, membership, space), "read the tab").toBe(ruled(READ_TAB, f));
  });
});

// A few cases written out whole, as the issue tells them.
describe("the issue's cases, by hand", () => {
  const listed = spaceOf({ visibility: "listed", archived: false });
  const secret = spaceOf({ visibility: "secret", archived: false });
  const open = spaceOf({ visibility: "open", archived: false });
  const archivedListed = spaceOf({ visibility: "listed", archived: true });
  const ask = (over: Partial<AskFacts> = {}): AskFacts => ({ author_id: "someone-else", audience: "space", deleted_at: null, resolved_at: null, closes_at: null, ...over });
  const guest = { role: "guest" } as const;
  const member = { role: "member" } as const;
  const editor = { role: "editor" } as const;

  // [case, actor, membership, space, ask, read, answer, edit, resolve, delete]
  const CASES: Array<[string, Actor | null, { role: Role } | null, ReturnType<typeof spaceOf>, AskFacts, boolean, boolean, boolean, boolean, boolean]> = [
    ["an outsider, a listed club's ask to its members", me, null, listed, ask(), false, false, false, false, false],
    ["an outsider, a listed club's ask to the network", me, null, listed, ask({ audience: "network" }), true, true, false, false, false],
    ["an outsider, a secret club's ask marked network (never so)", me, null, secret, ask({ audience: "network" }), false, false, false, false, false],
    ["an outsider, an archived club's network ask", me, null, archivedListed, ask({ audience: "network" }), false, false, false, false, false],
    ["an outsider, an open club's ask to its members: read, not answered", me, null, open, ask(), true, false, false, false, false],
    ["a guest, a space ask: reads and answers", me, guest, secret, ask(), true, true, false, false, false],
    ["a guest who wrote it (demoted since): answers, no longer edits nor resolves", me, guest, listed, ask({ author_id: me.id }), true, true, false, false, false],
    ["a member, their own ask", me, member, listed, ask({ author_id: me.id }), true, true, true, true, true],
    ["a member, their own ask resolved: edits, no more answers", me, member, listed, ask({ author_id: me.id, resolved_at: NOW - 1 }), true, false, true, true, true],
    ["a member, someone else's ask", me, member, listed, ask(), true, true, false, false, false],
    ["an editor, someone else's ask: moderates, does not edit", me, editor, listed, ask(), true, true, false, true, true],
    ["an editor, someone else's ask past its deadline", me, editor, listed, ask({ closes_at: NOW - 1 }), true, false, false, true, true],
    ["a member, their own ask in an archived club: reads only", me, member, archivedListed, ask({ author_id: me.id }), true, false, false, false, false],
    ["the network admin, a secret club's ask", netAdmin, null, secret, ask(), true, true, false, true, true],
    ["a member, an ask in the trash", me, member, listed, ask({ author_id: me.id, deleted_at: NOW - 1 }), false, false, false, false, false],
    ["nobody signed in, a network ask of an open club", null, null, open, ask({ audience: "network" }), false, false, false, false, false],
  ];

  test.each(CASES)("%s", (_, actor, membership, space, a, read, answer, edit, resolve, del) => {
    expect(canReadAsk(actor, membership, space, a), "read").toBe(read);
    expect(canAnswerAsk(actor, membership, space, a, NOW), "answer").toBe(answer);
    expect(canEditAsk(actor, membership, space, a), "edit").toBe(edit);
    expect(canResolveAsk(actor, membership, space, a), "resolve").toBe(resolve);
    expect(canDeleteAsk(actor, membership, space, a), "delete").toBe(del);
  });

  test("thanks are the author's alone: a moderator closes someone else's ask but thanks no one", () => {
    expect(canResolveAsk(me, editor, listed, ask())).toBe(true);
    expect(canThankForAsk(me, editor, listed, ask())).toBe(false);
    expect(canThankForAsk(me, member, listed, ask({ author_id: me.id }))).toBe(true);
  });

  test("a closed ask keeps its answers editable by their authors (the thread stays writable), new answers refused", () => {
    for (const closedAsk of [ask({ resolved_at: NOW - 1 }), ask({ closes_at: NOW - 1 }), ask({ audience: "network", closes_at: NOW })]) {
      expect(canWriteInAskThread(me, guest, listed, closedAsk)).toBe(true);
      expect(canAnswerAsk(me, guest, listed, closedAsk, NOW)).toBe(false);
    }
    expect(canWriteInAskThread(me, null, listed, ask({ audience: "network", resolved_at: NOW - 1 }))).toBe(true);
    expect(canAnswerAsk(me, null, listed, ask({ audience: "network", resolved_at: NOW - 1 }), NOW)).toBe(false);
  });

  test("an ask whose author's account is gone is nobody's own: only moderators close or delete it", () => {
    const orphan = ask({ author_id: null });
    expect(canEditAsk(me, member, listed, orphan)).toBe(false);
    expect(canResolveAsk(me, member, listed, orphan)).toBe(false);
    expect(canDeleteAsk(me, member, listed, orphan)).toBe(false);
    expect(canResolveAsk(me, editor, listed, orphan)).toBe(true);
    expect(canDeleteAsk(me, editor, listed, orphan)).toBe(true);
  });
});

describe("canAskNetwork", () => {
  // [visibility, archived, may ask the network]
  const TABLE: Array<[Visibility, boolean, boolean]> = [
    ["secret", false, false],
    ["listed", false, true],
    ["open", false, true],
    ["secret", true, false],
    ["listed", true, false],
    ["open", true, false],
  ];
  test.each(TABLE)("%s space, archived %s → %s", (visibility, archived, expected) => {
    expect(canAskNetwork(spaceOf({ visibility, archived }))).toBe(expected);
  });

  test("the notifications' list of network-ask visibilities says what canAskNetwork says", () => {
    expect([...NETWORK_ASK_VISIBILITIES].sort()).toEqual(VISIBILITIES.filter((v) => canAskNetwork(spaceOf({ visibility: v, archived: false }))).sort());
  });
});

describe("isAskClosed", () => {
  // [case, resolved_at, closes_at, closed]
  const TABLE: Array<[string, number | null, number | null, boolean]> = [
    ["no deadline, not resolved", null, null, false],
    ["deadline a minute ahead", null, NOW + 60_000, false],
    ["deadline a millisecond ahead", null, NOW + 1, false],
    ["deadline this very instant", null, NOW, true],
    ["deadline a millisecond ago", null, NOW - 1, true],
    ["resolved, no deadline", NOW - 1000, null, true],
    ["resolved, deadline still ahead", NOW - 1000, NOW + 60_000, true],
  ];
  test.each(TABLE)("%s → closed %s", (_, resolved_at, closes_at, expected) => {
    expect(isAskClosed({ resolved_at, closes_at }, NOW)).toBe(expected);
  });
});

describe("askListScope", () => {
  test("a member: their spaces whole, open spaces' asks, and network asks of listed and open spaces", () => {
    const scope = askListScope(me, ["s1", "s2"]);
    expect(scope.all).toBe(false);
    expect(scope.spaceIds).toEqual(["s1", "s2"]);
    expect([...scope.readableVisibilities].sort()).toEqual(["open"]);
    expect([...scope.networkVisibilities].sort()).toEqual(["listed", "open"]);
  });

  test("a member of nothing: open spaces and the network's asks, no space whole", () => {
    const scope = askListScope(me, []);
    expect(scope).toMatchObject({ all: false, spaceIds: [] });
    expect(scope.networkVisibilities).not.toContain("secret");
    expect(scope.readableVisibilities).not.toContain("secret");
    expect(scope.readableVisibilities).not.toContain("listed");
  });

  test("the network admin: everything", () => {
    expect(askListScope(netAdmin, []).all).toBe(true);
  });

  // The list's condition (db/queries/asks.ts inScope), as the scope says it, for a reader outside the space.
  const inScopeForOutsider = (visibility: Visibility, archived: boolean, audience: AskAudience) => {
    const scope = askListScope(me, []);
    return (!archived && audience === "network" && scope.networkVisibilities.includes(visibility)) || (!archived && scope.readableVisibilities.includes(visibility));
  };
  test.each(VISIBILITIES.flatMap((v) => (["space", "network"] as const).map((a) => [v, a] as const)))("an outsider's list of a live %s space's %s asks says what canReadAsk says", (visibility, audience) => {
    const a: AskFacts = { author_id: "someone-else", audience, deleted_at: null, resolved_at: null, closes_at: null };
    expect(inScopeForOutsider(visibility, false, audience)).toBe(canReadAsk(me, null, spaceOf({ visibility, archived: false }), a));
  });
});
