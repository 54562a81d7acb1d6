import sharp from "sharp";
import { expect, hydrated, signIn, test, type Page } from "./fixtures.ts";
import { newPage, openClubAndCoopt } from "./clubs.ts";
import { screenshotSeries } from "./support.ts";

/**
 * People, as members live it (after the journey, which made the network and
 * Claire, its administrator). Claire opens two clubs and co-opts Inès into
 * one and Paul into the other: they share no club. Inès fills her profile —
 * a headline, a bio, skills as tags (the second spelling of a skill is the
 * same skill), her region, her city kept to herself, what she is open to —
 * reads "who can see my profile", and checks "see my profile as…". Paul, on
 * a phone, finds her by skill and region in the directory, opens her
 * profile, and sees everything she shows the network and nothing else.
 */

test.describe.configure({ mode: "serial" });

const claireAccount = { email: "claire@cabinet-martin.fr" };
const ines = { name: "Inès Garnier", email: "ines.garnier@garnier-achats.fr" };
const paul = { name: "Paul Mercier", email: "paul.mercier@mercier-conseil.fr" };
const CLUB_INES = { name: "Club Achats Bordeaux", slug: "club-achats-bordeaux" };
const CLUB_PAUL = { name: "Cercle Lille Métropole", slug: "cercle-lille-metropole" };
const HEADLINE = "Acheteuse de transition, 12 ans dans l’aéronautique";
const CITY = "Mérignac";
const PHONE = 390;

const snap = screenshotSeries("people");

let claire: Page;
let inesPage: Page;
let inesId = "";

test("Claire opens two clubs and co-opts Inès into one, Paul into the other", async ({ browser }) => {
  test.setTimeout(120_000);
  claire = await newPage(browser);
  await signIn(claire, claireAccount.email);
  inesPage = await openClubAndCoopt(claire, browser, CLUB_INES, ines);
  const paulPage = await openClubAndCoopt(claire, browser, CLUB_PAUL, paul);
  await paulPage.context().close();
});

test("Inès fills her profile: skills as tags, her city kept to herself", async () => {
  test.setTimeout(90_000);
  const page = inesPage;
  await page.goto("/settings/profile");
  await hydrated(page);
  // A photo first, its own form: a phone's JPEG, previewed square before it is sent.
  const jpeg = await sharp({ create: { width: 900, height: 1200, channels: 3, background: { r: 70, g: 110, b: 170 } } }).jpeg().toBuffer();
  await page.getByLabel("Choisir une photo").setInputFiles({ name: "IMG_0412.jpg", mimeType: "image/jpeg", buffer: jpeg });
  await expect(page.getByRole("img", { name: "Aperçu de la photo choisie" })).toBeVisible();
  await page.getByRole("button", { name: "Enregistrer la photo" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Photo enregistrée" })).toBeVisible();
  await hydrated(page);

  const form = page.getByRole("main");
  await form.getByLabel(/^Accroche/).fill(HEADLINE);
  await form.getByRole("textbox", { name: "Présentation" }).fill("J’accompagne les PME industrielles dans la renégociation de leurs contrats fournisseurs.");

  // Skills as tags: Enter adds one, a comma another; a second spelling of the same skill is not added twice.
  const skills = form.getByRole("combobox", { name: "Compétences", exact: true });
  await skills.fill("Négociation");
  await skills.press("Enter");
  await skills.fill("achats publics");
  await skills.press(",");
  await skills.fill("negociation");
  await skills.press("Enter");
  const chosen = form.getByRole("list", { name: "Vos compétences" });
  await expect(chosen.getByRole("listitem")).toHaveCount(2);
  await expect(chosen).toContainText("Négociation");
  await expect(chosen).toContainText("achats publics");

  await form.getByLabel("Région", { exact: true }).selectOption({ label: "Nouvelle-Aquitaine" });
  await form.getByLabel(/^Ville/).fill(CITY);
  await form.getByLabel("Qui voit : Ville").selectOption({ label: "Moi seul" });
  await form.getByRole("checkbox", { name: "Missions" }).check();
  await form.getByRole("checkbox", { name: "Mentorat" }).check();

  // "Who can see my profile" follows the choices before they are saved.
  const who = page.getByRole("region", { name: "Qui peut voir mon profil" });
  await expect(who.getByRole("listitem").filter({ hasText: /^Ville/ })).toHaveText("Ville : vous seul");
  await expect(who.getByRole("listitem").filter({ hasText: /^Accroche/ })).toContainText("du réseau");
  await snap(page, "profile-form");

  await form.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Profil enregistré" })).toBeVisible();
  // What was saved comes back in the form.
  await expect(form.getByLabel(/^Ville/)).toHaveValue(CITY);
  await expect(form.getByLabel("Qui voit : Ville")).toHaveValue("me");
  await expect(form.getByRole("list", { name: "Vos compétences" }).getByRole("listitem")).toHaveCount(2);
});

test("Inès sees her profile as a member of her clubs and as another network member sees it", async () => {
  const page = inesPage;
  await page.getByRole("link", { name: "Voir mon profil" }).click();
  await page.waitForURL(/\/people\/[^/?]+$/);
  inesId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ines.name);
  // Her own view: everything, the city included.
  await expect(page.getByRole("main")).toContainText(CITY);

  await page.getByRole("link", { name: "un autre membre du réseau" }).first().click();
  await page.waitForURL(/\?as=network/);
  await expect(page.getByRole("status")).toContainText("ne partage aucun club");
  await expect(page.getByRole("main")).toContainText(HEADLINE);
  await expect(page.getByRole("main")).toContainText("Nouvelle-Aquitaine");
  await expect(page.getByRole("main")).not.toContainText(CITY);
  // The bio is for her clubs by default: not shown to the network either.
  await expect(page.getByRole("main")).not.toContainText("renégociation");
  await snap(page, "see-as-network");

  await page.getByRole("link", { name: "un membre de mes clubs" }).first().click();
  await page.waitForURL(/\?as=club/);
  await expect(page.getByRole("main")).toContainText("renégociation");
  await expect(page.getByRole("main")).not.toContainText(CITY);
});

test("Paul, on a phone, finds her by skill and region and opens her profile", async ({ browser }) => {
  const page = await newPage(browser, { width: PHONE, height: 844 });
  await signIn(page, paul.email);
  await page.goto("/people");
  await hydrated(page);
  // The text box forgives accents and takes the start of a word.
  await page.getByRole("searchbox", { name: "Rechercher un membre" }).fill("nego");
  await page.getByRole("button", { name: "Rechercher" }).click();
  await page.waitForURL(/q=nego/);
  const results = page.getByRole("region", { name: /membres?$/ });
  await expect(results.getByRole("heading", { name: ines.name })).toBeVisible();

  // Then the filters: a skill and a region, each choice with its count.
  await page.getByLabel("Compétence", { exact: true }).selectOption({ label: "Négociation (1)" });
  await page.waitForURL(/skill=negociation/);
  await page.getByLabel("Région", { exact: true }).selectOption({ label: "Nouvelle-Aquitaine (1)" });
  await page.waitForURL(/region=naq/);
  await expect(results.getByRole("listitem").getByRole("heading", { level: 2 })).toHaveText([ines.name]);
  // Her photo, which she shows the network: drawn, from its own address.
  const photo = results.locator("img.avatar-photo");
  await expect(photo).toHaveAttribute("src", new RegExp(`^/people/[^/]+/photo/[a-z0-9]+/s$`));
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(128);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "no sideways scroll").toBeLessThanOrEqual(PHONE);
  await snap(page, "directory-phone");

  await results.getByRole("link", { name: ines.name }).click();
  await page.waitForURL(`**/people/${inesId}`);
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { level: 1 })).toHaveText(ines.name);
  await expect(main).toContainText(HEADLINE);
  await expect(main).toContainText("Nouvelle-Aquitaine");
  await expect(main.getByRole("link", { name: "Négociation" })).toBeVisible();
  await expect(main).toContainText("des missions et du mentorat");
  // What she keeps to herself or to her clubs: not here.
  await expect(main).not.toContainText(CITY);
  await expect(main).not.toContainText("renégociation");
  await expect(main).not.toContainText(ines.email);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "no sideways scroll").toBeLessThanOrEqual(PHONE);
  await snap(page, "profile-phone");
  await page.context().close();
});
