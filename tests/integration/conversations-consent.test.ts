import { afterAll, beforeAll, expect, test } from "vitest";
import { answersFor } from "#app/conversations/commands.server.ts";
import { pageText } from "#tests/helpers/http.ts";
import { textDoc } from "#tests/helpers/lexical.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Who may write to whom, over every combination of the facts (issue 16):
 * whether the two share a club, the recipient's choice, a block either way,
 * and the contact request between them. Each combination is laid in the
 * database, then asked twice: of answersFor (what the profile's button and
 * the commands read) and of the real form over HTTP, whose answer and whose
 * stored rows must agree. The expected answer is written from the issue's
 * rules, one line each, not from the code.
 */

let w: World<"writer" | "recipient" | "other", "club">;
let seedConversation = "";

beforeAll(async () => {
  w = await world({
    people: { writer: { displayName: "Wanda Écrit" }, recipient: { displayName: "Rémi Reçoit" }, other: { displayName: "Otto Autre" } },
    spaces: { club: { createdBy: "other", slug: "club", name: "Club", members: { writer: "member" } } },
    signIn: ["writer"],
  });
  // The conversation a laid-down contact request points at (made by someone else, so the cleanup between cases keeps it).
  seedConversation = "consentseed000000000001";
  await w.store.db.insertInto("conversation").values({ id: seedConversation, created_by: w.people.other.id, created_at: Date.now(), last_message_at: Date.now() }).execute();
});
afterAll(() => w?.close());

type Policy = "clubs" | "network" | "nobody";
type Block = "none" | "writerBlocks" | "recipientBlocks";
type Request = "none" | "pending" | "accepted" | "declined";
type Answer = "write" | "request" | "wait" | "refused";

/** The rules, in order. */
function expected(shared: boolean, policy: Policy, block: Block, request: Request): Answer {
  if (block !== "none") return "refused"; // a block ends all contact, either way
  if (policy === "nobody") return "refused"; // "nobody" hears from no one
  if (shared) return "write"; // members who share a club write to each other
  if (request === "accepted") return "write"; // an accepted request lets both write
  if (policy === "clubs") return "refused"; // "my clubs" only: the rest of the network may not even ask
  return request === "none" ? "request" : "wait"; // one request; a declined one reads as waiting
}

async function lay(shared: boolean, policy: Policy, block: Block, request: Request) {
  const db = w.store.db;
  const [writer, recipient, club] = [w.people.writer.id, w.people.recipient.id, w.spaces.club.id];
  await db.deleteFrom("conversation").where("created_by", "=", writer).execute();
  await db.deleteFrom("space_member").where("space_id", "=", club).where("user_id", "=", recipient).execute();
  if (shared) await db.insertInto("space_member").values({ space_id: club, user_id: recipient, role: "member", joined_at: Date.now() }).execute();
  await db.updateTable("user").set({ contact_policy: policy }).where("id", "=", recipient).execute();
  await db.deleteFrom("user_block").execute();
  if (block === "writerBlocks") await db.insertInto("user_block").values({ blocker_id: writer, blocked_id: recipient, created_at: Date.now() }).execute();
  if (block === "recipientBlocks") await db.insertInto("user_block").values({ blocker_id: recipient, blocked_id: writer, created_at: Date.now() }).execute();
  await db.deleteFrom("contact_request").execute();
  if (request !== "none") {
    await db
      .insertInto("contact_request")
      .values({ id: "consentrequest0000000001", from_id: writer, to_id: recipient, conversation_id: seedConversation, state: request, created_at: Date.now(), decided_at: null })
      .execute();
  }
}

const stored = async () => ({
  conversations: (await w.store.db.selectFrom("conversation").select("id").where("created_by", "=", w.people.writer.id).execute()).length,
  requests: (await w.store.db.selectFrom("contact_request").select("id").where("conversation_id", "!=", seedConversation).execute()).length,
});

const CASES = [true, false].flatMap((shared) =>
  (["clubs", "network", "nobody"] as const).flatMap((policy) =>
    (["none", "writerBlocks", "recipientBlocks"] as const).flatMap((block) => (["none", "pending", "accepted", "declined"] as const).map((request) => ({ shared, policy, block, request }))),
  ),
);

test.each(CASES)("shared club $shared, recipient chose $policy, block $block, request $request", async ({ shared, policy, block, request }) => {
  await lay(shared, policy, block, request);
  const want = expected(shared, policy, block, request);
  const answer = (await answersFor(w.store.db, { id: w.people.writer.id }, [w.people.recipient.id])).get(w.people.recipient.id);
  expect(answer).toBe(want);

  const res = await w.c.writer.post("/messages/new", [
    ["to", w.people.recipient.id],
    ["body", textDoc("Bonjour Rémi")],
  ]);
  const after = await stored();
  if (want === "write" || want === "request") {
    expect(res.status).toBe(302);
    expect(after.conversations).toBe(1);
    // A request only where the writer may only ask.
    expect(after.requests).toBe(want === "request" ? 1 : 0);
  } else {
    expect(res.status).toBe(400);
    expect(after).toEqual({ conversations: 0, requests: 0 });
    // A refusal never says why; a request already out says only that it waits.
    expect(pageText(res.text)).toContain(want === "wait" ? "attend déjà la réponse de : Rémi Reçoit" : "Impossible d’écrire à : Rémi Reçoit");
    expect(pageText(res.text)).not.toContain("bloqu");
  }
});
