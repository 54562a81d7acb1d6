import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statfsSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { openDatabase, type OpenedDatabase } from "../../db/client.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "../factories.ts";

/**
 * The files page's upload queue when the server's disk cannot take a file:
 * the message is in plain words, in the reader's language, beside the file.
 * The disk is made "full" for real, without filling this machine's: a server
 * of its own (the built server, on a data folder of its own) told to keep
 * more free space (STORAGE_FREE_MARGIN_MB) than the disk has, so it refuses
 * every upload with its 507 disk_full, as it does on a full disk
 * (tests/integration/files-upload-disk.test.ts shows that on a small tmpfs).
 */

test.describe.configure({ mode: "serial" });

const root = path.resolve(import.meta.dirname, "../..");
let child: ChildProcess;
let origin: string;
let dataDir: string;
let store: OpenedDatabase;
let alice: TestUser;
let output = "";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-e2e-diskfull-"));
  const { bavail, bsize } = statfsSync(dataDir);
  const freeMb = Math.ceil((bavail * bsize) / (1024 * 1024));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [path.join(root, "build", "server.js")], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      WEB_CONCURRENCY: "1",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      BASE_URL: origin,
      STORAGE_FREE_MARGIN_MB: String(freeMb + 1024),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  await expect.poll(() => output, { timeout: 30_000 }).toContain("listening");
  store = openDatabase(path.join(dataDir, "cercle.db"));
  await createNetwork(store.db, { name: "Réseau Plein" });
  const admin = await createUser(store.db, { email: "admin@plein.test", displayName: "Admin Plein" });
  alice = await createUser(store.db, { email: "alice@plein.test", displayName: "Alice Plein" });
  const space = await createSpace(store.db, { createdBy: admin.id, slug: "club-plein", name: "Club Plein" });
  await addMember(store.db, { space, user: alice, role: "member" });
});

test.afterAll(async () => {
  child?.kill("SIGKILL");
  await store?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function signedIn(browser: Browser, locale: string) {
  const context = await browser.newContext({ baseURL: origin, locale, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.locator("html[data-hydrated]").waitFor();
  await page.locator('input[name="email"]').fill(alice.email);
  await page.locator('input[name="password"]').fill(alice.password);
  await page.locator('main button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === "/");
  return page;
}

for (const [locale, message] of [
  ["fr-FR", "Le disque du serveur est plein : cet envoi ne peut pas être reçu. Prévenez l’administrateur du réseau."],
  ["en-GB", "The server’s disk is full: this upload cannot be received. Tell the network’s administrator."],
] as const) {
  test(`a file sent while the server's disk is full: the queue says so in plain words (${locale})`, async ({ browser }) => {
    const page = await signedIn(browser, locale);
    await page.goto("/spaces/club-plein/files");
    await page.locator("html[data-hydrated]").waitFor();
    const refused = page.waitForResponse((res) => res.url().endsWith("/spaces/club-plein/files/uploads") && res.request().method() === "POST");
    await page.locator('input[type="file"]').setInputFiles({ name: "Compte rendu.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(200 * 1024, 0x25) });
    // The server's own answer, not the page's guess: 507 disk_full.
    const answer = await refused;
    expect(answer.status()).toBe(507);
    expect(await answer.json()).toEqual({ error: "disk_full" });

    const item = page.locator(".upload-item", { hasText: "Compte rendu.pdf" });
    await expect(item.locator(".upload-state")).toHaveText(message);
    // Final, so no retry offered, and said aloud to screen readers.
    await expect(item.getByRole("button")).toHaveCount(0);
    await expect(page.locator('.upload-queue [aria-live="polite"]')).toHaveText(`Compte rendu.pdf : ${message}`);
    await page.screenshot({ path: path.join(root, "test-results", `upload-disk-full-${locale}.png`) });
    await page.context().close();
  });
}
