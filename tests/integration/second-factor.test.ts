import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { createPasswordReset } from "#db/queries/password-resets.ts";
import { client, findSetCookie, pageText, type Client, type HttpResponse } from "#tests/helpers/http.ts";
import { isSignedIn } from "#tests/helpers/session.ts";
import { flashOf } from "#tests/helpers/state.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import type { TestUser } from "#tests/factories.ts";

/**
 * Second factors at sign-in (issue 20), over real HTTP with real cookies:
 * setting up an authenticator, the step between password and session, codes
 * refused when wrong or reused, recovery codes used once, the throttle, the
 * network's requirement, the admin's reset with its mail, the audit lines.
 *
 * Expected codes come from the small RFC 6238 implementation below (node's
 * HMAC), checked first against the RFC's own test vectors — never from the
 * code under test.
 */

// ---------------------------------------------------------------------------
// An independent TOTP (RFC 4226 §5.3 truncation, RFC 6238 time steps)
// ---------------------------------------------------------------------------

function hotp(key: Buffer, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, "0");
}

const totpAt = (key: Buffer, unixSeconds: number, digits = 6) => hotp(key, Math.floor(unixSeconds / 30), digits);

function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = text.toUpperCase().replace(/[\s=]/g, "");
  let bits = "";
  for (const c of clean) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    bits += i.toString(2).padStart(5, "0");
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

test("the tests' own TOTP gives RFC 6238's SHA-1 test vectors (Appendix B)", () => {
  const key = Buffer.from("12345678901234567890", "ascii");
  expect(totpAt(key, 59, 8)).toBe("94287082");
  expect(totpAt(key, 1111111109, 8)).toBe("07081804");
  expect(totpAt(key, 1111111111, 8)).toBe("14050471");
  expect(totpAt(key, 1234567890, 8)).toBe("89005924");
  expect(totpAt(key, 2000000000, 8)).toBe("69279037");
  expect(totpAt(key, 20000000000, 8)).toBe("65353130");
});

// ---------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------

let w: World<"member" | "spaceAdmin" | "netAdmin" | "other", "club">;
let server: TestServer;
let store: OpenedDatabase;

beforeAll(async () => {
  // Behind one proxy: a test speaks from the addresses it needs (X-Forwarded-For).
  w = await world({
    env: { TRUST_PROXY: "1" },
    smtp: true,
    domain: "deux.test",
    people: { member: {}, spaceAdmin: {}, netAdmin: { isNetworkAdmin: true }, other: {} },
    spaces: { club: { createdBy: "spaceAdmin", slug: "club-deux", name: "Club Deux", visibility: "listed", members: { member: "member", other: "member" } } },
    signIn: ["netAdmin"],
  });
  ({ server, store } = w);
});
afterAll(() => w?.close());

beforeEach(async () => {
  await store.db.deleteFrom("sign_in_attempt").execute();
});

const fr = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate("fr", key, params);

/** A browser at this address, with no cookie. */
const browser = (ip = "198.51.100.1") => client(server.url, { headers: { "X-Forwarded-For": ip } });

function hasSession(res: HttpResponse) {
  return findSetCookie(res, "cercle_session") !== undefined && findSetCookie(res, "cercle_session")!.value !== "";
}

async function auditOf(event: string, targetUserId?: string) {
  let query = store.db.selectFrom("audit_log").selectAll().where("event", "=", event);
  if (targetUserId) query = query.where("target_user_id", "=", targetUserId);
  return query.orderBy("created_at", "asc").execute();
}

/**
 * The mail telling a member their own sign-in changed: one per change, with
 * what changed, what to do if it was not them, and the way to their settings.
 */
async function expectChangeMail(to: string, change: "totp_enabled" | "totp_disabled" | "recovery_renewed") {
  const network = await store.db.selectFrom("network").select("name").executeTakeFirstOrThrow();
  const subject = fr(`secondFactor.mail.change.${change}.subject`, { network: network.name });
  const mail = await w.smtp.waitForMail((m) => m.to.includes(to) && m.subject === subject);
  expect(mail.text).toContain(fr(`secondFactor.mail.change.${change}.body`));
  expect(mail.text).toContain(fr("secondFactor.mail.change.footer"));
  expect(mail.text).toContain("/settings/security");
  expect(w.smtp.messages.filter((m) => m.to.includes(to) && m.subject === subject)).toHaveLength(1);
}

/**
 * The authenticator of a person, as their phone has it: the key read from the
 * setup page. `next()` answers a code of a time step not used yet — the
 * server accepts the step before and after the current one, so three sign-ins
 * fit in one 30-second window; past that the test forgets the last step used,
 * as if half a minute had passed (it cannot wait).
 */
class Phone {
  private used = -1;
  constructor(
    readonly key: Buffer,
    private readonly userId: string,
  ) {}
  async next(): Promise<string> {
    const current = Math.floor(Date.now() / 30_000);
    const row = await store.db.selectFrom("totp_factor").select("last_step").where("user_id", "=", this.userId).executeTakeFirst();
    let step = Math.max(current - 1, this.used + 1, (row?.last_step ?? -1) + 1);
    if (step > current + 1) {
      await store.db.updateTable("totp_factor").set({ last_step: null }).where("user_id", "=", this.userId).execute();
      step = current - 1;
    }
    this.used = step;
    return hotp(this.key, step, 6);
  }
  /** The code of the step used last: the one the server has just accepted. */
  last(): string {
    return hotp(this.key, this.used, 6);
  }
}

/** Signs in with the password as a new browser: the answer, and the browser. */
async function password(user: TestUser, who: Client = browser()) {
  const res = await who.post("/login", { email: user.email, password: user.password, redirectTo: "/clubs" });
  return { res, who };
}

/** Sets up an authenticator through the settings page, as the person would; answers their phone and recovery codes. */
async function setUpTotp(who: Client, user: TestUser): Promise<{ phone: Phone; recovery: string[]; page: string }> {
  const start = await who.post("/settings/security", { intent: "start" });
  expect(start.status).toBe(302);
  const page = await who.get("/settings/security");
  expect(page.status).toBe(200);
  const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page.text);
  expect(secret, "the key is shown for typing by hand").not.toBeNull();
  const phone = new Phone(base32Decode(secret![1]), user.id);
  const confirmed = await who.post("/settings/security", { intent: "confirm", code: await phone.next() });
  expect(confirmed.status).toBe(200);
  const recovery = [...confirmed.text.matchAll(/<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code><\/li>/g)].map((m) => m[1]);
  return { phone, recovery, page: page.text };
}

// ---------------------------------------------------------------------------

describe("setting up an authenticator", () => {
  let member: Client;
  let setup: Awaited<ReturnType<typeof setUpTotp>>;

  beforeAll(async () => {
    member = await w.as(w.people.member);
  });

  test("the page offers the setup; the setup shows a QR code, the key and the otpauth address; a wrong first code is refused beside the field", async () => {
    const page = await member.get("/settings/security");
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(fr("secondFactor.setup.start"));
    expect((await member.post("/settings/security", { intent: "start" })).status).toBe(302);
    const shown = await member.get("/settings/security");
    expect(shown.text).toMatch(/<div class="totp-qr" role="img" aria-label="[^"]+"><svg/);
    const key = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(shown.text)![1];
    const uri = /<code class="totp-uri">([^<]+)<\/code>/.exec(shown.text)![1].replace(/&amp;/g, "&");
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe("otpauth:");
    expect(parsed.searchParams.get("secret")).toBe(key.replace(/ /g, ""));
    expect(parsed.searchParams.get("period")).toBe("30");
    expect(parsed.searchParams.get("digits")).toBe("6");
    expect(decodeURIComponent(parsed.pathname)).toContain(w.people.member.email);
    expect(base32Decode(key)).toHaveLength(20);

    const wrong = await member.post("/settings/security", { intent: "confirm", code: "000000" === totpAt(base32Decode(key), Date.now() / 1000) ? "111111" : "000000" });
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).toContain(fr("secondFactor.setup.wrong"));
    expect(wrong.text).toMatch(/id="setup-code"[^>]*aria-invalid="true"/);
    const junk = await member.post("/settings/security", { intent: "confirm", code: "<script>" });
    expect(junk.status).toBe(400);
    expect(pageText(junk.text)).toContain(fr("secondFactor.code.format"));
    const row = await store.db.selectFrom("totp_factor").selectAll().where("user_id", "=", w.people.member.id).executeTakeFirstOrThrow();
    expect(row.confirmed_at).toBeNull();
  });

  test("the first right code turns it on and shows ten recovery codes once, stored hashed; audited", async () => {
    await member.post("/settings/security", { intent: "cancel-setup" });
    setup = await setUpTotp(member, w.people.member);
    expect(setup.recovery).toHaveLength(10);
    expect(new Set(setup.recovery).size).toBe(10);
    const rows = await store.db.selectFrom("recovery_code").selectAll().where("user_id", "=", w.people.member.id).execute();
    expect(rows).toHaveLength(10);
    const hashes = new Set(rows.map((r) => r.code_hash));
    for (const code of setup.recovery) {
      expect(hashes.has(createHash("sha256").update(code).digest("hex"))).toBe(true);
      expect(hashes.has(code)).toBe(false);
    }
    // Shown once: the page does not show them again.
    const again = await member.get("/settings/security");
    expect(again.text).not.toContain(setup.recovery[0]);
    expect(pageText(again.text)).toContain(fr("secondFactor.settings.recoveryLeft", { count: 10 }));
    expect(await auditOf("second_factor_enabled", w.people.member.id)).toHaveLength(1);
    await expectChangeMail(w.people.member.email, "totp_enabled");
  });

  test("after the password, a member with a second factor is not signed in: a pending step asks for the code", async () => {
    const signInsBefore = (await auditOf("sign_in")).filter((a) => a.actor_id === w.people.member.id).length;
    const { res, who } = await password(w.people.member);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login/code");
    expect(hasSession(res)).toBe(false);
    expect(findSetCookie(res, "cercle_pending")?.attributes.get("httponly")).toBeDefined();
    expect(await isSignedIn(who)).toBe(false);
    const page = await who.get("/login/code");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<label for="code">/);
    // HTML attribute names are case-insensitive (React writes inputMode, autoComplete).
    expect(page.text).toMatch(/<input id="code" name="code"[^>]*inputmode="numeric"/i);
    expect(page.text).toMatch(/<input id="code" name="code"[^>]*autocomplete="one-time-code"/i);
    // No "password" sign-in was recorded yet.
    expect((await auditOf("sign_in")).filter((a) => a.actor_id === w.people.member.id)).toHaveLength(signInsBefore);
  });

  test("a wrong code is refused (400) and audited; the right one signs in, to where the sign-in was going", async () => {
    const { who } = await password(w.people.member);
    const code = await setup.phone.next();
    const wrong = await who.post("/login/code", { intent: "totp", code: code === "123456" ? "654321" : "123456" });
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).toContain(fr("secondFactor.code.wrong"));
    expect(hasSession(wrong)).toBe(false);
    const failed = await auditOf("second_factor_failed", w.people.member.id);
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.parse(failed.at(-1)!.data)).toMatchObject({ factor: "totp", reason: "wrong", purpose: "sign_in" });

    const pendingCookie = who.cookies.get("cercle_pending")!;
    const right = await who.post("/login/code", { intent: "totp", code });
    expect(right.status).toBe(302);
    expect(right.location).toBe("/clubs");
    expect(hasSession(right)).toBe(true);
    expect(await isSignedIn(who)).toBe(true);
    expect((await auditOf("sign_in")).some((a) => a.actor_id === w.people.member.id && a.created_at > Date.now() - 5000)).toBe(true);

    // Single use: the same pending sign-in, replayed with another right code, signs nobody in.
    const replay = browser();
    replay.setCookie("cercle_pending", pendingCookie);
    const again = await replay.post("/login/code", { intent: "totp", code: await setup.phone.next() });
    expect(again.status).toBe(302);
    expect(again.location).toBe("/login");
    expect(hasSession(again)).toBe(false);
  });

  test("a code already accepted is refused within its window, and so is an older one", async () => {
    const first = await password(w.people.member);
    const code = await setup.phone.next();
    expect((await first.who.post("/login/code", { intent: "totp", code })).status).toBe(302);
    const second = await password(w.people.member);
    const reused = await second.who.post("/login/code", { intent: "totp", code });
    expect(reused.status).toBe(400);
    expect(hasSession(reused)).toBe(false);
    const failed = await auditOf("second_factor_failed", w.people.member.id);
    expect(JSON.parse(failed.at(-1)!.data)).toMatchObject({ reason: "reused" });
    // The step before the one accepted is older still.
    const step = Math.floor(Date.now() / 30_000);
    const accepted = await store.db.selectFrom("totp_factor").select("last_step").where("user_id", "=", w.people.member.id).executeTakeFirstOrThrow();
    expect(accepted.last_step).toBeGreaterThanOrEqual(step - 1);
    const older = hotp(setup.phone.key, accepted.last_step! - 1, 6);
    expect((await second.who.post("/login/code", { intent: "totp", code: older })).status).toBe(400);
  });

  test("a recovery code signs in once, in any case and with spaces; the second time it is refused", async () => {
    const code = setup.recovery[0];
    const first = await password(w.people.member);
    const used = await first.who.post("/login/code", { intent: "recovery", code: `  ${code.toUpperCase().replace(/-/g, " ")} ` });
    expect(used.status).toBe(302);
    expect(hasSession(used)).toBe(true);
    expect(await flashOf(used)).toMatchObject({ key: "secondFactor.code.recoveryUsed" });
    const audited = await auditOf("recovery_code_used", w.people.member.id);
    expect(JSON.parse(audited.at(-1)!.data)).toMatchObject({ left: 9 });

    const second = await password(w.people.member);
    const again = await second.who.post("/login/code", { intent: "recovery", code });
    expect(again.status).toBe(400);
    expect(pageText(again.text)).toContain(fr("secondFactor.code.recoveryWrong"));
    expect(hasSession(again)).toBe(false);
    const left = await store.db.selectFrom("recovery_code").select("id").where("user_id", "=", w.people.member.id).where("used_at", "is", null).execute();
    expect(left).toHaveLength(9);
  });

  test("new recovery codes need the password or a code; the old ones die", async () => {
    const wrong = await member.post("/settings/security", { intent: "renew", proof: "not my password at all" });
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.text)).toContain(fr("secondFactor.settings.proofWrong"));
    const renewed = await member.post("/settings/security", { intent: "renew", proof: w.people.member.password });
    expect(renewed.status).toBe(200);
    const fresh = [...renewed.text.matchAll(/<li><code>([a-z2-7-]{19})<\/code><\/li>/g)].map((m) => m[1]);
    expect(fresh).toHaveLength(10);
    expect(await auditOf("recovery_codes_renewed", w.people.member.id)).toHaveLength(1);
    await expectChangeMail(w.people.member.email, "recovery_renewed");
    const { who } = await password(w.people.member);
    expect((await who.post("/login/code", { intent: "recovery", code: setup.recovery[1] })).status).toBe(400);
    const ok = await who.post("/login/code", { intent: "recovery", code: fresh[0] });
    expect(ok.status).toBe(302);
    setup.recovery = fresh.slice(1);
  });

  test("a reset link proves the mailbox, not the second factor: the code is still asked before any session", async () => {
    const secret = await createPasswordReset(store.db, w.people.member.id, Date.now());
    const who = browser();
    const res = await who.post(`/reset-password/${secret}`, { password: w.people.member.password, confirm: w.people.member.password });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login/code");
    expect(hasSession(res)).toBe(false);
    expect((await who.post("/login/code", { intent: "totp", code: await setup.phone.next() })).status).toBe(302);
    expect(await isSignedIn(who)).toBe(true);
  });

  test("turning it off asks for the password or a code; then the password alone signs in", async () => {
    // The member's session ended with the reset above: a new one, through the code step.
    const { who } = await password(w.people.member);
    expect((await who.post("/login/code", { intent: "totp", code: await setup.phone.next() })).status).toBe(302);
    const refused = await who.post("/settings/security", { intent: "disable", proof: "" });
    expect(refused.status).toBe(400);
    const off = await who.post("/settings/security", { intent: "disable", proof: await setup.phone.next() });
    expect(off.status).toBe(302);
    expect(await flashOf(off)).toMatchObject({ key: "secondFactor.settings.disabled" });
    expect(await store.db.selectFrom("totp_factor").select("user_id").where("user_id", "=", w.people.member.id).executeTakeFirst()).toBeUndefined();
    expect(await store.db.selectFrom("recovery_code").select("id").where("user_id", "=", w.people.member.id).execute()).toHaveLength(0);
    expect(await auditOf("second_factor_disabled", w.people.member.id)).toHaveLength(1);
    await expectChangeMail(w.people.member.email, "totp_disabled");
    const plain = await password(w.people.member);
    expect(plain.res.status).toBe(302);
    expect(plain.res.location).toBe("/clubs");
    expect(hasSession(plain.res)).toBe(true);
  });
});

describe("throttling codes like passwords", () => {
  let phone: Phone;

  beforeAll(async () => {
    const other = await w.as(w.people.other);
    ({ phone } = await setUpTotp(other, w.people.other));
  });

  test("five wrong codes from one address: the sixth attempt is refused with 429 and Retry-After, even a right code; audited", async () => {
    const ip = "203.0.113.7";
    const { who } = await password(w.people.other, browser(ip));
    for (let i = 0; i < 5; i++) {
      const guesser = await password(w.people.other, browser(ip));
      expect((await guesser.who.post("/login/code", { intent: "totp", code: "000001" })).status).toBe(400);
    }
    // The password itself now meets the throttle from this address, as after five wrong passwords.
    const blocked = await password(w.people.other, browser(ip));
    expect(blocked.res.status).toBe(429);
    // And so does a pending sign-in begun before the failures, even with the right code.
    const res = await who.post("/login/code", { intent: "totp", code: await phone.next() });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(13 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(pageText(res.text)).toContain(fr("login.throttled", { minutes: 15 }));
    expect(hasSession(res)).toBe(false);
    expect((await auditOf("second_factor_throttled", w.people.other.id)).length).toBeGreaterThan(0);
  });

  test("ten wrong codes spread over ten addresses stop the account's codes from everywhere", async () => {
    for (let i = 0; i < 10; i++) {
      const { who } = await password(w.people.other, browser(`192.0.2.${10 + i}`));
      expect((await who.post("/login/code", { intent: "totp", code: "000002" })).status).toBe(400);
    }
    const { who } = await password(w.people.other, browser("192.0.2.99"));
    const res = await who.post("/login/code", { intent: "totp", code: await phone.next() });
    expect(res.status).toBe(429);
    expect(hasSession(res)).toBe(false);
  });
});

describe("the network's requirement", () => {
  test("only the network admin may change it; audited", async () => {
    const admin = await w.as(w.people.spaceAdmin);
    expect((await admin.get("/admin/security")).status).toBe(403);
    expect((await admin.post("/admin/security", { required: "on" })).status).toBe(403);
    const page = await w.c.netAdmin.get("/admin/security");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="checkbox" id="required" name="required"/);
    const saved = await w.c.netAdmin.post("/admin/security", { required: "on" });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/admin/security");
    const row = await store.db.selectFrom("network").select("second_factor_required").executeTakeFirstOrThrow();
    expect(row.second_factor_required).toBe(1);
    const audited = await auditOf("second_factor_requirement_changed");
    expect(JSON.parse(audited.at(-1)!.data)).toEqual({ required: true });
  });

  test("a space admin without a second factor is led to set one up before any session; a plain member is not", async () => {
    const { res, who } = await password(w.people.spaceAdmin);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login/setup");
    expect(hasSession(res)).toBe(false);
    expect(await isSignedIn(who)).toBe(false);
    const page = await who.get("/login/setup");
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(fr("secondFactor.enroll.intro"));
    // The code page is not a way around it.
    expect((await who.get("/login/code")).location).toBe("/login/setup");
    expect((await who.post("/login/setup", { intent: "start" })).status).toBe(302);
    const shown = await who.get("/login/setup");
    const key = base32Decode(/<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(shown.text)![1]);
    const phone = new Phone(key, w.people.spaceAdmin.id);
    const done = await who.post("/login/setup", { intent: "confirm", code: await phone.next() });
    expect(done.status).toBe(200);
    expect(hasSession(done)).toBe(true);
    expect([...done.text.matchAll(/<li><code>[a-z2-7-]{19}<\/code><\/li>/g)]).toHaveLength(10);
    expect(done.text).toContain('href="/clubs"');
    expect(await isSignedIn(who)).toBe(true);
    // From now on, the code is asked.
    const next = await password(w.people.spaceAdmin);
    expect(next.res.location).toBe("/login/code");

    const plain = await password(w.people.member);
    expect(plain.res.location).toBe("/clubs");
  });

  test("signing out from the setup ends the pending sign-in", async () => {
    const { res, who } = await password(w.people.netAdmin);
    expect(res.location).toBe("/login/setup");
    const out = await who.post("/login/setup", { intent: "sign-out" });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/login");
    expect(who.cookies.has("cercle_pending")).toBe(false);
    const page = await who.get("/login/setup");
    expect(pageText(page.text)).toContain(fr("secondFactor.code.expired"));
  });

  test("a member the network requires it of may not turn it off", async () => {
    const { who } = await password(w.people.spaceAdmin);
    const phone = await store.db.selectFrom("totp_factor").select("secret").where("user_id", "=", w.people.spaceAdmin.id).executeTakeFirstOrThrow();
    const key = Buffer.from(phone.secret);
    const p = new Phone(key, w.people.spaceAdmin.id);
    expect((await who.post("/login/code", { intent: "totp", code: await p.next() })).status).toBe(302);
    const page = await who.get("/settings/security");
    expect(page.text).not.toContain('value="disable"');
    const refused = await who.post("/settings/security", { intent: "disable", proof: w.people.spaceAdmin.password });
    expect(refused.status).toBe(403);
    expect(await store.db.selectFrom("totp_factor").select("user_id").where("user_id", "=", w.people.spaceAdmin.id).executeTakeFirst()).toBeDefined();
  });
});

describe("the network admin's reset", () => {
  test("a non-admin is refused; GET is not an action", async () => {
    // The member's earlier sessions ended with the reset of their password above: a new one.
    const { who: member } = await password(w.people.member);
    expect(await isSignedIn(member)).toBe(true);
    const res = await member.post(`/admin/people/${w.people.spaceAdmin.id}/second-factor`, { redirectTo: "/" });
    expect(res.status).toBe(403);
    expect(await store.db.selectFrom("totp_factor").select("user_id").where("user_id", "=", w.people.spaceAdmin.id).executeTakeFirst()).toBeDefined();
    expect((await w.c.netAdmin.get(`/admin/people/${w.people.spaceAdmin.id}/second-factor`)).status).toBe(405);
  });

  test("resets the member's factor, tells them by mail, is audited, and comes back to the path given", async () => {
    const back = `/admin/members/${w.people.spaceAdmin.id}`;
    const res = await w.c.netAdmin.post(`/admin/people/${w.people.spaceAdmin.id}/second-factor`, { redirectTo: back });
    expect(res.status).toBe(302);
    expect(res.location).toBe(back);
    expect(await flashOf(res)).toMatchObject({ key: "secondFactor.admin.resetDone" });
    expect(await store.db.selectFrom("totp_factor").select("user_id").where("user_id", "=", w.people.spaceAdmin.id).executeTakeFirst()).toBeUndefined();
    expect(await store.db.selectFrom("recovery_code").select("id").where("user_id", "=", w.people.spaceAdmin.id).execute()).toHaveLength(0);
    const audited = await auditOf("second_factor_reset", w.people.spaceAdmin.id);
    expect(audited).toHaveLength(1);
    expect(audited[0].actor_id).toBe(w.people.netAdmin.id);
    const network = await store.db.selectFrom("network").select("name").executeTakeFirstOrThrow();
    const subject = fr("secondFactor.mail.reset.subject", { network: network.name });
    const mail = await w.smtp.waitForMail((m) => m.to.includes(w.people.spaceAdmin.email) && m.subject === subject);
    expect(mail.text).toContain(fr("secondFactor.mail.reset.body"));
    expect(mail.text).toContain("/settings/security");
    // The requirement stands: the next sign-in leads to the setup again.
    expect((await password(w.people.spaceAdmin)).res.location).toBe("/login/setup");
  });

  test("a redirectTo off the site falls back to the members list; a member with none is said so; one's own is refused", async () => {
    const res = await w.c.netAdmin.post(`/admin/people/${w.people.member.id}/second-factor`, { redirectTo: "https://evil.example/" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/admin/members");
    expect(await flashOf(res)).toMatchObject({ key: "secondFactor.admin.resetNone" });
    const self = await w.c.netAdmin.post(`/admin/people/${w.people.netAdmin.id}/second-factor`, { redirectTo: "//evil.example" });
    expect(self.location).toBe("/admin/members");
    expect(await flashOf(self)).toMatchObject({ kind: "error", key: "secondFactor.admin.resetSelf" });
    expect((await w.c.netAdmin.post("/admin/people/nosuchmember000000001/second-factor", {})).status).toBe(404);
  });
});
