import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import { addMember, createNetwork, createSpace, createUser, signIn } from "#tests/factories.ts";
import { openTestDb } from "#tests/helpers/db.ts";
import { client, pageText } from "#tests/helpers/http.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";

// No SMTP_URL: mails become .eml files in DATA_DIR/outbox.
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

async function emlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
}

async function waitForFiles(dir: string, count: number, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = await emlFiles(dir);
    if (files.length >= count) return files;
    if (Date.now() > deadline) throw new Error(`${files.length} .eml file(s) in ${dir} after ${timeoutMs} ms, wanted ${count}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("without SMTP_URL, a reset mail is written as an .eml file in DATA_DIR/outbox", async () => {
  expect(process.env.SMTP_URL).toBeUndefined();
  const { db, close } = openTestDb(server.dbFile);
  const user = await createUser(db, { email: "carol@example.test", locale: "fr" });
  await close();

  const outbox = path.join(server.dataDir, "outbox");
  expect(await emlFiles(outbox)).toEqual([]);

  const res = await client(server.url).post("/forgot-password", { email: user.email });
  expect(res.status).toBe(200);
  expect(pageText(res.text)).toContain(translate("fr", "forgot.sent"));

  const [file] = await waitForFiles(outbox, 1);
  const mail = await simpleParser(await readFile(path.join(outbox, file)));
  const to = Array.isArray(mail.to) ? mail.to : [mail.to];
  expect(to.flatMap((a) => a?.value.map((v) => v.address))).toEqual(["carol@example.test"]);
  expect(mail.subject).toBe(translate("fr", "mail.reset.subject"));
  const link = mail.text?.match(/https?:\/\/\S+\/reset-password\/[a-z0-9]+/)?.[0];
  expect(link).toBeDefined();
  expect(new URL(link!).origin).toBe(server.url);

  // The link in the file is a working one.
  const page = await client(server.url).get(new URL(link!).pathname);
  expect(page.status).toBe(200);
  expect(pageText(page.text)).toContain(translate("fr", "reset.intro"));
});

test("an unknown address writes nothing to the outbox", async () => {
  const outbox = path.join(server.dataDir, "outbox");
  const before = await emlFiles(outbox);
  const res = await client(server.url).post("/forgot-password", { email: "nobody@example.test" });
  expect(res.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));
  expect(await emlFiles(outbox)).toEqual(before);
});

test("without SMTP_URL, an invitation's link is shown to its sender and written to the outbox folder; opening it needs no mailbox proof (there is no mail to prove it with)", async () => {
  const { db, close } = openTestDb(server.dbFile);
  await createNetwork(db);
  const admin = await createUser(db, { email: "admin@nosmtp.test", displayName: "Ada Sans Serveur", locale: "fr" });
  const space = await createSpace(db, { createdBy: admin.id, slug: "club-local", name: "Club Local", joinPolicy: "coopt_direct" });
  await addMember(db, { space, user: admin, role: "admin" });
  const outbox = path.join(server.dataDir, "outbox");
  const before = (await emlFiles(outbox)).length;

  const c = client(server.url);
  await signIn(c, admin.email, admin.password);
  const email = "newcomer@nosmtp.test";
  const res = await c.post("/spaces/club-local/invite", { email, role: "member", message: "" });
  expect(res.status).toBe(200);
  expect(pageText(res.text)).toContain(translate("fr", "coopt.noMail", { email }));
  const shown = res.text.match(/https?:\/\/[^\s"<]+\/invitations\/[A-Za-z0-9]+/)?.[0];
  expect(shown).toBeDefined();

  // The same link is in the .eml file.
  const files = await waitForFiles(outbox, before + 1);
  const texts = await Promise.all(files.map(async (f) => (await simpleParser(await readFile(path.join(outbox, f)))).text ?? ""));
  expect(texts.some((t) => t.includes(shown!))).toBe(true);

  const invitation = await db.selectFrom("invitation").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
  expect(invitation.link_revealed_at).not.toBeNull();
  // The members page still offers it, saying why.
  const members = await c.get("/spaces/club-local/members");
  expect(pageText(members.text)).toContain(translate("fr", "members.noMail"));
  const again = await c.post("/spaces/club-local/members", { intent: "reveal-link", invitationId: invitation.id });
  expect(again.status).toBe(200);
  expect(again.text).toContain(shown!);

  const page = await client(server.url).get(new URL(shown!).pathname);
  expect(page.text).toContain('name="displayName"');
  const joined = await client(server.url).post(new URL(shown!).pathname, { intent: "create", displayName: "Nouveau Local", password: "a long enough passphrase", confirm: "a long enough passphrase" });
  expect(joined.status).toBe(302);
  expect(joined.location).toBe("/spaces/club-local");
  await close();
});
