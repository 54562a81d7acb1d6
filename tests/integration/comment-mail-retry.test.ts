import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import * as pages from "#db/queries/pages.ts";
import type { Page, Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import type { Client } from "#tests/helpers/http.ts";
import { doc, paragraph, type LexicalNode } from "#tests/helpers/lexical.ts";
import { repoRoot, type TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { startSmtp, type TestSmtp } from "#tests/helpers/smtp.ts";
import { freePort } from "#tests/helpers/process.ts";

/**
 * A mention's mail while the mail server is down: the comment is saved, the
 * notification is there, its mail (a row of the one outbox) stays "pending";
 * the retry sweep (the primary's timer, run here by hand through the build's
 * entry module, the same instance the server runs) sends it once the server
 * is back — once, however often it runs — and gives up after its last attempt.
 */

let server: TestServer;
let smtp: TestSmtp | undefined;
let store: OpenedDatabase;
let port: number;
let retry: (now?: number) => Promise<number>;
type OutboxRow = { state: string; attempts: number; last_error: string | null };

let admin: TestUser;
let alice: TestUser;
let bob: TestUser;
let club: Space;
let page: Page;
let ca: Client;

let w: World<"admin" | "alice" | "bob", "club">;

beforeAll(async () => {
  port = await freePort();
  w = await world({
    env: { SMTP_URL: `smtp://127.0.0.1:${port}` },
    people: {
      admin: { email: "admin@retry.test", displayName: "Admin Retry" },
      alice: { email: "alice@retry.test", displayName: "Alice Retry", locale: "fr" },
      bob: { email: "bob@retry.test", displayName: "Bob Retry", locale: "en" },
    },
    spaces: { club: { createdBy: "admin", slug: "club", name: "Club Relance", visibility: "secret", members: { alice: "member", bob: "member" } } },
    signIn: ["alice"],
  });
  ({ server, store } = w);
  ({ admin, alice, bob } = w.people);
  ({ club } = w.spaces);
  ca = w.c.alice;
  const build = (await import(pathToFileURL(path.join(repoRoot, "build", "server", "index.js")).href)) as { entry: { module: { retryMails(now?: number): Promise<number> } } };
  retry = build.entry.module.retryMails;
  const content = { json: doc(paragraph("x")), html: '<p class="rt-p">x</p>', text: "x" };
  page = await pages.createPage(store.db, { spaceId: club.id, parentId: null, title: "Compte rendu", slug: "compte-rendu", content, summary: "", authorId: admin.id, now: Date.now() });
});

afterAll(async () => {
  await w?.close();
  await smtp?.close();
});

const mention = (u: TestUser): LexicalNode => ({ type: "mention", userId: u.id, text: `@${u.display_name}`, format: 0, style: "", mode: "token", detail: 0, version: 1 });
const MINUTE = 60_000;

async function mentionBob(words: string) {
  const res = await ca.post("/spaces/club/comments", { intent: "create", targetType: "page", targetId: page.id, body: doc(paragraph(`${words} `, mention(bob))) });
  expect(res.status).toBe(303);
  const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")![1];
  return store.db.selectFrom("notification").selectAll().where("comment_id", "=", id).executeTakeFirstOrThrow();
}
const notification = (id: string) => store.db.selectFrom("notification").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const mailOf = (notificationId: string) => store.db.selectFrom("mail_outbox").selectAll().where("notification_id", "=", notificationId).executeTakeFirstOrThrow();

/** The first attempt runs after the response, in the background: waits until it has ended. */
async function firstAttemptDone(notificationId: string): Promise<OutboxRow> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await mailOf(notificationId);
    if (row.attempts >= 1 && row.state !== "sending") return row;
    if (Date.now() > deadline) throw new Error(`first attempt not over: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("mail of a notification while the mail server is down", () => {
  test("stays pending; a retry once the server is back sends it exactly once", async () => {
    const n = await mentionBob("Bob, tu as vu ?");
    expect(n).toMatchObject({ user_id: bob.id, kind: "mention" });
    expect(await firstAttemptDone(n.id)).toMatchObject({ state: "pending", attempts: 1, recipient: bob.email });
    // Too early for the sweep: nothing is tried.
    expect(await retry(Date.now())).toBe(0);
    expect((await mailOf(n.id)).attempts).toBe(1);
    // Still down two minutes later: tried again, still pending.
    expect(await retry(Date.now() + 2 * MINUTE)).toBe(0);
    expect(await mailOf(n.id)).toMatchObject({ state: "pending", attempts: 2 });

    smtp = await startSmtp({ port });
    expect(await retry(Date.now() + 10 * MINUTE)).toBe(1);
    expect(await mailOf(n.id)).toMatchObject({ state: "sent", attempts: 3 });
    const mail = await smtp.waitForMail((m) => m.to.includes(bob.email));
    expect(mail.subject).toBe("Alice Retry mentioned you in Club Relance");
    expect(mail.text).toContain(`${server.url}/spaces/club/wiki/compte-rendu#comment-${n.comment_id}`);
    // Later sweeps find nothing more to send.
    expect(await retry(Date.now() + 60 * MINUTE)).toBe(0);
    expect(await retry(Date.now() + 600 * MINUTE)).toBe(0);
    expect(smtp.messages.filter((m) => m.to.includes(bob.email))).toHaveLength(1);
  });

  test("after its last attempt a mail is given up (failed), and never sent after", async () => {
    await smtp!.close();
    smtp = undefined;
    const n = await mentionBob("Encore une");
    expect(await firstAttemptDone(n.id)).toMatchObject({ state: "pending", attempts: 1 });
    for (let i = 0; i < 10; i++) await retry(Date.now() + 24 * 60 * MINUTE);
    expect(await mailOf(n.id)).toMatchObject({ state: "failed", attempts: 5 });
    smtp = await startSmtp({ port });
    expect(await retry(Date.now() + 48 * 60 * MINUTE)).toBe(0);
    expect(smtp.messages).toHaveLength(0);
    // The notification itself is still there, unread, in the app.
    expect((await notification(n.id)).read_at).toBeNull();
  });
});
