import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { createUser, type TestUser } from "#tests/factories.ts";
import { client, pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { isSignedIn } from "#tests/helpers/session.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { flashOf } from "#tests/helpers/state.ts";
import { SoftAuthenticator, type SoftCredential } from "#tests/helpers/webauthn.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Passkeys (issue 20), over real HTTP with real cookies, answered by a
 * software authenticator (tests/helpers/webauthn.ts, node:crypto): named
 * registration, the passkey alone at sign-in, the passkey as the second step
 * and as the factor the network requires, every way an answer is refused
 * (origin, challenge used or of another browser, counter gone back, someone
 * else's key), removal behind the proof, the admin's reset, the console.
 */

let w: World<"member" | "spaceAdmin" | "netAdmin" | "other", "club">;
let server: TestServer;
let store: OpenedDatabase;

beforeAll(async () => {
  w = await world({
    env: { TRUST_PROXY: "1" },
    smtp: true,
    domain: "cles.test",
    people: { member: {}, spaceAdmin: {}, netAdmin: { isNetworkAdmin: true }, other: {} },
    spaces: { club: { createdBy: "spaceAdmin", slug: "club-cles", name: "Club Clés", visibility: "listed", members: { member: "member", other: "member" } } },
    signIn: ["netAdmin"],
  });
  ({ server, store } = w);
});
afterAll(() => w?.close());

beforeEach(async () => {
  await store.db.deleteFrom("sign_in_attempt").execute();
  await store.db.updateTable("network").set({ second_factor_required: 0 }).execute();
});

const fr = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate("fr", key, params);

let ipCounter = 10;
/** A browser at an address of its own, with no cookie. */
const browser = () => client(server.url, { headers: { "X-Forwarded-For": `198.51.100.${ipCounter++}` } });

const json = (res: HttpResponse) => JSON.parse(res.text) as { ok: boolean; options?: any; redirectTo?: string; message?: string };

async function signedInBrowser(user: TestUser): Promise<Client> {
  const c = browser();
  const res = await c.post("/login", { email: user.email, password: user.password });
  expect(res.status, res.text.slice(0, 300)).toBe(302);
  return c;
}

/** Registers a passkey from the settings, as the page's script does; answers the credential. */
async function register(c: Client, auth: SoftAuthenticator, name: string): Promise<SoftCredential> {
  const options = json(await c.post("/settings/security/passkeys", { intent: "options" }));
  expect(options.ok).toBe(true);
  const { credential, response } = auth.register(options.options);
  const res = await c.post("/settings/security/passkeys", { intent: "register", response: JSON.stringify(response), name });
  expect(res.status, res.text).toBe(200);
  expect(json(res)).toEqual({ ok: true, redirectTo: "/settings/security" });
  return credential;
}

async function passkeysOf(userId: string) {
  return store.db.selectFrom("passkey").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();
}

async function auditOf(event: string, targetUserId: string) {
  return store.db.selectFrom("audit_log").selectAll().where("event", "=", event).where("target_user_id", "=", targetUserId).execute();
}

/** The passkey alone at /login: options, then the answer; the verify response. */
async function signInWithPasskey(c: Client, auth: SoftAuthenticator, credential: SoftCredential, ceremony: Parameters<SoftAuthenticator["assert"]>[2] = {}) {
  const options = json(await c.post("/login/passkey", { step: "sign-in", intent: "options" }));
  expect(options.ok).toBe(true);
  const answer = auth.assert(credential, options.options, ceremony);
  return c.post("/login/passkey", { step: "sign-in", intent: "verify", response: JSON.stringify(answer), redirectTo: "/people" });
}

describe("a member's passkeys", () => {
  let member: TestUser;
  let auth: SoftAuthenticator;
  let key: SoftCredential;

  beforeAll(async () => {
    member = w.people.member;
    auth = new SoftAuthenticator(server.url);
    const c = await signedInBrowser(member);
    key = await register(c, auth, "Téléphone de Marc");
    await register(c, auth, "");
  });

  test("registered with its name (or one by default), listed on the settings page, audited, told by mail", async () => {
    const rows = await passkeysOf(member.id);
    expect(rows.map((r) => r.name)).toEqual(["Téléphone de Marc", expect.stringMatching(/^Clé d’accès du \d{1,2} \S+ \d{4}$/)]);
    expect(rows[0].credential_id).toBe(key.id.toString("base64url"));
    expect(rows[0].counter).toBe(0);
    expect(rows[0].last_used_at).toBeNull();
    const page = await (await signedInBrowser(member)).get("/settings/security");
    expect(page.status).toBe(200);
    const text = pageText(page.text);
    expect(text).toContain("Téléphone de Marc");
    expect(text).toContain(fr("passkey.settings.neverUsed"));
    expect(await auditOf("passkey_added", member.id)).toHaveLength(2);
    const network = await store.db.selectFrom("network").select("name").executeTakeFirstOrThrow();
    const subject = fr("secondFactor.mail.change.passkey_added.subject", { network: network.name });
    const mail = await w.smtp.waitForMail((m) => m.to.includes(member.email) && m.subject === subject && m.text.includes("« Téléphone de Marc »"));
    expect(mail.text).toContain(fr("secondFactor.mail.change.footer"));
  });

  test("the same authenticator's key twice is refused (the answer's credential is registered already)", async () => {
    const c = await signedInBrowser(member);
    const options = json(await c.post("/settings/security/passkeys", { intent: "options" }));
    // excludeCredentials lists the member's keys, so a real browser would refuse; a replayed answer is refused here.
    expect(options.options.excludeCredentials.map((k: { id: string }) => k.id)).toContain(key.id.toString("base64url"));
    expect(options.options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    const { response } = auth.register(options.options, { reuse: key });
    const res = await c.post("/settings/security/passkeys", { intent: "register", response: JSON.stringify(response), name: "Copie" });
    expect(res.status).toBe(400);
    expect((await passkeysOf(member.id)).map((r) => r.name)).not.toContain("Copie");
  });

  test("the passkey alone signs in, with no email: a working session, the counter and last use recorded, audited", async () => {
    const c = browser();
    const res = await signInWithPasskey(c, auth, key);
    expect(res.status, res.text).toBe(200);
    expect(json(res)).toEqual({ ok: true, redirectTo: "/people" });
    expect(await isSignedIn(c)).toBe(true);
    const row = (await passkeysOf(member.id))[0];
    expect(row.counter).toBe(key.signCount);
    expect(row.last_used_at).not.toBeNull();
    expect((await auditOf("passkey_sign_in", member.id)).length).toBeGreaterThan(0);
    // The same end as a password's (finishSignIn): the sign-in's own audit line, by the member.
    const signIns = await store.db.selectFrom("audit_log").select("id").where("event", "=", "sign_in").where("actor_id", "=", member.id).execute();
    expect(signIns.length).toBeGreaterThan(0);
    const page = await c.get("/settings/security");
    expect(pageText(page.text)).toContain(fr("passkey.settings.lastUsed", { date: "" }).trim());
  });

  test("a challenge is used once: the same answer sent again is refused", async () => {
    const c = browser();
    const options = json(await c.post("/login/passkey", { step: "sign-in", intent: "options" }));
    const answer = JSON.stringify(auth.assert(key, options.options));
    // Kept: the browser's own cookie is cleared with the first answer, but an attacker could keep it.
    const cookie = [...c.cookies].find(([name]) => name.includes("webauthn"))!;
    expect((await c.post("/login/passkey", { step: "sign-in", intent: "verify", response: answer })).status).toBe(200);
    const again = browser();
    again.setCookie(cookie[0], cookie[1]);
    const res = await again.post("/login/passkey", { step: "sign-in", intent: "verify", response: answer });
    expect(res.status).toBe(400);
    expect(json(res).message).toBe(fr("passkey.refused"));
    expect(await isSignedIn(again)).toBe(false);
  });

  test("refused, nothing signed in: another browser's challenge, a wrong origin, a counter gone back, user verification missing", async () => {
    const before = (await auditOf("passkey_failed", member.id)).length;
    // Another browser's challenge: this one holds none.
    const a = browser();
    const options = json(await a.post("/login/passkey", { step: "sign-in", intent: "options" }));
    const b = browser();
    const stolen = await b.post("/login/passkey", { step: "sign-in", intent: "verify", response: JSON.stringify(auth.assert(key, options.options)) });
    expect(stolen.status).toBe(400);
    expect(await isSignedIn(b)).toBe(false);
    // A page of another origin.
    const c = browser();
    const phished = await signInWithPasskey(c, auth, key, { origin: "https://cercle.example.evil" });
    expect(phished.status).toBe(400);
    expect(await isSignedIn(c)).toBe(false);
    // A counter gone back (a cloned key).
    const d = browser();
    const cloned = await signInWithPasskey(d, auth, key, { signCount: 1 });
    expect(cloned.status).toBe(400);
    expect(await isSignedIn(d)).toBe(false);
    // Presence without verification: the key alone is then one factor, not two.
    const e = browser();
    const unverified = await signInWithPasskey(e, auth, key, { flags: 0x01 });
    expect(unverified.status).toBe(400);
    expect(await isSignedIn(e)).toBe(false);
    // Each refusal audited, and counted in the throttle as a failed code.
    expect((await auditOf("passkey_failed", member.id)).length).toBe(before + 4);
    const failures = await store.db.selectFrom("sign_in_attempt").selectAll().where("email", "=", member.email).where("succeeded", "=", 0).execute();
    expect(failures.map((f) => f.factor)).toEqual(["second_factor", "second_factor", "second_factor", "second_factor"]);
  });

  test("refused answers are throttled as passwords are: past five from one address, even the right one gets 429 and Retry-After", async () => {
    const c = browser();
    for (let i = 0; i < 5; i++) expect((await signInWithPasskey(c, auth, key, { flags: 0x01 })).status).toBe(400);
    const res = await signInWithPasskey(c, auth, key);
    expect(res.status).toBe(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(json(res).message).toMatch(/^Trop de tentatives infructueuses\. Réessayez dans \d+ minutes?\.$/);
    expect(await isSignedIn(c)).toBe(false);
  });

  test("removing a passkey takes the proof: refused without it, done with the password (audited, told by mail)", async () => {
    const c = await signedInBrowser(member);
    const [first] = await passkeysOf(member.id);
    const wrong = await c.post("/settings/security/passkeys", { intent: "remove", id: first.id, proof: "not-the-password" });
    expect(wrong.status).toBe(302);
    expect((await flashOf(wrong))?.key).toBe("secondFactor.settings.proofWrong");
    expect((await passkeysOf(member.id)).map((p) => p.id)).toContain(first.id);
    // Someone else's session cannot remove it, whatever their own password.
    const other = await signedInBrowser(w.people.other);
    const theirs = await other.post("/settings/security/passkeys", { intent: "remove", id: first.id, proof: w.people.other.password });
    expect((await flashOf(theirs))?.key).toBe("passkey.settings.notFound");
    expect((await passkeysOf(member.id)).map((p) => p.id)).toContain(first.id);
    const right = await c.post("/settings/security/passkeys", { intent: "remove", id: first.id, proof: member.password });
    expect((await flashOf(right))?.key).toBe("passkey.settings.removed");
    expect((await passkeysOf(member.id)).map((p) => p.id)).not.toContain(first.id);
    expect(await auditOf("passkey_removed", member.id)).toHaveLength(1);
    // The removed key signs nobody in any more.
    const d = browser();
    expect((await signInWithPasskey(d, auth, key)).status).toBe(400);
    expect(await isSignedIn(d)).toBe(false);
  });

  test("renaming one's own passkey", async () => {
    const c = await signedInBrowser(member);
    const [first] = await passkeysOf(member.id);
    const res = await c.post("/settings/security/passkeys", { intent: "rename", id: first.id, name: "Ordinateur du bureau" });
    expect((await flashOf(res))?.key).toBe("passkey.settings.renamed");
    expect((await passkeysOf(member.id))[0].name).toBe("Ordinateur du bureau");
    expect(await auditOf("passkey_renamed", member.id)).toHaveLength(1);
  });
});

describe("the passkey and the rest of sign-in", () => {
  test("a deactivated account is refused with the same words as after its password", async () => {
    const user = await createUser(store.db, { email: "desactive@cles.test" });
    const auth = new SoftAuthenticator(server.url);
    const key = await register(await signedInBrowser(user), auth, "Clé");
    await store.db.updateTable("user").set({ deactivated_at: Date.now() }).where("id", "=", user.id).execute();
    const c = browser();
    const res = await signInWithPasskey(c, auth, key);
    expect(res.status).toBe(403);
    expect(json(res).message).toBe(fr("login.deactivated"));
    expect(await isSignedIn(c)).toBe(false);
    expect(await auditOf("sign_in_deactivated", user.id)).toHaveLength(1);
  });

  test("required of an admin who has a passkey: the password leads to /login/code (not the setup), where the passkey ends it", async () => {
    const admin = w.people.spaceAdmin;
    const auth = new SoftAuthenticator(server.url);
    const key = await register(await signedInBrowser(admin), auth, "Clé de l’admin");
    await store.db.updateTable("network").set({ second_factor_required: 1 }).execute();
    const c = browser();
    const login = await c.post("/login?redirectTo=%2Fpeople", { email: admin.email, password: admin.password, redirectTo: "/people" });
    expect(login.location).toBe("/login/code");
    expect(await isSignedIn(c)).toBe(false);
    const page = await c.get("/login/code");
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(fr("passkey.code.only"));
    // Someone else's passkey is no second factor of theirs.
    const outsiderAuth = new SoftAuthenticator(server.url);
    const outsiderKey = await register(await signedInBrowser(w.people.other), outsiderAuth, "Clé d’un autre");
    const options = json(await c.post("/login/passkey", { step: "code", intent: "options" }));
    expect(options.options.allowCredentials.map((k: { id: string }) => k.id)).toEqual([key.id.toString("base64url")]);
    const foreign = await c.post("/login/passkey", { step: "code", intent: "verify", response: JSON.stringify(outsiderAuth.assert(outsiderKey, options.options)) });
    expect(foreign.status).toBe(400);
    expect(await isSignedIn(c)).toBe(false);
    expect((await auditOf("passkey_failed", admin.id)).map((a) => JSON.parse(a.data ?? "{}").reason)).toContain("other-account");
    // Their own: signed in, to where they were going.
    const again = json(await c.post("/login/passkey", { step: "code", intent: "options" }));
    const res = await c.post("/login/passkey", { step: "code", intent: "verify", response: JSON.stringify(auth.assert(key, again.options)) });
    expect(res.status, res.text).toBe(200);
    expect(json(res)).toEqual({ ok: true, redirectTo: "/people" });
    expect(await isSignedIn(c)).toBe(true);
    // The pending sign-in is used up: no second session from it.
    expect(await store.db.selectFrom("sign_in_challenge").select("id").where("user_id", "=", admin.id).execute()).toHaveLength(0);
  });

  test("not required, a passkey but no authenticator: the password alone still signs in", async () => {
    const user = await createUser(store.db, { email: "seul-mot-de-passe@cles.test" });
    await register(await signedInBrowser(user), new SoftAuthenticator(server.url), "Clé");
    const c = browser();
    const res = await c.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    expect(res.location).not.toBe("/login/code");
    expect(await isSignedIn(c)).toBe(true);
  });

  test("required of an admin with no factor at all: the setup at /login/setup takes a passkey and signs in", async () => {
    const admin = await createUser(store.db, { email: "nouvel-admin@cles.test", isNetworkAdmin: true });
    await store.db.updateTable("network").set({ second_factor_required: 1 }).execute();
    const c = browser();
    const login = await c.post("/login", { email: admin.email, password: admin.password });
    expect(login.location).toBe("/login/setup");
    const auth = new SoftAuthenticator(server.url);
    const options = json(await c.post("/login/passkey", { step: "setup", intent: "options" }));
    expect(options.ok).toBe(true);
    // The code step's address refuses this pending sign-in: it is a setup, not a verification.
    expect((await c.post("/login/passkey", { step: "code", intent: "options" })).status).toBe(400);
    const { response } = auth.register(options.options);
    const res = await c.post("/login/passkey", { step: "setup", intent: "verify", response: JSON.stringify(response), name: "" });
    expect(res.status, res.text).toBe(200);
    expect(json(res)).toEqual({ ok: true, redirectTo: "/" });
    expect(await isSignedIn(c)).toBe(true);
    expect(await passkeysOf(admin.id)).toHaveLength(1);
    // From now on the password leads to the passkey step.
    const next = browser();
    expect((await next.post("/login", { email: admin.email, password: admin.password })).location).toBe("/login/code");
    // The last factor the network requires stays, whatever the proof.
    const settings = await (async () => {
      const s = browser();
      const r = await s.post("/login", { email: admin.email, password: admin.password });
      expect(r.location).toBe("/login/code");
      const o = json(await s.post("/login/passkey", { step: "code", intent: "options" }));
      expect((await s.post("/login/passkey", { step: "code", intent: "verify", response: JSON.stringify(auth.assert(auth.credentials[0], o.options)) })).status).toBe(200);
      return s;
    })();
    const [only] = await passkeysOf(admin.id);
    const refused = await settings.post("/settings/security/passkeys", { intent: "remove", id: only.id, proof: admin.password });
    expect((await flashOf(refused))?.key).toBe("passkey.settings.required");
    expect(await passkeysOf(admin.id)).toHaveLength(1);
  });

  test("the console counts a passkey as a second factor, and the admin's reset removes the member's passkeys", async () => {
    const user = await createUser(store.db, { email: "reinit@cles.test", displayName: "Rémi Réinit" });
    await register(await signedInBrowser(user), new SoftAuthenticator(server.url), "Clé perdue");
    const admin = w.c.netAdmin;
    const on = await admin.get(`/admin/members?2fa=on&q=${encodeURIComponent("reinit@cles.test")}`);
    expect(pageText(on.text)).toContain("Rémi Réinit");
    const off = await admin.get(`/admin/members?2fa=off&q=${encodeURIComponent("reinit@cles.test")}`);
    expect(pageText(off.text)).not.toContain("Rémi Réinit");
    const detail = await admin.get(`/admin/members/${user.id}`);
    expect(pageText(detail.text)).toContain(fr("passkey.console.which", { state: fr("admin.members.secondFactor.on"), which: fr("passkey.console.passkeys", { count: 1 }) }));
    const reset = await admin.post(`/admin/people/${user.id}/second-factor`, { redirectTo: "/admin/members" });
    expect((await flashOf(reset))?.key).toBe("secondFactor.admin.resetDone");
    expect(await passkeysOf(user.id)).toHaveLength(0);
    expect(await auditOf("second_factor_reset", user.id)).toHaveLength(1);
  });
});
