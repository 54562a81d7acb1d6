import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { choicesOf } from "#db/queries/notification-choices.ts";
import * as posts from "#db/queries/posts.ts";
import type { DB } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { lastSendingMoment } from "#app/digests/schedule.ts";
import { translate } from "#app/i18n/index.ts";
import { linkSigner } from "#app/mail/links.server.ts";
import { unsubscribeUrl } from "#app/mail/unsubscribe.server.ts";
import { slugify } from "#app/utils/validation.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { openTestDb } from "#tests/helpers/db.ts";
import { client, pageText } from "#tests/helpers/http.ts";
import { textDoc } from "#tests/helpers/lexical.ts";
import { spawnScript, waitFor } from "#tests/helpers/process.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";
import { startSmtp, type ReceivedMail, type TestSmtp } from "#tests/helpers/smtp.ts";

/**
 * Digests as they really go (issue 18): two processes sweep at one member's
 * 8:00 on one database file and send through a real SMTP server; each member
 * with news gets exactly one mail, the one with nothing gets none, and a
 * third process (a restart) sends nothing more. The mail is parsed as a mail
 * client would: its subject, its text and HTML parts, what is escaped, and
 * the RFC 8058 headers, whose address then unsubscribes over real HTTP with
 * no session and no Origin — and a forged or misused token changes nothing.
 */

const HOUR = 60 * 60 * 1000;
const NETWORK = "Réseau des Consultants Associés";

let smtp: TestSmtp;
let server: TestServer;
let opened: ReturnType<typeof openTestDb>;
let db: DB;
let club: Space;
let claire: TestUser;
let readers: TestUser[];
let otto: TestUser;
/** The moment the children sweep at: 8:02 in Paris, three days on. */
let N: number;
const titles = ["Acheter mieux en 2027 : nos retours d’expérience", "<img src=x onerror=alert(1)> Négocier l’énergie"];
let slugs: string[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer();
  opened = openTestDb(server.dbFile);
  db = opened.db;
  // startServer's setup left a network to create: named as a member would read it in the subject.
  await createNetwork(db, { name: NETWORK });
  const now = Date.now();
  claire = await createUser(db, { displayName: "Claire Martin", locale: "fr" });
  club = await createSpace(db, { createdBy: claire.id, name: "Club Achats", slug: "achats" });
  readers = [];
  for (const name of ["Julien Moreau", "Sofia Benali", "Hugo Lambert", "Inès Caron", "Marc Petit", "Léa Roux"]) {
    const reader = await createUser(db, { displayName: name, locale: "fr" });
    await addMember(db, { space: club, user: reader });
    readers.push(reader);
  }
  // In a club where nothing happens: a digest with nothing, so no mail.
  otto = await createUser(db, { displayName: "Otto Calme", locale: "fr" });
  const quiet = await createSpace(db, { createdBy: otto.id, name: "Club Calme", slug: "calme" });
  expect(quiet.slug).toBe("calme");
  // Everyone's last digest ended now: nobody is due before N (so the server's own sweep, if it runs, finds no one).
  await db.updateTable("user").set({ digest_frequency: "daily", digest_until: now }).execute();
  await db.updateTable("user").set({ digest_frequency: "off" }).where("id", "=", claire.id).execute();
  N = lastSendingMoment(now + 3 * 24 * HOUR, "Europe/Paris", "daily").at + 2 * 60_000;
  // Claire's two articles, published an hour and two after the last digests.
  slugs = [];
  for (const [i, title] of titles.entries()) {
    const slug = await posts.uniquePostSlug(db, club.id, slugify(title));
    const post = await posts.createPost(db, { spaceId: club.id, slug, title, excerpt: "", excerptAuto: true, coverFileId: null, content: { json: textDoc(title), html: "<p>x</p>", text: "x" }, visibility: "space", authorId: claire.id, summary: "", now: now + (i + 1) * HOUR });
    await posts.setPostState(db, post.id, { state: "published", publishAt: null, userId: claire.id, now: now + (i + 1) * HOUR });
    slugs.push(slug);
  }
});

afterAll(async () => {
  await opened?.close();
  await server?.close();
  await smtp?.close();
});

const env = () => ({ DATA_DIR: server.dataDir, BASE_URL: server.url, SMTP_URL: smtp.url, MAIL_FROM: "Cercle <cercle@cercle.test>" });

/** Children sweeping at `at` together, for `ms`; their totals. */
async function sweep(count: number, at: number, ms = 1500) {
  const children = Array.from({ length: count }, () => spawnScript("digest-child.ts", [String(at), String(ms)], env()));
  try {
    await waitFor(() => children.every((c) => c.out().startsWith("ready\n")), "the digest processes to load", 30_000, () => children.map((c) => c.err()).join("\n"));
    for (const c of children) c.child.stdin!.end("go\n");
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes, children.map((c) => c.err()).join("\n")).toEqual(children.map(() => 0));
  } finally {
    for (const c of children) c.child.kill("SIGKILL");
  }
  return children.map((c) => JSON.parse(c.out().split("\n")[1]!) as { queued: number; empty: number; taken: number; sweeps: number });
}

const digestsTo = (mail: ReceivedMail) => mail.subject === translate("fr", "digest.subject.daily", { network: NETWORK });
const header = (mail: ReceivedMail, name: string) => mail.parsed.headerLines.find((h) => h.key === name)?.line.slice(name.length + 1).trim() ?? null;

describe("sending", () => {
  test("two processes at 8:00 send each member with news one digest, the quiet member none; a restart sends nothing more", { timeout: 90_000 }, async () => {
    const totals = await sweep(2, N);
    // Each sweeps over and over for the time given: between them, every member is queued once.
    expect(totals.reduce((n, t) => n + t.queued, 0)).toBe(readers.length);
    expect(totals.reduce((n, t) => n + t.empty, 0)).toBe(1);

    for (const reader of readers) await smtp.waitForMail((m) => m.to.includes(reader.email) && digestsTo(m), 20_000);
    const rows = await db.selectFrom("digest").select(["user_id", "items"]).execute();
    expect(rows.filter((r) => r.user_id === otto.id)).toEqual([{ user_id: otto.id, items: 0 }]);
    expect(await db.selectFrom("mail_outbox").select("recipient").where("digest_id", "is not", null).where("recipient", "=", otto.email).execute()).toEqual([]);

    // A restart at the same moment: every period is claimed already.
    const again = await sweep(1, N + 60_000, 500);
    expect(again[0]).toMatchObject({ queued: 0, empty: 0 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const digests = smtp.messages.filter(digestsTo);
    expect(digests.map((m) => m.to[0]).sort()).toEqual(readers.map((r) => r.email).sort());
  });

  test("the mail reads well as text and HTML, escapes what members wrote, and carries the one-click unsubscribe headers", async () => {
    const mail = smtp.messages.find((m) => m.to.includes(readers[0]!.email) && digestsTo(m))!;
    expect(mail).toBeDefined();
    // Newest first, each with its link, in the club's section.
    const links = slugs.map((slug) => `${server.url}/spaces/achats/blog/${slug}`);
    expect(mail.text).toContain("Club Achats");
    expect(mail.text.indexOf(titles[1]!)).toBeGreaterThan(-1);
    expect(mail.text.indexOf(titles[1]!)).toBeLessThan(mail.text.indexOf(titles[0]!));
    for (const link of links) {
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`href="${link}"`);
    }
    expect(mail.text).toContain(translate("fr", "home.postBy", { name: "Claire Martin" }));
    // What a member typed is text in the HTML part, never markup.
    expect(mail.html).not.toContain("<img src=x");
    expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt; Négocier l’énergie");
    expect(mail.html).not.toMatch(/<script/i);
    // Why it came, and where to change it.
    expect(mail.text).toContain(translate("fr", "digest.why.daily", { network: NETWORK }));
    expect(mail.html).toContain(`href="${server.url}/settings/notifications"`);
    // RFC 2369 / RFC 8058.
    const unsubscribe = header(mail, "list-unsubscribe");
    expect(unsubscribe).toMatch(new RegExp(`^<${server.url.replace(/[.:/]/g, "\\$&")}/mail/unsubscribe\\?t=[A-Za-z0-9_.-]+>$`));
    expect(header(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mail.html).toContain(`href="${unsubscribe!.slice(1, -1)}"`);
  });
});

describe("one-click unsubscribe", () => {
  const addressIn = (reader: TestUser) => {
    const mail = smtp.messages.find((m) => m.to.includes(reader.email) && digestsTo(m))!;
    return new URL(header(mail, "list-unsubscribe")!.slice(1, -1));
  };
  const frequencyOf = async (user: TestUser) => (await db.selectFrom("user").select("digest_frequency").where("id", "=", user.id).executeTakeFirstOrThrow()).digest_frequency;

  test("opening the address only asks; the mail client's POST, with no session and from elsewhere, stops the digest", async () => {
    const reader = readers[0]!;
    const address = addressIn(reader);
    const visitor = client(server.url);
    const page = await visitor.get(address.pathname + address.search);
    expect(page.status).toBe(200);
    expect(pageText(page.text)).toContain(translate("fr", "unsubscribe.ask.digest", { network: NETWORK }));
    expect(await frequencyOf(reader)).toBe("daily");

    // As Gmail or Outlook post it: from their servers, no Origin, no Sec-Fetch-Site, no cookie.
    const done = await client(server.url).post(address.pathname + address.search, { "List-Unsubscribe": "One-Click" }, { origin: null, secFetchSite: null });
    expect(done.status).toBe(200);
    expect(await frequencyOf(reader)).toBe("off");
    // The next morning's sweep passes them by.
    const next = await sweep(1, N + 24 * HOUR, 300);
    expect(next[0]!.queued + next[0]!.empty).toBe(readers.length - 1 + 1);
    expect(await db.selectFrom("digest").select("id").where("user_id", "=", reader.id).execute()).toHaveLength(1);
  });

  test("a forged token, or one signed for something else, is 400 and changes nothing", async () => {
    const reader = readers[1]!;
    const address = addressIn(reader);
    const token = address.searchParams.get("t")!;
    const forged = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    for (const t of [forged, "", "x.y", `${token}.${token}`]) {
      const res = await client(server.url).post(`/mail/unsubscribe?t=${encodeURIComponent(t)}`, { "List-Unsubscribe": "One-Click" }, { origin: null, secFetchSite: null });
      expect(res.status, t).toBe(400);
    }
    // Another member's own token names them, not this one: signed for the reply purpose, it is no unsubscribe.
    const signer = await linkSigner(db);
    const misused = signer.sign("reply", [reader.id, "digest"]);
    expect((await client(server.url).post(`/mail/unsubscribe?t=${misused}`, {}, { origin: null, secFetchSite: null })).status).toBe(400);
    expect((await client(server.url).get(`/mail/unsubscribe?t=${encodeURIComponent(forged)}`)).status).toBe(400);
    expect(await frequencyOf(reader)).toBe("daily");
  });

  test("a notification mail's address stops that kind by mail and keeps it in the app", async () => {
    const reader = readers[2]!;
    const address = new URL(unsubscribeUrl(await linkSigner(db), server.url, reader.id, "mention"));
    expect(address.origin).toBe(server.url);
    const res = await client(server.url).post(address.pathname + address.search, { "List-Unsubscribe": "One-Click" }, { origin: null, secFetchSite: null });
    expect(res.status).toBe(200);
    expect((await choicesOf(db, reader.id)).get("mention")).toBe("app");
    // And a reminder, which has no place in the app, is turned off.
    const reminder = new URL(unsubscribeUrl(await linkSigner(db), server.url, reader.id, "workshopReminder"));
    expect((await client(server.url).post(reminder.pathname + reminder.search, {}, { origin: null, secFetchSite: null })).status).toBe(200);
    expect((await choicesOf(db, reader.id)).get("workshopReminder")).toBe("off");
    expect(await frequencyOf(reader)).toBe("daily");
  });
});
