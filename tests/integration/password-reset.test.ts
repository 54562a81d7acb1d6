import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import { createUser, signIn, type TestUser } from "#tests/factories.ts";
import { client, findSetCookie, pageText } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { clientSession, isSignedIn, SESSION_COOKIE } from "#tests/helpers/session.ts";
import type { ReceivedMail, TestSmtp } from "#tests/helpers/smtp.ts";
import { world, type World } from "#tests/helpers/world.ts";

let smtp: TestSmtp;
let server: TestServer;
let store: OpenedDatabase;

let w: World<never, never>;

beforeAll(async () => {
  w = await world({ smtp: true, env: { MAIL_FROM: "Cercle <no-reply@cercle.test>" }, network: false, people: {} });
  ({ server, store, smtp } = w);
});
afterAll(() => w?.close());

const sentMessage = translate("fr", "forgot.sent");
const NEW_PASSWORD = "a brand new passphrase";

/** The reset link of a mail, checked to point at this server. */
function resetLinkIn(mail: ReceivedMail): { url: string; path: string; token: string } {
  const match = mail.text.match(/https?:\/\/\S+\/reset-password\/([a-z0-9]+)/);
  expect(match, `no reset link in:\n${mail.text}`).not.toBeNull();
  const url = new URL(match![0]);
  expect(url.origin).toBe(server.url);
  return { url: match![0], path: url.pathname, token: match![1] };
}

async function requestReset(email: string) {
  const res = await client(server.url).post("/forgot-password", { email });
  return res;
}

async function mailFor(user: TestUser, after = 0) {
  return smtp.waitForMail((m) => m.to.includes(user.email) && smtp.messages.indexOf(m) >= after);
}

function noticeOf(html: string) {
  const m = html.match(/<p[^>]*role="status"[^>]*>([\s\S]*?)<\/p>/);
  return m ? pageText(m[1]) : null;
}

describe("asking for a link", () => {
  test("an existing address gets a mail with a one-hour link to /reset-password/<token>", async () => {
    const user = await createUser(store.db, { locale: "en" });
    const res = await requestReset(user.email);
    expect(res.status).toBe(200);
    expect(noticeOf(res.text)).toBe(sentMessage);

    const mail = await mailFor(user);
    expect(mail.parsed.from?.text).toContain("no-reply@cercle.test");
    // The user's own language, not the visitor's.
    expect(mail.subject).toBe(translate("en", "mail.reset.subject"));
    const { token } = resetLinkIn(mail);
    expect(mail.html).toContain(`/reset-password/${token}`);

    const row = await store.db.selectFrom("password_reset").selectAll().where("user_id", "=", user.id).executeTakeFirstOrThrow();
    // Stored as a hash only; valid for an hour.
    expect(row.token_hash).not.toContain(token);
    expect(row.expires_at - row.created_at).toBe(60 * 60 * 1000);
  });

  test("an unknown address gets the very same answer, and no mail goes out", async () => {
    const known = await createUser(store.db);
    const unknownEmail = "nobody-here@example.test";
    const before = smtp.messages.length;
    const countLinks = async () => (await store.db.selectFrom("password_reset").select("id").execute()).length;
    const linksBefore = await countLinks();

    const unknownRes = await requestReset(unknownEmail);
    expect(await countLinks()).toBe(linksBefore);
    const knownRes = await requestReset(known.email);
    expect(unknownRes.status).toBe(knownRes.status);
    expect(noticeOf(unknownRes.text)).toBe(sentMessage);
    expect(noticeOf(knownRes.text)).toBe(sentMessage);
    // The whole page is the same, once the per-response nonce is set aside.
    const normalise = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');
    expect(normalise(unknownRes.text)).toBe(normalise(knownRes.text));

    // The known address's mail arrives; by then the unknown one's would have too.
    await mailFor(known, before);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.filter((m) => m.to.includes(unknownEmail))).toEqual([]);
    expect(await countLinks()).toBe(linksBefore + 1);
  });

  test("a new link makes the earlier unused one stop working", async () => {
    const user = await createUser(store.db);
    let from = smtp.messages.length;
    await requestReset(user.email);
    const first = resetLinkIn(await mailFor(user, from));
    from = smtp.messages.length;
    await requestReset(user.email);
    const second = resetLinkIn(await mailFor(user, from));
    expect(second.token).not.toBe(first.token);

    expect(pageText((await client(server.url).get(first.path)).text)).toContain(translate("fr", "reset.superseded"));
    expect(pageText((await client(server.url).get(second.path)).text)).toContain(translate("fr", "reset.intro"));
  });
});

describe("using the link", () => {
  test("sets the new password, signs the user in, ends their other sessions, and works once", async () => {
    const user = await createUser(store.db, { password: "the old passphrase here" });
    const elsewhere = client(server.url);
    await signIn(elsewhere, user.email, user.password);
    const elsewhereSession = await clientSession(elsewhere);
    expect(await isSignedIn(elsewhere)).toBe(true);

    const from = smtp.messages.length;
    await requestReset(user.email);
    const link = resetLinkIn(await mailFor(user, from));

    const browser = client(server.url);
    const page = await browser.get(link.path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="password"');
    expect(page.text).toContain('name="confirm"');

    const res = await browser.post(link.path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/");
    expect(findSetCookie(res, SESSION_COOKIE)?.value).toBeTruthy();
    expect(await isSignedIn(browser)).toBe(true);
    const { id } = await clientSession(browser);
    expect((await store.db.selectFrom("session").select("user_id").where("id", "=", id).executeTakeFirst())?.user_id).toBe(user.id);

    // The other browser is signed out, server-side.
    expect(await isSignedIn(elsewhere)).toBe(false);
    expect(await store.db.selectFrom("session").select("id").where("id", "=", elsewhereSession.id).executeTakeFirst()).toBeUndefined();
    expect(await store.db.selectFrom("session").select("id").where("user_id", "=", user.id).execute()).toEqual([{ id }]);

    // Single use.
    const usedPage = await client(server.url).get(link.path);
    expect(pageText(usedPage.text)).toContain(translate("fr", "reset.used"));
    expect(usedPage.text).not.toContain('name="password"');
    const reuse = await client(server.url).post(link.path, { password: "yet another passphrase", confirm: "yet another passphrase" });
    expect(reuse.status).toBe(410);
    expect(pageText(reuse.text)).toContain(translate("fr", "reset.used"));

    // The old password no longer opens the account; the new one does (and the reuse above changed nothing).
    const old = await client(server.url).post("/login", { email: user.email, password: "the old passphrase here" });
    expect(old.status).toBe(400);
    expect(pageText(old.text)).toContain(translate("fr", "login.invalid"));
    const reused = await client(server.url).post("/login", { email: user.email, password: "yet another passphrase" });
    expect(reused.status).toBe(400);
    await signIn(client(server.url), user.email, NEW_PASSWORD);
  });

  test("an expired link says so and changes nothing", async () => {
    const user = await createUser(store.db, { password: "kept passphrase 123" });
    const from = smtp.messages.length;
    await requestReset(user.email);
    const link = resetLinkIn(await mailFor(user, from));
    await store.db.updateTable("password_reset").set({ expires_at: Date.now() - 1_000 }).where("user_id", "=", user.id).execute();

    const page = await client(server.url).get(link.path);
    expect(pageText(page.text)).toContain(translate("fr", "reset.expired"));
    expect(page.text).not.toContain('name="password"');

    const res = await client(server.url).post(link.path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(res.status).toBe(410);
    expect(pageText(res.text)).toContain(translate("fr", "reset.expired"));
    expect(findSetCookie(res, SESSION_COOKIE)).toBeUndefined();
    await signIn(client(server.url), user.email, "kept passphrase 123");
  });

  test("a made-up link is refused", async () => {
    const page = await client(server.url).get("/reset-password/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect(pageText(page.text)).toContain(translate("fr", "reset.unknown"));
    const res = await client(server.url).post("/reset-password/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", {
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(res.status).toBe(410);
  });

  test("a too-short or mistyped new password is refused and leaves the link usable", async () => {
    const user = await createUser(store.db);
    const from = smtp.messages.length;
    await requestReset(user.email);
    const link = resetLinkIn(await mailFor(user, from));

    const short = await client(server.url).post(link.path, { password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(pageText(short.text)).toContain(translate("fr", "v.passwordLength"));
    const mismatch = await client(server.url).post(link.path, { password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    expect(mismatch.status).toBe(400);
    expect(pageText(mismatch.text)).toContain(translate("fr", "v.passwordMatch"));

    const ok = await client(server.url).post(link.path, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(ok.status).toBe(302);
  });
});
