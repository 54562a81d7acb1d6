import { createCookie } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { createPasswordReset } from "#db/queries/password-resets.ts";
import { createUser, signIn, type TestUser } from "#tests/factories.ts";
import { client, pageText, request, type Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { isSignedIn, sha256 } from "#tests/helpers/session.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Recovering an account — a reset from the mailed link, or a change of
 * password in the settings — ends every credential of it that someone who
 * took the account over may hold: other sessions, private feed addresses,
 * reset links still pending.
 */

let server: TestServer;
let store: OpenedDatabase;

let w: World<never, never>;

beforeAll(async () => {
  w = await world({ people: {} });
  ({ server, store } = w);
});
afterAll(() => w?.close());

const NEW_PASSWORD = "a brand new passphrase";

/** Makes private feed addresses through the settings page, as the member would; returns the network feed's path. */
async function makeFeed(who: Client): Promise<string> {
  const res = await who.post("/settings/notifications", { intent: "reset-feed" });
  expect(res.status).toBe(200);
  const match = /https?:\/\/[^"<\s]+(\/feeds\/[a-z2-7]+\/network)/.exec(res.text);
  expect(match, "the page shows the network feed address").not.toBeNull();
  return match![1];
}

/** The account's known devices (browsers exempt from others' sign-in failures), as hashes of their cookies. */
const knownDevices = async (userId: string) =>
  (await store.db.selectFrom("known_device").select("token_hash").where("user_id", "=", userId).execute()).map((r) => r.token_hash);

/** The hash the database keeps of the device cookie this browser holds. */
async function deviceHashOf(browser: Client): Promise<string> {
  const token: unknown = await createCookie("cercle_device").parse(`cercle_device=${browser.cookies.get("cercle_device")}`);
  expect(typeof token).toBe("string");
  return sha256(token as string).toString("hex");
}

const feedStatus = async (path: string) => (await request(new URL(path, server.url), "GET", {})).status;

/** The owner and an intruder who knows the password, both signed in, the intruder holding the feed address. */
async function takenOver(): Promise<{ user: TestUser; owner: Client; intruder: Client; feed: string }> {
  const user = await createUser(store.db);
  const owner = client(server.url);
  await signIn(owner, user.email, user.password);
  const intruder = client(server.url);
  await signIn(intruder, user.email, user.password);
  const feed = await makeFeed(intruder);
  expect(await feedStatus(feed)).toBe(200);
  return { user, owner, intruder, feed };
}

describe("a reset from the mailed link", () => {
  test("ends the private feed addresses, and the intruder's session", async () => {
    const { user, intruder, feed } = await takenOver();
    expect(await knownDevices(user.id)).toHaveLength(2);
    const secret = await createPasswordReset(store.db, user.id, Date.now());
    const owner = client(server.url);
    const res = await owner.post(`/reset-password/${secret}`, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(302);

    expect([401, 404]).toContain(await feedStatus(feed));
    expect(await isSignedIn(intruder)).toBe(false);
    expect(await isSignedIn(owner)).toBe(true);
    // The intruder's browser is a stranger again; the browser the owner reset from is the one known device.
    expect(await knownDevices(user.id)).toHaveLength(1);

    // The owner makes new addresses when they want them; those work.
    const fresh = await makeFeed(owner);
    expect(await feedStatus(fresh)).toBe(200);
    expect([401, 404]).toContain(await feedStatus(feed));
  });
});

describe("a change of password in the settings", () => {
  test("ends the private feed addresses and the other sessions; this device stays in", async () => {
    const { user, owner, intruder, feed } = await takenOver();
    expect(await knownDevices(user.id)).toHaveLength(2);
    const res = await owner.post("/settings/password", { current: user.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(302);

    expect([401, 404]).toContain(await feedStatus(feed));
    expect(await isSignedIn(intruder)).toBe(false);
    expect(await isSignedIn(owner)).toBe(true);
    // Only the owner's browser stays a known device.
    expect(await knownDevices(user.id)).toEqual([await deviceHashOf(owner)]);
  });

  test("ends a reset link still pending, which no longer changes the password", async () => {
    const { user, owner } = await takenOver();
    const pending = await createPasswordReset(store.db, user.id, Date.now());
    const res = await owner.post("/settings/password", { current: user.password, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(302);

    const page = await client(server.url).get(`/reset-password/${pending}`);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).not.toContain(translate("fr", "reset.submit"));

    const attempt = await client(server.url).post(`/reset-password/${pending}`, { password: "the intruder's choice", confirm: "the intruder's choice" });
    expect(attempt.status).toBe(410);
    // The password is the owner's new one still.
    await signIn(client(server.url), user.email, NEW_PASSWORD);
  });
});
