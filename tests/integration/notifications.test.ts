import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import * as pages from "#db/queries/pages.ts";
import type { Page, Space } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { notify } from "#app/notifications/commands.server.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type HttpResponse } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import { repoRoot } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * A notification of a kind that is not about a comment (a review request,
 * about a wiki page), made by the notifications command as any feature
 * would: the person sees it in the bell and the list, in their language,
 * opening it leads to the page, and its mail goes through the one outbox
 * (the retry sweep of the server's own build) to a real SMTP server on
 * loopback.
 */

let w: World<"alice" | "bob", "club">;
let store: OpenedDatabase;
let alice: TestUser;
let bob: TestUser;
let club: Space;
let page: Page;
let retry: (now?: number) => Promise<number>;

beforeAll(async () => {
  w = await world({
    smtp: true,
    people: {
      alice: { email: "alice@notify.test", displayName: "Alice Demande", locale: "fr" },
      bob: { email: "bob@notify.test", displayName: "Bob Relit", locale: "fr" },
    },
    spaces: { club: { createdBy: "alice", slug: "club-relecture", name: "Club Relecture", visibility: "secret", members: { bob: "member" } } },
    signIn: ["bob"],
  });
  ({ store } = w);
  ({ alice, bob } = w.people);
  ({ club } = w.spaces);
  const build = (await import(pathToFileURL(path.join(repoRoot, "build", "server", "index.js")).href)) as { entry: { module: { retryMails(now?: number): Promise<number> } } };
  retry = build.entry.module.retryMails;
  const content = { json: doc(paragraph("x")), html: '<p class="rt-p">x</p>', text: "x" };
  page = await pages.createPage(store.db, { spaceId: club.id, parentId: null, title: "Charte qualité", slug: "charte-qualite", content, summary: "", authorId: alice.id, now: Date.now() });
});

afterAll(() => w?.close());

const bellCount = (res: HttpResponse) => Number(/class="bell[^"]*"[^>]*data-unread="(\d+)"|data-unread="(\d+)"[^>]*class="bell/.exec(res.text)?.slice(1).find(Boolean) ?? NaN);
const MINUTE = 60_000;

test("a notification about a page, without a comment: listed, opened, mailed through the outbox", async () => {
  const made = await transact(store.db, (trx) =>
    notify(trx, {
      kind: "reviewRequest",
      spaceId: club.id,
      owner: { kind: "page", id: page.id },
      actorId: alice.id,
      recipients: [bob.id],
      now: Date.now(),
    }),
  );
  expect(made.notificationIds).toHaveLength(1);
  expect(made.mailIds).toHaveLength(1);
  const [id] = made.notificationIds;
  const row = await store.db.selectFrom("notification").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ user_id: bob.id, kind: "reviewRequest", owner_kind: "page", owner_id: page.id, comment_id: null, actor_id: alice.id, read_at: null });

  // In the bell and the list, in Bob's language.
  const cb = w.c.bob;
  const list = await cb.get("/notifications");
  expect(list.status).toBe(200);
  expect(bellCount(list)).toBe(1);
  expect(pageText(list.text)).toContain("Alice Demande vous demande de relire « Charte qualité »");
  expect(pageText(list.text)).toContain("Dans Club Relecture");
  expect(list.text).toContain(`href="/notifications/${id}"`);

  // Opening it leads to the page itself (no comment to point at) and marks it read.
  const open = await cb.get(`/notifications/${id}`);
  expect(open.status).toBe(302);
  expect(open.location).toBe("/spaces/club-relecture/wiki/charte-qualite");
  expect(bellCount(await cb.get("/notifications"))).toBe(0);

  // The mail: queued in the same transaction, sent by the outbox's sweep, once.
  const queued = await store.db.selectFrom("mail_outbox").selectAll().where("notification_id", "=", id).executeTakeFirstOrThrow();
  expect(queued).toMatchObject({ id: made.mailIds[0], recipient: bob.email, state: "pending", payload: null });
  expect(await retry(Date.now() + 2 * MINUTE)).toBe(1);
  const mail = await w.smtp.waitForMail((m) => m.to.includes(bob.email));
  expect(mail.subject).toBe("Alice Demande vous demande une relecture dans Club Relecture");
  expect(mail.text).toContain("Alice Demande vous demande de relire « Charte qualité » (Club Relecture).");
  expect(mail.text).toContain(`Ouvrir la page :\n${w.server.url}/spaces/club-relecture/wiki/charte-qualite\n`);
  expect(mail.text).toContain(`Vos notifications : ${w.server.url}/settings/notifications`);
  // No comment, so nothing quoted.
  expect(mail.text).not.toMatch(/^> /m);
  expect(await store.db.selectFrom("mail_outbox").select("state").where("id", "=", made.mailIds[0]).executeTakeFirstOrThrow()).toEqual({ state: "sent" });
  expect(await retry(Date.now() + 60 * MINUTE)).toBe(0);
  expect(w.smtp.messages.filter((m) => m.to.includes(bob.email))).toHaveLength(1);
});

test("several of one kind about one thing are one line: the bell counts it once, the list says how many and who, opening it reads them all", async () => {
  const other = await pages.createPage(store.db, { spaceId: club.id, parentId: null, title: "Plan de formation", slug: "plan-formation", content: { json: doc(paragraph("y")), html: '<p class="rt-p">y</p>', text: "y" }, summary: "", authorId: alice.id, now: Date.now() });
  const cb = w.c.bob;
  await cb.get("/notifications");
  await cb.post("/notifications", { intent: "read-all" });
  const start = Date.now();
  // Three review requests on the charter (from Alice, Alice again, and nobody), one on the plan.
  for (const [i, actorId] of [alice.id, alice.id, null].entries()) {
    await transact(store.db, (trx) => notify(trx, { kind: "reviewRequest", spaceId: club.id, owner: { kind: "page", id: page.id }, actorId, recipients: [bob.id], now: start + i }));
  }
  const single = await transact(store.db, (trx) => notify(trx, { kind: "reviewRequest", spaceId: club.id, owner: { kind: "page", id: other.id }, actorId: alice.id, recipients: [bob.id], now: start + 10 }));

  const list = await cb.get("/notifications");
  expect(bellCount(list)).toBe(2);
  const text = pageText(list.text);
  expect(text).toContain("3 notifications sur « Charte qualité »");
  expect(text).toContain("Alice Demande vous demande de relire « Plan de formation »");
  // The charter's line leads to the newest of the three; the plan's line is above it (newer).
  const newestOfThree = await store.db.selectFrom("notification").select("id").where("user_id", "=", bob.id).where("owner_id", "=", page.id).where("created_at", "=", start + 2).executeTakeFirstOrThrow();
  const links = [...list.text.matchAll(/href="\/notifications\/([a-z0-9]+)"/g)].map((m) => m[1]);
  expect(links.slice(0, 2)).toEqual([single.notificationIds[0], newestOfThree.id]);

  // Opening the line reads its three, not the plan's.
  expect((await cb.get(`/notifications/${newestOfThree.id}`)).status).toBe(302);
  const unread = await store.db.selectFrom("notification").select("owner_id").where("user_id", "=", bob.id).where("read_at", "is", null).execute();
  expect(unread.map((r) => r.owner_id)).toEqual([other.id]);
  expect(bellCount(await cb.get("/notifications"))).toBe(1);
});
