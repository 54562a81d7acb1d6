import { describe, expect, test } from "vitest";
import { LISTINGS } from "#db/profile-fields.ts";
import { CONTACT_POLICIES } from "#db/schema.ts";
import { contactAnswer, type ContactAnswer, type ContactFacts, type ContactRequestState } from "#app/policies/contact.ts";
import type { Relation } from "#app/policies/profile.ts";

/**
 * Every combination of the facts between two members (3 relations × 3
 * listings × 3 policies × blocked or not × leaving or not × 4 request
 * states = 432), each
 * against the rules written out one by one below. A combination no
 * rule speaks for, or two rules that disagree, fails the table.
 */

const RELATIONS: Relation[] = ["self", "club", "network"];
const REQUESTS: ContactRequestState[] = ["none", "pending", "accepted", "declined"];

const all: ContactFacts[] = RELATIONS.flatMap((relation) =>
  LISTINGS.flatMap((recipientListing) =>
    CONTACT_POLICIES.flatMap((recipientPolicy) =>
      [false, true].flatMap((blocked) =>
        [false, true].flatMap((recipientLeaving) => REQUESTS.map((request) => ({ relation, recipientListing, recipientPolicy, blocked, recipientLeaving, request }))),
      ),
    ),
  ),
);

/** The rules of issue 16, each: when it applies, and what it says. */
const RULES: Array<{ rule: string; applies: (f: ContactFacts) => boolean; answer: ContactAnswer }> = [
  { rule: "no one writes to themselves", applies: (f) => f.relation === "self", answer: "refused" },
  { rule: "a block, either way, ends all contact", applies: (f) => f.blocked, answer: "refused" },
  { rule: "a member who chose nobody hears from no one", applies: (f) => f.recipientPolicy === "nobody", answer: "refused" },
  { rule: "a member leaving the network (account deletion asked) hears from no one", applies: (f) => f.recipientLeaving, answer: "refused" },
  { rule: "members of a shared club write to each other", applies: (f) => f.relation === "club" && !f.blocked && !f.recipientLeaving && f.recipientPolicy !== "nobody", answer: "write" },
  {
    rule: "an accepted request lets them write",
    applies: (f) => f.relation === "network" && f.request === "accepted" && !f.blocked && !f.recipientLeaving && f.recipientPolicy !== "nobody",
    answer: "write",
  },
  {
    rule: "a member who keeps contact to their clubs cannot be asked by others",
    applies: (f) => f.relation === "network" && f.recipientPolicy === "clubs" && f.request !== "accepted" && !f.blocked,
    answer: "refused",
  },
  {
    rule: "a member listed only to their clubs, or hidden from every directory, cannot be found, nor asked, by others",
    applies: (f) => f.relation === "network" && f.recipientListing !== "network" && f.request !== "accepted" && !f.blocked && f.recipientPolicy !== "nobody",
    answer: "refused",
  },
  {
    rule: "a first message to a findable member who lets the network ask is a contact request",
    applies: (f) => f.relation === "network" && f.recipientPolicy === "network" && f.recipientListing === "network" && f.request === "none" && !f.blocked && !f.recipientLeaving,
    answer: "request",
  },
  {
    rule: "a request out, or declined (silently), is waited on",
    applies: (f) => f.relation === "network" && f.recipientPolicy === "network" && f.recipientListing === "network" && (f.request === "pending" || f.request === "declined") && !f.blocked && !f.recipientLeaving,
    answer: "wait",
  },
];

describe("contactAnswer", () => {
  test("the table covers every combination", () => {
    expect(all).toHaveLength(3 * 3 * 3 * 2 * 2 * 4);
  });

  test.each(all.map((f) => [`${f.relation}, listed ${f.recipientListing}, ${f.recipientPolicy}, ${f.blocked ? "blocked" : "not blocked"}, ${f.recipientLeaving ? "leaving" : "staying"}, request ${f.request}`, f] as const))("%s", (_, facts) => {
    const answers = new Set(RULES.filter((r) => r.applies(facts)).map((r) => r.answer));
    expect(answers.size, `rules for ${JSON.stringify(facts)}: ${RULES.filter((r) => r.applies(facts)).map((r) => r.rule).join("; ") || "none"}`).toBe(1);
    expect(contactAnswer(facts)).toBe([...answers][0]);
  });

  test("to the one who asked, a declined request reads exactly as one still waiting (declining is silent)", () => {
    const pending = all.filter((f) => f.request === "pending");
    expect(pending).toHaveLength(108);
    for (const f of pending) expect(contactAnswer({ ...f, request: "declined" })).toBe(contactAnswer(f));
  });
});
