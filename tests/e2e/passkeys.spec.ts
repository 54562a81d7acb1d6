import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { openDatabase, type OpenedDatabase } from "../../db/client.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "../factories.ts";

/**
 * Passkeys (issue 20) in Chromium, with the DevTools protocol's virtual
 * authenticator (a platform one, with user verification): one registered and
 * named in the settings, listed with its last use; the passkey alone at the
 * sign-in page; the passkey as the second step after the password; one
 * removed behind the password.
 *
 * WebAuthn refuses an IP address as the relying party's id, and the other
 * specs' server is http://127.0.0.1: so this spec starts a server of its own
 * (the built one, on a data folder of its own) at http://localhost.
 */

test.describe.configure({ mode: "serial" });

const root = path.resolve(import.meta.dirname, "../..");
const shots = path.join(root, "test-results");
const port = Number(process.env.CERCLE_E2E_PORT ?? "3457") + 64;
const origin = `http://localhost:${port}`;
let child: ChildProcess;
let dataDir: string;
let store: OpenedDatabase;
let alice: TestUser;
let output = "";

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-e2e-passkeys-"));
  child = spawn(process.execPath, [path.join(root, "build", "server.js")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", WEB_CONCURRENCY: "1", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  await expect.poll(() => output, { timeout: 30_000 }).toContain("listening");
  store = openDatabase(path.join(dataDir, "cercle.db"));
  await createNetwork(store.db, { name: "Réseau des Clés" });
  const admin = await createUser(store.db, { email: "admin@cles.test", displayName: "Admin Clés" });
  alice = await createUser(store.db, { email: "alice@cles.test", displayName: "Alice Clé" });
  const space = await createSpace(store.db, { createdBy: admin.id, slug: "club-cles", name: "Club des Clés" });
  await addMember(store.db, { space, user: alice, role: "member" });
});

test.afterAll(async () => {
  child?.kill("SIGKILL");
  await store?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A browser with a platform authenticator (a phone's or a laptop's), its user verified. */
async function withAuthenticator(browser: Browser, locale = "fr-FR", width = 1280) {
  const context = await browser.newContext({ baseURL: origin, locale, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { context, page, cdp, authenticatorId };
}

async function signInWithPassword(page: Page) {
  await page.goto("/login");
  await page.locator("html[data-hydrated]").waitFor();
  await page.locator('input[name="email"]').fill(alice.email);
  await page.locator('input[name="password"]').fill(alice.password);
  await page.locator("form:has(input[name=password]) button[type=submit]").click();
}

async function addPasskey(page: Page, name: string) {
  await page.goto("/settings/security");
  await page.locator("html[data-hydrated]").waitFor();
  if (name) await page.getByLabel("Nom de la clé (facultatif)").fill(name);
  await page.getByRole("button", { name: "Ajouter une clé d’accès" }).click();
  await expect(page.locator(".flash, [role=status]", { hasText: "ajoutée" }).first()).toBeVisible();
}

test("a passkey named in the settings, the passkey alone at sign-in, then as the step after the password, then removed", async ({ browser }) => {
  const { context, page, cdp, authenticatorId } = await withAuthenticator(browser);
  await signInWithPassword(page);
  await page.waitForURL((url) => url.pathname === "/");

  // Two passkeys: one named, on this laptop; one with the name given by default, on another
  // authenticator (one authenticator holds one key per account: the page says so if asked twice).
  await addPasskey(page, "Ordinateur du bureau");
  await page.getByRole("button", { name: "Ajouter une clé d’accès" }).click();
  await expect(page.locator(".passkey-status")).toHaveText("Cette clé d’accès est déjà enregistrée sur votre compte.");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].isResidentCredential).toBe(true);
  await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
  const other = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await addPasskey(page, "");
  const items = page.getByTestId("passkey");
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText("Ordinateur du bureau");
  await expect(items.first()).toContainText("Jamais utilisée");
  await expect(items.nth(1)).toContainText(/Clé d’accès du \d{1,2} \S+ \d{4}/);
  expect((await cdp.send("WebAuthn.getCredentials", { authenticatorId: other.authenticatorId })).credentials).toHaveLength(1);

  // Signed out; the passkey alone signs in again, no email typed.
  await context.clearCookies();
  await page.goto("/login?redirectTo=%2Fsettings%2Fsecurity");
  await page.locator("html[data-hydrated]").waitFor();
  const button = page.getByRole("button", { name: "Se connecter avec une clé d’accès" });
  await expect(button).toBeVisible();
  await page.screenshot({ path: path.join(shots, "passkeys-login-fr.png"), fullPage: true });
  await button.click();
  await page.waitForURL((url) => url.pathname === "/settings/security");
  await expect(page.getByTestId("passkey").nth(1)).toContainText("Dernière utilisation");

  // The network now requires a second factor of Alice (made a network admin): password, then the passkey.
  await store.db.updateTable("network").set({ second_factor_required: 1 }).execute();
  await store.db.updateTable("user").set({ is_network_admin: 1 }).where("id", "=", alice.id).execute();
  await context.clearCookies();
  await signInWithPassword(page);
  await page.waitForURL((url) => url.pathname === "/login/code");
  await page.locator("html[data-hydrated]").waitFor();
  await expect(page.getByText("Confirmez votre connexion avec l’une de vos clés d’accès.")).toBeVisible();
  await page.screenshot({ path: path.join(shots, "passkeys-code-fr.png"), fullPage: true });
  await page.getByRole("button", { name: "Utiliser une clé d’accès" }).click();
  await page.waitForURL((url) => url.pathname === "/");

  // Two keys listed: the screenshots of the settings, desktop and phone.
  await page.goto("/settings/security");
  await page.locator("html[data-hydrated]").waitFor();
  await expect(page.getByTestId("passkey")).toHaveCount(2);
  await page.screenshot({ path: path.join(shots, "passkeys-settings-fr.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(shots, "passkeys-settings-fr-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // The laptop's one (its authenticator is gone) removed, behind the password.
  const first = page.getByTestId("passkey").first();
  await first.getByText("Retirer", { exact: true }).click();
  await first.getByLabel("Votre mot de passe, ou un code de l’application").fill(alice.password);
  await first.getByRole("button", { name: "Retirer « Ordinateur du bureau »" }).click();
  await expect(page.getByTestId("passkey")).toHaveCount(1);
  await expect(page.getByTestId("passkey")).not.toContainText("Ordinateur du bureau");
  await context.close();
});

test("the sign-in page and the code step on a phone, and the settings in English", async ({ browser }) => {
  const phone = await withAuthenticator(browser, "fr-FR", 390);
  await phone.page.goto("/login");
  await phone.page.locator("html[data-hydrated]").waitFor();
  await expect(phone.page.getByRole("button", { name: "Se connecter avec une clé d’accès" })).toBeVisible();
  await phone.page.screenshot({ path: path.join(shots, "passkeys-login-fr-390.png"), fullPage: true });
  await signInWithPassword(phone.page);
  await phone.page.waitForURL((url) => url.pathname === "/login/code");
  await phone.page.locator("html[data-hydrated]").waitFor();
  await phone.page.screenshot({ path: path.join(shots, "passkeys-code-fr-390.png"), fullPage: true });
  await phone.context.close();

  await store.db.updateTable("user").set({ locale: "en" }).where("id", "=", alice.id).execute();
  await store.db.updateTable("network").set({ second_factor_required: 0 }).execute();
  const english = await withAuthenticator(browser, "en-GB");
  await signInWithPassword(english.page);
  await english.page.waitForURL((url) => url.pathname === "/");
  await english.page.goto("/settings/security");
  await english.page.locator("html[data-hydrated]").waitFor();
  await expect(english.page.getByRole("heading", { name: "Passkeys" })).toBeVisible();
  await english.page.screenshot({ path: path.join(shots, "passkeys-settings-en.png"), fullPage: true });
  await english.context.close();
});
