import { readFileSync } from "node:fs";
import { expect, hydrated, PASSWORD, signIn, test, type Browser, type Download, type Frame, type Locator, type Page } from "./fixtures.ts";
import sharp from "sharp";
import { filesDataTransfer, makePdf, screenshotSeries, throttleUploads, type FileToDrop } from "./support.ts";

/**
 * A space's files, as the club lives them (after the journey, which made the
 * network, the clubs and the accounts): Claire drags three files from her
 * desktop onto the Files tab and watches them upload, makes a folder and
 * moves the PDF into it, previews the image and the PDF, sends a new version
 * of her notes and downloads both versions. In the wiki she puts the image
 * and a link to the PDF on a page, from the toolbar's pickers. Trashing the
 * image warns that the page uses it; the trash gives it back; her notes go
 * for good. Paul, a member, browses it all on his phone.
 *
 * All of it happens in "Cercle Lyon" (Claire admin, Paul member): the wiki
 * spec expects the other club's wiki to start empty, and these projects may
 * run in either order.
 */

test.describe.configure({ mode: "serial" });

const admin = { name: "Claire Martin", email: "claire@cabinet-martin.fr" };
const member = { name: "Paul Durand", email: "paul@durand.fr" };
const SPACE = "cercle-lyon";
const FILES = `/spaces/${SPACE}/files`;

const IMAGE = "Atelier d’octobre — photo de groupe.png";
const PDF = "Charte qualité 2026.pdf";
const NOTES = "Notes de l’atelier — déroulé.txt";
const FOLDER = "Chartes & contrats";
const WIKI_PAGE = "Charte qualité du cercle";
const ALT = "Les participants de l’atelier d’octobre";
const IMAGE_SIZE = { width: 1000, height: 700 };

const snap = screenshotSeries("files");

/** A picture worth looking at, stored without compression so that it weighs about 2 MB. */
async function makeImage(): Promise<Buffer> {
  const { width, height } = IMAGE_SIZE;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4338ca"/><stop offset="1" stop-color="#0ea5e9"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="230" cy="420" r="120" fill="#fbbf24" opacity="0.9"/>
    <circle cx="500" cy="400" r="140" fill="#f472b6" opacity="0.85"/>
    <circle cx="770" cy="430" r="115" fill="#34d399" opacity="0.9"/>
    <text x="50%" y="150" font-family="DejaVu Sans, sans-serif" font-size="56" font-weight="bold" fill="#fff" text-anchor="middle">Atelier d’octobre</text>
    <text x="50%" y="640" font-family="DejaVu Sans, sans-serif" font-size="32" fill="#e0f2fe" text-anchor="middle">Cercle Lyon · photo de groupe</text>
  </svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 0 }).toBuffer();
}

/** Notes of about `lines` lines, accents and typographic apostrophes included. */
function makeNotes(lines: number, edition: string): Buffer {
  const out = [`Notes de l’atelier — ${edition}`, ""];
  for (let i = 1; i <= lines; i++) out.push(`${String(i).padStart(5, "0")} · Échange sur la négociation d’achats : préparer l’accord, garder une alternative crédible.`);
  return Buffer.from(`${out.join("\n")}\n`, "utf8");
}

async function newPage(browser: Browser, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ locale: "fr-FR", viewport });
  return context.newPage();
}

async function savedBytes(download: Download): Promise<Buffer> {
  return readFileSync(await download.path());
}

/** The file's id, from its row's link in the listing. */
async function fileIdIn(page: Page, name: string): Promise<string> {
  const href = await page.getByRole("link", { name, exact: true }).getAttribute("href");
  const id = href?.match(new RegExp(`^${FILES}/([^/]+)$`))?.[1];
  expect(id, `the link of ${name}`).toBeTruthy();
  return id!;
}

/** The listing's row of a file or folder, by its exact name. */
const row = (page: Page, name: string) => page.locator("table.files-table tbody tr").filter({ has: page.getByRole("link", { name, exact: true }) });

/** Opens a row's menu in the listing and picks one of its items. */
async function rowAction(page: Page, name: string, item: "Renommer" | "Déplacer" | "Mettre à la corbeille") {
  await page.getByRole("button", { name: `Actions pour « ${name} »` }).click();
  await page.getByRole("menuitem", { name: item }).click();
}

/** Whether an <img> has loaded its picture (its natural width, 0 if not). */
async function naturalWidth(img: Locator): Promise<number> {
  await img.scrollIntoViewIfNeeded();
  return img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0));
}

/** Nothing spills out sideways: the page is no wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  expect(widths.page, "page width").toBeLessThanOrEqual(widths.screen);
}

const article = (page: Page) => page.locator("article.page-article > .rich-text");

let claire: Page;
let imageBytes: Buffer;
let pdfBytes: Buffer;
let notesV1: Buffer;
let notesV2: Buffer;
const ids = { image: "", pdf: "", notes: "" };
let wikiPageUrl = "";

test("Claire drags three files onto the Files tab and watches them upload", async ({ browser }) => {
  imageBytes = await makeImage();
  pdfBytes = makePdf("Charte qualite du Cercle Lyon", 1_200_000);
  notesV1 = makeNotes(11_000, "version du 14 octobre");
  // Big enough that their progress can be seen, at the pace set below.
  for (const bytes of [imageBytes, pdfBytes, notesV1]) expect(bytes.length).toBeGreaterThan(1_000_000);

  claire = await newPage(browser);
  await signIn(claire, admin.email);
  await claire.goto(`/spaces/${SPACE}`);
  await hydrated(claire);
  await claire.getByRole("navigation", { name: "Sections de l’espace" }).getByRole("link", { name: "Fichiers", exact: true }).click();
  await claire.waitForURL(`**${FILES}`);
  await hydrated(claire);
  await expect(claire.getByRole("heading", { level: 2, name: "Fichiers" })).toBeVisible();
  await expect(claire.getByText("Ce dossier est vide. Déposez des fichiers ici ou utilisez « Envoyer des fichiers ».")).toBeVisible();
  await expect(claire.getByRole("button", { name: "Nouveau dossier" })).toBeVisible();
  await expect(claire.getByRole("button", { name: "Envoyer des fichiers" })).toBeVisible();
  await expect(claire.getByRole("link", { name: "Corbeille" })).toBeVisible();
  await snap(claire, "empty");

  // Three files from the desktop, dragged over the listing: it offers to take them.
  const toDrop: FileToDrop[] = [
    { name: IMAGE, mimeType: "image/png", bytes: imageBytes },
    { name: PDF, mimeType: "application/pdf", bytes: pdfBytes },
    { name: NOTES, mimeType: "text/plain", bytes: notesV1 },
  ];
  const dataTransfer = await filesDataTransfer(claire, toDrop);
  const dropZone = claire.locator(".files");
  const overlay = claire.locator(".drop-overlay");
  await expect(overlay).toBeHidden();
  await dropZone.dispatchEvent("dragenter", { dataTransfer });
  await dropZone.dispatchEvent("dragover", { dataTransfer });
  await expect(overlay).toBeVisible();
  await expect(overlay).toHaveText("Déposez vos fichiers pour les envoyer dans « Fichiers »");
  await snap(claire, "drop-overlay");

  // Dropped, on a slow line: three progress bars move together.
  const unthrottle = await throttleUploads(claire, 700 * 1024);
  await dropZone.dispatchEvent("drop", { dataTransfer });
  await expect(overlay).toBeHidden();
  const queue = claire.getByRole("region", { name: "Envois" });
  const items = queue.getByRole("listitem");
  await expect(items).toHaveCount(3);
  for (const [i, file] of toDrop.entries()) await expect(items.nth(i)).toContainText(file.name);
  const bars = queue.getByRole("progressbar");
  await expect
    .poll(async () => {
      const values = await bars.evaluateAll((all) => all.map((bar) => (bar as HTMLProgressElement).value));
      return values.length === 3 && values.every((v) => v >= 15 && v <= 85);
    }, { message: "all three uploads part-way", intervals: [50] })
    .toBe(true);
  await expect(items.first()).toContainText(/\d+ % — [\d,\s]+[kM]o sur [\d,\s]+Mo/);
  await snap(claire, "uploading");

  // Each finishes; the listing shows them with their sniffed types.
  for (const [i, file] of toDrop.entries()) {
    await expect(items.nth(i)).toContainText("Envoyé", { timeout: 30_000 });
    await expect(bars.nth(i)).toHaveJSProperty("value", 100);
    await expect(items.nth(i).getByRole("button", { name: /Annuler/ })).toHaveCount(0);
  }
  await unthrottle();
  await expect(queue.getByRole("button", { name: "Effacer la liste" })).toBeVisible();
  const listing = claire.locator("table.files-table");
  await expect(listing.locator("tbody tr")).toHaveCount(3);
  await expect(row(claire, IMAGE)).toContainText("Image");
  await expect(row(claire, PDF)).toContainText("PDF");
  await expect(row(claire, NOTES)).toContainText("Texte");
  await expect(row(claire, NOTES)).toContainText(admin.name);
  // The image has a thumbnail, made on the server, that loads.
  const thumb = row(claire, IMAGE).locator("img.file-thumb");
  await expect.poll(() => naturalWidth(thumb)).toBeGreaterThan(0);
  await expect(claire.getByText(/[\d,]+\sMo utilisés sur 10\sGo/)).toBeVisible();
  ids.image = await fileIdIn(claire, IMAGE);
  ids.pdf = await fileIdIn(claire, PDF);
  ids.notes = await fileIdIn(claire, NOTES);
  await snap(claire, "uploaded");
});

test("Claire makes a folder and moves the PDF into it", async () => {
  await claire.getByRole("button", { name: "Nouveau dossier" }).click();
  const create = claire.getByRole("dialog", { name: "Nouveau dossier" });
  await create.getByLabel("Nom du dossier").fill(FOLDER);
  await create.getByRole("button", { name: "Créer" }).click();
  await claire.waitForURL(new RegExp(`${FILES}/folders/[^/]+$`));
  const folderUrl = claire.url();
  await expect(claire.getByTestId("flash")).toContainText(`Dossier « ${FOLDER} » créé.`);
  await expect(claire.getByRole("heading", { level: 2, name: FOLDER })).toBeVisible();
  await expect(claire.getByText("Ce dossier est vide.")).toBeVisible();
  await claire.getByRole("navigation", { name: "Chemin du dossier" }).getByRole("link", { name: "Fichiers" }).click();
  await claire.waitForURL(`**${FILES}`);
  await expect(row(claire, FOLDER)).toContainText("Dossier");

  await rowAction(claire, PDF, "Déplacer");
  const move = claire.getByRole("dialog", { name: `Déplacer « ${PDF} »` });
  const destination = move.getByLabel("Vers le dossier");
  await expect(destination).toHaveValue("");
  await expect(destination.locator("option")).toHaveText(["Fichiers (premier niveau)", FOLDER]);
  await destination.selectOption({ label: FOLDER });
  await snap(claire, "move-dialog");
  await move.getByRole("button", { name: "Déplacer" }).click();
  await expect(claire.getByTestId("flash")).toContainText(`Fichier « ${PDF} » déplacé.`);
  await expect(move).toBeHidden();
  await expect(claire.getByRole("link", { name: PDF, exact: true })).toHaveCount(0);
  await expect(claire.locator("table.files-table tbody tr")).toHaveCount(3);

  await claire.getByRole("link", { name: FOLDER }).click();
  await claire.waitForURL(folderUrl);
  await expect(claire.getByRole("heading", { level: 2, name: FOLDER })).toBeVisible();
  await expect(row(claire, PDF)).toContainText("PDF");
  await snap(claire, "folder");
});

test("the file pages preview the image and the PDF", async () => {
  // The PDF, from its folder: the breadcrumb knows where it is.
  await claire.getByRole("link", { name: PDF, exact: true }).click();
  await claire.waitForURL(`**${FILES}/${ids.pdf}`);
  await hydrated(claire);
  await expect(claire.getByRole("heading", { level: 1, name: PDF })).toBeVisible();
  await expect(claire.getByRole("navigation", { name: "Chemin du dossier" })).toHaveText(/Fichiers.*Chartes & contrats/);
  const openPdf = claire.getByRole("link", { name: "Ouvrir l’aperçu du PDF" });
  await expect(openPdf).toHaveAttribute("target", "_blank");
  // Served inline as a PDF, sandboxed, with the exact name.
  const inline = await claire.request.get((await openPdf.getAttribute("href"))!);
  expect(inline.status()).toBe(200);
  expect(inline.headers()["content-type"]).toBe("application/pdf");
  expect(inline.headers()["content-disposition"]).toMatch(/^inline;/);
  expect(inline.headers()["content-disposition"]).toContain(`filename*=UTF-8''${encodeURIComponent(PDF)}`);
  expect(inline.headers()["content-security-policy"]).toContain("sandbox");
  expect(Buffer.compare(await inline.body(), pdfBytes)).toBe(0);
  await snap(claire, "pdf-page");
  const [viewer] = await Promise.all([claire.waitForEvent("popup"), openPdf.click()]);
  await viewer.waitForURL(`**${FILES}/${ids.pdf}/download?*`);
  // Chromium's own PDF viewer (an extension frame) opens it and shows its one page. (Its title is the
  // address's last segment in Chromium 150, whatever Content-Disposition names; the header is checked above.)
  let pdfViewer: Frame | undefined;
  await expect
    .poll(() => (pdfViewer = viewer.frames().find((f) => f.url().startsWith("chrome-extension://"))) !== undefined, { message: "the PDF viewer" })
    .toBe(true);
  await expect(pdfViewer!.locator("#pagelength")).toHaveText("1");
  await expect(pdfViewer!.locator("#pageSelector")).toHaveValue("1");
  await snap(viewer, "pdf-preview");
  await viewer.close();

  // The image, shown whole on its page.
  await claire.goto(FILES);
  await hydrated(claire);
  await claire.getByRole("link", { name: IMAGE, exact: true }).click();
  await claire.waitForURL(`**${FILES}/${ids.image}`);
  await hydrated(claire);
  await expect(claire.getByRole("heading", { level: 1, name: IMAGE })).toBeVisible();
  const preview = claire.getByRole("img", { name: `Aperçu de « ${IMAGE} »` });
  await expect(preview).toBeVisible();
  await expect.poll(() => naturalWidth(preview)).toBe(IMAGE_SIZE.width);
  await expect(claire.getByText(/^[\d,]+\sMo · version 1 · /)).toBeVisible();
  await snap(claire, "image-preview");
});

test("Claire sends a new version of her notes and downloads both versions", async () => {
  await claire.goto(FILES);
  await hydrated(claire);
  await claire.getByRole("link", { name: NOTES, exact: true }).click();
  await claire.waitForURL(`**${FILES}/${ids.notes}`);
  await hydrated(claire);
  const versions = claire.getByRole("region", { name: "Versions" }).getByRole("listitem");
  await expect(versions).toHaveCount(1);

  notesV2 = makeNotes(11_500, "version du 21 octobre, relue");
  const [chooser] = await Promise.all([claire.waitForEvent("filechooser"), claire.getByRole("button", { name: "Envoyer une nouvelle version" }).click()]);
  expect(chooser.isMultiple()).toBe(false);
  // Another name on the desktop: the file keeps its own.
  await chooser.setFiles({ name: "notes-relues.txt", mimeType: "text/plain", buffer: notesV2 });
  const queue = claire.getByRole("region", { name: "Envois" });
  await expect(queue.getByRole("listitem")).toContainText("Envoyé", { timeout: 30_000 });
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toContainText("Version 2");
  await expect(versions.nth(0)).toContainText("actuelle");
  await expect(versions.nth(0)).toContainText(`envoyée par ${admin.name}`);
  await expect(versions.nth(1)).toContainText("Version 1");
  await expect(versions.nth(1)).not.toContainText("actuelle");
  await expect(claire.getByRole("heading", { level: 1, name: NOTES })).toBeVisible();
  await expect(claire.getByText(/ · version 2 · /)).toBeVisible();
  await snap(claire, "new-version");

  // The current version, from the page's button: the exact name, the exact bytes.
  const [current] = await Promise.all([claire.waitForEvent("download"), claire.locator(".page-head").getByRole("link", { name: "Télécharger" }).click()]);
  expect(current.suggestedFilename()).toBe(NOTES);
  expect(Buffer.compare(await savedBytes(current), notesV2)).toBe(0);
  // The first one, from the versions list.
  const [first] = await Promise.all([claire.waitForEvent("download"), versions.nth(1).getByRole("link", { name: "Télécharger Version 1" }).click()]);
  expect(first.suggestedFilename()).toBe(NOTES);
  expect(Buffer.compare(await savedBytes(first), notesV1)).toBe(0);

  // The listing says v2, and its own download button gives the image as it went up.
  await claire.getByRole("link", { name: "Retour au dossier" }).click();
  await claire.waitForURL(`**${FILES}`);
  await expect(row(claire, NOTES)).toContainText("v2");
  const [image] = await Promise.all([claire.waitForEvent("download"), claire.getByRole("link", { name: `Télécharger ${IMAGE}` }).click()]);
  expect(image.suggestedFilename()).toBe(IMAGE);
  expect(Buffer.compare(await savedBytes(image), imageBytes)).toBe(0);
});

test("in the wiki editor, Claire picks the image and links the PDF from the space's files", async () => {
  await claire.goto(`/spaces/${SPACE}/wiki/new`);
  await hydrated(claire);
  const editor = claire.locator('[data-lexical-editor="true"]');
  await expect(editor).toBeVisible();
  await claire.getByLabel("Titre", { exact: true }).fill(WIKI_PAGE);
  await editor.click();
  await claire.keyboard.type("La charte signée par les membres : ");

  // The file button lists every file of the space, wherever it is.
  const toolbar = claire.getByRole("toolbar");
  await toolbar.getByRole("button", { name: "Lien vers un fichier" }).click();
  const filePanel = claire.getByRole("group", { name: "Lien vers un fichier" });
  const fileResults = filePanel.getByRole("list", { name: "Fichiers trouvés" });
  await expect(fileResults.getByRole("listitem")).toHaveCount(3);
  for (const name of [IMAGE, PDF, NOTES]) await expect(fileResults).toContainText(name);
  await expect(fileResults.getByRole("button").filter({ hasText: PDF })).toContainText(FOLDER);
  await snap(claire, "wiki-file-panel");
  await fileResults.getByRole("button").filter({ hasText: PDF }).click();
  await expect(filePanel).toBeHidden();
  const editorLink = editor.getByRole("link", { name: PDF });
  await expect(editorLink).toHaveAttribute("href", `/files/${ids.pdf}`);

  // The image button lists the images only; one is picked, described, inserted.
  await claire.keyboard.press("End");
  await claire.keyboard.press("Enter");
  await claire.keyboard.type("Le groupe, à l’atelier d’octobre :");
  await toolbar.getByRole("button", { name: "Insérer une image" }).click();
  const imagePanel = claire.getByRole("group", { name: "Insérer une image" });
  const imageResults = imagePanel.getByRole("list", { name: "Fichiers trouvés" });
  await expect(imageResults.getByRole("listitem")).toHaveCount(1);
  const tile = imageResults.getByRole("button", { name: IMAGE });
  await expect(tile).toHaveAttribute("aria-pressed", "false");
  await expect.poll(() => naturalWidth(tile.locator("img"))).toBeGreaterThan(0);
  await tile.click();
  await expect(tile).toHaveAttribute("aria-pressed", "true");
  await imagePanel.getByLabel("Texte alternatif").fill(ALT);
  await snap(claire, "wiki-image-panel");
  await imagePanel.getByRole("button", { name: "Insérer", exact: true }).click();
  await expect(imagePanel).toBeHidden();
  const editorImage = editor.getByRole("img", { name: ALT });
  await expect(editorImage).toHaveAttribute("src", `/files/${ids.image}/inline`);
  await expect.poll(() => naturalWidth(editorImage)).toBe(IMAGE_SIZE.width);
  await snap(claire, "wiki-editor");

  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL((url) => url.pathname.startsWith(`/spaces/${SPACE}/wiki/`) && !url.pathname.endsWith("/new"));
  wikiPageUrl = claire.url();
  await expect(claire.getByTestId("flash")).toContainText(`La page « ${WIKI_PAGE} » est créée.`);
  const view = article(claire);
  const shown = view.getByRole("img", { name: ALT });
  await expect(shown).toHaveAttribute("src", `/files/${ids.image}/inline`);
  await expect.poll(() => naturalWidth(shown)).toBe(IMAGE_SIZE.width);
  const link = view.getByRole("link", { name: PDF });
  await expect(link).toHaveAttribute("href", `/files/${ids.pdf}`);
  await snap(claire, "wiki-page");

  // The link leads to the file's page, which knows the page uses it.
  await link.click();
  await claire.waitForURL(`**${FILES}/${ids.pdf}`);
  await expect(claire.getByRole("heading", { level: 1, name: PDF })).toBeVisible();
  const usedIn = claire.getByRole("region", { name: "Utilisé dans ces pages du wiki" });
  await expect(usedIn.getByRole("link", { name: WIKI_PAGE })).toHaveAttribute("href", new URL(wikiPageUrl).pathname);
  await snap(claire, "pdf-used-in");
});

test("trashing a file the wiki uses warns first; the trash restores it and purges another", async () => {
  await claire.goto(FILES);
  await hydrated(claire);
  // The folder holding the linked PDF warns too, and is left alone.
  await rowAction(claire, FOLDER, "Mettre à la corbeille");
  const folderDialog = claire.getByRole("dialog", { name: `Mettre le dossier « ${FOLDER} » à la corbeille ?` });
  await expect(folderDialog.getByRole("note")).toContainText("1 fichier de ce dossier est utilisé par des pages du wiki");
  await folderDialog.getByRole("button", { name: "Annuler" }).click();
  await expect(folderDialog).toBeHidden();

  await rowAction(claire, IMAGE, "Mettre à la corbeille");
  const trashDialog = claire.getByRole("dialog", { name: `Mettre « ${IMAGE} » à la corbeille ?` });
  await expect(trashDialog).toContainText("Le fichier et ses versions restent 30 jours dans la corbeille de l’espace");
  await expect(trashDialog.getByRole("note")).toContainText("1 page du wiki affiche ce fichier ou y renvoie");
  await snap(claire, "trash-warning");
  await trashDialog.getByRole("button", { name: "Mettre à la corbeille" }).click();
  await expect(claire.getByTestId("flash")).toContainText(`« ${IMAGE} » mis à la corbeille.`);
  await expect(claire.getByRole("link", { name: IMAGE, exact: true })).toHaveCount(0);
  // Meanwhile the page's image is gone (404 to every reader), its link too.
  expect((await claire.request.get(`/files/${ids.image}/inline`)).status()).toBe(404);
  expect((await claire.request.get(`${FILES}/${ids.image}`)).status()).toBe(404);

  await claire.getByRole("link", { name: "Corbeille" }).click();
  await claire.waitForURL(`**${FILES}/trash`);
  await hydrated(claire);
  await expect(claire.getByRole("heading", { name: "Corbeille des fichiers" })).toBeVisible();
  const entries = claire.locator(".trash-list > li");
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(IMAGE);
  await expect(entries.first()).toContainText(`Supprimé par ${admin.name}`);
  await expect(entries.first()).toContainText("était à la racine");
  await expect(entries.first()).toContainText(/Effacé définitivement le \d+/);
  await snap(claire, "trash");
  await entries.first().getByRole("button", { name: `Restaurer ${IMAGE}` }).click();
  await claire.waitForURL(`**${FILES}/${ids.image}`);
  await expect(claire.getByTestId("flash")).toContainText(`« ${IMAGE} » restauré.`);
  await expect(claire.getByRole("heading", { level: 1, name: IMAGE })).toBeVisible();
  await expect(claire.getByRole("region", { name: "Utilisé dans ces pages du wiki" })).toContainText(WIKI_PAGE);
  await snap(claire, "restored");
  // The page shows it again.
  await claire.goto(wikiPageUrl);
  await expect.poll(() => naturalWidth(article(claire).getByRole("img", { name: ALT }))).toBe(IMAGE_SIZE.width);

  // The notes go to the trash, then for good.
  await claire.goto(FILES);
  await hydrated(claire);
  await rowAction(claire, NOTES, "Mettre à la corbeille");
  const notesDialog = claire.getByRole("dialog", { name: `Mettre « ${NOTES} » à la corbeille ?` });
  await expect(notesDialog.getByRole("note")).toHaveCount(0);
  await notesDialog.getByRole("button", { name: "Mettre à la corbeille" }).click();
  await expect(claire.getByTestId("flash")).toContainText(`« ${NOTES} » mis à la corbeille.`);
  await claire.getByRole("link", { name: "Corbeille" }).click();
  await claire.waitForURL(`**${FILES}/trash`);
  await hydrated(claire);
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText(NOTES);
  // Still downloadable by who runs the trash, until it is purged.
  expect((await claire.request.get(`${FILES}/${ids.notes}/download`)).status()).toBe(200);
  await entries.first().getByRole("button", { name: `Effacer définitivement ${NOTES}` }).click();
  const purge = claire.getByRole("dialog", { name: `Effacer « ${NOTES} » définitivement ?` });
  await expect(purge).toContainText("Le fichier et toutes ses versions seront effacés du stockage. Impossible de revenir en arrière.");
  await snap(claire, "purge-dialog");
  await purge.getByRole("button", { name: "Effacer définitivement" }).click();
  await expect(claire.getByTestId("flash")).toContainText(`« ${NOTES} » effacé définitivement.`);
  await expect(claire.getByText("La corbeille est vide.")).toBeVisible();
  await expect(entries).toHaveCount(0);
  for (const path of [`${FILES}/${ids.notes}`, `${FILES}/${ids.notes}/download`, `${FILES}/${ids.notes}/download?version=1`]) {
    expect((await claire.request.get(path)).status(), path).toBe(404);
  }
  await snap(claire, "trash-purged");
  await claire.goto(FILES);
  await expect(claire.getByRole("link", { name: NOTES, exact: true })).toHaveCount(0);
  await expect(claire.getByRole("link", { name: IMAGE, exact: true })).toBeVisible();
});

test("on his phone, Paul, a member, browses the files and opens the image", async ({ browser }) => {
  const phone = await browser.newContext({ locale: "fr-FR", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  await signIn(page, member.email);
  await page.goto(FILES);
  await hydrated(page);
  await expect(row(page, FOLDER)).toBeVisible();
  await expect(page.getByRole("link", { name: IMAGE, exact: true })).toBeVisible();
  // A member sends files, but folders and the trash are the editors'.
  await expect(page.getByRole("button", { name: "Envoyer des fichiers" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Nouveau dossier" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Corbeille" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: `Actions pour « ${IMAGE} »` })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await snap(page, "listing-phone");

  await page.getByRole("link", { name: IMAGE, exact: true }).click();
  await page.waitForURL(`**${FILES}/${ids.image}`);
  await hydrated(page);
  await expect.poll(() => naturalWidth(page.getByRole("img", { name: `Aperçu de « ${IMAGE} »` }))).toBe(IMAGE_SIZE.width);
  await expect(page.getByRole("button", { name: "Envoyer une nouvelle version" })).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await snap(page, "image-phone");
  await phone.close();

  // Claire's trash, on a phone too.
  const clairePhone = await browser.newContext({
    locale: "fr-FR",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    storageState: await claire.context().storageState(),
  });
  const trash = await clairePhone.newPage();
  await trash.goto(FILES);
  await hydrated(trash);
  await rowAction(trash, FOLDER, "Mettre à la corbeille");
  const dialog = trash.getByRole("dialog", { name: `Mettre le dossier « ${FOLDER} » à la corbeille ?` });
  await dialog.getByRole("button", { name: "Mettre à la corbeille" }).click();
  await expect(trash.getByTestId("flash")).toContainText(`Dossier « ${FOLDER} » mis à la corbeille.`);
  await trash.goto(`${FILES}/trash`);
  await hydrated(trash);
  await expect(trash.locator(".trash-list > li")).toContainText([FOLDER]);
  await expect(trash.locator(".trash-list > li").first()).toContainText("1 fichier,");
  await expectNoSidewaysScroll(trash);
  await snap(trash, "trash-phone");
  await clairePhone.close();
  await claire.context().close();
});
