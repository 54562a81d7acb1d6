import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { issueSetupSecret } from "#db/queries/network.ts";
import { createPasswordReset, findPasswordReset } from "#db/queries/password-resets.ts";
import { transact } from "#db/transact.ts";
import { createSession } from "#db/queries/sessions.ts";
import { createAccount, endSessions, requestPasswordReset, resetPassword, setUpNetwork } from "#app/accounts/commands.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { resetCandidate, setupTokenIsValid } from "#app/accounts/load.server.ts";
import { translator } from "#app/i18n/index.ts";
import { createUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * The account commands called directly on a real SQLite file: the refusals
 * the HTTP tests only see as a status (409, 410, "existing"), and that a
 * refusal writes nothing.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
const moment = () => ({ ip: "127.0.0.1", now: Date.now() });
const setup = (email: string) => ({ networkName: "Réseau", defaultLocale: "fr" as const, displayName: "Première Admin", email, passwordHash: "hash" });

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
});

afterAll(async () => {
  await store?.remove();
});

describe("the first-run setup", () => {
  test("makes one network: a second setup is 'already-set-up' and adds no account", async () => {
    const token = await issueSetupSecret(store.db, Date.now());
    expect(await setupTokenIsValid(store.db, token)).toBe(true);
    const first = await transact(store.db, (trx) => setUpNetwork(trx, moment(), setup("first@example.org")));
    expect(first).toMatchObject({ ok: true, user: { email: "first@example.org", is_network_admin: 1 } });
    expect(await setupTokenIsValid(store.db, token)).toBe(false);

    const second = await transact(store.db, (trx) => setUpNetwork(trx, moment(), setup("second@example.org")));
    expect(second).toEqual({ ok: false, error: "already-set-up" });
    const users = await store.db.selectFrom("user").select("email").execute();
    expect(users.map((u) => u.email)).toEqual(["first@example.org"]);
  });
});

describe("a newcomer's account", () => {
  test("an address that has an account is 'email-taken'", async () => {
    const existing = await createUser(store.db);
    const input = { email: existing.email, displayName: "Quelqu'un", passwordHash: "hash", sponsorId: null, locale: "fr" as const };
    expect(await transact(store.db, (trx) => createAccount(trx, moment(), input))).toEqual({ ok: false, error: "email-taken" });
  });
});

describe("password recovery", () => {
  test("a reset link works once: the second use is 'used' and leaves the new password alone", async () => {
    const user = await createUser(store.db);
    const secret = await createPasswordReset(store.db, user.id, Date.now());
    const lookup = await findPasswordReset(store.db, secret, Date.now());
    if (lookup.state !== "valid") throw new Error(lookup.state);
    const input = { resetId: lookup.id, userId: lookup.userId };
    expect(await transact(store.db, (trx) => resetPassword(trx, moment(), { ...input, passwordHash: "first-new-hash" }))).toEqual({ ok: true });
    expect(await transact(store.db, (trx) => resetPassword(trx, moment(), { ...input, passwordHash: "second-new-hash" }))).toEqual({ ok: false, error: "used" });
    const stored = await store.db.selectFrom("user").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toBe("first-new-hash");
  });

  test("the mail is queued in the request's transaction, in the owner's language, with a link on BASE_URL; past the hourly limit no candidate", async () => {
    const user = await createUser(store.db, { locale: "en" });
    const letterhead = { network: { name: "Réseau", locale: "fr" as const }, baseUrl: new URL("https://cercle.example"), mailConfigured: true, mailFrom: "Cercle <cercle@cercle.test>" };
    for (let i = 0; i < 3; i++) {
      const candidate = await resetCandidate(store.db, user.email, Date.now());
      expect(candidate?.id).toBe(user.id);
      const result = await transact(store.db, (trx) => requestPasswordReset(trx, { ...moment(), letterhead }, { user: candidate!, fallbackLocale: "fr" }));
      expect(result.mailIds).toHaveLength(1);
      const row = await store.db.selectFrom("mail_outbox").select(["recipient", "payload"]).where("id", "=", result.mailIds[0]).executeTakeFirstOrThrow();
      expect(row.recipient).toBe(user.email);
      const mail = JSON.parse(row.payload!) as { subject: string; link: string };
      expect(mail.subject).toContain(translator("en")("mail.reset.subject"));
      expect(mail.link).toMatch(/^https:\/\/cercle\.example\/reset-password\/[^/]+$/);
    }
    expect(await resetCandidate(store.db, user.email, Date.now())).toBeNull();
    expect(await resetCandidate(store.db, "nobody@example.org", Date.now())).toBeNull();
  });
});

describe("ending one's sessions from the settings page", () => {
  const open = (userId: string) => createSession(store.db, { userId, userAgent: "Firefox", ip: "192.0.2.1", now: Date.now() });
  const sessionsOf = async (userId: string) => (await store.db.selectFrom("session").select("id").where("user_id", "=", userId).execute()).map((s) => s.id).sort();
  const revocations = async (userId: string) =>
    (await store.db.selectFrom("audit_log").select("data").where("event", "=", "session_revoked").where("actor_id", "=", userId).execute()).map((a) => JSON.parse(a.data ?? "{}"));

  test("all but this browser's: the others end and one audit line counts them", async () => {
    const user = await createUser(store.db);
    const here = await open(user.id);
    await open(user.id);
    await open(user.id);
    const ctx = { ...moment(), user, actor: actorOf(user) };
    expect(await transact(store.db, (trx) => endSessions(trx, ctx, { allBut: here.session.id }))).toEqual({ ok: true, count: 2 });
    expect(await sessionsOf(user.id)).toEqual([here.session.id]);
    expect(await revocations(user.id)).toEqual([{ count: 2 }]);
  });

  test("someone else's session id is 'not-found': their session stays and nothing is audited", async () => {
    const user = await createUser(store.db);
    const other = await createUser(store.db);
    const theirs = await open(other.id);
    const ctx = { ...moment(), user, actor: actorOf(user) };
    expect(await transact(store.db, (trx) => endSessions(trx, ctx, { sessionId: theirs.session.id }))).toEqual({ ok: false, error: "not-found" });
    expect(await sessionsOf(other.id)).toEqual([theirs.session.id]);
    expect(await revocations(user.id)).toEqual([]);
  });
});
