import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createUser, signIn, type TestUser } from "#tests/factories.ts";
import { DAY_MS } from "#tests/helpers/db.ts";
import { translate } from "#app/i18n/index.ts";
import { client, findSetCookie, pageText } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { clientSession, isSignedIn, SESSION_COOKIE, sha256 } from "#tests/helpers/session.ts";
import { world, type World } from "#tests/helpers/world.ts";

// Short, unusual lifetimes: the tests show these settings are the ones applied.
const IDLE_DAYS = 3;
const MAX_DAYS = 10;

let server: TestServer;
let store: OpenedDatabase;
let alice: TestUser;
let bob: TestUser;

let w: World<"alice" | "bob", never>;

beforeAll(async () => {
  w = await world({
    env: { SESSION_IDLE_DAYS: String(IDLE_DAYS), SESSION_MAX_DAYS: String(MAX_DAYS) },
    network: false,
    people: { alice: { email: "alice@example.test" }, bob: { email: "bob@example.test" } },
    signIn: [],
  });
  ({ server, store } = w);
  ({ alice, bob } = w.people);
});
afterAll(() => w?.close());

async function signedInClient(user: TestUser, userAgent?: string) {
  const c = client(server.url, userAgent ? { headers: { "User-Agent": userAgent } } : {});
  await signIn(c, user.email, user.password);
  return c;
}

function sessionRow(id: string) {
  return store.db.selectFrom("session").selectAll().where("id", "=", id).executeTakeFirst();
}

describe("the session cookie", () => {
  test("sign-in sets cercle_session: HttpOnly, SameSite=Lax, Path=/, lasting the absolute lifetime", async () => {
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password, redirectTo: "" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
    const cookie = findSetCookie(res, SESSION_COOKIE);
    expect(cookie).toBeDefined();
    expect(cookie!.value.length).toBeGreaterThan(20);
    expect(cookie!.attributes.has("httponly")).toBe(true);
    expect(cookie!.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    expect(cookie!.attributes.get("path")).toBe("/");
    expect(cookie!.attributes.get("max-age")).toBe(String(MAX_DAYS * 24 * 3600));
    // Plain HTTP here; a Secure cookie would never come back.
    expect(cookie!.attributes.has("secure")).toBe(false);
  });

  test("sign-in goes back to a local redirectTo, and never to another site", async () => {
    const local = await client(server.url).post("/login", { email: alice.email, password: alice.password, redirectTo: "/clubs?x=1" });
    expect(local.location).toBe("/clubs?x=1");
    for (const evil of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const res = await client(server.url).post("/login", { email: alice.email, password: alice.password, redirectTo: evil });
      expect(res.status).toBe(302);
      expect(new URL(res.location!, server.url).origin).toBe(server.url);
    }
  });

  test("sign-in does not follow a redirectTo that browsers read as another host (tab inside //)", async () => {
    // Browsers drop tabs and newlines from URLs: "/\t/evil.example" is "//evil.example" to them.
    const res = await client(server.url).post("/login", { email: alice.email, password: alice.password, redirectTo: "/\t/evil.example/" });
    expect(res.status).toBe(302);
    expect(new URL(res.location!, server.url).origin).toBe(server.url);
  });

  test("each sign-in makes a new session with a new token, and both work", async () => {
    const a = await signedInClient(alice);
    const b = await signedInClient(alice);
    const ta = await clientSession(a);
    const tb = await clientSession(b);
    expect(ta.id).not.toBe(tb.id);
    expect(ta.secret).not.toBe(tb.secret);
    expect(await isSignedIn(a)).toBe(true);
    expect(await isSignedIn(b)).toBe(true);
  });

  test("signing in replaces a session cookie planted beforehand (no session fixation)", async () => {
    // Mallory signs in as herself and plants her cookie in the browser Alice then uses.
    const mallory = await signedInClient(bob);
    const planted = await clientSession(mallory);
    const browser = client(server.url);
    browser.setCookie(SESSION_COOKIE, mallory.cookies.get(SESSION_COOKIE)!);
    await signIn(browser, alice.email, alice.password);
    const after = await clientSession(browser);
    expect(after.id).not.toBe(planted.id);
    expect((await sessionRow(after.id))!.user_id).toBe(alice.id);
    expect((await sessionRow(planted.id))!.user_id).toBe(bob.id);
  });

  test("a forged or altered token is refused", async () => {
    const c = await signedInClient(alice);
    const { id, secret } = await clientSession(c);
    const encode = (token: string) => Buffer.from(JSON.stringify(token)).toString("base64");

    // The encoding used here is the cookie's: the genuine token, re-encoded, works.
    const copy = client(server.url);
    copy.setCookie(SESSION_COOKIE, encode(`${id}.${secret}`));
    expect(await isSignedIn(copy)).toBe(true);

    const altered = `${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    for (const token of [`${id}.${altered}`, `${id}.`, `${id}`, `${id}.${secret}.x`, `other.${secret}`]) {
      const forger = client(server.url);
      forger.setCookie(SESSION_COOKIE, encode(token));
      expect(await isSignedIn(forger)).toBe(false);
    }
    // The real one still works: a wrong guess does not end the session.
    expect(await isSignedIn(c)).toBe(true);
  });
});

describe("what the database keeps", () => {
  test("only the SHA-256 of the token's secret is stored, never the secret", async () => {
    const c = await signedInClient(bob);
    const { id, secret } = await clientSession(c);
    const row = await sessionRow(id);
    expect(row).toBeDefined();
    expect(row!.user_id).toBe(bob.id);
    expect(Buffer.from(row!.secret_hash).equals(sha256(secret))).toBe(true);

    // No column of any session row, read as text or as hex, contains the secret.
    // The hash read as hex and as text here rather than in SQL, which each engine spells its own way.
    const dump = (await store.db.selectFrom("session").select(["id", "user_id", "secret_hash", "created_at", "last_seen_at", "user_agent", "ip"]).execute()).map(({ secret_hash, ...r }) => ({
      ...r,
      h: Buffer.from(secret_hash).toString("hex").toUpperCase(),
      t: Buffer.from(secret_hash).toString("utf8"),
    }));
    const text = JSON.stringify(dump).toLowerCase();
    expect(text).not.toContain(secret.toLowerCase());
    expect(text).not.toContain(Buffer.from(secret).toString("hex"));
  });
});

describe("lifetimes", () => {
  test(`a session unused for ${IDLE_DAYS} days is refused; one unused for a little less is not`, async () => {
    const c = await signedInClient(alice);
    const { id } = await clientSession(c);
    const now = Date.now();

    await store.db.updateTable("session").set({ last_seen_at: now - IDLE_DAYS * DAY_MS + 3_600_000 }).where("id", "=", id).execute();
    expect(await isSignedIn(c)).toBe(true);
    // Being seen moves last_seen_at forward.
    expect((await sessionRow(id))!.last_seen_at).toBeGreaterThanOrEqual(now);

    await store.db.updateTable("session").set({ last_seen_at: now - IDLE_DAYS * DAY_MS - 60_000 }).where("id", "=", id).execute();
    const res = await c.get("/spaces");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fspaces");
    // The expired session is gone, not just refused once.
    expect(await sessionRow(id)).toBeUndefined();
  });

  test(`a session older than ${MAX_DAYS} days is refused even when used a minute ago`, async () => {
    const c = await signedInClient(alice);
    const { id } = await clientSession(c);
    const now = Date.now();

    await store.db
      .updateTable("session")
      .set({ created_at: now - MAX_DAYS * DAY_MS + 3_600_000, last_seen_at: now - 60_000 })
      .where("id", "=", id)
      .execute();
    expect(await isSignedIn(c)).toBe(true);

    await store.db
      .updateTable("session")
      .set({ created_at: now - MAX_DAYS * DAY_MS - 60_000, last_seen_at: now - 60_000 })
      .where("id", "=", id)
      .execute();
    const res = await c.get("/spaces");
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login/);
    expect(await sessionRow(id)).toBeUndefined();
  });
});

describe("sign-out", () => {
  test("POST /logout ends the session on the server: the old cookie replayed is refused", async () => {
    const c = await signedInClient(bob);
    const oldCookie = c.cookies.get(SESSION_COOKIE)!;
    const { id } = await clientSession(c);

    const res = await c.post("/logout");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login");
    const cleared = findSetCookie(res, SESSION_COOKIE);
    expect(cleared?.attributes.get("max-age")).toBe("0");
    expect(c.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await sessionRow(id)).toBeUndefined();

    const replay = client(server.url);
    replay.setCookie(SESSION_COOKIE, oldCookie);
    const after = await replay.get("/spaces");
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login/);
  });

  test("signing out one browser leaves the user's other sessions alone", async () => {
    const a = await signedInClient(bob);
    const b = await signedInClient(bob);
    await a.post("/logout");
    expect(await isSignedIn(a)).toBe(false);
    expect(await isSignedIn(b)).toBe(true);
  });

  test("GET /logout changes nothing (sign-out is a POST)", async () => {
    const c = await signedInClient(bob);
    const res = await c.get("/logout");
    expect(res.status).toBe(302);
    expect(await isSignedIn(c)).toBe(true);
  });

  test("a cross-site POST /logout is refused and signs nobody out", async () => {
    const c = await signedInClient(bob);
    const res = await c.post("/logout", {}, { origin: "https://evil.example", secFetchSite: "cross-site" });
    expect(res.status).toBe(403);
    expect(await isSignedIn(c)).toBe(true);
  });
});

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("the sessions page (/settings/sessions)", () => {
  let carol: TestUser;
  beforeAll(async () => {
    carol = await createUser(store.db, { email: "carol@example.test" });
  });

  function revokeIdsOn(html: string): string[] {
    return [...html.matchAll(/<input[^>]*name="sessionId"[^>]*value="([^"]+)"/g)].map((m) => m[1]);
  }

  test("needs a signed-in user", async () => {
    const res = await client(server.url).get("/settings/sessions");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fsettings%2Fsessions");
  });

  test("lists the user's own sessions only, marks this one, and offers to end the others", async () => {
    const here = await signedInClient(carol, FIREFOX);
    const phone = await signedInClient(carol, SAFARI);
    const someoneElse = await signedInClient(bob, CHROME);

    const res = await here.get("/settings/sessions");
    expect(res.status).toBe(200);
    const mine = await store.db.selectFrom("session").select("id").where("user_id", "=", carol.id).execute();
    expect((res.text.match(/data-testid="session"/g) ?? []).length).toBe(mine.length);
    const text = pageText(res.text);
    expect(text).toContain("Firefox");
    expect(text).toContain("Safari");
    expect(text).not.toContain("Chrome");
    expect(text.split(translate("fr", "sessions.current")).length - 1).toBe(1);

    const offered = revokeIdsOn(res.text);
    const hereId = (await clientSession(here)).id;
    expect(offered).not.toContain(hereId);
    expect(offered).toContain((await clientSession(phone)).id);
    expect(offered).not.toContain((await clientSession(someoneElse)).id);
    expect(offered.sort()).toEqual(mine.map((r) => r.id).filter((id) => id !== hereId).sort());
    expect(res.text).toContain('name="intent" value="revoke-others"');
  });

  test("ending one session signs that browser out, and only that one", async () => {
    const here = await signedInClient(carol, FIREFOX);
    const phone = await signedInClient(carol, SAFARI);
    const tablet = await signedInClient(carol, CHROME);
    const phoneId = (await clientSession(phone)).id;

    const res = await here.post("/settings/sessions", { intent: "revoke", sessionId: phoneId });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/settings/sessions");
    // Following the redirect shows the flash (shown once: the next page would not).
    const page = await here.get("/settings/sessions");
    expect(pageText(page.text)).toContain(translate("fr", "sessions.revoked"));
    expect(revokeIdsOn(page.text)).not.toContain(phoneId);
    expect(await isSignedIn(phone)).toBe(false);
    expect(await isSignedIn(tablet)).toBe(true);
    expect(await isSignedIn(here)).toBe(true);
  });

  test("someone else's session cannot be ended: 404, and it lives on", async () => {
    const here = await signedInClient(carol);
    const victim = await signedInClient(bob);
    const res = await here.post("/settings/sessions", { intent: "revoke", sessionId: (await clientSession(victim)).id });
    expect(res.status).toBe(404);
    expect(await isSignedIn(victim)).toBe(true);
  });

  test("“end all the others” keeps this browser signed in and signs every other one out", async () => {
    await store.db.deleteFrom("session").where("user_id", "=", carol.id).execute();
    const here = await signedInClient(carol);
    const others = [await signedInClient(carol), await signedInClient(carol)];
    const bobs = await signedInClient(bob);

    const res = await here.post("/settings/sessions", { intent: "revoke-others" });
    expect(res.status).toBe(302);
    const page = await here.get(res.location!);
    expect(pageText(page.text)).toContain(translate("fr", "sessions.othersRevoked", { count: 2 }));
    for (const o of others) expect(await isSignedIn(o)).toBe(false);
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(bobs)).toBe(true);
    const remaining = await store.db.selectFrom("session").select("id").where("user_id", "=", carol.id).execute();
    expect(remaining).toEqual([{ id: (await clientSession(here)).id }]);
  });

  test("ending this browser's own session signs it out", async () => {
    const here = await signedInClient(carol);
    const res = await here.post("/settings/sessions", { intent: "revoke", sessionId: (await clientSession(here)).id });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login");
    expect(await isSignedIn(here)).toBe(false);
  });

  test("an unknown intent or a missing session id is a bad request", async () => {
    const here = await signedInClient(carol);
    expect((await here.post("/settings/sessions", { intent: "explode" })).status).toBe(400);
    expect((await here.post("/settings/sessions", { intent: "revoke" })).status).toBe(400);
    expect(await isSignedIn(here)).toBe(true);
  });

  test("a cross-site post cannot end sessions", async () => {
    const here = await signedInClient(carol);
    const other = await signedInClient(carol);
    const res = await here.post("/settings/sessions", { intent: "revoke-others" }, { origin: "https://evil.example", secFetchSite: "cross-site" });
    expect(res.status).toBe(403);
    expect(await isSignedIn(other)).toBe(true);
  });
});

describe("changing the password (/settings/password)", () => {
  test("with the right current password: the new one works, the old one not, and other sessions end", async () => {
    const erin = await createUser(store.db, { email: "erin@example.test", password: "erin's first passphrase" });
    const here = await signedInClient(erin);
    const elsewhere = await signedInClient(erin);

    const res = await here.post("/settings/password", {
      current: "erin's first passphrase",
      password: "erin's second passphrase",
      confirm: "erin's second passphrase",
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/settings/password");
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(elsewhere)).toBe(false);
    expect(await store.db.selectFrom("session").select("id").where("user_id", "=", erin.id).execute()).toEqual([
      { id: (await clientSession(here)).id },
    ]);

    const old = await client(server.url).post("/login", { email: erin.email, password: "erin's first passphrase" });
    expect(old.status).toBe(400);
    await signIn(client(server.url), erin.email, "erin's second passphrase");
  });

  test("with a wrong current password: refused beside the field, nothing changes", async () => {
    const frank = await createUser(store.db, { email: "frank@example.test", password: "frank's passphrase" });
    const here = await signedInClient(frank);
    const elsewhere = await signedInClient(frank);

    const res = await here.post("/settings/password", {
      current: "not frank's passphrase",
      password: "a new passphrase for frank",
      confirm: "a new passphrase for frank",
    });
    expect(res.status).toBe(400);
    expect(pageText(res.text)).toContain(translate("fr", "v.currentPassword"));
    expect(await isSignedIn(elsewhere)).toBe(true);
    await signIn(client(server.url), frank.email, "frank's passphrase");
  });

  test("needs a signed-in user", async () => {
    const res = await client(server.url).post("/settings/password", { current: "x", password: "y".repeat(12), confirm: "y".repeat(12) });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login\?redirectTo=/);
  });
});
