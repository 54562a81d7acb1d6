import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { createUser, type TestUser } from "#tests/factories.ts";
import { MINUTE_MS } from "#tests/helpers/db.ts";
import { createPasswordReset } from "#db/queries/password-resets.ts";
import { client, findSetCookie, pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

let server: TestServer;
let store: OpenedDatabase;
let alice: TestUser;
let bob: TestUser;

let w: World<"alice" | "bob", never>;

beforeAll(async () => {
  // Behind one proxy, so each test can speak from the address it needs (X-Forwarded-For).
  w = await world({
    env: { TRUST_PROXY: "1" },
    network: false,
    people: { alice: { email: "alice@example.test" }, bob: { email: "bob@example.test" } },
    signIn: [],
  });
  ({ server, store } = w);
  ({ alice, bob } = w.people);
});
afterAll(() => w?.close());

// Requests without X-Forwarded-For come from 127.0.0.1: each test starts with a clean slate of attempts.
beforeEach(async () => {
  await store.db.deleteFrom("sign_in_attempt").execute();
});

const throttledMessage = (minutes: number) => translate("fr", "login.throttled", { minutes });
const invalidMessage = translate("fr", "login.invalid");

/** A browser at this address (X-Forwarded-For, which the server trusts from its one proxy). */
const from = (ip: string) => client(server.url, { headers: { "X-Forwarded-For": ip } });

async function failSignIn(email: string, who: Client = client(server.url)) {
  const res = await who.post("/login", { email, password: "not the password at all" });
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

  // Five failures for one account from one address, from a browser that never signed in to it.
  test("after five failures the sixth attempt from that address and an unknown device is refused with 429, even with the right password", async () => {
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

describe("without handing attackers a lockout", () => {
  const ATTACKER = "198.51.100.66";
  const OWNER_ELSEWHERE = "203.0.113.10";

  /** A browser that has signed in to this account before, then signed out: it keeps its known-device cookie. */
  async function knownDevice(user: TestUser, ip: string): Promise<Client> {
    const device = from(ip);
    const res = await device.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    expect((await device.post("/logout")).status).toBe(302);
    expect(device.cookies.has("cercle_session")).toBe(false);
    return device;
  }

  test("an attacker failing ten times from one address does not keep the owner out from another", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await from(ATTACKER).post("/login", { email: alice.email, password: "not the password at all" });
      expect(res.status).toBe(i < 5 ? 400 : 429);
    }
    const attacker = await from(ATTACKER).post("/login", { email: alice.email, password: alice.password });
    expectThrottled(attacker);

    const owner = await from(OWNER_ELSEWHERE).post("/login", { email: alice.email, password: alice.password });
    expect(owner.status).toBe(302);
    expect(findSetCookie(owner, "cercle_session")).toBeDefined();
  });

  test("the owner's known device gets in from the attacker's very address; the attacker stays throttled", async () => {
    const device = await knownDevice(alice, ATTACKER);
    for (let i = 0; i < 10; i++) {
      const res = await from(ATTACKER).post("/login", { email: alice.email, password: "not the password at all" });
      expect(res.status).toBe(i < 5 ? 400 : 429);
    }
    expectThrottled(await from(ATTACKER).post("/login", { email: alice.email, password: alice.password }));

    const owner = await device.post("/login", { email: alice.email, password: alice.password });
    expect(owner.status).toBe(302);
    expect(findSetCookie(owner, "cercle_session")).toBeDefined();

    // The owner getting in does not reopen the door for the attacker.
    expectThrottled(await from(ATTACKER).post("/login", { email: alice.email, password: alice.password }));
  });

  test("a known device of another account is an unknown device here", async () => {
    const bobsDevice = await knownDevice(bob, ATTACKER);
    for (let i = 0; i < 5; i++) await failSignIn(alice.email, from(ATTACKER));
    expectThrottled(await bobsDevice.post("/login", { email: alice.email, password: alice.password }));
  });

  test("a known device that fails five times is throttled itself, so its cookie is no key to guessing", async () => {
    const device = await knownDevice(alice, OWNER_ELSEWHERE);
    for (let i = 0; i < 5; i++) await failSignIn(alice.email, device);
    expectThrottled(await device.post("/login", { email: alice.email, password: alice.password }));
  });

  test("a forged device cookie counts for nothing", async () => {
    for (let i = 0; i < 5; i++) await failSignIn(alice.email, from(ATTACKER));
    const forger = from(ATTACKER);
    forger.setCookie("cercle_device", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expectThrottled(await forger.post("/login", { email: alice.email, password: alice.password }));
  });

  test("many addresses guessing one account throttle unknown devices for it; the owner's known device still gets in", async () => {
    const device = await knownDevice(alice, OWNER_ELSEWHERE);
    // Four failures from each address, below the per-address limits, until the account-wide one is reached.
    for (let i = 0; i < 50; i++) await failSignIn(alice.email, from(`192.0.2.${Math.floor(i / 4) + 1}`));
    expectThrottled(await from("192.0.2.200").post("/login", { email: alice.email, password: alice.password }));
    expect((await device.post("/login", { email: alice.email, password: alice.password })).status).toBe(302);
  });

  test("a reset link always lets the owner in, and that browser is then a known device", async () => {
    const carol = await createUser(store.db, { email: "carol@example.test" });
    for (let i = 0; i < 5; i++) await failSignIn(carol.email, from(ATTACKER));
    const owner = from(ATTACKER);
    expectThrottled(await owner.post("/login", { email: carol.email, password: carol.password }));

    const secret = await createPasswordReset(store.db, carol.id, Date.now());
    const fresh = "a fresh passphrase, all mine";
    const reset = await owner.post(`/reset-password/${secret}`, { password: fresh, confirm: fresh });
    expect(reset.status).toBe(302);
    expect(findSetCookie(reset, "cercle_session")).toBeDefined();

    // Signed out and back in on the same browser, from the same address: its own device, so not locked out.
    expect((await owner.post("/logout")).status).toBe(302);
    expect((await owner.post("/login", { email: carol.email, password: fresh })).status).toBe(302);
    // Anyone else there is still throttled.
    expectThrottled(await from(ATTACKER).post("/login", { email: carol.email, password: fresh }));
  });
});
