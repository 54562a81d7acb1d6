import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, expect, test } from "vitest";
import { translate } from "#app/i18n/index.ts";
import { createUser } from "#tests/factories.ts";
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
