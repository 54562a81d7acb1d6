import { expect, hydrated, signIn, test, type Page } from "./fixtures.ts";
import { newPage } from "./clubs.ts";
import { makePdf, screenshotSeries } from "./support.ts";

/**
 * Who sees what, and a file shared with a client (issue 19), after the
 * journey: in the secret "Club Achats & Supply Chain", Claire (its admin)
 * allows share links, told plainly what that means for a secret club.
 * Julien uploads a proposal, sees under its name who can read it ("the N
 * members of …", the names behind it), and shares it for two days. The
 * client opens the link in a private window: the file alone, Julien's and
 * the club's names, nothing else of the club; the download is the very
 * bytes. Julien revokes it, and the client's next visit says it no longer
 * works. Desktop and phone; screenshots looked at.
 */

test.describe.configure({ mode: "serial" });

const SPACE = "club-achats-supply-chain";
const CLUB = "Club Achats & Supply Chain";
const PDF = "Proposition mission achats Transports Girard.pdf";
const claire = { email: "claire@cabinet-martin.fr" };
const julien = { email: "julien@moreau-conseil.fr", name: "Julien Moreau" };

const snap = screenshotSeries("share");
let pdfBytes: Buffer;
let link = "";
let julienPage: Page;

test("Claire allows share links in her secret club, warned that a link names the club", async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, claire.email);
  await page.goto(`/spaces/${SPACE}/settings`);
  await hydrated(page);
  const section = page.getByRole("region", { name: "Partage hors du club" });
  await expect(section.getByRole("note")).toContainText("Ce club est secret");
  const allow = section.getByRole("checkbox", { name: "Autoriser les liens de partage" });
  await expect(allow).not.toBeChecked();
  await allow.check();
  await snap(page, "settings");
  await section.getByRole("button", { name: "Enregistrer le partage" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Les membres peuvent désormais partager" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Partage hors du club" }).getByRole("checkbox", { name: "Autoriser les liens de partage" })).toBeChecked();
  await page.context().close();
});

test("Julien uploads a proposal and sees who can read it", async ({ browser }) => {
  pdfBytes = makePdf("Proposition de mission achats pour Transports Girard", 40_000);
  julienPage = await newPage(browser);
  const page = julienPage;
  await signIn(page, julien.email);
  await page.goto(`/spaces/${SPACE}/files`);
  await hydrated(page);
  await page.locator('input[type="file"]').first().setInputFiles({ name: PDF, mimeType: "application/pdf", buffer: pdfBytes });
  const queue = page.getByRole("region", { name: "Envois" });
  await expect(queue.getByRole("listitem").filter({ hasText: PDF })).toContainText("Envoyé", { timeout: 30_000 });
  // The folder says who reads what it holds, as the file will.
  await expect(page.locator(".files .audience-line").first()).toContainText(`membres de ${CLUB}`);
  await page.getByRole("link", { name: PDF }).first().click();
  await page.waitForURL(/\/files\/[a-z0-9]+$/);
  await hydrated(page);

  const members = await memberCount(page);
  const line = page.locator(".audience-details");
  await expect(line).toContainText(`Visible par les ${members} membres de ${CLUB}`);
  await line.getByText("Qui ?").click();
  await expect(line.getByRole("link", { name: "Claire Martin" })).toBeVisible();
  await expect(line.getByRole("link", { name: julien.name })).toBeVisible();
  await expect(line.getByRole("listitem")).toHaveCount(members);
  await snap(page, "file-audience");
});

test("he shares it for two days; the link is shown once", async () => {
  const page = julienPage;
  await page.getByRole("link", { name: "Partager hors du club" }).click();
  await page.waitForURL(/\/shares\?file=/);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: `Partager « ${PDF} » hors du club` })).toBeVisible();
  await expect(page.getByRole("radio", { name: "2 jours" })).toBeChecked();
  await expect(page.getByText("Aucun lien actif.")).toBeVisible();
  const before = Date.now();
  await page.getByRole("button", { name: "Créer le lien" }).click();
  const created = page.getByRole("status").filter({ hasText: "Lien créé." });
  await expect(created).toBeVisible();
  link = await created.getByRole("textbox", { name: "Lien à transmettre" }).inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[a-z0-9]{32}$/);
  // Valid two days: the row says when it ends.
  const row = page.locator(".share-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Jamais ouvert");
  const expires = new Date(before + 2 * 86_400_000).toLocaleDateString("fr-FR", { day: "numeric", month: "short", timeZone: "Europe/Paris" });
  await expect(row).toContainText(`expire le ${expires}`);
  await snap(page, "link-created");
});

test("the client opens it in a private window: the file alone, and its very bytes", async ({ browser }) => {
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    // A fresh context: no cookie, nobody signed in, as a client's browser.
    const client = await newPage(browser, viewport);
    const response = await client.goto(link);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
    await expect(client.getByRole("heading", { level: 1, name: PDF })).toBeVisible();
    await expect(client.getByText(`Partagé par ${julien.name}, ${CLUB}`)).toBeVisible();
    // Nothing of the network around it: no menu, no sign-in, no other address of the club.
    await expect(client.getByRole("navigation")).toHaveCount(0);
    const hrefs = await client.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual([new URL(link).pathname + "/download"]);
    if (viewport.width === 1280) {
      const download = client.waitForEvent("download");
      await client.getByRole("link", { name: "Télécharger" }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(PDF);
      const saved = await file.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of saved) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(pdfBytes)).toBe(true);
    }
    await snap(client, viewport.width === 1280 ? "client-desktop" : "client-phone");
    await client.context().close();
  }
  // Julien sees the two openings.
  await julienPage.reload();
  await expect(julienPage.locator(".share-row")).toContainText("Ouvert 2 fois");
});

test("Julien revokes it: the client's next visit is told it no longer works", async ({ browser }) => {
  const page = julienPage;
  await page.getByRole("button", { name: `Révoquer le lien vers « ${PDF} »` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Lien révoqué" })).toBeVisible();
  await expect(page.getByText("Aucun lien actif.")).toBeVisible();
  const client = await newPage(browser);
  const response = await client.goto(link);
  expect(response?.status()).toBe(410);
  await expect(client.getByRole("heading", { name: "Ce lien ne fonctionne plus" })).toBeVisible();
  await expect(client.getByText(PDF)).toHaveCount(0);
  await expect(client.getByText(CLUB)).toHaveCount(0);
  await snap(client, "revoked");
  await client.context().close();
  await page.context().close();
});

/** How many people the club's member list shows: what "the N members" must say. */
async function memberCount(page: Page): Promise<number> {
  const members = await page.context().newPage();
  await members.goto(`/spaces/${SPACE}/members`);
  const count = await members.locator("table.table tbody tr").count();
  await members.close();
  return count;
}
