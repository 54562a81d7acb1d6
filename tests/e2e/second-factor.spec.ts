import { createHmac } from "node:crypto";
import path from "node:path";
import { openDatabase, type OpenedDatabase } from "../../db/client.ts";
import { createSpace, createUser } from "../factories.ts";
import { expect, hydrated, PASSWORD, signIn, test, type Page } from "./fixtures.ts";
import { newPage } from "./clubs.ts";
import { screenshotSeries } from "./support.ts";

/**
 * Two-step verification (issue 20), after the journey (which made the
 * network and Claire, its administrator). Sophie, a member, sets up an
 * authenticator from her settings (QR code, key, first code) and keeps her
 * recovery codes; signing in then asks for a code after the password, and a
 * recovery code does as well, once. Claire requires a second factor of the
 * admins; Hugo, who runs a club and has none, is led to set one up at his
 * next sign-in before he can use anything — on his phone. The codes are
 * computed here, with node's HMAC (RFC 6238), as Sophie's phone would.
 */

test.describe.configure({ mode: "serial" });

const claireAccount = { email: "claire@cabinet-martin.fr" };
const sophie = { name: "Sophie Lemaire", email: "sophie.lemaire@lemaire-avocats.fr" };
const hugo = { name: "Hugo Bernard", email: "hugo.bernard@bernard-transports.fr" };
const PHONE = { width: 390, height: 844 };

const snap = screenshotSeries("second-factor");

let store: OpenedDatabase;

test.beforeAll(async () => {
  store = openDatabase(path.join(process.env.CERCLE_E2E_DIR!, "cercle.db"));
  // Sophie and Hugo are members already (how they came is the journey's business); Hugo runs a club.
  await createUser(store.db, { email: sophie.email, displayName: sophie.name, password: PASSWORD, locale: "fr" });
  const h = await createUser(store.db, { email: hugo.email, displayName: hugo.name, password: PASSWORD, locale: "fr" });
  await createSpace(store.db, { createdBy: h.id, slug: "club-transport-lyon", name: "Club Transport Lyon", visibility: "listed" });
});
test.afterAll(async () => {
  await store?.close();
});

/** An authenticator app: RFC 6238 over node's HMAC-SHA-1, never a step twice. */
class Authenticator {
  private key: Buffer;
  private last = -1;
  constructor(base32: string) {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits = "";
    for (const c of base32.replace(/\s/g, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
    const bytes: number[] = [];
    for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
    this.key = Buffer.from(bytes);
  }
  /** The code to type now, as the app shows it; never one of a step already typed (the server refuses those). */
  async code(): Promise<string> {
    // The current step, or the next one if the current was used (the server accepts one step ahead);
    // past that, wait for the clock, as a person waits for the app's next code.
    while (this.last + 1 > Math.floor(Date.now() / 30_000) + 1) await new Promise((r) => setTimeout(r, 1000));
    const step = Math.max(Math.floor(Date.now() / 30_000), this.last + 1);
    this.last = step;
    return this.at(step);
  }
  /** The code of the current step, without typing it. */
  peek(): string {
    return this.at(Math.floor(Date.now() / 30_000));
  }
  private at(step: number): string {
    const message = Buffer.alloc(8);
    message.writeBigUInt64BE(BigInt(step));
    const mac = createHmac("sha1", this.key).update(message).digest();
    const o = mac[mac.length - 1] & 0x0f;
    const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
    return String(n % 1_000_000).padStart(6, "0");
  }
}

let sophieApp: Authenticator;
let recovery: string[] = [];

/** Password first; answers once the page after it is there. */
async function password(page: Page, email: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel(/^Mot de passe$/).fill(PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "Se connecter", exact: true }).click();
}

test("Sophie sets up an authenticator from her settings and sees her recovery codes once", async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, sophie.email);
  await page.goto("/settings/profile");
  await page.getByRole("navigation", { name: "Mon compte" }).getByRole("link", { name: "Sécurité" }).click();
  await expect(page.getByRole("heading", { name: "Vérification en deux étapes" })).toBeVisible();
  await expect(page.getByText("Désactivée.")).toBeVisible();
  await page.getByRole("button", { name: "Configurer une application d’authentification" }).click();
  await expect(page.getByRole("img", { name: "QR code à scanner avec votre application d’authentification" })).toBeVisible();
  const key = (await page.locator(".totp-secret").textContent())!;
  sophieApp = new Authenticator(key);
  await snap(page, "setup-qr");

  // A typo first: told beside the field, which keeps the focus for a retry.
  const field = page.getByLabel("2. Saisissez le code à 6 chiffres que l’application affiche.");
  await expect(field).toHaveAttribute("autocomplete", "one-time-code");
  await expect(field).toHaveAttribute("inputmode", "numeric");
  await field.fill("000000" === sophieApp.peek() ? "111111" : "000000");
  await field.press("Enter");
  await expect(page.getByText("Ce code ne correspond pas.", { exact: false })).toBeVisible();
  await page.getByLabel("2. Saisissez le code à 6 chiffres que l’application affiche.").fill(await sophieApp.code());
  await page.getByRole("button", { name: "Activer" }).click();
  await expect(page.getByRole("heading", { name: "Vos codes de secours" })).toBeVisible();
  recovery = await page.locator(".recovery-list code").allTextContents();
  expect(recovery).toHaveLength(10);
  await snap(page, "recovery-codes");

  await page.reload();
  await expect(page.getByText(/Activée depuis le/)).toBeVisible();
  await expect(page.getByText("10 codes de secours restants.")).toBeVisible();
  await expect(page.locator(".recovery-list")).toHaveCount(0);
  await page.context().close();
});

test("signing in, Sophie gives her password, then a code from her phone", async ({ browser }) => {
  const page = await newPage(browser);
  await password(page, sophie.email);
  await page.waitForURL("**/login/code");
  const field = page.getByLabel("Code à 6 chiffres");
  await expect(field).toBeFocused();
  await snap(page, "code-step");
  // Nothing of the app before the code.
  expect((await page.request.get("/spaces", { maxRedirects: 0 })).status()).toBe(302);
  // The keyboard alone: the code typed, Enter.
  await page.keyboard.type(await sophieApp.code());
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.pathname === "/");
  expect((await page.request.get("/spaces", { maxRedirects: 0 })).status()).toBe(200);
  await page.context().close();
});

test("without her phone, a recovery code lets her in, once", async ({ browser }) => {
  const page = await newPage(browser);
  await password(page, sophie.email);
  await page.waitForURL("**/login/code");
  await hydrated(page);
  await page.getByText("Plus accès à votre application ? Utiliser un code de secours").click();
  await page.getByLabel("Code de secours").fill(recovery[0]);
  await snap(page, "recovery-step");
  await page.getByRole("button", { name: "Utiliser ce code de secours" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByText("Code de secours utilisé. Il vous en reste 9.")).toBeVisible();
  await page.context().close();

  const again = await newPage(browser);
  await password(again, sophie.email);
  await again.waitForURL("**/login/code");
  await hydrated(again);
  await again.getByText("Plus accès à votre application ? Utiliser un code de secours").click();
  await again.getByLabel("Code de secours").fill(recovery[0]);
  await again.getByRole("button", { name: "Utiliser ce code de secours" }).click();
  await expect(again.getByText("Ce code de secours n’est pas valable, ou il a déjà servi.")).toBeVisible();
  await expect(again).toHaveURL(/\/login\/code$/);
  await again.context().close();
});

test("Claire requires a second factor of the admins; Hugo, a club admin, sets one up on his phone before anything else", async ({ browser }) => {
  const claire = await newPage(browser);
  await signIn(claire, claireAccount.email);
  await claire.goto("/admin/security");
  await claire.getByLabel("Exiger un deuxième facteur des administrateurs du réseau et des administrateurs de clubs").check();
  await claire.getByRole("button", { name: "Enregistrer" }).click();
  await expect(claire.getByText("Réglage enregistré.")).toBeVisible();
  await snap(claire, "admin-requirement");

  const phone = await newPage(browser, PHONE);
  await password(phone, hugo.email);
  await phone.waitForURL("**/login/setup");
  await expect(phone.getByRole("heading", { name: "Protégez votre compte" })).toBeVisible();
  expect((await phone.request.get("/spaces", { maxRedirects: 0 })).status()).toBe(302);
  await snap(phone, "enroll-phone");
  await phone.getByRole("button", { name: "Configurer une application d’authentification" }).click();
  const key = (await phone.locator(".totp-secret").textContent())!;
  const hugoApp = new Authenticator(key);
  await snap(phone, "enroll-qr-phone");
  await phone.getByLabel("2. Saisissez le code à 6 chiffres que l’application affiche.").fill(await hugoApp.code());
  await phone.getByRole("button", { name: "Activer" }).click();
  await expect(phone.getByRole("heading", { name: "Vos codes de secours" })).toBeVisible();
  await snap(phone, "enroll-codes-phone");
  await phone.getByRole("link", { name: "Continuer vers Cercle" }).click();
  await phone.waitForURL((url) => url.pathname === "/");
  expect((await phone.request.get("/spaces", { maxRedirects: 0 })).status()).toBe(200);
  // His settings say so; required of him, it cannot be turned off there.
  await phone.goto("/settings/security");
  await expect(phone.getByText(/Activée depuis le/)).toBeVisible();
  await expect(phone.getByRole("button", { name: "Désactiver la vérification en deux étapes" })).toHaveCount(0);
  await snap(phone, "settings-phone");
  await phone.context().close();

  // Claire's next sign-in would lead her to the setup too: the rule goes back off, for the specs after this one.
  await claire.goto("/admin/security");
  await claire.getByLabel("Exiger un deuxième facteur des administrateurs du réseau et des administrateurs de clubs").uncheck();
  await claire.getByRole("button", { name: "Enregistrer" }).click();
  await expect(claire.getByText("Réglage enregistré.")).toBeVisible();
  await claire.context().close();
});
