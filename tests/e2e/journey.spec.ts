import { expect, hydrated, PASSWORD, signIn, test, type Browser, type Page } from "./fixtures.ts";
import { expectAccessible } from "./a11y.ts";
import { linkIn, setupLinkFromConsole, snap, waitForMail } from "./support.ts";

/**
 * The foundation's journey, as people live it: the first person sets up the
 * network, creates a secret club that approves co-optations, a member
 * co-opts a newcomer, an admin approves, the newcomer joins from the mail's
 * link; an outsider sees nothing of the club; sign-out; password reset.
 */

test.describe.configure({ mode: "serial" });

const admin = { name: "Claire Martin", email: "claire@cabinet-martin.fr" };
const member = { name: "Julien Moreau", email: "julien@moreau-conseil.fr" };
const newcomer = { name: "Isabelle Garnier", email: "isabelle@garnier.fr" };
const outsider = { name: "Paul Durand", email: "paul@durand.fr" };

async function newPage(browser: Browser, locale = "fr-FR", viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ locale, viewport });
  return context.newPage();
}

/** Opens an invitation link and creates the account it offers. */
async function acceptAsNewcomer(page: Page, link: string, name: string) {
  await page.goto(link);
  await hydrated(page);
  await page.getByLabel(/Votre nom|Your name/).fill(name);
  await page.getByLabel(/^(Choisissez un mot de passe|Choose a password)/).fill(PASSWORD);
  await page.getByLabel(/^(Confirmez le mot de passe|Confirm the password)/).fill(PASSWORD);
}

let adminPage: Page;

test("first-run setup names the network and creates its administrator", async ({ browser }) => {
  adminPage = await newPage(browser);
  const page = adminPage;
  const link = await setupLinkFromConsole();
  await page.goto("/setup?token=wrong");
  await expect(page.getByRole("alert")).toContainText("n’est pas valide");
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Bienvenue sur Cercle" })).toBeVisible();
  await page.getByLabel("Nom du réseau").fill("Réseau des Consultants Associés");
  await page.getByLabel("Votre nom").fill(admin.name);
  await page.getByLabel("Votre adresse e-mail").fill(admin.email);
  await page.getByLabel("Mot de passe", { exact: true }).fill("court");
  await page.getByLabel("Confirmez le mot de passe").fill("autre");
  await page.getByRole("button", { name: "Créer le réseau" }).click();
  // Validation errors beside the fields, nothing sent.
  await expect(page.getByText("Le mot de passe doit compter entre 12 et 128 caractères.")).toBeVisible();
  await snap(page, "setup-errors");
  await page.getByLabel("Mot de passe", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirmez le mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Créer le réseau" }).click();
  await page.waitForURL("**/spaces");
  await expect(page.getByTestId("flash")).toContainText(`Bienvenue, ${admin.name}`);
  await expect(page.getByRole("link", { name: /Réseau des Consultants Associés/ })).toBeVisible();
  await snap(page, "setup-done");
  // The link works once.
  const again = await newPage(browser);
  await again.goto(link);
  await expect(again.getByRole("alert")).toContainText("n’est pas valide");
  await again.context().close();
});

test("the network admin creates a secret club that approves co-optations", async () => {
  const page = adminPage;
  await page.getByRole("link", { name: "Créer un espace" }).click();
  await hydrated(page);
  await page.getByLabel("Nom", { exact: true }).fill("Club Achats & Supply Chain");
  await expect(page.getByLabel("Adresse")).toHaveValue("club-achats-supply-chain");
  await page.getByRole("textbox", { name: /^Description/ }).fill("Négociation, sourcing, S&OP : nos pratiques, nos outils, nos ateliers.");
  await page.getByRole("radio", { name: /^Secret/ }).check();
  await page.getByRole("radio", { name: /^Co-optation avec approbation/ }).check();
  await snap(page, "create-club");
  await page.getByRole("button", { name: "Créer l’espace" }).click();
  await page.waitForURL("**/spaces/club-achats-supply-chain/invite");
  await expect(page.getByTestId("flash")).toContainText("est créé");
  await expect(page.getByRole("heading", { name: "Club Achats & Supply Chain" })).toBeVisible();
});

test("the admin brings in a first member, who joins from the mail", async ({ browser }) => {
  const page = adminPage;
  await page.getByLabel("Son adresse e-mail").fill(member.email);
  await page.getByLabel("Votre recommandation").fill("Julien connaît les achats industriels mieux que personne.");
  await page.getByRole("button", { name: "Envoyer la co-optation" }).click();
  // An admin's co-optation needs no approval: it is mailed (the link is never shown while mail works).
  await expect(page.getByRole("status").filter({ hasText: "Invitation envoyée" })).toBeVisible();
  const mail = await waitForMail(member.email, /Claire Martin vous invite à rejoindre Club Achats/);
  expect(mail.text).toContain("Julien connaît les achats industriels");
  const memberPage = await newPage(browser);
  await acceptAsNewcomer(memberPage, linkIn(mail, "/invitations/"), member.name);
  await memberPage.getByRole("button", { name: "Rejoindre Club Achats & Supply Chain" }).click();
  await memberPage.waitForURL("**/spaces/club-achats-supply-chain");
  await expect(memberPage.getByTestId("flash")).toContainText("Bienvenue dans Club Achats");
  await memberPage.context().close();
});

test("a member co-opts a newcomer and the admin approves", async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, member.email);
  await page.goto("/spaces/club-achats-supply-chain/invite");
  await hydrated(page);
  await expect(page.getByText("les administrateurs approuvent chaque co-optation")).toBeVisible();
  // A member may not hand out the admin role.
  await expect(page.getByLabel("Rôle").locator("option")).toHaveText(["Membre", "Invité"]);
  await page.getByLabel("Son adresse e-mail").fill(newcomer.email);
  await page.getByLabel("Votre recommandation").fill("Isabelle a dirigé les achats indirects d’un groupe agroalimentaire.");
  await page.getByRole("button", { name: "Envoyer la co-optation" }).click();
  await expect(page.getByText(`Votre co-optation de ${newcomer.email} attend l’approbation`)).toBeVisible();
  await snap(page, "coopt-queued");
  await page.context().close();

  // The admin is told, and decides.
  await waitForMail(admin.email, /Une co-optation attend votre approbation/);
  await adminPage.goto("/spaces/club-achats-supply-chain/approvals");
  await hydrated(adminPage);
  const request = adminPage.getByRole("article", { name: newcomer.email });
  await expect(request).toContainText("Co-opté par Julien Moreau");
  await expect(request).toContainText("Isabelle a dirigé les achats indirects");
  await snap(adminPage, "approval-queue");
  await request.getByRole("button", { name: "Approuver" }).click();
  await expect(adminPage.getByTestId("flash")).toContainText(`l’invitation part vers ${newcomer.email}`);
  // The sponsor hears of it.
  await waitForMail(member.email, /est approuvée/);
});

test("the newcomer opens the mail's link in English, sets a password and lands in the club", async ({ browser }) => {
  const mail = await waitForMail(newcomer.email, /Julien Moreau vous invite/);
  expect(mail.text).toContain("Julien Moreau vous co-opte");
  const page = await newPage(browser, "en-GB", { width: 390, height: 844 });
  await page.goto(linkIn(mail, "/invitations/"));
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Invitation to join Club Achats & Supply Chain" })).toBeVisible();
  await expect(page.getByText("Julien Moreau co-opts you")).toBeVisible();
  await snap(page, "invitation-phone-en");
  await acceptAsNewcomer(page, page.url(), newcomer.name);
  await page.getByRole("button", { name: "Join Club Achats & Supply Chain" }).click();
  await page.waitForURL("**/spaces/club-achats-supply-chain");
  await expect(page.getByTestId("flash")).toContainText("Welcome to Club Achats & Supply Chain!");
  await expect(page.getByText("Isabelle Garnier joined the space, co-opted by Julien Moreau")).toBeVisible();
  await snap(page, "newcomer-in-club-phone-en");
  await page.goto("/spaces/club-achats-supply-chain/members");
  await expect(page.getByRole("row", { name: /Isabelle Garnier/ })).toContainText("Julien Moreau");
  await snap(page, "members-phone-en");
  // The link was single-use.
  await page.goto(linkIn(mail, "/invitations/"));
  await expect(page.getByRole("alert")).toContainText("already used");

  // Sign-out ends the session; the club is out of reach afterwards.
  await page.getByRole("button", { name: /My account/ }).click();
  await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
  await expectAccessible(page, "account menu");
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL("**/login");
  await expect(page.getByTestId("flash")).toContainText("You are signed out");
  await snap(page, "signed-out-en");
  await page.goto("/spaces/club-achats-supply-chain");
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  await page.context().close();
});

test("an outsider sees neither the club nor its members", async ({ browser }) => {
  // The outsider belongs to the network through another, listed club.
  await adminPage.goto("/spaces/new");
  await hydrated(adminPage);
  await adminPage.getByLabel("Nom", { exact: true }).fill("Cercle Lyon");
  await adminPage.getByRole("radio", { name: /^Répertorié/ }).check();
  await adminPage.getByRole("radio", { name: /^Co-optation directe/ }).check();
  await adminPage.getByRole("button", { name: "Créer l’espace" }).click();
  await adminPage.waitForURL("**/spaces/cercle-lyon/invite");
  await adminPage.getByLabel("Son adresse e-mail").fill(outsider.email);
  await adminPage.getByRole("button", { name: "Envoyer la co-optation" }).click();
  const mail = await waitForMail(outsider.email, /vous invite à rejoindre Cercle Lyon/);
  const page = await newPage(browser);
  await acceptAsNewcomer(page, linkIn(mail, "/invitations/"), outsider.name);
  await page.getByRole("button", { name: "Rejoindre Cercle Lyon" }).click();
  await page.waitForURL("**/spaces/cercle-lyon");

  await page.goto("/clubs");
  await expect(page.getByRole("heading", { name: "Cercle Lyon" })).toBeVisible();
  await expect(page.getByText("Club Achats & Supply Chain")).toHaveCount(0);
  await snap(page, "outsider-clubs");
  for (const path of ["", "/members", "/invite", "/approvals", "/wiki"]) {
    const response = await page.goto(`/spaces/club-achats-supply-chain${path}`);
    expect(response?.status(), path).toBe(404);
  }
  await expect(page.getByRole("heading", { name: "Page introuvable" })).toBeVisible();
  await expect(page.getByText("Isabelle Garnier")).toHaveCount(0);
  await snap(page, "outsider-404");
  await page.context().close();
});

test("a forgotten password is reset from the mail's link", async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto("/login");
  await hydrated(page);
  await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
  await page.waitForURL("**/forgot-password");
  await page.getByLabel("Adresse e-mail").fill(newcomer.email);
  await page.getByRole("button", { name: "Envoyer le lien" }).click();
  await expect(page.getByRole("status")).toContainText("Si un compte existe pour cette adresse");
  await snap(page, "forgot-sent");
  const mail = await waitForMail(newcomer.email, /Choose a new password|Choisir un nouveau mot de passe/);
  const link = linkIn(mail, "/reset-password/");
  await page.goto(link);
  await hydrated(page);
  const fresh = "un tout nouveau mot de passe";
  await page.getByRole("textbox", { name: /^(Nouveau mot de passe|New password)$/ }).fill(fresh);
  await page.getByLabel(/Confirmez le nouveau mot de passe|Confirm the new password/).fill(fresh);
  await page.getByRole("button", { name: /Changer le mot de passe|Change the password/ }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await snap(page, "reset-done");
  // The old password no longer opens the account; the new one does.
  const other = await newPage(browser);
  await other.goto("/login");
  await hydrated(other);
  await other.getByLabel("Adresse e-mail").fill(newcomer.email);
  await other.getByLabel("Mot de passe", { exact: true }).fill(PASSWORD);
  await other.getByRole("main").getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(other.getByRole("alert")).toContainText("Adresse e-mail ou mot de passe incorrect.");
  await snap(other, "old-password-refused");
  await signIn(other, newcomer.email, fresh);
  await expect(other.getByRole("heading", { level: 1, name: /Quoi de neuf|What’s new/ })).toBeVisible();
  await other.goto("/spaces");
  await expect(other.getByRole("link", { name: /Club Achats & Supply Chain/ })).toBeVisible();
  // The link is spent.
  await other.goto(link);
  await expect(other.getByRole("alert")).toContainText(/déjà servi|already used/);
  await other.context().close();
  await page.context().close();
});
