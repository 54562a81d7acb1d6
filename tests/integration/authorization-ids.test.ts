import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createInvitation } from "#db/queries/invitations.ts";
import { createJoinRequest } from "#db/queries/join-requests.ts";
import { setRole } from "#db/queries/members.ts";
import type { Space } from "#db/schema.ts";
import { createUser, signIn, type TestUser } from "#tests/factories.ts";
import { client, pageText, type Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { clientSession, isSignedIn } from "#tests/helpers/session.ts";
import { domainRows, flashOf } from "#tests/helpers/state.ts";

/**
 * The ids a form carries are the attacker's to choose: an admin of space A
 * naming a member, invitation or join request of space B through A's URLs must
 * get 404 and leave B as it was; a session id of someone else's must not end
 * their session. And the last admin of a space stays its admin, whoever asks.
 * (The route × role matrix lives in authorization.test.ts.)
 */

let server: TestServer;
let store: OpenedDatabase;

let adminA: TestUser; // admin of A only
let adminB: TestUser; // admin of B only
let carol: TestUser; // member of B only
let dave: TestUser; // member of A and of B
let memberA: TestUser; // member of A only
let netAdmin: TestUser; // network admin, member of nothing
let solo: TestUser; // the one admin of the "solo" space
let duo1: TestUser; // one of the two admins of the "duo" space
let duo2: TestUser;

let spaceA: Space; // listed, co-opt directly
let spaceB: Space; // secret, co-opt with approval
let soloSpace: Space;
let duoSpace: Space;

const c = {} as Record<"adminA" | "adminB" | "carol" | "memberA" | "netAdmin" | "solo" | "duo1" | "duo2", Client>;

let w: World<"adminA" | "adminB" | "carol" | "dave" | "memberA" | "netAdmin" | "solo" | "duo1" | "duo2", "spaceA" | "spaceB" | "soloSpace" | "duoSpace">;

beforeAll(async () => {
  w = await world({
    domain: "ids.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1).toLowerCase()} Test`,
    people: { adminA: {}, adminB: {}, carol: {}, dave: {}, memberA: {}, netAdmin: { isNetworkAdmin: true }, solo: {}, duo1: {}, duo2: {} },
    spaces: {
      spaceA: { createdBy: "adminA", slug: "space-a", name: "Espace A", visibility: "listed", joinPolicy: "coopt_direct", members: { dave: "member", memberA: "member" } },
      spaceB: { createdBy: "adminB", slug: "space-b", name: "Espace B", visibility: "secret", joinPolicy: "coopt_approval", members: { carol: "member", dave: "member" } },
      soloSpace: { createdBy: "solo", slug: "solo", name: "Espace Solo", visibility: "listed", joinPolicy: "coopt_direct", members: { memberA: "member" } },
      duoSpace: { createdBy: "duo1", slug: "duo", name: "Espace Duo", visibility: "listed", joinPolicy: "coopt_direct", members: { duo2: "admin" } },
    },
    signIn: ["adminA", "adminB", "carol", "memberA", "netAdmin", "solo", "duo1", "duo2"],
  });
  ({ server, store } = w);
  ({ adminA, adminB, carol, dave, memberA, netAdmin, solo, duo1, duo2 } = w.people);
  ({ spaceA, spaceB, soloSpace, duoSpace } = w.spaces);
  Object.assign(c, w.c);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

const snapshot = () => domainRows(store.db);

let seq = 0;
const next = () => `${Date.now().toString(36)}-${(seq++).toString(36)}`;

const roleIn = async (space: Space, user: TestUser) =>
  (
    await store.db
      .selectFrom("space_member")
      .select("role")
      .where("space_id", "=", space.id)
      .where("user_id", "=", user.id)
      .executeTakeFirst()
  )?.role;

const invitationStatus = async (id: string) =>
  (await store.db.selectFrom("invitation").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
const requestStatus = async (id: string) =>
  (await store.db.selectFrom("join_request").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

async function invitationIn(space: Space, sponsor: TestUser, needsApproval: boolean) {
  const { invitation } = await createInvitation(store.db, {
    spaceId: space.id,
    email: `guest-${next()}@ids.test`,
    role: "member",
    message: "",
    sponsorId: sponsor.id,
    needsApproval,
    now: Date.now(),
  });
  return invitation;
}

async function joinRequestIn(space: Space) {
  const requester = await createUser(store.db, { displayName: `Requester ${next()}` });
  const id = await createJoinRequest(store.db, { spaceId: space.id, userId: requester.id, message: "", now: Date.now() });
  return { id, requester };
}

/** A refused write: the expected status, nothing of B named in the answer, and no row changed anywhere. */
async function expectRefused(cl: Client, path: string, fields: Record<string, string>, status: number) {
  const before = await snapshot();
  const res = await cl.post(path, fields);
  expect(res.status, `POST ${path} ${JSON.stringify(fields)}`).toBe(status);
  // Through another space's URL, the answer must not even name B (a secret space).
  if (!path.startsWith("/spaces/space-b")) expect(pageText(res.text).includes(spaceB.name), "the answer names space B").toBe(false);
  expect(await snapshot(), `POST ${path} ${JSON.stringify(fields)} must change nothing`).toEqual(before);
  return res;
}

// ---------------------------------------------------------------------------
// Ids of another space
// ---------------------------------------------------------------------------

describe("an id from another space, posted through this space's URL, is not found", () => {
  // Both the space's admin and the network admin (who may manage B too, but through B's own URLs).
  for (const who of ["adminA", "netAdmin"] as const) {
    describe(`as ${who}`, () => {
      test("members: change-role of a member of B only → 404; B untouched", async () => {
        await expectRefused(c[who], "/spaces/space-a/members", { intent: "change-role", userId: carol.id, role: "admin" }, 404);
        expect(await roleIn(spaceB, carol)).toBe("member");
        expect(await roleIn(spaceA, carol)).toBeUndefined();
      });

      test("members: change-role of B's admin → 404; B keeps its admin", async () => {
        await expectRefused(c[who], "/spaces/space-a/members", { intent: "change-role", userId: adminB.id, role: "guest" }, 404);
        expect(await roleIn(spaceB, adminB)).toBe("admin");
      });

      test("members: remove a member of B only → 404; still a member of B", async () => {
        await expectRefused(c[who], "/spaces/space-a/members", { intent: "remove", userId: carol.id }, 404);
        expect(await roleIn(spaceB, carol)).toBe("member");
      });

      test("members: revoke an invitation of B (sent, or awaiting approval) → 404; it stays open", async () => {
        const sent = await invitationIn(spaceB, adminB, false);
        const waiting = await invitationIn(spaceB, carol, true);
        await expectRefused(c[who], "/spaces/space-a/members", { intent: "revoke", invitationId: sent.id }, 404);
        await expectRefused(c[who], "/spaces/space-a/members", { intent: "revoke", invitationId: waiting.id }, 404);
        expect(await invitationStatus(sent.id)).toBe("sent");
        expect(await invitationStatus(waiting.id)).toBe("pending_approval");
      });

      test.each(["approve-invitation", "refuse-invitation"])("approvals: %s with an invitation of B → 404; it stays pending", async (intent) => {
        const waiting = await invitationIn(spaceB, carol, true);
        await expectRefused(c[who], "/spaces/space-a/approvals", { intent, id: waiting.id, reason: "" }, 404);
        expect(await invitationStatus(waiting.id)).toBe("pending_approval");
      });

      test.each(["approve-request", "refuse-request"])("approvals: %s with a join request of B → 404; it stays pending", async (intent) => {
        const { id, requester } = await joinRequestIn(spaceB);
        await expectRefused(c[who], "/spaces/space-a/approvals", { intent, id, reason: "" }, 404);
        expect(await requestStatus(id)).toBe("pending");
        expect(await roleIn(spaceA, requester)).toBeUndefined();
        expect(await roleIn(spaceB, requester)).toBeUndefined();
      });

      test("ids that exist nowhere answer 404 too", async () => {
        await expectRefused(c[who], "/spaces/space-a/members", { intent: "remove", userId: "nobody-at-all" }, 404);
        await expectRefused(c[who], "/spaces/space-a/members", { intent: "revoke", invitationId: "no-such-invitation" }, 404);
        await expectRefused(c[who], "/spaces/space-a/approvals", { intent: "approve-request", id: "no-such-request" }, 404);
        await expectRefused(c[who], "/spaces/space-a/approvals", { intent: "approve-invitation", id: "no-such-invitation" }, 404);
      });
    });
  }

  test("a member of both spaces changed through A changes in A only", async () => {
    const res = await c.adminA.post("/spaces/space-a/members", { intent: "change-role", userId: dave.id, role: "editor" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/spaces/space-a/members");
    expect(await roleIn(spaceA, dave)).toBe("editor");
    expect(await roleIn(spaceB, dave)).toBe("member");
    await setRole(store.db, spaceA.id, dave.id, "member");
  });

  test("the same ids through B's own URL work for B's admin (the 404s above are about the URL, not the ids)", async () => {
    const waiting = await invitationIn(spaceB, carol, true);
    const res = await c.adminB.post("/spaces/space-b/approvals", { intent: "refuse-invitation", id: waiting.id, reason: "non" });
    expect(res.status).toBe(302);
    expect(await invitationStatus(waiting.id)).toBe("refused");
  });

  test("B's admin cannot reach A's member through B either", async () => {
    await expectRefused(c.adminB, "/spaces/space-b/members", { intent: "remove", userId: memberA.id }, 404);
    expect(await roleIn(spaceA, memberA)).toBe("member");
  });
});

// ---------------------------------------------------------------------------
// Revoking invitations: the sponsor or the space's admins
// ---------------------------------------------------------------------------

describe("who may revoke an invitation", () => {
  test("a member revokes an invitation they sent", async () => {
    const mine = await invitationIn(spaceA, memberA, false);
    const res = await c.memberA.post("/spaces/space-a/members", { intent: "revoke", invitationId: mine.id });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/spaces/space-a/members");
    expect(await invitationStatus(mine.id)).toBe("revoked");
  });

  test("a member cannot revoke an invitation someone else sent (403, still sent)", async () => {
    const theirs = await invitationIn(spaceA, dave, false);
    const before = await snapshot();
    const res = await c.memberA.post("/spaces/space-a/members", { intent: "revoke", invitationId: theirs.id });
    expect(res.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    expect(await invitationStatus(theirs.id)).toBe("sent");
  });

  test("a member's own invitation of another space cannot be revoked through this one", async () => {
    const elsewhere = await invitationIn(soloSpace, memberA, false);
    await expectRefused(c.memberA, "/spaces/space-a/members", { intent: "revoke", invitationId: elsewhere.id }, 404);
    expect(await invitationStatus(elsewhere.id)).toBe("sent");
  });
});

// ---------------------------------------------------------------------------
// The last admin
// ---------------------------------------------------------------------------

describe("the last admin of a space stays", () => {
  async function expectLastAdminRefusal(cl: Client, fields: Record<string, string>) {
    const before = await snapshot();
    const res = await cl.post("/spaces/solo/members", fields);
    expect(res.status, JSON.stringify(fields)).toBe(302);
    expect(res.location).toBe("/spaces/solo/members");
    expect(await flashOf(res)).toMatchObject({ kind: "error" });
    expect(await snapshot(), `${JSON.stringify(fields)} must change nothing`).toEqual(before);
    expect(await roleIn(soloSpace, solo)).toBe("admin");
  }

  test("the sole admin cannot leave", () => expectLastAdminRefusal(c.solo, { intent: "leave" }));

  test.each(["editor", "member", "guest"])("the sole admin cannot step down to %s", (role) =>
    expectLastAdminRefusal(c.solo, { intent: "change-role", userId: solo.id, role }),
  );

  test("the sole admin cannot remove themselves", () => expectLastAdminRefusal(c.solo, { intent: "remove", userId: solo.id }));

  test("the network admin cannot demote or remove the sole admin either", async () => {
    await expectLastAdminRefusal(c.netAdmin, { intent: "change-role", userId: solo.id, role: "member" });
    await expectLastAdminRefusal(c.netAdmin, { intent: "remove", userId: solo.id });
  });

  test("the members page says the sole admin cannot leave, and offers no leave form", async () => {
    const res = await c.solo.get("/spaces/solo/members");
    expect(res.status).toBe(200);
    expect(res.text.includes('value="leave"'), "a leave form is offered to the sole admin").toBe(false);
  });

  test("the sole admin may still promote someone, who may then be the one to stay", async () => {
    const promote = await c.solo.post("/spaces/solo/members", { intent: "change-role", userId: memberA.id, role: "admin" });
    expect(promote.status).toBe(302);
    expect(await flashOf(promote)).toMatchObject({ kind: "success" });
    expect(await roleIn(soloSpace, memberA)).toBe("admin");
    // Two admins now: the first may step down; the second is then the last one.
    const down = await c.solo.post("/spaces/solo/members", { intent: "change-role", userId: solo.id, role: "member" });
    expect(down.status).toBe(302);
    expect(await flashOf(down)).toMatchObject({ kind: "success" });
    expect(await roleIn(soloSpace, solo)).toBe("member");
    const before = await snapshot();
    const leave = await c.memberA.post("/spaces/solo/members", { intent: "leave" });
    expect(leave.status).toBe(302);
    expect(await flashOf(leave)).toMatchObject({ kind: "error" });
    expect(await snapshot()).toEqual(before);
    expect(await roleIn(soloSpace, memberA)).toBe("admin");
    // Put the fixture back.
    await setRole(store.db, soloSpace.id, solo.id, "admin");
    await setRole(store.db, soloSpace.id, memberA.id, "member");
  });

  test("with two admins, one may leave; the other then may not", async () => {
    const res = await c.duo1.post("/spaces/duo/members", { intent: "leave" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/spaces");
    expect(await roleIn(duoSpace, duo1)).toBeUndefined();
    const before = await snapshot();
    const last = await c.duo2.post("/spaces/duo/members", { intent: "leave" });
    expect(last.status).toBe(302);
    expect(last.location).toBe("/spaces/duo/members");
    expect(await flashOf(last)).toMatchObject({ kind: "error" });
    expect(await snapshot()).toEqual(before);
    expect(await roleIn(duoSpace, duo2)).toBe("admin");
  });
});

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

describe("revoking a session by id", () => {
  test("someone else's session id → 404, and their session goes on working", async () => {
    const victim = await clientSession(c.carol);
    const before = await snapshot();
    const res = await c.memberA.post("/settings/sessions", { intent: "revoke", sessionId: victim.id });
    expect(res.status).toBe(404);
    const row = await store.db.selectFrom("session").select("user_id").where("id", "=", victim.id).executeTakeFirst();
    expect(row?.user_id).toBe(carol.id);
    expect(await isSignedIn(c.carol)).toBe(true);
    // Not even an audit line: nothing happened.
    expect(await snapshot()).toEqual(before);
  });

  test("an id that exists nowhere → 404", async () => {
    const res = await c.memberA.post("/settings/sessions", { intent: "revoke", sessionId: "no-such-session" });
    expect(res.status).toBe(404);
  });

  test("one's own other session → revoked (the check above is about ownership, not the form)", async () => {
    const other = client(server.url);
    await signIn(other, carol.email, carol.password);
    const { id } = await clientSession(other);
    const res = await c.carol.post("/settings/sessions", { intent: "revoke", sessionId: id });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/settings/sessions");
    expect(await store.db.selectFrom("session").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
    expect(await isSignedIn(other)).toBe(false);
    expect(await isSignedIn(c.carol)).toBe(true);
  });

  test("anonymous → sign-in, nothing deleted", async () => {
    const victim = await clientSession(c.carol);
    const res = await client(server.url).post("/settings/sessions", { intent: "revoke", sessionId: victim.id });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent("/settings/sessions")}`);
    expect(await isSignedIn(c.carol)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// The same checks hold on Remix's data requests and under the origin check
// ---------------------------------------------------------------------------

describe("data requests (.data, as the browser's client-side navigation makes them)", () => {
  test("an outsider's data request for a secret space reveals nothing of it", async () => {
    const outsider = c.memberA; // member of A and solo, not of B
    for (const path of ["/spaces/space-b.data", "/spaces/space-b/members.data", "/spaces/space-b/approvals.data"]) {
      const res = await outsider.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text.includes(spaceB.name), `${path} names the secret space`).toBe(false);
      expect(res.text.includes(carol.display_name), `${path} names a member of the secret space`).toBe(false);
    }
  });

  test("a listed space's member list stays closed to an outsider through .data", async () => {
    const res = await c.carol.get("/spaces/space-a/members.data");
    expect(res.status).toBe(403);
    expect(res.text.includes(memberA.display_name), "the member list leaked").toBe(false);
  });

  test("a data POST (fetcher action) with another space's ids is refused the same way", async () => {
    const { id } = await joinRequestIn(spaceB);
    const before = await snapshot();
    const res = await c.adminA.post("/spaces/space-a/approvals.data", { intent: "approve-request", id });
    expect(res.status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect(await requestStatus(id)).toBe("pending");
  });

  test("a cross-site POST to a space action is refused before the action runs", async () => {
    const before = await snapshot();
    const res = await c.adminA.post(
      "/spaces/space-a/members",
      { intent: "change-role", userId: dave.id, role: "admin" },
      { origin: "https://evil.example", secFetchSite: "cross-site" },
    );
    expect(res.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
