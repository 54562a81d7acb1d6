import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { expect, hydrated, PASSWORD, signIn, test, type Browser, type Locator, type Page } from "./fixtures.ts";
import { expectAccessible } from "./a11y.ts";

/**
 * The wiki, as the club lives it (after the journey, which made the network,
 * the club and the accounts): Claire writes up a workshop with a heading, a
 * list, a table and a link to another page; Julien reads it; both edit it at
 * once and Claire merges; the history compares and restores; the page and
 * the whole wiki leave as Markdown.
 */

test.describe.configure({ mode: "serial" });

const admin = { name: "Claire Martin", email: "claire@cabinet-martin.fr" };
const member = { name: "Julien Moreau", email: "julien@moreau-conseil.fr" };
const SPACE = "club-achats-supply-chain";
const WIKI = `/spaces/${SPACE}/wiki`;

const METHODS = "Méthodes d’achat";
const REPORT = "Atelier négociation — compte rendu";
const LEARNED = "Ce qu’on a appris";
const ITEMS = ["Préparer la zone d’accord possible avant la rencontre", "Toujours garder une alternative crédible"];
const CELLS = { header: ["Levier", "Effet"], row: ["Volume", "Remise de 4 %"] };

/**
 * support.ts's snap() numbers shots per worker process, and this project runs
 * in a fresh worker after the journey's: this one continues after the last
 * shot taken during this run (files newer than the run's data folder).
 */
const shotsDir = path.resolve(import.meta.dirname, "screenshots");
let shotIndex: number | undefined;
async function snap(page: Page, name: string, options: { axe: boolean } = { axe: true }) {
  // The moments worth a picture are the states worth checking.
  if (options.axe) await expectAccessible(page, name);
  if (shotIndex === undefined) {
    const folder = statSync(process.env.CERCLE_E2E_DIR!);
    const runStarted = folder.birthtimeMs || folder.ctimeMs;
    shotIndex = readdirSync(shotsDir)
      .filter((f) => /^\d+-.+\.png$/.test(f) && statSync(path.join(shotsDir, f)).mtimeMs >= runStarted)
      .reduce((max, f) => Math.max(max, Number.parseInt(f, 10)), 0);
  }
  shotIndex += 1;
  // A full-page shot of a scrolled page draws the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shotsDir, `${String(shotIndex).padStart(2, "0")}-${name}.png`), fullPage: true });
}

async function newPage(browser: Browser, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ locale: "fr-FR", viewport });
  return context.newPage();
}

/** The Lexical editable, once the client has taken it over (STACK.md gotcha 6). */
async function editorOf(page: Page): Promise<Locator> {
  await hydrated(page);
  const editor = page.locator('[data-lexical-editor="true"]');
  await expect(editor).toBeVisible();
  return editor;
}

/** The page's rendered content (not its breadcrumb, not the editor, not the conflict's copy). */
const article = (page: Page) => page.locator("article.page-article > .rich-text");

let claire: Page;
let julien: Page;
let methodsId = "";
let reportUrl = "";

test("Claire writes a page, then a workshop report with a heading, a list, a table and a link to it", async ({ browser }) => {
  claire = await newPage(browser);
  await signIn(claire, admin.email);
  await claire.goto(`/spaces/${SPACE}`);
  await claire.getByRole("navigation", { name: "Sections de l’espace" }).getByRole("link", { name: "Wiki", exact: true }).click();
  await claire.waitForURL(`**${WIKI}`);
  await hydrated(claire);
  await expect(claire.getByText("Le wiki est vide pour l’instant.")).toBeVisible();
  await expect(claire.getByRole("link", { name: "Importer (.md)" })).toBeVisible();
  await snap(claire, "wiki-empty");

  // A first, short page.
  await claire.getByRole("link", { name: "Nouvelle page" }).click();
  await claire.waitForURL(`**${WIKI}/new`);
  let editor = await editorOf(claire);
  await claire.getByLabel("Titre", { exact: true }).fill(METHODS);
  await editor.click();
  await claire.keyboard.type("Nos méthodes : cartographie des dépenses, matrice de Kraljic, appels d’offres en deux tours.");
  await expect(editor).toContainText("matrice de Kraljic");
  await snap(claire, "wiki-new-page");
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL((url) => url.pathname.startsWith(`${WIKI}/`) && !url.pathname.endsWith("/new"));
  await expect(claire.getByTestId("flash")).toContainText(`La page « ${METHODS} » est créée.`);
  await expect(claire.getByRole("heading", { level: 1, name: METHODS })).toBeVisible();
  await expect(article(claire)).toContainText("matrice de Kraljic");
  await expect(claire.getByText("Aucune page ne mène ici pour l’instant.")).toBeVisible();
  // The page's id, as the "add a child page" link carries it.
  const childHref = await claire.getByRole("link", { name: "Ajouter une sous-page" }).getAttribute("href");
  methodsId = new URL(childHref!, claire.url()).searchParams.get("parent") ?? "";
  expect(methodsId).toMatch(/^[a-z0-9]{10,40}$/);
  const methodsUrl = claire.url();

  // The workshop report, typed as a person types, with Markdown shortcuts.
  await claire.goto(`${WIKI}/new`);
  editor = await editorOf(claire);
  await claire.getByLabel("Titre", { exact: true }).fill(REPORT);
  await editor.click();
  await claire.keyboard.type("Douze participants, animé par Sophie Lefèvre.");
  await claire.keyboard.press("Enter");
  await claire.keyboard.type(`## ${LEARNED}`);
  await expect(editor.getByRole("heading", { level: 2, name: LEARNED })).toBeVisible();
  await claire.keyboard.press("Enter");
  await claire.keyboard.type(`- ${ITEMS[0]}`);
  await claire.keyboard.press("Enter");
  await claire.keyboard.type(ITEMS[1]);
  await expect(editor.locator("ul > li")).toHaveText(ITEMS);
  // Enter on the empty item leaves the list.
  await claire.keyboard.press("Enter");
  await claire.keyboard.press("Enter");
  await claire.keyboard.type("Voir aussi [[Méthodes");
  const picker = claire.getByRole("listbox", { name: "Pages du wiki" });
  await expect(picker.getByRole("option", { name: METHODS })).toHaveAttribute("aria-selected", "true");
  await expect(picker).toHaveAttribute("aria-label", "Pages du wiki");
  await expect(claire.getByRole("main").getByRole("listbox")).toHaveCount(1);
  await snap(claire, "wiki-page-picker");
  await claire.keyboard.press("Enter");
  await expect(picker).toHaveCount(0);
  await expect(editor.getByRole("link", { name: METHODS })).toHaveAttribute("href", `/pages/${methodsId}`);
  await claire.keyboard.type(" pour la démarche complète.");
  // A table from the toolbar (it goes after the paragraph), filled cell by cell.
  const toolbar = claire.getByRole("toolbar");
  await toolbar.getByRole("button", { name: "Insérer un tableau" }).click();
  const table = editor.locator("table");
  await expect(table.locator("tr")).toHaveCount(3);
  const cell = (row: number, col: number) => table.locator("tr").nth(row).locator("th, td").nth(col);
  const fill = async (row: number, col: number, text: string) => {
    await cell(row, col).click();
    await claire.keyboard.type(text);
    await expect(cell(row, col)).toHaveText(text);
  };
  await fill(0, 0, CELLS.header[0]);
  await fill(0, 1, CELLS.header[1]);
  await fill(1, 0, CELLS.row[0]);
  await fill(1, 1, CELLS.row[1]);
  await claire.getByLabel("Résumé de la modification").fill("Compte rendu de l’atelier de mars");
  await snap(claire, "wiki-report-editor");
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL((url) => url.pathname.startsWith(`${WIKI}/`) && !url.pathname.endsWith("/new"));
  reportUrl = claire.url();
  await expect(claire.getByTestId("flash")).toContainText(`La page « ${REPORT} » est créée.`);

  // What was written, as the page shows it.
  const view = article(claire);
  await expect(claire.getByRole("heading", { level: 1, name: REPORT })).toBeVisible();
  await expect(view.getByRole("heading", { level: 2, name: LEARNED })).toBeVisible();
  await expect(view.getByRole("listitem")).toHaveText(ITEMS);
  await expect(view.getByRole("table")).toBeVisible();
  await expect(view.getByRole("table").getByRole("row")).toHaveCount(3);
  await expect(view.getByRole("table").getByRole("row").first()).toContainText(CELLS.header.join(""));
  await expect(view.getByRole("table").getByRole("row").nth(1)).toContainText(CELLS.row.join(""));
  const link = view.getByRole("link", { name: METHODS });
  await expect(link).toHaveAttribute("href", `/pages/${methodsId}`);
  await expect(claire.getByRole("navigation", { name: "Fil d’Ariane" }).getByRole("link", { name: "Wiki" })).toBeVisible();
  await expect(claire.getByText(`Modifiée par ${admin.name}`)).toBeVisible();
  await snap(claire, "wiki-report-view");

  // The link leads to the other page, which now knows who links to it.
  await link.click();
  await claire.waitForURL(methodsUrl);
  await expect(claire.getByRole("heading", { level: 1, name: METHODS })).toBeVisible();
  const backlinks = claire.getByRole("region", { name: "Pages qui mènent ici" });
  await expect(backlinks.getByRole("link", { name: REPORT })).toHaveAttribute("href", new URL(reportUrl).pathname);
  await snap(claire, "wiki-backlinks");

  // The wiki's home lists both pages.
  await claire.goto(WIKI);
  await hydrated(claire);
  const tree = claire.getByRole("tree", { name: "Arborescence du wiki" });
  await expect(tree.getByRole("treeitem")).toHaveCount(2);
  await expect(tree).toContainText(METHODS);
  await expect(tree).toContainText(REPORT);
  await snap(claire, "wiki-home");
});

test("Julien, a member, reads the report; the server renders it without JavaScript", async ({ browser }) => {
  julien = await newPage(browser);
  await signIn(julien, member.email);
  await julien.goto(WIKI);
  await hydrated(julien);
  await julien.getByRole("region", { name: "Modifiées récemment" }).getByRole("link", { name: REPORT }).click();
  await julien.waitForURL(reportUrl);
  const view = article(julien);
  await expect(julien.getByRole("heading", { level: 1, name: REPORT })).toBeVisible();
  await expect(view.getByRole("heading", { level: 2, name: LEARNED })).toBeVisible();
  await expect(view.getByRole("listitem")).toHaveText(ITEMS);
  await expect(view.getByRole("table")).toContainText(CELLS.row[1]);
  await expect(view.getByRole("link", { name: METHODS })).toHaveAttribute("href", `/pages/${methodsId}`);
  await snap(julien, "wiki-report-read-by-member");

  // The HTML as the server sends it, with Julien's session.
  const response = await julien.request.get(reportUrl);
  expect(response.status()).toBe(200);
  const html = await response.text();
  expect(html).toMatch(new RegExp(`<h2[^>]*>(<[^>]+>)*${LEARNED}`));
  for (const item of ITEMS) expect(html).toContain(item);
  expect(html).toContain("<table");
  expect(html).toContain(`href="/pages/${methodsId}"`);

  // And in a browser with JavaScript off, same session.
  const noScript = await browser.newContext({
    locale: "fr-FR",
    viewport: { width: 1280, height: 860 },
    javaScriptEnabled: false,
    storageState: await julien.context().storageState(),
  });
  const plain = await noScript.newPage();
  await plain.goto(reportUrl);
  await expect(plain.locator("html[data-hydrated]")).toHaveCount(0);
  await expect(article(plain).getByRole("heading", { level: 2, name: LEARNED })).toBeVisible();
  await expect(article(plain).getByRole("listitem")).toHaveText(ITEMS);
  await expect(article(plain).getByRole("table")).toBeVisible();
  // axe runs as the page's JavaScript, which is off here: this same address
  // is checked by the a11y revisit, with the same server-rendered HTML.
  await snap(plain, "wiki-report-no-javascript", { axe: false });
  await noScript.close();
});

test("Claire and Julien edit at once: Claire meets the conflict screen and merges", async () => {
  const editPath = `${new URL(reportUrl).pathname}/edit`;
  // Both open the editor on version 1.
  await claire.goto(reportUrl);
  await hydrated(claire);
  await claire.getByRole("link", { name: "Modifier" }).click();
  await claire.waitForURL(`**${editPath}`);
  const claireEditor = await editorOf(claire);
  await expect(claireEditor).toContainText("Douze participants");
  await julien.goto(reportUrl);
  await hydrated(julien);
  await julien.getByRole("link", { name: "Modifier" }).click();
  await julien.waitForURL(`**${editPath}`);
  const julienEditor = await editorOf(julien);
  await expect(julienEditor).toContainText("Douze participants");

  // Julien corrects a word and saves first.
  await julienEditor.click();
  await julien.keyboard.press("Control+Home");
  await julien.keyboard.press("Control+Shift+ArrowRight");
  await julien.keyboard.type("Quatorze");
  await expect(julienEditor.locator("p").first()).toHaveText("Quatorze participants, animé par Sophie Lefèvre.");
  await julien.getByLabel("Résumé de la modification").fill("Nombre de participants corrigé");
  await julien.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await julien.waitForURL(reportUrl);
  await expect(julien.getByTestId("flash")).toContainText("Page enregistrée (version 2).");
  await expect(article(julien)).toContainText("Quatorze participants");

  // Claire, still on version 1, adds a sentence and saves.
  const sentence = " Prochain atelier : S&OP, en avril.";
  await claireEditor.click();
  await claire.keyboard.press("Control+Home");
  await claire.keyboard.press("End");
  await claire.keyboard.type(sentence);
  await expect(claireEditor.locator("p").first()).toHaveText(`Douze participants, animé par Sophie Lefèvre.${sentence}`);
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();

  // Refused: both versions and the diff, her text still in the editor.
  const conflict = claire.getByRole("alert").filter({ has: claire.getByRole("heading", { name: "Quelqu’un a modifié cette page pendant que vous écriviez" }) });
  await expect(conflict).toBeVisible();
  await expect(claire).toHaveURL(new RegExp(`${editPath}$`));
  await expect(conflict).toContainText(`${member.name} a enregistré la version 2`);
  await expect(conflict.getByRole("heading", { name: "Leur version (version 2)" })).toBeVisible();
  await expect(conflict).toContainText("Quatorze participants, animé par Sophie Lefèvre.");
  const diff = conflict.getByTestId("diff");
  await expect(diff.locator("del")).toContainText(["Quatorze"]);
  await expect(diff.locator("ins").filter({ hasText: "Douze" })).toHaveCount(1);
  await expect(diff.locator("ins").filter({ hasText: "avril" })).toHaveCount(1);
  await expect(claire.getByRole("heading", { name: "Votre version, à fusionner" })).toBeVisible();
  const merged = await editorOf(claire);
  await expect(merged.locator("p").first()).toHaveText(`Douze participants, animé par Sophie Lefèvre.${sentence}`);
  await expect(merged.getByRole("table")).toBeVisible();
  await snap(claire, "wiki-conflict");

  // She takes Julien's correction into her text and saves again.
  await merged.click();
  await claire.keyboard.press("Control+Home");
  await claire.keyboard.press("Control+Shift+ArrowRight");
  await claire.keyboard.type("Quatorze");
  await expect(merged.locator("p").first()).toHaveText(`Quatorze participants, animé par Sophie Lefèvre.${sentence}`);
  await claire.getByLabel("Résumé de la modification").fill("Fusion avec la correction de Julien");
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL(reportUrl);
  await expect(claire.getByTestId("flash")).toContainText("Page enregistrée (version 3).");
  await expect(article(claire)).toContainText(`Quatorze participants, animé par Sophie Lefèvre.${sentence}`);
  // Nothing of the rest was lost in the merge.
  await expect(article(claire).getByRole("heading", { level: 2, name: LEARNED })).toBeVisible();
  await expect(article(claire).getByRole("table")).toContainText(CELLS.row[1]);
  await snap(claire, "wiki-merged");

  await claire.getByRole("link", { name: "Historique" }).click();
  await claire.waitForURL(`**${new URL(reportUrl).pathname}/history`);
  const revisions = claire.getByTestId("revision");
  await expect(revisions).toHaveCount(3);
  await expect(revisions.nth(0)).toContainText("Version 3");
  await expect(revisions.nth(0)).toContainText(`par ${admin.name}`);
  await expect(revisions.nth(0)).toContainText("Fusion avec la correction de Julien");
  await expect(revisions.nth(1)).toContainText(`par ${member.name}`);
  await expect(revisions.nth(1)).toContainText("Nombre de participants corrigé");
  await expect(revisions.nth(2)).toContainText("Compte rendu de l’atelier de mars");
  await snap(claire, "wiki-history");
});

test("the history compares two revisions, and Claire restores the first", async () => {
  const pagePath = new URL(reportUrl).pathname;
  const revisions = claire.getByTestId("revision");
  // Version 1 → 2: Julien's correction.
  await revisions.filter({ hasText: "Version 2" }).getByRole("link", { name: "Comparer" }).click();
  await claire.waitForURL(`**${pagePath}/history?from=1&to=2`);
  await expect(claire.getByRole("heading", { name: "De la version 1 à la version 2" })).toBeVisible();
  const diff = claire.getByTestId("diff");
  await expect(diff.locator("del")).toHaveText(["Douze"]);
  await expect(diff.locator("ins")).toHaveText(["Quatorze"]);
  await expect(claire.getByText("1 mot ajouté, 1 retiré")).toBeVisible();
  await snap(claire, "wiki-compare");

  // Any two, through the form: 1 → 3.
  await claire.getByLabel("Version de départ").selectOption("1");
  await claire.getByLabel("Version d’arrivée").selectOption("3");
  await claire.getByRole("button", { name: "Comparer" }).click();
  await claire.waitForURL(`**${pagePath}/history?from=1&to=3`);
  await expect(claire.getByRole("heading", { name: "De la version 1 à la version 3" })).toBeVisible();
  await expect(claire.getByTestId("diff").locator("ins").filter({ hasText: "avril" })).toHaveCount(1);
  await expect(claire.getByTestId("diff").locator("del")).toHaveText(["Douze"]);

  // Julien, a member, may compare but not restore.
  await julien.goto(`${pagePath}/history`);
  await expect(julien.getByTestId("revision")).toHaveCount(3);
  await expect(julien.getByRole("button", { name: "Restaurer" })).toHaveCount(0);

  // Claire restores version 1, after confirming.
  await revisions.filter({ hasText: "Version 1" }).getByRole("button", { name: "Restaurer" }).click();
  const dialog = claire.getByRole("dialog", { name: "Restaurer" });
  await expect(dialog).toContainText("Restaurer la version 1 ? Elle deviendra la nouvelle version de la page ; l’historique reste intact.");
  await snap(claire, "wiki-restore-dialog");
  await dialog.getByRole("button", { name: "Restaurer" }).click();
  await claire.waitForURL(reportUrl);
  await expect(claire.getByTestId("flash")).toContainText("Version 1 restaurée : c’est maintenant la version 4.");
  await expect(article(claire)).toContainText("Douze participants, animé par Sophie Lefèvre.");
  await expect(article(claire)).not.toContainText("avril");
  await expect(article(claire).getByRole("link", { name: METHODS })).toHaveAttribute("href", `/pages/${methodsId}`);
  await snap(claire, "wiki-restored");

  // History is never rewritten: a fourth revision, saying where it comes from.
  await claire.getByRole("link", { name: "Historique" }).click();
  await claire.waitForURL(`**${pagePath}/history`);
  await expect(revisions).toHaveCount(4);
  await expect(revisions.nth(0)).toContainText("Version 4");
  await expect(revisions.nth(0)).toContainText("actuelle");
  await expect(revisions.nth(0)).toContainText("Restauration de la version 1");
  await expect(revisions.nth(1)).toContainText("Version 3");
  await snap(claire, "wiki-history-after-restore");
});

test("the page exports as Markdown, the whole wiki as a zip", async () => {
  await claire.goto(reportUrl);
  await hydrated(claire);
  const exportLink = claire.getByRole("link", { name: "Exporter en Markdown" });
  await expect(exportLink).toHaveAttribute("href", `${new URL(reportUrl).pathname}/md`);
  const response = await claire.request.get((await exportLink.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/markdown");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment;/);
  expect(response.headers()["content-disposition"]).toContain(".md");
  const markdown = await response.text();
  expect(markdown.startsWith(`# ${REPORT}\n`)).toBe(true);
  expect(markdown).toContain(`## ${LEARNED}`);
  for (const item of ITEMS) expect(markdown).toContain(`- ${item}`);
  expect(markdown).toMatch(/^\| Levier \| Effet \| +\|$/m);
  expect(markdown).toMatch(/^\| Volume \| Remise de 4 % \| +\|$/m);
  expect(markdown).toContain(`[${METHODS}](/pages/${methodsId})`);

  await claire.goto(WIKI);
  await hydrated(claire);
  const zipLink = claire.getByRole("link", { name: "Exporter tout le wiki (.zip)" });
  await expect(zipLink).toHaveAttribute("download", "");
  const zip = await claire.request.get((await zipLink.getAttribute("href"))!);
  expect(zip.status()).toBe(200);
  expect(zip.headers()["content-type"]).toBe("application/zip");
  expect(zip.headers()["content-disposition"]).toMatch(/^attachment;.*\.zip/);
  const bytes = await zip.body();
  expect(bytes.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
  // The Markdown files are in it, by name (stored uncompressed or not, names are plain).
  expect(bytes.includes(Buffer.from(".md"))).toBe(true);
});

test("an edit made in one step (a paste over everything) is the one saved, not the text first loaded", async () => {
  // The editor's hidden field once went back to the loaded document when the form re-rendered
  // on the first change; an edit of one single change was then saved as the old text.
  await claire.goto(`/pages/${methodsId}`);
  await hydrated(claire);
  await claire.getByRole("link", { name: "Modifier" }).first().click();
  const editor = await editorOf(claire);
  await editor.click();
  await claire.keyboard.press("ControlOrMeta+A");
  await claire.keyboard.insertText("Remplacé d’un seul geste");
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL((url) => !url.pathname.endsWith("/edit"));
  await expect(article(claire)).toHaveText("Remplacé d’un seul geste");
});

test("on a phone, Julien reads the report", async ({ browser }) => {
  const phone = await browser.newContext({
    locale: "fr-FR",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    storageState: await julien.context().storageState(),
  });
  const page = await phone.newPage();
  await page.goto(reportUrl);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: REPORT })).toBeVisible();
  await expect(article(page).getByRole("heading", { level: 2, name: LEARNED })).toBeVisible();
  await expect(article(page).getByRole("table")).toBeVisible();
  // Nothing spills out sideways: the page is no wider than the screen.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await snap(page, "wiki-report-phone");
  await phone.close();
  await julien.context().close();
  await claire.context().close();
});
