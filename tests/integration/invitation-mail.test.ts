import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { translate, type MessageKey, type MessageParams } from "#app/i18n/index.ts";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { client, findSetCookie, pageText, type Client } from "#tests/helpers/http.ts";
import { repoRoot, type TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { SESSION_COOKIE } from "#tests/helpers/session.ts";
import { startSmtp, type ReceivedMail, type TestSmtp } from "#tests/helpers/smtp.ts";
import { freePort } from "#tests/helpers/process.ts";

/**
 * Invitation mail through the outbox, with the mail server down, hanging, or
 * back: the sender's page answers at once and says the mail will be sent
 * (never showing the link while mail works); the outbox row waits, is retried
 * and delivered once; a link passed on by hand (after the mail failed) makes
 * the invitee prove the mailbox before any account is made.
 *
 * One SMTP port for the whole file; what listens on it changes: nothing
 * (down), a socket that accepts and never answers (hanging), the real test
 * server (up).
 */

let server: TestServer;
let store: OpenedDatabase;
let port: number;
let smtp: TestSmtp | undefined;
let hanging: { close(): Promise<void> } | undefined;
let retry: (now?: number) => Promise<number>;

let ada: TestUser; // admin of both spaces
let sam: TestUser; // member (French)
let emma: TestUser; // member (English)
let direct: Space;
let approval: Space;

const MINUTE = 60_000;
const PASSWORD = "a newcomer's long passphrase";

/** A TCP server that accepts connections and never says a word (no SMTP greeting). */
async function startHanging(on: number) {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
  });
  await new Promise<void>((resolve) => srv.listen(on, "127.0.0.1", () => resolve()));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        srv.close(() => resolve());
      }),
  };
}

let w: World<"ada" | "sam" | "emma", "direct" | "approval">;

beforeAll(async () => {
  port = await freePort();
  w = await world({
    env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
    network: { name: "Réseau Relais" },
    people: {
      ada: { email: "ada@outbox.test", displayName: "Ada Admin", locale: "fr" },
      sam: { email: "sam@outbox.test", displayName: "Sam Sponsor", locale: "fr" },
      emma: { email: "emma@outbox.test", displayName: "Emma English", locale: "en" },
    },
    spaces: {
      direct: { createdBy: "ada", slug: "club-direct", name: "Club Direct", joinPolicy: "coopt_direct", members: { sam: "member", emma: "member" } },
      approval: { createdBy: "ada", slug: "club-approbation", name: "Club Approbation", joinPolicy: "coopt_approval", members: { sam: "member", emma: "member" } },
    },
    signIn: [],
  });
  ({ server, store } = w);
  ({ ada, sam, emma } = w.people);
  ({ direct, approval } = w.spaces);
  const build = (await import(pathToFileURL(path.join(repoRoot, "build", "server", "index.js")).href)) as {
    entry: { module: { retryMails(now?: number): Promise<number> } };
  };
  retry = build.entry.module.retryMails;
});

afterAll(async () => {
  await w?.close();
  await smtp?.close();
  await hanging?.close();
});

const fr = (key: MessageKey, params?: MessageParams) => translate("fr", key, params);
const en = (key: MessageKey, params?: MessageParams) => translate("en", key, params);
let counter = 0;
const freshEmail = (label: string) => `${label}-${Date.now().toString(36)}${counter++}@example.test`;

const as = (user: TestUser): Promise<Client> => w.as(user);

async function smtpUp() {
  await hanging?.close();
  hanging = undefined;
  smtp ??= await startSmtp({ port });
}
async function smtpDown() {
  await smtp?.close();
  smtp = undefined;
  await hanging?.close();
  hanging = undefined;
}

function invitationOf(email: string) {
  return store.db.selectFrom("invitation").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
}
function outboxOf(invitationId: string) {
  return store.db.selectFrom("mail_outbox").selectAll().where("invitation_id", "=", invitationId).execute();
}

/** Polls the invitation's outbox row until `done` holds (the attempt runs in the background). */
async function waitForRow(invitationId: string, done: (row: Awaited<ReturnType<typeof outboxOf>>[number]) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await outboxOf(invitationId);
    if (row && done(row)) return row;
    if (Date.now() > deadline) throw new Error(`outbox row not as expected after ${timeoutMs} ms: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function linkIn(text: string) {
  const m = text.match(/https?:\/\/[^\s"<]+\/invitations\/([A-Za-z0-9]+)/);
  expect(m, `no invitation link in: ${text.slice(0, 400)}`).not.toBeNull();
  return { url: m![0], path: new URL(m![0]).pathname };
}

function alertOf(html: string) {
  const m = html.match(/<p[^>]*role="alert"[^>]*>([\s\S]*?)<\/p>/);
  return m ? pageText(m[1]) : null;
}

describe("the mail server is down", () => {
  test("the invite says the mail will be sent and shows no link; the row waits, and once the server is back two racing sweeps deliver it exactly once", async () => {
    await smtpDown();
    const email = freshEmail("down");
    const c = await as(sam);
    const res = await c.post(`/spaces/${direct.slug}/invite`, { email, role: "member", message: "" });
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain(fr("coopt.willSend", { email }));
    expect(res.text).not.toContain("/invitations/");

    const invitation = await invitationOf(email);
    // The first attempt runs after the response, fails (connection refused) and leaves the row waiting.
    const failed = await waitForRow(invitation.id, (r) => r.attempts === 1 && r.last_error !== null);
    expect(failed).toMatchObject({ state: "pending", recipient: email });
    expect(await outboxOf(invitation.id)).toHaveLength(1);

    await smtpUp();
    const later = Date.now() + 10 * MINUTE;
    const sent = await Promise.all([retry(later), retry(later), retry(later)]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await outboxOf(invitation.id))[0]).toMatchObject({ state: "sent", attempts: 2 });
    const mail = await smtp!.waitForMail((m) => m.to.includes(email));
    expect(mail.subject).toBe(fr("mail.invitation.subject", { sponsor: sam.display_name, space: direct.name, network: "Réseau Relais" }));
    // Later sweeps find nothing more to send.
    expect(await retry(Date.now() + 600 * MINUTE)).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp!.messages.filter((m) => m.to.includes(email))).toHaveLength(1);

    // The mailed link proves the mailbox: it opens the account form at once.
    const page = await client(server.url).get(linkIn(mail.text).path);
    expect(page.text).toContain('name="displayName"');
  });
});

describe("a mail server that accepts the connection and never answers", () => {
  test("the invite answers without waiting for the mail server, and the attempt times out within seconds", async () => {
    await smtpDown();
    hanging = await startHanging(port);
    const email = freshEmail("hang");
    const c = await as(sam);
    const startedAt = Date.now();
    const res = await c.post(`/spaces/${direct.slug}/invite`, { email, role: "member", message: "" });
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain(fr("coopt.willSend", { email }));
    const invitation = await invitationOf(email);
    // Answered while the attempt still hangs (the server never greets; it gives up after SMTP_TIMEOUTS'
    // greeting timeout): the page did not wait for the mail. Not a timing: the row says so.
    const answered = (await outboxOf(invitation.id))[0];
    expect(answered.last_error).toBeNull();
    expect(["pending", "sending"]).toContain(answered.state);
    const row = await waitForRow(invitation.id, (r) => r.last_error !== null, 20_000);
    expect(row).toMatchObject({ state: "pending", attempts: 1 });
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    await hanging.close();
    hanging = undefined;
  });
});

describe("while mail works", () => {
  test("the sender never sees the link: not on the invite page, not on the members page", async () => {
    await smtpUp();
    const email = freshEmail("works");
    const from = smtp!.messages.length;
    const res = await (await as(ada)).post(`/spaces/${direct.slug}/invite`, { email, role: "member", message: "" });
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain(fr("coopt.willSend", { email }));
    expect(res.text).not.toContain("/invitations/");
    const mail = await smtp!.waitForMail((m) => m.to.includes(email) && smtp!.messages.indexOf(m) >= from);
    const { path: linkPath } = linkIn(mail.text);
    const invitation = await invitationOf(email);
    await waitForRow(invitation.id, (r) => r.state === "sent");
    const members = await (await as(ada)).get(`/spaces/${direct.slug}/members`);
    expect(members.text).toContain(email);
    expect(members.text).not.toContain(linkPath);
    // Asking for it anyway is refused: the mail went out.
    const reveal = await (await as(ada)).post(`/spaces/${direct.slug}/members`, { intent: "reveal-link", invitationId: invitation.id });
    expect(reveal.status).toBe(409);
    expect(reveal.text).not.toContain(linkPath);
    expect((await invitationOf(email)).link_revealed_at).toBeNull();
  });

  test("a co-optation waiting for approval is confirmed as waiting, in French and in English, never as sent", async () => {
    await smtpUp();
    for (const [user, t] of [
      [sam, fr],
      [emma, en],
    ] as const) {
      const email = freshEmail("queued");
      const res = await (await as(user)).post(`/spaces/${approval.slug}/invite`, { email, role: "member", message: "" });
      expect(res.status).toBe(200);
      const text = pageText(res.text);
      expect(text).toContain(t("coopt.queuedTitle"));
      expect(text).toContain(t("coopt.queued", { email }));
      expect(text).not.toContain(t("coopt.linkTitle"));
      expect(res.text).not.toContain("/invitations/");
    }
  });

  test("a used invitation says so and links to the sign-in page", async () => {
    await smtpUp();
    const email = freshEmail("used");
    const from = smtp!.messages.length;
    await (await as(ada)).post(`/spaces/${direct.slug}/invite`, { email, role: "member", message: "" });
    const mail = await smtp!.waitForMail((m) => m.to.includes(email) && smtp!.messages.indexOf(m) >= from);
    const { path: linkPath } = linkIn(mail.text);
    const joined = await client(server.url).post(linkPath, { intent: "create", displayName: "Déjà Venu", password: PASSWORD, confirm: PASSWORD });
    expect(joined.status).toBe(302);
    const again = await client(server.url).get(linkPath);
    expect(alertOf(again.text)).toBe(fr("invite.accepted"));
    expect(again.text).toMatch(/<a[^>]*href="\/login"/);
  });
});

describe("a link passed on by hand after the mail failed", () => {
  test("the sender may see it once the mail failed; the invitee must then have a fresh link mailed before any account is made", async () => {
    await smtpDown();
    const email = freshEmail("byhand");
    await (await as(sam)).post(`/spaces/${direct.slug}/invite`, { email, role: "member", message: "" });
    const invitation = await invitationOf(email);
    await waitForRow(invitation.id, (r) => r.last_error !== null);

    // Someone who neither sent it nor manages the space gets no link.
    const other = await (await as(emma)).post(`/spaces/${direct.slug}/members`, { intent: "reveal-link", invitationId: invitation.id });
    expect(other.status).toBe(403);

    // The members page says the mail could not go out and offers the link to its sender.
    const members = await (await as(sam)).get(`/spaces/${direct.slug}/members`);
    expect(pageText(members.text)).toContain(fr("members.mailFailed"));
    const reveal = await (await as(sam)).post(`/spaces/${direct.slug}/members`, { intent: "reveal-link", invitationId: invitation.id });
    expect(reveal.status).toBe(200);
    const handed = linkIn(reveal.text);
    expect((await invitationOf(email)).link_revealed_at).not.toBeNull();

    // Whoever holds that link cannot create the account with it while mail is configured.
    const page = await client(server.url).get(handed.path);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(fr("invite.confirmNeeded", { email }));
    expect(page.text).not.toContain('name="displayName"');
    const forced = await client(server.url).post(handed.path, { intent: "create", displayName: "Usurpateur", password: PASSWORD, confirm: PASSWORD });
    expect(forced.status).toBe(403);
    expect(findSetCookie(forced, SESSION_COOKIE)).toBeUndefined();
    expect(await store.db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirst()).toBeUndefined();

    // Asking for the fresh link mails it to the invited address; the handed link stops working.
    await smtpUp();
    const from = smtp!.messages.length;
    const ask = await client(server.url).post(handed.path, { intent: "confirm-email" });
    expect(ask.status).toBe(200);
    expect(pageText(ask.text)).toContain(fr("invite.confirmSent", { email }));
    const mail: ReceivedMail = await smtp!.waitForMail((m) => m.to.includes(email) && smtp!.messages.indexOf(m) >= from);
    const fresh = linkIn(mail.text);
    expect(fresh.path).not.toBe(handed.path);
    expect(alertOf((await client(server.url).get(handed.path)).text)).toBe(fr("invite.unknown"));

    const browser = client(server.url);
    const form = await browser.get(fresh.path);
    expect(form.text).toContain('name="displayName"');
    const created = await browser.post(fresh.path, { intent: "create", displayName: "Vraie Personne", password: PASSWORD, confirm: PASSWORD });
    expect(created.status).toBe(302);
    expect(created.location).toBe(`/spaces/${direct.slug}`);
    expect((await invitationOf(email)).status).toBe("accepted");
  });
});
