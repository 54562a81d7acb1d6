import { expect, hydrated, signIn, test, type Page } from "./fixtures.ts";
import { newPage, openClubAndCoopt } from "./clubs.ts";
import { screenshotSeries } from "./support.ts";

/**
 * Asking and talking, as members live it (after the journey, which made the
 * network and Claire, its administrator). Claire opens two clubs and co-opts
 * Léa into one and Gaspard into the other: they share no club. Léa asks the
 * whole network for an expert; Gaspard, from his own club, finds the ask marked
 * for his skills, answers it; Léa resolves it and thanks him, and his
 * profile says he helped. Gaspard asks Léa for contact; she accepts; in two
 * browsers, each sees the other's replies arrive without reloading. Then Léa
 * blocks Gaspard, and he can no longer write to her.
 */

test.describe.configure({ mode: "serial" });

const lea = { name: "Léa Fournier", email: "lea.fournier@fournier-rh.fr" };
const gaspard = { name: "Gaspard Roche", email: "gaspard.roche@roche-conseil.fr" };
const CLUB_LEA = { name: "Club RH Nantes", slug: "club-rh-nantes" };
const CLUB_HUGO = { name: "Cercle Marseille Provence", slug: "cercle-marseille-provence" };
const ASK_TITLE = "Qui a déjà négocié un accord de télétravail dans la grande distribution ?";

const snap = screenshotSeries("dialogue");

let leaPage: Page;
let gaspardPage: Page;
let askUrl = "";
let conversationUrl = "";

/** Types into the comment-style editor of the page (an ask's text, an answer, a message). */
async function typeInEditor(page: Page, label: string | RegExp, text: string) {
  const editor = page.getByRole("textbox", { name: label });
  await editor.click();
  await page.keyboard.type(text);
}

test("Claire opens two clubs and co-opts Léa into one, Gaspard into the other", async ({ browser }) => {
  test.setTimeout(120_000);
  const claire = await newPage(browser);
  await signIn(claire, "claire@cabinet-martin.fr");
  leaPage = await openClubAndCoopt(claire, browser, CLUB_LEA, lea);
  gaspardPage = await openClubAndCoopt(claire, browser, CLUB_HUGO, gaspard);
  await claire.context().close();
  // Gaspard says what he knows: the network's asks for it will be marked for him.
  await gaspardPage.goto("/settings/profile");
  await hydrated(gaspardPage);
  const skills = gaspardPage.getByRole("combobox", { name: "Compétences", exact: true });
  await skills.fill("dialogue social");
  await skills.press("Enter");
  await gaspardPage.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(gaspardPage.getByRole("status").filter({ hasText: "Profil enregistré" })).toBeVisible();
});

test("Léa asks the whole network for an expert", async () => {
  test.setTimeout(60_000);
  const page = leaPage;
  await page.goto(`/spaces/${CLUB_LEA.slug}/asks`);
  await hydrated(page);
  await page.getByRole("link", { name: "Demander de l’aide" }).click();
  await page.waitForURL(`**/spaces/${CLUB_LEA.slug}/asks/new`);
  await hydrated(page);
  await page.getByRole("radio", { name: /^Recherche d’expert/ }).check();
  await page.getByLabel("Titre").fill(ASK_TITLE);
  await typeInEditor(page, "Détails", "Un client de 40 magasins veut ouvrir le télétravail à ses fonctions support. Je cherche un retour d’expérience sur la négociation avec les syndicats.");
  const skills = page.getByRole("combobox", { name: /Compétences recherchées/ });
  await skills.fill("dialogue social");
  await skills.press("Enter");
  await page.getByLabel("Région").selectOption({ label: "Pays de la Loire" });
  await page.getByRole("radio", { name: /^Tout le réseau/ }).check();
  await snap(page, "ask-form");
  await page.getByRole("button", { name: "Publier la demande" }).click();
  // The ask's own page (not the form's address, /asks/new).
  await page.waitForURL(/\/asks\/(?!new$)[0-9a-z]+$/);
  askUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: ASK_TITLE })).toBeVisible();
  await expect(page.getByText("Tout le réseau").first()).toBeVisible();
});

test("Gaspard, from another club, finds the ask marked for him and answers it", async () => {
  test.setTimeout(60_000);
  const page = gaspardPage;
  await page.goto("/asks");
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: ASK_TITLE });
  await expect(card).toBeVisible();
  await expect(card.getByText(/Pour vous : dialogue social/)).toBeVisible();
  await snap(page, "network-asks");
  await card.getByRole("link", { name: ASK_TITLE }).click();
  await page.waitForURL(`**${askUrl}`);
  await hydrated(page);
  // Nothing else of Léa's club: no tabs into its wiki or files.
  await expect(page.getByRole("navigation", { name: /Sections de l’espace|espace/ }).getByRole("link", { name: "Wiki" })).toHaveCount(0);
  await typeInEditor(page, /Votre commentaire/, "Je l’ai fait chez une enseigne de bricolage en 2024 : trois réunions, un accord à deux jours par semaine. Appelons-nous.");
  await page.getByRole("button", { name: "Publier" }).click();
  await expect(page.locator(".comment").filter({ hasText: "enseigne de bricolage" })).toBeVisible();
});

test("Léa resolves her ask and thanks Gaspard; his profile says he helped", async () => {
  test.setTimeout(60_000);
  const page = leaPage;
  await page.goto(askUrl);
  await hydrated(page);
  await expect(page.locator(".comment").filter({ hasText: "enseigne de bricolage" })).toBeVisible();
  await page.getByRole("checkbox", { name: gaspard.name }).check();
  await snap(page, "resolve");
  await page.getByRole("button", { name: "Marquer comme résolue" }).click();
  await expect(page.getByRole("status").filter({ hasText: /1 membre est remercié/ })).toBeVisible();
  await expect(page.getByText("Résolue").first()).toBeVisible();
  await expect(page.getByText(`Merci à ${gaspard.name} pour leur aide.`)).toBeVisible();
  // Gaspard's profile, as Léa finds it in the directory: helped once.
  await page.goto("/people?q=Gaspard");
  await page.getByRole("link", { name: gaspard.name }).first().click();
  await page.waitForURL(/\/people\/[0-9a-z]+$/);
  await expect(page.getByText("A aidé 1 fois dans l’entraide du réseau")).toBeVisible();
});

test("Gaspard asks Léa for contact; she accepts", async () => {
  test.setTimeout(60_000);
  await gaspardPage.goto(askUrl);
  await hydrated(gaspardPage);
  await gaspardPage.getByRole("link", { name: lea.name }).first().click();
  await gaspardPage.waitForURL(/\/people\/[0-9a-z]+$/);
  await hydrated(gaspardPage);
  await expect(gaspardPage.getByText("Vous ne partagez aucun club : votre premier message sera une demande de contact.")).toBeVisible();
  await gaspardPage.getByRole("link", { name: "Demander le contact" }).click();
  await gaspardPage.waitForURL(/\/messages\/new\?to=/);
  await hydrated(gaspardPage);
  await typeInEditor(gaspardPage, "Votre message", "Bonjour Léa, ravi d’avoir pu aider. Je vous propose d’en parler de vive voix cette semaine.");
  await gaspardPage.getByRole("button", { name: "Envoyer la demande de contact" }).click();
  await gaspardPage.waitForURL(/\/messages\/[0-9a-z]+$/);
  conversationUrl = new URL(gaspardPage.url()).pathname;
  await expect(gaspardPage.getByText(/attend la réponse de Léa Fournier/)).toBeVisible();
  // Until she answers, he cannot write more.
  await expect(gaspardPage.getByRole("button", { name: "Envoyer", exact: true })).toHaveCount(0);

  const page = leaPage;
  await page.goto("/messages");
  await hydrated(page);
  await expect(page.getByRole("link", { name: /Gaspard Roche/ })).toBeVisible();
  await expect(page.getByText("Demande de contact")).toBeVisible();
  await expect(page.getByRole("link", { name: /Messages, 1 conversation non lue/ })).toBeVisible();
  await snap(page, "messages-request");
  await page.getByRole("link", { name: /Gaspard Roche/ }).click();
  await page.waitForURL(`**${conversationUrl}`);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Gaspard Roche souhaite échanger avec vous" })).toBeVisible();
  await page.getByRole("button", { name: "Accepter" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Demande acceptée" })).toBeVisible();
});

test("In two browsers, Léa and Gaspard see each other's replies arrive without reloading", async () => {
  test.setTimeout(90_000);
  await gaspardPage.goto(conversationUrl);
  await hydrated(gaspardPage);
  await leaPage.goto(conversationUrl);
  await hydrated(leaPage);
  const gaspardUrlBefore = gaspardPage.url();

  await typeInEditor(leaPage, "Votre message", "Avec plaisir ! Jeudi 14 h ?");
  await leaPage.getByRole("button", { name: "Envoyer", exact: true }).click();
  // Gaspard's page, untouched, shows it within a few seconds.
  await expect(gaspardPage.locator(".message").filter({ hasText: "Jeudi 14 h ?" })).toBeVisible({ timeout: 15_000 });
  expect(gaspardPage.url()).toBe(gaspardUrlBefore);

  await typeInEditor(gaspardPage, "Votre message", "Parfait, je vous appelle jeudi à 14 h.");
  await gaspardPage.getByRole("button", { name: "Envoyer", exact: true }).click();
  await expect(leaPage.locator(".message").filter({ hasText: "je vous appelle jeudi" })).toBeVisible({ timeout: 15_000 });
  await snap(leaPage, "conversation");

  // Gaspard takes back a word: the others see "message deleted".
  await typeInEditor(gaspardPage, "Votre message", "Message envoyé par erreur");
  await gaspardPage.getByRole("button", { name: "Envoyer", exact: true }).click();
  const mistake = gaspardPage.locator(".message").filter({ hasText: "Message envoyé par erreur" });
  await expect(mistake).toBeVisible();
  await mistake.getByRole("button", { name: "Supprimer" }).click();
  await gaspardPage.getByRole("dialog").getByRole("button", { name: "Supprimer" }).click();
  await expect(gaspardPage.getByRole("status").filter({ hasText: "Votre message est supprimé" })).toBeVisible();
  await expect(leaPage.locator(".message-deleted")).toBeVisible({ timeout: 15_000 });
  await expect(leaPage.getByText("Message envoyé par erreur")).toHaveCount(0);
});

test("Léa blocks Gaspard: he can no longer write to her, and is not told why", async () => {
  test.setTimeout(60_000);
  const page = leaPage;
  await page.getByRole("link", { name: gaspard.name }).first().click();
  await page.waitForURL(/\/people\/[0-9a-z]+$/);
  await hydrated(page);
  await page.getByRole("button", { name: "Bloquer" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Bloquer" }).click();
  await expect(page.getByRole("status").filter({ hasText: /bloqué/ })).toBeVisible();

  await gaspardPage.goto(conversationUrl);
  await hydrated(gaspardPage);
  await expect(gaspardPage.getByText("Vous ne pouvez plus écrire dans cette conversation.")).toBeVisible();
  await expect(gaspardPage.getByRole("button", { name: "Envoyer", exact: true })).toHaveCount(0);
  await gaspardPage.getByRole("link", { name: lea.name }).first().click();
  await gaspardPage.waitForURL(/\/people\/[0-9a-z]+$/);
  await expect(gaspardPage.getByRole("link", { name: /Envoyer un message|Demander le contact/ })).toHaveCount(0);
  await snap(gaspardPage, "blocked-profile");
});
