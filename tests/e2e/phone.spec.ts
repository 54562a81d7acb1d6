import { expect, hydrated, PASSWORD, signIn, test, type Browser, type Frame, type Locator, type Page } from "./fixtures.ts";
import { filesDataTransfer, makePdf, screenshotSeries } from "./support.ts";

/**
 * Every screen of the journeys on a phone (375 px wide): a network admin
 * goes through a club's tabs, opens the top menu, changes a member's role,
 * reads the audit log, previews a PDF and meets a 404. On each screen
 * nothing is hidden, clipped or sticks out sideways; the screenshots
 * (tests/e2e/screenshots/phone-*.png) are there to be looked at.
 */

test.describe.configure({ mode: "serial" });

const admin = { name: "Claire Martin", email: "claire@cabinet-martin.fr" };
const NETWORK = "Réseau des Consultants Associés";
const SPACE = "club-achats-supply-chain";
const BASE = `/spaces/${SPACE}`;
const PDF = "Compte rendu du comité achats — mars.pdf";
const WIDTH = 375;

const snap = screenshotSeries("phone");

async function phonePage(browser: Browser) {
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: WIDTH, height: 812 }, isMobile: true, hasTouch: true });
  return context.newPage();
}

/** Nothing spills out sideways: the page is no wider than the phone. */
async function expectNoSidewaysScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "the page's width").toBeLessThanOrEqual(WIDTH);
}

/** The element is drawn whole inside the phone's width (not cut at either side). */
async function expectWithinWidth(locator: Locator, what: string) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  expect(box, `${what} is drawn`).not.toBeNull();
  expect(box!.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: right edge`).toBeLessThanOrEqual(WIDTH);
}

/** The element shows all its text: no ellipsis, no hidden overflow. */
async function expectNotClipped(locator: Locator, what: string) {
  const sizes = await locator.evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight }));
  expect(sizes.sw, `${what}: text wider than its box`).toBeLessThanOrEqual(sizes.cw);
  expect(sizes.sh, `${what}: text taller than its box`).toBeLessThanOrEqual(sizes.ch);
}

/** No element inside `scope` is cut by an ancestor that hides its overflow, or drawn past the phone's edge. */
async function expectNothingClipped(scope: Locator, what: string) {
  const clipped = await scope.evaluate((root, width) => {
    const out: string[] = [];
    for (const el of root.querySelectorAll<HTMLElement>("a, button, select, input, label, strong, span, code, td, th, h1, h2, p")) {
      const r = el.getBoundingClientRect();
      // Not drawn, or visually hidden on purpose (for screen readers: .sr-only, a responsive table's header).
      if (r.width <= 1 || r.height <= 1 || getComputedStyle(el).position === "absolute") continue;
      let hidden = false;
      for (let p = el.parentElement; p && p !== root; p = p.parentElement) {
        const pr = p.getBoundingClientRect();
        if (getComputedStyle(p).position === "absolute" && (pr.width <= 1 || pr.height <= 1)) hidden = true;
      }
      if (hidden) continue;
      if (r.left < -0.5 || r.right > width + 0.5) out.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 40)}" at ${Math.round(r.left)}–${Math.round(r.right)}`);
      for (let p = el.parentElement; p && p !== root.parentElement; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowX === "visible") continue;
        const pr = p.getBoundingClientRect();
        if (r.right > pr.right + 0.5 || r.left < pr.left - 0.5) {
          out.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 40)}" cut by ${p.tagName.toLowerCase()}.${p.className}`);
          break;
        }
      }
    }
    return out;
  }, WIDTH);
  expect(clipped, `${what}: elements cut or off-screen`).toEqual([]);
}

let claire: Page;

test("the space's tabs all show on a phone, the admin's included", async ({ browser }) => {
  claire = await phonePage(browser);
  await signIn(claire, admin.email);
  await claire.goto(BASE);
  await hydrated(claire);
  await expectNoSidewaysScroll(claire);
  // The network's name whole, beside the menu.
  const brand = claire.getByRole("banner").getByRole("link", { name: NETWORK });
  await expect(brand).toBeVisible();
  await expectNotClipped(brand.locator(".brand-name"), "the network's name");
  await expectWithinWidth(brand, "the network's name");
  const tabs = claire.getByRole("navigation", { name: "Sections de l’espace" }).getByRole("link");
  await expect(tabs).toHaveText(["Accueil", "Wiki", "Blog", "Fichiers", "Ateliers", "Entraide", "Membres", "Approbations", "Paramètres"]);
  for (const tab of await tabs.all()) {
    await expect(tab).toBeVisible();
    const box = await tab.boundingBox();
    const name = (await tab.textContent()) ?? "";
    // Seen where they are, without scrolling the tab strip sideways.
    expect(box!.x, `${name}: left edge`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${name}: right edge`).toBeLessThanOrEqual(WIDTH);
  }
  await snap(claire, "space-home-admin");
});

test("the top menu holds the sections, the audit log and the language", async () => {
  const menu = claire.getByRole("button", { name: "Menu" });
  await expectWithinWidth(menu, "the menu button");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  // Nothing of the main navigation is cut off when it is closed: it is folded away.
  await expect(claire.getByRole("link", { name: "Clubs", exact: true })).toBeHidden();
  // Opened from the keyboard.
  await menu.focus();
  await claire.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const nav = claire.getByRole("navigation", { name: "Navigation principale" });
  const links = nav.getByRole("link");
  await expect(links).toHaveText(["Accueil", "Mes espaces", "Agenda", "À la une des clubs", "Entraide", "Clubs", "Annuaire", "Administration"]);
  for (const link of await links.all()) await expectWithinWidth(link, (await link.textContent()) ?? "a link");
  await expect(claire.getByRole("button", { name: /Langue/ })).toBeVisible();
  await expectNoSidewaysScroll(claire);
  await snap(claire, "top-menu-open");
  // Escape folds it back, focus on its button.
  await claire.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await expect(nav.getByRole("link", { name: "Clubs", exact: true })).toBeHidden();
  // Followed to Clubs, the menu folds away behind.
  await menu.click();
  await nav.getByRole("link", { name: "Clubs", exact: true }).click();
  await claire.waitForURL("**/clubs");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expectNoSidewaysScroll(claire);
  await snap(claire, "clubs");
});

test("the members page and its role form fit a phone", async () => {
  await claire.goto(`${BASE}/members`);
  await hydrated(claire);
  await expectNoSidewaysScroll(claire);
  const form = claire.getByRole("combobox", { name: "Changer le rôle de Isabelle Garnier" });
  await expectWithinWidth(form, "the role select");
  const apply = claire.locator("form").filter({ has: form }).getByRole("button", { name: "Appliquer" });
  await expectWithinWidth(apply, "the role form's button");
  await expectNothingClipped(claire.locator("main"), "the members page");
  await snap(claire, "members-role-form");
  await form.selectOption({ label: "Invité" });
  await apply.click();
  await expect(claire.getByTestId("flash")).toContainText("Isabelle Garnier");
  await expect(claire.getByRole("combobox", { name: "Changer le rôle de Isabelle Garnier" })).toHaveValue("guest");
});

test("the audit log reads on a phone, roles by their names, reached from the menu", async () => {
  await claire.getByRole("button", { name: "Menu" }).click();
  await claire.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Administration" }).click();
  await claire.waitForURL("**/admin/members");
  await claire.getByRole("navigation", { name: "Sections de l’administration" }).getByRole("link", { name: "Journal", exact: true }).click();
  await claire.waitForURL("**/admin/audit");
  await hydrated(claire);
  await expect(claire.getByRole("heading", { level: 2, name: "Journal d’audit" })).toBeVisible();
  await expectNoSidewaysScroll(claire);
  await expectNothingClipped(claire.locator("main"), "the audit log");
  const change = claire.locator("tr").filter({ hasText: "Rôle changé" }).first();
  await expect(change).toContainText("Membre → Invité");
  await expect(change).not.toContainText("member");
  await expectWithinWidth(change, "an entry of the log");
  await snap(claire, "audit-log");
  // Isabelle back to member, as the journey left her.
  await claire.goto(`${BASE}/members`);
  await hydrated(claire);
  const form = claire.getByRole("combobox", { name: "Changer le rôle de Isabelle Garnier" });
  await form.selectOption({ label: "Membre" });
  await claire.locator("form").filter({ has: form }).getByRole("button", { name: "Appliquer" }).click();
  await expect(claire.getByRole("combobox", { name: "Changer le rôle de Isabelle Garnier" })).toHaveValue("member");
});

test("a PDF previews inline on its file page, a link to it beside", async () => {
  await claire.goto(`${BASE}/files`);
  await hydrated(claire);
  await expectNoSidewaysScroll(claire);
  const dataTransfer = await filesDataTransfer(claire, [{ name: PDF, mimeType: "application/pdf", bytes: makePdf("Comite achats - mars") }]);
  const dropZone = claire.locator(".files");
  await dropZone.dispatchEvent("dragenter", { dataTransfer });
  await dropZone.dispatchEvent("dragover", { dataTransfer });
  await dropZone.dispatchEvent("drop", { dataTransfer });
  await expect(claire.getByRole("region", { name: "Envois" }).getByRole("listitem").first()).toContainText("Envoyé", { timeout: 30_000 });
  await snap(claire, "files");
  await claire.getByRole("link", { name: PDF, exact: true }).click();
  await claire.waitForURL(new RegExp(`${BASE}/files/[^/]+$`));
  await hydrated(claire);
  await expectNoSidewaysScroll(claire);

  const preview = claire.locator(`iframe[title="Aperçu de « ${PDF} »"]`);
  await expect(preview).toBeVisible();
  await expectWithinWidth(preview, "the PDF's preview");
  const link = claire.getByRole("link", { name: "Ouvrir l’aperçu du PDF" });
  await expect(link).toBeVisible();
  // The frame shows the version the link opens, at the address only frames get.
  expect(await preview.getAttribute("src")).toBe((await link.getAttribute("href"))!.replace("inline=1", "inline=frame"));
  // Chromium's PDF viewer runs inside the frame: the framed answer was allowed and is a PDF.
  let viewer: Frame | undefined;
  await expect
    .poll(() => (viewer = claire.frames().find((f) => f.url().startsWith("chrome-extension://"))) !== undefined, { message: "the PDF viewer in the frame" })
    .toBe(true);
  await expect(viewer!.locator("#pagelength")).toHaveText("1");
  await expectNothingClipped(claire.locator("main"), "the file page");
  await snap(claire, "file-pdf-preview");
});

test("a version's label and its “current” badge stand apart", async () => {
  await claire.goto(`${BASE}/files`);
  await hydrated(claire);
  await claire.getByRole("link", { name: PDF, exact: true }).click();
  await claire.waitForURL(new RegExp(`${BASE}/files/[^/]+$`));
  await hydrated(claire);
  const version = claire.getByRole("region", { name: "Versions" }).getByRole("listitem").first();
  const label = await version.locator("strong", { hasText: "Version 1" }).boundingBox();
  const badge = await version.getByText("actuelle", { exact: true }).boundingBox();
  expect(badge!.x - (label!.x + label!.width), "space between the label and its badge").toBeGreaterThanOrEqual(4);
});

test("a signed-in member's 404 keeps the network's name and the menu", async () => {
  const response = await claire.goto("/nulle/part");
  expect(response?.status()).toBe(404);
  await hydrated(claire);
  await expect(claire.getByRole("heading", { name: "Page introuvable" })).toBeVisible();
  await expect(claire.getByRole("banner").getByRole("link", { name: NETWORK })).toBeVisible();
  await expectNoSidewaysScroll(claire);
  await snap(claire, "not-found");
  const menu = claire.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(claire.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Clubs", exact: true })).toBeVisible();
});

test("every other screen of the journeys fits a phone", async () => {
  for (const path of [
    "/spaces",
    "/latest",
    "/notifications",
    "/spaces/new",
    "/settings/profile",
    "/settings/password",
    "/settings/sessions",
    "/settings/notifications",
    `${BASE}/wiki`,
    `${BASE}/wiki/new`,
    `${BASE}/blog`,
    `${BASE}/blog/new`,
    `${BASE}/workshops`,
    `${BASE}/approvals`,
    `${BASE}/invite`,
    `${BASE}/settings`,
  ]) {
    await test.step(path, async () => {
      await claire.goto(path);
      await hydrated(claire);
      await expectNoSidewaysScroll(claire);
      await expectNothingClipped(claire.locator("main"), path);
      await snap(claire, path.replace(/^\//, "").replaceAll("/", "-"));
    });
  }
  await claire.context().close();
});
