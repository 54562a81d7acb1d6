import { makePdf } from "../helpers/documents.ts";
import { expect, hydrated, signIn, test, type Page } from "./fixtures.ts";
import { newPage, openClubAndCoopt } from "./clubs.ts";
import { filesDataTransfer, screenshotSeries } from "./support.ts";

/**
 * Finding things again, as members do (after the journey, which made the
 * network and Claire, its administrator). Claire opens a club, co-opts
 * Bastien, writes a wiki page and drops the PDF of a workshop's minutes into
 * the club's files. Bastien types part of a word, without its accent, in the
 * header's search box, and picks the page among the suggestions with the
 * keyboard. Then he searches the club for a phrase that is only inside the
 * PDF, and finds it, marked in the snippet. On a phone, the same box
 * unfolds from the bar.
 */

test.describe.configure({ mode: "serial" });

const bastien = { name: "Bastien Leroy", email: "bastien.leroy@leroy-achats.fr" };
const CLUB = { name: "Club Supply Chain Lille", slug: "club-supply-chain-lille" };
const PAGE_TITLE = "Négociation : préparer l’été avec les transporteurs";
const PDF_NAME = "Compte rendu atelier transport.pdf";
const PHRASE = "la clause de revoyure protège les deux parties";

const snap = screenshotSeries("search");
let bastienPage: Page;

test("Claire opens a club, co-opts Bastien, writes a page and drops a PDF", async ({ browser }) => {
  test.setTimeout(120_000);
  const claire = await newPage(browser);
  await signIn(claire, "claire@cabinet-martin.fr");
  bastienPage = await openClubAndCoopt(claire, browser, CLUB, bastien);

  await claire.goto(`/spaces/${CLUB.slug}/wiki/new`);
  await hydrated(claire);
  await claire.getByLabel("Titre", { exact: true }).fill(PAGE_TITLE);
  const editor = claire.locator('[data-lexical-editor="true"]').first();
  await editor.click();
  await claire.keyboard.type("Avant l’été, renégocier les tarifs de transport et les pénalités de retard.");
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(claire.getByRole("heading", { level: 1, name: PAGE_TITLE })).toBeVisible();

  await claire.goto(`/spaces/${CLUB.slug}/files`);
  await hydrated(claire);
  const pdf = Buffer.from(makePdf([["Atelier transport — compte rendu", `Retenu : ${PHRASE}, et le prix se revoit chaque trimestre.`]]));
  const dataTransfer = await filesDataTransfer(claire, [{ name: PDF_NAME, mimeType: "application/pdf", bytes: pdf }]);
  const dropZone = claire.locator(".files");
  await dropZone.dispatchEvent("dragenter", { dataTransfer });
  await dropZone.dispatchEvent("dragover", { dataTransfer });
  await dropZone.dispatchEvent("drop", { dataTransfer });
  await expect(claire.getByRole("link", { name: PDF_NAME, exact: true })).toBeVisible({ timeout: 30_000 });
  await claire.context().close();
});

test("Bastien types “negoc” in the header and picks the page among the suggestions with the keyboard", async () => {
  const page = bastienPage;
  await page.goto("/spaces");
  await hydrated(page);
  // At this width the box is folded into the bar: "/" unfolds and focuses it, from anywhere on the page.
  await page.keyboard.press("/");
  const box = page.getByRole("combobox", { name: "Rechercher dans le réseau" });
  await expect(box).toBeFocused();
  await box.pressSequentially("negoc", { delay: 40 });
  const list = page.getByRole("listbox", { name: "Suggestions" });
  const option = list.getByRole("option").filter({ hasText: PAGE_TITLE });
  await expect(option).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /suggestion/ })).toHaveText(/\d+ suggestions?, flèches haut et bas pour choisir/);
  await snap(page, "suggestions");
  // Down to the page's suggestion, announced as the active one, then Enter opens it.
  const options = await list.getByRole("option").allTextContents();
  const at = options.findIndex((text) => text.includes(PAGE_TITLE));
  for (let i = 0; i <= at; i++) await box.press("ArrowDown");
  await expect(option).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await option.getAttribute("id"))!);
  await box.press("Enter");
  await page.waitForURL(`**/spaces/${CLUB.slug}/wiki/**`);
  await expect(page.getByRole("heading", { level: 1, name: PAGE_TITLE })).toBeVisible();
});

test("Bastien searches the club for a phrase that is only inside the PDF and finds it, marked", async () => {
  test.setTimeout(90_000);
  const page = bastienPage;
  await page.goto("/search");
  await hydrated(page);
  const form = page.getByRole("search", { name: "Rechercher dans le réseau" }).last();
  await form.getByRole("searchbox").fill(`"${PHRASE}"`);
  await form.getByRole("button", { name: "Rechercher" }).click();
  await page.waitForURL(/\/search\?q=/);
  await hydrated(page);
  await page.getByLabel("Club", { exact: true }).selectOption({ label: CLUB.name });
  await page.waitForURL(new RegExp(`club=${CLUB.slug}`));
  // The text is read from the PDF in the background, a few seconds after the upload.
  const result = page.locator(".search-result").filter({ hasText: PDF_NAME });
  await expect(async () => {
    await page.reload();
    await expect(result).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000, 2000, 3000] });
  await expect(result.locator(".search-kind")).toHaveText("Fichier");
  await expect(result.locator(".search-snippet")).toContainText(PHRASE);
  const marked = await result.locator(".search-snippet mark").allTextContents();
  expect(marked.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(["clause", "revoyure", "protège", "parties"]));
  await expect(page.getByRole("heading", { level: 2, name: "1 résultat" })).toBeVisible();
  await snap(page, "pdf-phrase");
  await result.getByRole("link", { name: PDF_NAME, exact: true }).click();
  await page.waitForURL(`**/spaces/${CLUB.slug}/files/**`);
});

test("on a phone, the box unfolds from the bar and searches", async ({ browser }) => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await signIn(page, bastien.email);
  await page.goto("/spaces");
  await hydrated(page);
  const box = page.getByRole("combobox", { name: "Rechercher dans le réseau" });
  await expect(box).toBeHidden();
  await page.getByRole("button", { name: "Ouvrir la recherche" }).click();
  await expect(box).toBeFocused();
  await box.pressSequentially("atelier transp", { delay: 40 });
  await expect(page.getByRole("listbox", { name: "Suggestions" }).getByRole("option").filter({ hasText: PDF_NAME })).toBeVisible();
  await snap(page, "phone-suggestions");
  await box.press("Enter");
  await page.waitForURL(/\/search\?q=atelier/);
  await expect(page.locator(".search-result").filter({ hasText: PDF_NAME })).toBeVisible();
  await snap(page, "phone-results");
  await page.context().close();
});
