import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase, type OpenedDatabase } from "../../db/client.ts";
import { transact } from "../../db/transact.ts";
import { carryOutDeletion } from "../../app/accounts/deletion.server.ts";
import { expect, hydrated, PASSWORD, signIn, test, visitsFile, type Page, type Visit } from "./fixtures.ts";
import { newPage, openClubAndCoopt } from "./clubs.ts";
import { screenshotSeries, waitForMail } from "./support.ts";

/**
 * Leaving the network (issue 19), as a member lives it, after the journey
 * (which made the network and Claire, its administrator). Claire opens a
 * club and co-opts Marc; she writes a wiki page, Marc comments on it. Marc
 * asks for his account's deletion, keeping what he wrote for the club,
 * anonymised: he is signed out, told the date by mail, and gone from the
 * directory at once. Fourteen days later (the test moves his date and runs
 * the deletion's own command), his comment on Claire's page reads "Ancien
 * membre". Claire, the only admin of her club, is told to hand over first.
 */

test.describe.configure({ mode: "serial" });

const claireAccount = { email: "claire@cabinet-martin.fr" };
const marc = { name: "Marc Delorme", email: "marc.delorme@delorme-conseil.fr" };
const CLUB = { name: "Club Achats Nantes", slug: "club-achats-nantes" };
const PAGE_TITLE = "Renégocier un contrat de transport";
const COMMENT = "Nous avons obtenu 8 % en regroupant les flux de deux sites : demandez les volumes consolidés avant la réunion.";
const PHONE = 390;

const snap = screenshotSeries("leave");

let claire: Page;
let marcPage: Page;
let pageUrl = "";
let store: OpenedDatabase;

test.beforeAll(() => {
  store = openDatabase(path.join(process.env.CERCLE_E2E_DIR!, "cercle.db"));
});
test.afterAll(async () => {
  await store?.close();
});

test("Claire opens a club, co-opts Marc and writes a page; Marc comments on it", async ({ browser }) => {
  test.setTimeout(120_000);
  claire = await newPage(browser);
  await signIn(claire, claireAccount.email);
  marcPage = await openClubAndCoopt(claire, browser, CLUB, marc);

  await claire.goto(`/spaces/${CLUB.slug}/wiki/new`);
  await hydrated(claire);
  const editor = claire.locator('[data-lexical-editor="true"]');
  await expect(editor).toBeVisible();
  await claire.getByLabel("Titre", { exact: true }).fill(PAGE_TITLE);
  await editor.click();
  await claire.keyboard.type("Préparer la renégociation : volumes, délais, pénalités, et une alternative crédible.");
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL((url) => url.pathname.startsWith(`/spaces/${CLUB.slug}/wiki/`) && !url.pathname.endsWith("/new"));
  pageUrl = new URL(claire.url()).pathname;

  await marcPage.goto(pageUrl);
  await hydrated(marcPage);
  const comments = marcPage.getByRole("region", { name: /Commentaires/ });
  await comments.getByRole("textbox", { name: "Votre commentaire" }).click();
  await marcPage.keyboard.type(COMMENT);
  await comments.getByRole("button", { name: "Publier" }).click();
  await expect(comments.getByRole("article", { name: marc.name })).toContainText("8 %");
});

test("Claire, the club's only admin, is asked to hand over before she could leave", async () => {
  await claire.goto("/settings/account");
  await hydrated(claire);
  const notice = claire.getByRole("status").filter({ hasText: "seul administrateur" });
  await expect(notice).toBeVisible();
  await expect(notice.getByRole("link", { name: `${CLUB.name} : membres et rôles` })).toHaveAttribute("href", `/spaces/${CLUB.slug}/members`);
  await expect(claire.getByRole("button", { name: "Supprimer mon compte" })).toHaveCount(0);
  await snap(claire, "last-admin");
});

test("Marc asks for his account's deletion, anonymised: signed out, told by mail, out of the directory", async () => {
  const page = marcPage;
  await page.goto("/settings/account");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Supprimer mon compte", level: 2 })).toBeVisible();
  const anonymise = page.getByRole("radio", { name: /Le laisser aux clubs, anonymisé/ });
  await expect(anonymise).toBeChecked();
  await expect(page.getByText("Plus rien ne vous nomme.")).toBeVisible();
  await snap(page, "account-page");
  await page.setViewportSize({ width: PHONE, height: 844 });
  await snap(page, "account-page-phone");
  await page.setViewportSize({ width: 1280, height: 900 });

  // Without the box ticked, the form says so beside it, and nothing happens.
  await page.getByLabel("Votre mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Supprimer mon compte" }).click();
  await expect(page.getByText("Cochez cette case pour confirmer.")).toBeVisible();

  await page.getByLabel("Votre mot de passe").fill(PASSWORD);
  await page.getByRole("checkbox", { name: /Je demande la suppression de mon compte dans 14 jours/ }).check();
  await page.getByRole("button", { name: "Supprimer mon compte" }).click();
  await page.waitForURL("**/login");
  await expect(page.getByTestId("flash")).toContainText("Votre compte sera supprimé le");
  await snap(page, "signed-out");

  const mail = await waitForMail(marc.email, /sera supprimé le/);
  expect(mail.text).toContain("Reconnectez-vous avant le");

  await claire.goto("/people?q=Delorme");
  await expect(claire.getByRole("main")).not.toContainText(marc.name);
});

test("fourteen days later his comment stays on Claire's page, signed “Ancien membre”", async () => {
  const row = await store.db.selectFrom("user").select(["id", "deletion_due_at"]).where("email", "=", marc.email).executeTakeFirstOrThrow();
  expect(row.deletion_due_at).not.toBeNull();
  // The grace period, passed: the deletion's own command, as the job runs it, at its date.
  const done = await transact(store.db, (trx) => carryOutDeletion(trx, { ip: "", now: row.deletion_due_at! + 60_000 }, { userId: row.id }));
  expect(done.ok).toBe(true);

  await claire.goto(pageUrl);
  await hydrated(claire);
  const comments = claire.getByRole("region", { name: /Commentaires/ });
  const former = comments.getByRole("article", { name: "Ancien membre" });
  await expect(former).toContainText("8 %");
  await expect(comments).not.toContainText(marc.name);
  await snap(claire, "former-member");
  await claire.setViewportSize({ width: PHONE, height: 844 });
  await former.scrollIntoViewIfNeeded();
  await snap(claire, "former-member-phone");
  await claire.setViewportSize({ width: 1280, height: 900 });
});

test.afterAll(() => {
  // Marc has left: no session of his will ever be alive again for the a11y revisit (a11y.spec.ts)
  // to check his pages with; axe checked each of them as this spec took it (screenshotSeries).
  const lines = readFileSync(visitsFile(), "utf8").split("\n").filter(Boolean);
  writeFileSync(visitsFile(), lines.filter((line) => (JSON.parse(line) as Visit).who !== marc.name).map((line) => `${line}\n`).join(""));
});
