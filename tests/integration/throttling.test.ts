import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { createUser, type TestUser } from "#tests/factories.ts";
import { MINUTE_MS, openTestDb } from "#tests/helpers/db.ts";
import { client, findSetCookie, pageText, type HttpResponse } from "#tests/helpers/http.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";

let server: TestServer;
let store: OpenedDatabase;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  server = await startServer();
  store = openTestDb(server.dbFile);
  alice = await createUser(store.db, { email: "alice@example.test" });
  bob = await createUser(store.db, { email: "bob@example.test" });
});
afterAll(async () => {
  await store?.close();
  await server?.close();
});

// Every request comes from 127.0.0.1: each test starts with a clean slate of attempts.
beforeEach(async () => {
  await store.db.deleteFrom("sign_in_attempt").execute();
});

const throttledMessage = (minutes: number) => translate("fr", "login.throttled", { minutes });
const invalidMessage = translate("fr", "login.invalid");

async function failSignIn(email: string) {
  const res = await client(server.url).post("/login", { email, password: "not the password at all" });
  expect(res.status).toBe(400);
  expect(pageText(res.text)).toContain(invalidMessage);
  return res;
}

function expectThrottled(res: HttpResponse) {
  expect(res.status).toBe(429);
  // The failures just happened: the oldest leaves the 15-minute window in (just under) 15 minutes.
  expect(pageText(res.text)).toContain(throttledMessage(15));
  expect(findSetCookie(res, "cercle_session")).toBeUndefined();
}

async function ageAttempts(where: { email?: string }, ageMs: number) {
  let query = store.db.updateTable("sign_in_attempt").set({ created_at: Date.now() - ageMs });
  if (where.email) query = query.where("email", "=", where.email);
  await query.execute();
}

describe("per account", () => {
  test("four failures still let the right password in", async () => {
    for (let i = 0; i < 4; i++) await failSignIn(alice.email);
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password });
    expect(res.status).toBe(302);
  });

  test("after five failures the sixth attempt is refused with 429, even with the right password", async () => {
    for (let i = 0; i < 5; i++) await failSignIn(alice.email);
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password });
    expectThrottled(res);
  });

  test("the 429 tells clients when to retry (Retry-After, in seconds)", async () => {
    for (let i = 0; i < 5; i++) await failSignIn(alice.email);
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  test("the lock is per account: another account signs in from the same address", async () => {
    for (let i = 0; i < 5; i++) await failSignIn(alice.email);
    const res = await client(server.url).post("/login", { email: bob.email, password: bob.password });
    expect(res.status).toBe(302);
  });

  test("the account is matched whatever the case and spacing of the address typed", async () => {
    for (let i = 0; i < 5; i++) await failSignIn(i % 2 ? "ALICE@example.test" : " alice@Example.TEST ");
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password });
    expect(res.status).toBe(429);
  });

  test("a success clears the account's earlier failures", async () => {
    for (let i = 0; i < 4; i++) await failSignIn(alice.email);
    expect((await client(server.url).post("/login", { email: alice.email, password: alice.password })).status).toBe(302);
    for (let i = 0; i < 4; i++) await failSignIn(alice.email);
    expect((await client(server.url).post("/login", { email: alice.email, password: alice.password })).status).toBe(302);
  });

  test("failures older than 15 minutes no longer count", async () => {
    for (let i = 0; i < 5; i++) await failSignIn(alice.email);
    await ageAttempts({ email: alice.email }, 14 * MINUTE_MS);
    const stillLocked = await client(server.url).post("/login", { email: alice.email, password: alice.password });
    expect(stillLocked.status).toBe(429);
    // 14 minutes ago: one minute left.
    expect(pageText(stillLocked.text)).toContain(throttledMessage(1));

    await ageAttempts({ email: alice.email }, 15 * MINUTE_MS + 1_000);
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password });
    expect(res.status).toBe(302);
  });
});

describe("per address", () => {
  test("twenty failures from one address across different accounts lock that address out", async () => {
    // Four failures per account, so no single account reaches its own limit.
    for (let i = 0; i < 20; i++) await failSignIn(`stranger-${Math.floor(i / 4)}@example.test`);
    const res = await client(server.url).post("/login", { email: bob.email, password: bob.password });
    expectThrottled(res);
  });

  test("nineteen failures do not", async () => {
    for (let i = 0; i < 19; i++) await failSignIn(`stranger-${Math.floor(i / 4)}@example.test`);
    const res = await client(server.url).post("/login", { email: bob.email, password: bob.password });
    expect(res.status).toBe(302);
  });

  test("failures older than 15 minutes no longer count towards the address", async () => {
    for (let i = 0; i < 20; i++) await failSignIn(`stranger-${Math.floor(i / 4)}@example.test`);
    await ageAttempts({}, 15 * MINUTE_MS + 1_000);
    const res = await client(server.url).post("/login", { email: bob.email, password: bob.password });
    expect(res.status).toBe(302);
  });
});

test("a refused attempt is not a failure: it does not push the lock further", async () => {
  for (let i = 0; i < 5; i++) await failSignIn(alice.email);
  for (let i = 0; i < 3; i++) {
    expect((await client(server.url).post("/login", { email: alice.email, password: "nope nope nope" })).status).toBe(429);
  }
  const rows = await store.db.selectFrom("sign_in_attempt").select("succeeded").where("email", "=", alice.email).execute();
  expect(rows).toHaveLength(5);
});
