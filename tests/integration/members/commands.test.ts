import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Transaction } from "kysely";
import type { Database, JoinPolicy, Space, User } from "#db/schema.ts";
import type { Executor } from "#db/client.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { AuditEvent } from "#db/queries/audit.ts";
import { findBySecret } from "#db/queries/invitations.ts";
import { findMembership } from "#db/queries/members.ts";
import { findById as findSpace, listDirectory } from "#db/queries/spaces.ts";
import { transact } from "#db/transact.ts";
import {
  acceptInvitation,
  approveInvitation,
  approveJoinRequest,
  changeRole,
  coopt,
  joinWithNewAccount,
  leaveSpace,
  refuseInvitation,
  refuseJoinRequest,
  removeMember,
  requestToJoin,
  revokeInvitation,
  updateSpaceSettings,
} from "#app/members/commands.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { canListSpace, seesEverySpace } from "#app/policies/directory.ts";
import { KNOWN_TO_OUTSIDERS } from "#app/policies/space.ts";
import type { ActingInSpace, Letterhead } from "#app/utils/acting.server.ts";
import { addMember, createNetwork, createSpace, createUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * The membership commands called directly on a real SQLite file, without
 * HTTP: the typed refusals the pages turn into flashes and statuses, that a
 * refusal writes nothing, and that two commands in one transaction stand or
 * fall together — mails queued in the outbox included.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
const letterhead: Letterhead = { network: { name: "Réseau de test", locale: "fr" }, baseUrl: new URL("https://cercle.example"), mailConfigured: true, mailFrom: "Cercle <cercle@cercle.test>" };

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  await createNetwork(store.db);
});

afterAll(async () => {
  await store?.remove();
});

/**
 * One command in its own transaction, as a route runs it. The context is
 * built before: a transaction holds the one connection until it ends.
 */
function run<C, R extends { ok: boolean }>(command: (trx: Transaction<Database>, ctx: C) => Promise<R>, ctx: C): Promise<R>;
function run<C, I, R extends { ok: boolean }>(command: (trx: Transaction<Database>, ctx: C, input: I) => Promise<R>, ctx: C, input: I): Promise<R>;
function run(command: (trx: Transaction<Database>, ctx: unknown, input?: unknown) => Promise<{ ok: boolean }>, ctx: unknown, input?: unknown) {
  return transact(store.db, (trx) => command(trx, ctx, input));
}

/** Who acts in which space, as a route builds it after loadSpace. */
async function inSpace(user: User, space: Space, extra: Partial<{ mailConfigured: boolean }> = {}) {
  const fresh = (await findSpace(store.db, space.id))!;
  const ctx: ActingInSpace = {
    actor: actorOf(user),
    user,
    space: fresh,
    membership: await findMembership(store.db, space.id, user.id),
    ip: "127.0.0.1",
    now: Date.now(),
  };
  return { ...ctx, letterhead: { ...letterhead, mailConfigured: extra.mailConfigured ?? letterhead.mailConfigured } };
}

async function aSpace(joinPolicy: JoinPolicy = "coopt_approval") {
  const admin = await createUser(store.db);
  const space = await createSpace(store.db, { createdBy: admin.id, joinPolicy });
  return { admin, space };
}

const outboxCount = async (db: Executor = store.db) => Number((await db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const auditCount = async (event: AuditEvent, spaceId: string) =>
  Number(
    (
      await store.db
        .selectFrom("audit_log")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("event", "=", event)
        .where("space_id", "=", spaceId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("leaving a space", () => {
  test("the last admin is refused with 'last-admin' and stays; with a second admin they may go", async () => {
    const { admin, space } = await aSpace();
    const refused = await run(leaveSpace, await inSpace(admin, space));
    expect(refused).toEqual({ ok: false, error: "last-admin" });
    expect((await findMembership(store.db, space.id, admin.id))?.role).toBe("admin");
    expect(await auditCount("member_left", space.id)).toBe(0);

    const second = await createUser(store.db);
    await addMember(store.db, { space, user: second, role: "admin" });
    const left = await run(leaveSpace, await inSpace(admin, space));
    expect(left).toEqual({ ok: true });
    expect(await findMembership(store.db, space.id, admin.id)).toBeUndefined();
    expect(await auditCount("member_left", space.id)).toBe(1);
  });

  test("a non-member is refused with 'forbidden'; so is a member of an archived space", async () => {
    const { space } = await aSpace();
    const outsider = await createUser(store.db);
    expect(await run(leaveSpace, await inSpace(outsider, space))).toEqual({ ok: false, error: "forbidden" });

    const member = await createUser(store.db);
    await addMember(store.db, { space, user: member });
    await store.db.updateTable("space").set({ archived_at: Date.now() }).where("id", "=", space.id).execute();
    expect(await run(leaveSpace, await inSpace(member, space))).toEqual({ ok: false, error: "forbidden" });
    expect(await findMembership(store.db, space.id, member.id)).toBeDefined();
  });
});

describe("roles and removal", () => {
  test("the last admin can be neither demoted nor removed; a member who is not there is 'not-found'", async () => {
    const { admin, space } = await aSpace();
    const ctx = await inSpace(admin, space);
    expect(await transact(store.db, (trx) => changeRole(trx, ctx, { userId: admin.id, role: "member" }))).toEqual({ ok: false, error: "last-admin" });
    expect(await transact(store.db, (trx) => removeMember(trx, ctx, { userId: admin.id }))).toEqual({ ok: false, error: "last-admin" });
    const stranger = await createUser(store.db);
    expect(await transact(store.db, (trx) => removeMember(trx, ctx, { userId: stranger.id }))).toEqual({ ok: false, error: "not-found" });
    expect((await findMembership(store.db, space.id, admin.id))?.role).toBe("admin");
  });

  test("a member may not change roles ('forbidden'); an admin may, and it is recorded", async () => {
    const { admin, space } = await aSpace();
    const member = await createUser(store.db, { displayName: "Camille Roux" });
    await addMember(store.db, { space, user: member });
    expect(await run(changeRole, await inSpace(member, space), { userId: member.id, role: "admin" })).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await run(changeRole, await inSpace(admin, space), { userId: member.id, role: "editor" })).toEqual({
      ok: true,
      name: "Camille Roux",
    });
    expect((await findMembership(store.db, space.id, member.id))?.role).toBe("editor");
    expect(await auditCount("role_changed", space.id)).toBe(1);
  });
});

describe("co-optation", () => {
  test("each reason a co-optation is refused comes back typed, with its field", async () => {
    const { admin, space } = await aSpace("coopt_direct");
    const member = await createUser(store.db);
    await addMember(store.db, { space, user: member });
    const asMember = await inSpace(member, space);
    expect(await transact(store.db, (trx) => coopt(trx, asMember, { email: "new@example.org", role: "admin", message: "" }))).toEqual({
      ok: false,
      field: "role",
      error: "role-not-allowed",
    });
    expect(await transact(store.db, (trx) => coopt(trx, asMember, { email: admin.email, role: "member", message: "" }))).toEqual({
      ok: false,
      field: "email",
      error: "already-member",
    });
    const first = await transact(store.db, (trx) => coopt(trx, asMember, { email: "twice@example.org", role: "member", message: "" }));
    expect(first).toMatchObject({ ok: true, outcome: "mailing" });
    expect(await transact(store.db, (trx) => coopt(trx, asMember, { email: "twice@example.org", role: "guest", message: "" }))).toEqual({
      ok: false,
      field: "email",
      error: "already-invited",
    });
    expect(await auditCount("invitation_created", space.id)).toBe(1);
  });

  test("without a mail server the link comes back to the sender, on BASE_URL, and is recorded as shown", async () => {
    const { admin, space } = await aSpace("coopt_direct");
    const result = await run(coopt, await inSpace(admin, space, { mailConfigured: false }), {
      email: "nomail@example.org",
      role: "member",
      message: "",
    });
    if (!result.ok || result.outcome !== "link") throw new Error(`expected a link, got ${JSON.stringify(result)}`);
    expect(result.link).toMatch(/^https:\/\/cercle\.example\/invitations\/[^/]+$/);
    const lookup = await findBySecret(store.db, result.link.split("/").at(-1)!, Date.now());
    expect(lookup.state).toBe("valid");
    expect(lookup.invitation?.link_revealed_at).not.toBeNull();
  });
});

describe("decisions that come too late", () => {
  test("a co-optation decided twice: the second approval or refusal is 'already-decided' and queues no mail", async () => {
    const { admin, space } = await aSpace("coopt_approval");
    const member = await createUser(store.db);
    await addMember(store.db, { space, user: member });
    const made = await run(coopt, await inSpace(member, space), { email: "late@example.org", role: "member", message: "" });
    if (!made.ok) throw new Error("co-optation refused");
    expect(made.outcome).toBe("queued");
    expect(made.mailIds).toHaveLength(1); // the one admin

    const ctx = await inSpace(admin, space);
    const approved = await transact(store.db, (trx) => approveInvitation(trx, ctx, { invitationId: made.invitationId }));
    // The invitee's link, and a word to the sponsor.
    expect(approved).toMatchObject({ ok: true, email: "late@example.org" });
    expect(approved.ok && approved.mailIds).toHaveLength(2);
    const before = await outboxCount();
    expect(await transact(store.db, (trx) => approveInvitation(trx, ctx, { invitationId: made.invitationId }))).toEqual({ ok: false, error: "already-decided" });
    expect(await transact(store.db, (trx) => refuseInvitation(trx, ctx, { invitationId: made.invitationId, reason: "" }))).toEqual({
      ok: false,
      error: "already-decided",
    });
    expect(await outboxCount()).toBe(before);
    expect(await auditCount("invitation_approved", space.id)).toBe(1);
    expect(await auditCount("invitation_refused", space.id)).toBe(0);
  });

  test("an invitation of another space is 'not-found', whatever its id", async () => {
    const { admin, space } = await aSpace("coopt_direct");
    const other = await aSpace("coopt_direct");
    const made = await run(coopt, await inSpace(other.admin, other.space), { email: "x@example.org", role: "member", message: "" });
    if (!made.ok) throw new Error("co-optation refused");
    expect(await run(revokeInvitation, await inSpace(admin, space), { invitationId: made.invitationId })).toEqual({
      ok: false,
      error: "not-found",
    });
  });

  test("a join request decided twice: the second decision is 'already-decided'; the first made a member", async () => {
    const { admin, space } = await aSpace("coopt_approval");
    const asker = await createUser(store.db);
    const asked = await run(requestToJoin, await inSpace(asker, space), { message: "Bonjour" });
    expect(asked).toMatchObject({ ok: true });
    const request = await store.db.selectFrom("join_request").select("id").where("space_id", "=", space.id).executeTakeFirstOrThrow();
    const ctx = await inSpace(admin, space);
    expect(await transact(store.db, (trx) => approveJoinRequest(trx, ctx, { requestId: request.id, reason: "" }))).toMatchObject({ ok: true, name: asker.display_name });
    expect(await transact(store.db, (trx) => refuseJoinRequest(trx, ctx, { requestId: request.id, reason: "Trop tard" }))).toEqual({
      ok: false,
      error: "already-decided",
    });
    expect((await findMembership(store.db, space.id, asker.id))?.role).toBe("member");
    expect(await auditCount("join_refused", space.id)).toBe(0);
  });

  test("an invitation already used: accepting it again is 'link-used' and writes nothing", async () => {
    const { admin, space } = await aSpace("coopt_direct");
    const made = await run(coopt, await inSpace(admin, space), { email: "once@example.org", role: "member", message: "" });
    if (!made.ok) throw new Error("co-optation refused");
    const invitation = await store.db.selectFrom("invitation").selectAll().where("id", "=", made.invitationId).executeTakeFirstOrThrow();
    const first = await createUser(store.db, { email: "once@example.org" });
    const moment = { ip: "127.0.0.1", now: Date.now() };
    expect(await transact(store.db, (trx) => acceptInvitation(trx, moment, { invitation, userId: first.id }))).toEqual({ ok: true });

    const second = await createUser(store.db);
    expect(await transact(store.db, (trx) => acceptInvitation(trx, moment, { invitation, userId: second.id }))).toEqual({ ok: false, error: "link-used" });
    expect(await findMembership(store.db, space.id, second.id)).toBeUndefined();
    expect(await auditCount("invitation_accepted", space.id)).toBe(1);

    // Revoking it now says it is too late, with the address to name it by.
    expect(await run(revokeInvitation, await inSpace(admin, space), { invitationId: invitation.id })).toEqual({
      ok: false,
      error: "stale",
      email: "once@example.org",
    });
  });
});

describe("two commands in one transaction", () => {
  test("a refusal of the second rolls back the first, its mails included", async () => {
    const { admin, space } = await aSpace("coopt_approval");
    const member = await createUser(store.db);
    await addMember(store.db, { space, user: member });
    const made = await run(coopt, await inSpace(member, space), { email: "both@example.org", role: "member", message: "" });
    if (!made.ok) throw new Error("co-optation refused");
    const before = await outboxCount();

    const ctx = await inSpace(admin, space);
    const outcome = await transact(store.db, async (trx) => {
      const approved = await approveInvitation(trx, ctx, { invitationId: made.invitationId });
      if (!approved.ok) return approved;
      // Approved and mailed inside this transaction; the admin, alone, may not leave.
      expect(await outboxCount(trx)).toBe(before + 2);
      return leaveSpace(trx, ctx);
    });
    expect(outcome).toEqual({ ok: false, error: "last-admin" });
    const invitation = await store.db.selectFrom("invitation").select(["status", "token_hash"]).where("id", "=", made.invitationId).executeTakeFirstOrThrow();
    expect(invitation).toEqual({ status: "pending_approval", token_hash: null });
    expect(await outboxCount()).toBe(before);
    expect(await auditCount("invitation_approved", space.id)).toBe(0);

    // The same approval on its own goes through.
    expect(await transact(store.db, (trx) => approveInvitation(trx, ctx, { invitationId: made.invitationId }))).toMatchObject({ ok: true });
    expect(await outboxCount()).toBe(before + 2);
  });

  test("a newcomer's account and the acceptance: a link used meanwhile takes the new account back with it", async () => {
    const { admin, space } = await aSpace("coopt_direct");
    const made = await run(coopt, await inSpace(admin, space), { email: "race@example.org", role: "member", message: "" });
    if (!made.ok) throw new Error("co-optation refused");
    const invitation = await store.db.selectFrom("invitation").selectAll().where("id", "=", made.invitationId).executeTakeFirstOrThrow();
    // Used meanwhile, from another tab, by an account under another address.
    const elsewhere = await createUser(store.db);
    const moment = { ip: "127.0.0.1", now: Date.now() };
    expect(await transact(store.db, (trx) => acceptInvitation(trx, moment, { invitation, userId: elsewhere.id }))).toEqual({ ok: true });

    const joined = await transact(store.db, (trx) =>
      joinWithNewAccount(trx, moment, { invitation, displayName: "Nouvelle Personne", passwordHash: "not-a-real-hash", locale: "fr" }),
    );
    expect(joined).toEqual({ ok: false, error: "link-used" });
    expect(await store.db.selectFrom("user").select("id").where("email", "=", "race@example.org").executeTakeFirst()).toBeUndefined();
  });
});

describe("the quota rule in a space's settings", () => {
  const form = (space: Space, quotaGb: number) => ({
    name: space.name,
    slug: space.slug,
    kind: space.kind,
    description: "Changée",
    visibility: space.visibility,
    joinPolicy: space.join_policy,
    quotaGb,
  });

  test("a space admin's quota is ignored and the rest saved; the network admin's is applied", async () => {
    const { admin, space } = await aSpace();
    const before = space.storage_quota_bytes;
    expect(await run(updateSpaceSettings, await inSpace(admin, space), form(space, 99))).toEqual({ ok: true, slug: space.slug });
    let saved = (await findSpace(store.db, space.id))!;
    expect(saved.description).toBe("Changée");
    expect(saved.storage_quota_bytes).toBe(before);

    const networkAdmin = await createUser(store.db, { isNetworkAdmin: true });
    expect(await run(updateSpaceSettings, await inSpace(networkAdmin, space), form(space, 2))).toMatchObject({ ok: true });
    saved = (await findSpace(store.db, space.id))!;
    expect(saved.storage_quota_bytes).toBe(2 * 1024 ** 3);
  });
});

describe("the directory rule, in SQL and in the policy", () => {
  test("listDirectory lists exactly the spaces canListSpace allows, for a member, an outsider and the network admin", async () => {
    const creator = await createUser(store.db);
    const kinds = [
      { visibility: "secret", archived: false },
      { visibility: "listed", archived: false },
      { visibility: "open", archived: false },
      { visibility: "secret", archived: true },
      { visibility: "listed", archived: true },
      { visibility: "open", archived: true },
    ] as const;
    const made: Space[] = [];
    for (const k of kinds) {
      const space = await createSpace(store.db, { createdBy: creator.id, visibility: k.visibility });
      if (k.archived) await store.db.updateTable("space").set({ archived_at: Date.now() }).where("id", "=", space.id).execute();
      made.push((await findSpace(store.db, space.id))!);
    }
    const memberOfSome = await createUser(store.db);
    for (const space of [made[0], made[3]]) await addMember(store.db, { space, user: memberOfSome });
    const viewers = [memberOfSome, await createUser(store.db), await createUser(store.db, { isNetworkAdmin: true })];

    for (const viewer of viewers) {
      const actor = actorOf(viewer);
      const listed = new Set((await listDirectory(store.db, { includeAll: seesEverySpace(actor), viewerId: viewer.id, knownToOutsiders: KNOWN_TO_OUTSIDERS })).map((s) => s.id));
      for (const space of made) {
        const membership = await findMembership(store.db, space.id, viewer.id);
        expect(listed.has(space.id), `${viewer.email} and ${space.visibility}${space.archived_at ? ", archived" : ""}`).toBe(
          canListSpace(actor, membership ?? null, space),
        );
      }
    }
  });
});
