import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, hydrated, PASSWORD, signIn, test, type Page } from "./fixtures.ts";
import { newPage, openClubAndCoopt } from "./clubs.ts";
import { screenshotSeries } from "./support.ts";

/**
 * The network admin's console (issue 20), after the journey (which made the
 * network and Claire, its administrator). Claire opens a club and co-opts
 * Paul; then, from her menu, she finds Paul in the console, deactivates his
 * account — Paul's open session is gone at once, and signing in again is
 * refused with a message that says why — reactivates it, and downloads the
 * audit log as CSV, which names both acts. Pictured at a desktop and a
 * phone width.
 */

test.describe.configure({ mode: "serial" });

const claireAccount = { email: "claire@cabinet-martin.fr" };
const paul = { name: "Paul Girard", email: "paul.girard@girard-associes.fr" };
const CLUB = { name: "Club Logistique Ouest", slug: "club-logistique-ouest" };
const PHONE = { width: 390, height: 844 };

const snap = screenshotSeries("admin");

let claire: Page;
let paulPage: Page;

test("Claire opens a club and co-opts Paul", async ({ browser }) => {
  test.setTimeout(120_000);
  claire = await newPage(browser);
  await signIn(claire, claireAccount.email);
  paulPage = await openClubAndCoopt(claire, browser, CLUB, paul);
});

test("Claire finds Paul in the console, from her menu", async () => {
  await claire.goto("/");
  await hydrated(claire);
  await claire.getByRole("button", { name: /^Mon compte/ }).click();
  await claire.getByRole("menuitem", { name: "Administration du réseau" }).click();
  await claire.waitForURL("**/admin/members");
  await hydrated(claire);
  await expect(claire.getByRole("heading", { level: 1, name: "Administration du réseau" })).toBeVisible();
  const tabs = claire.getByRole("navigation", { name: "Sections de l’administration" });
  await expect(tabs.getByRole("link", { name: "Membres" })).toHaveAttribute("aria-current", "page");
  await snap(claire, "members");
  await claire.getByLabel("Nom ou adresse e-mail").fill("girard");
  await claire.getByRole("button", { name: "Chercher" }).click();
  await expect(claire.getByRole("heading", { name: "1 membre" })).toBeVisible();
  await claire.getByRole("link", { name: paul.name }).click();
  await claire.waitForURL(/\/admin\/members\/[a-z0-9]+$/);
  await hydrated(claire);
  await expect(claire.getByText(CLUB.name)).toBeVisible();
  await snap(claire, "member");
});

test("Claire deactivates Paul: his open session ends, and he is told why he cannot sign in", async () => {
  await claire.getByRole("button", { name: "Désactiver le compte" }).click();
  await expect(claire.getByTestId("flash")).toContainText("Le compte de Paul Girard est désactivé");
  await expect(claire.getByText("Désactivé le")).toBeVisible();
  await snap(claire, "member-deactivated");

  // Paul's browser, signed in a moment ago: the next page sends him to sign in.
  await paulPage.goto(`/spaces/${CLUB.slug}`);
  await paulPage.waitForURL((url) => url.pathname === "/login");
  await hydrated(paulPage);
  await paulPage.getByLabel("Adresse e-mail").fill(paul.email);
  await paulPage.getByLabel(/^Mot de passe$/).fill(PASSWORD);
  await paulPage.getByRole("main").getByRole("button", { name: "Se connecter", exact: true }).click();
  await expect(paulPage.getByText("Ce compte a été désactivé par l’administrateur du réseau")).toBeVisible();
  expect(new URL(paulPage.url()).pathname).toBe("/login");
  await snap(paulPage, "sign-in-refused");
});

test("Claire reactivates Paul, who signs in again", async () => {
  await claire.getByRole("button", { name: "Réactiver le compte" }).click();
  await expect(claire.getByTestId("flash")).toContainText("Le compte de Paul Girard est réactivé");
  await signIn(paulPage, paul.email);
  await paulPage.goto(`/spaces/${CLUB.slug}`);
  await expect(paulPage.getByRole("heading", { level: 1, name: CLUB.name })).toBeVisible();
});

test("Claire downloads the audit log as CSV: both acts are in it", async () => {
  await claire.goto("/admin/audit");
  await hydrated(claire);
  const [download] = await Promise.all([claire.waitForEvent("download"), claire.getByRole("link", { name: "Exporter en CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^cercle-journal-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await download.path())!, "utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const rows: string[][] = parse(text, { bom: true });
  expect(rows[0]).toEqual(["date_utc", "event", "event_label", "actor", "actor_email", "target", "space", "ip", "details"]);
  const about = (event: string) => rows.filter((r) => r[1] === event && r[5] === paul.name);
  expect(about("account_deactivated")).toHaveLength(1);
  expect(about("account_deactivated")[0][3]).toBe("Claire Martin");
  expect(about("account_reactivated")).toHaveLength(1);
  expect(about("sign_in_deactivated")).toHaveLength(1);
  await snap(claire, "audit");
});

test("the clubs and the network's settings, at a desktop width", async () => {
  await claire.goto("/admin/spaces");
  await hydrated(claire);
  await expect(claire.getByRole("link", { name: CLUB.name })).toBeVisible();
  await expect(claire.getByText(/Activité des 30 derniers jours/)).toBeVisible();
  await snap(claire, "spaces");
  await claire.goto("/admin/network");
  await hydrated(claire);
  await expect(claire.getByLabel("Nom du réseau")).not.toHaveValue("");
  await snap(claire, "network");
});

test("the console on a phone: the tabs wrap, the list and a member's page read", async ({ browser }) => {
  const phone = await newPage(browser, PHONE);
  await signIn(phone, claireAccount.email);
  await phone.goto("/admin/members?q=girard");
  await hydrated(phone);
  await expect(phone.getByRole("link", { name: paul.name })).toBeVisible();
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(PHONE.width);
  await snap(phone, "phone-members");
  await phone.getByRole("link", { name: paul.name }).click();
  await phone.waitForURL(/\/admin\/members\/[a-z0-9]+$/);
  await hydrated(phone);
  await snap(phone, "phone-member");
  await phone.goto("/admin/spaces");
  await hydrated(phone);
  await expect(phone.getByRole("link", { name: CLUB.name })).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await snap(phone, "phone-spaces");
  await phone.goto("/admin/network");
  await hydrated(phone);
  await snap(phone, "phone-network");
  await phone.context().close();
});
