import { expect, hydrated, PASSWORD, type Browser, type Page } from "./fixtures.ts";
import { linkIn, waitForMail } from "./support.ts";

/** A page of its own (a fresh context: its own cookies), in French, at a desktop width unless told. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: "fr-FR", viewport });
  return context.newPage();
}

/**
 * As the network's admin (`admin`, signed in): opens a listed club that
 * co-opts directly, co-opts `person` into it by mail, and answers with the
 * page of that person, who took the invitation and is in the club.
 */
export async function openClubAndCoopt(admin: Page, browser: Browser, club: { name: string; slug: string }, person: { name: string; email: string }): Promise<Page> {
  await admin.goto("/spaces/new");
  await hydrated(admin);
  await admin.getByLabel("Nom", { exact: true }).fill(club.name);
  await expect(admin.getByLabel("Adresse")).toHaveValue(club.slug);
  await admin.getByRole("textbox", { name: /^Description/ }).fill(`Les membres de ${club.name}.`);
  await admin.getByRole("radio", { name: /^Répertorié/ }).check();
  await admin.getByRole("radio", { name: /^Co-optation directe/ }).check();
  await admin.getByRole("button", { name: "Créer l’espace" }).click();
  await admin.waitForURL(`**/spaces/${club.slug}/invite`);
  await admin.getByLabel("Son adresse e-mail").fill(person.email);
  await admin.getByRole("button", { name: "Envoyer la co-optation" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "Invitation envoyée" })).toBeVisible();
  const mail = await waitForMail(person.email, new RegExp(`vous invite à rejoindre ${club.name}`));
  const page = await newPage(browser);
  await page.goto(linkIn(mail, "/invitations/"));
  await hydrated(page);
  await page.getByLabel(/Votre nom/).fill(person.name);
  await page.getByLabel(/^Choisissez un mot de passe/).fill(PASSWORD);
  await page.getByLabel(/^Confirmez le mot de passe/).fill(PASSWORD);
  await page.getByRole("button", { name: `Rejoindre ${club.name}` }).click();
  await page.waitForURL(`**/spaces/${club.slug}`);
  return page;
}
