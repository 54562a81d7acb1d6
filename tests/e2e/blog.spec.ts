import { expect, hydrated, PASSWORD, signIn, test, type Browser, type Page } from "./fixtures.ts";
import sharp from "sharp";
import { screenshotSeries } from "./support.ts";

/**
 * The blog, as the club lives it (after the journey, which made the network,
 * the club and the accounts): in "Club Achats & Supply Chain", Julien (member)
 * writes a draft with a cover image uploaded from the cover picker, watches it
 * save itself, previews it, and schedules it a minute ahead in his time zone
 * (Europe/Paris, the default); the server publishes it and the blog lists it
 * with its cover. Isabelle (member, who reads Cercle in English since she
 * joined that way) comments; Julien answers her in the thread and mentions
 * Claire, picked from the "@" list; Claire's bell shows it, the notification
 * leads her to the reply. The article is also looked at on a phone.
 *
 * Only the club's blog, its files and these three people's notifications are
 * touched: the wiki spec (same club) looks at the wiki alone, the files and
 * comments specs live in "Cercle Lyon" and follow Paul's bell.
 */

test.describe.configure({ mode: "serial" });

const julienAccount = { name: "Julien Moreau", email: "julien@moreau-conseil.fr", password: PASSWORD };
// The journey resets Isabelle's password, and she chose English when she joined.
const isabelleAccount = { name: "Isabelle Garnier", email: "isabelle@garnier.fr", password: "un tout nouveau mot de passe" };
const claireAccount = { name: "Claire Martin", email: "claire@cabinet-martin.fr", password: PASSWORD };
const SPACE = "club-achats-supply-chain";
const BLOG = `/spaces/${SPACE}/blog`;
const TITLE = "Renégocier un contrat cadre en période d’inflation";
const COVER = "Couverture — contrat cadre.png";
const TIME_ZONE = "Europe/Paris";

const snap = screenshotSeries("blog");

async function makeCover(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0f766e"/><stop offset="1" stop-color="#1d4ed8"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <rect x="90" y="380" width="160" height="170" fill="#fbbf24"/>
    <rect x="290" y="300" width="160" height="250" fill="#f97316"/>
    <rect x="490" y="220" width="160" height="330" fill="#ef4444"/>
    <text x="80" y="150" font-family="DejaVu Sans, sans-serif" font-size="60" font-weight="bold" fill="#fff">Contrat cadre &amp; inflation</text>
    <text x="80" y="215" font-family="DejaVu Sans, sans-serif" font-size="32" fill="#e0f2fe">Club Achats &amp; Supply Chain</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** The wall-clock time of `instant` in `timeZone`, as a datetime-local input takes it ("2026-11-22T13:05"). */
function wallTime(instant: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: "fr-FR", viewport });
  return context.newPage();
}

let julien: Page;
let isabelle: Page;
let claire: Page;
let postPath = "";
let scheduledFor = 0;

test("Julien writes a draft with a cover uploaded from the picker; it saves itself", async ({ browser }) => {
  julien = await newPage(browser);
  await signIn(julien, julienAccount.email, julienAccount.password);
  await julien.goto(BLOG);
  await hydrated(julien);
  await expect(julien.getByText("Aucun article publié pour l’instant.")).toBeVisible();
  await julien.getByRole("link", { name: "Écrire un article" }).click();
  await julien.waitForURL(`**${BLOG}/new`);
  await hydrated(julien);

  await julien.getByLabel("Titre", { exact: true }).fill(TITLE);
  const editor = julien.locator('[data-lexical-editor="true"]');
  await editor.click();
  await julien.keyboard.type("L’inflation a fait exploser nos prix d’achat : nous avons rouvert le contrat cadre avec notre premier fournisseur.");
  await julien.keyboard.press("Enter");
  await julien.keyboard.type("Trois leviers ont compté : une clause d’indexation sur un indice public, un volume garanti, et une revue trimestrielle.");

  // The cover: a new image, uploaded into the space's files from the picker.
  const cover = julien.getByRole("group", { name: /Image de couverture/ });
  await expect(cover).toContainText("Pas d’image de couverture.");
  await cover.getByRole("button", { name: "Choisir une image" }).click();
  const panel = julien.getByRole("group", { name: "Images de l’espace" });
  await expect(panel.getByLabel("Chercher parmi les images de l’espace")).toBeFocused();
  const chooser = julien.waitForEvent("filechooser");
  await panel.getByRole("button", { name: "Déposer une nouvelle image…" }).click();
  await (await chooser).setFiles({ name: COVER, mimeType: "image/png", buffer: await makeCover() });
  await expect(panel).toHaveCount(0);
  await expect(cover.locator(".cover-name")).toHaveText(COVER);
  await expect(cover.locator("img.cover-thumb")).toHaveJSProperty("complete", true);
  expect(await cover.locator("img.cover-thumb").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(cover.getByRole("button", { name: "Changer d’image" })).toBeVisible();
  await snap(julien, "new-draft");

  await julien.getByRole("button", { name: "Créer le brouillon" }).click();
  await julien.waitForURL((url) => url.pathname.startsWith(`${BLOG}/`) && url.pathname.endsWith("/edit"));
  postPath = new URL(julien.url()).pathname.replace(/\/edit$/, "");
  await hydrated(julien);
  await expect(julien.getByTestId("flash")).toContainText(`Brouillon « ${TITLE} » créé.`);
  await expect(julien.getByRole("group", { name: /Image de couverture/ }).locator(".cover-name")).toHaveText(COVER);

  // Autosave: a change, then leaving the form, saves the draft without a click.
  const status = julien.locator(".autosave-status");
  await expect(status).toHaveText("Le brouillon s’enregistre tout seul pendant que vous écrivez.");
  await julien.locator('[data-lexical-editor="true"]').click();
  await julien.keyboard.press("ControlOrMeta+End");
  await julien.keyboard.press("Enter");
  await julien.keyboard.type("Résultat : +3,5 % au lieu des +9 % demandés.");
  await julien.getByRole("heading", { name: "Modifier l’article" }).click();
  await expect(status).toHaveText(/^Brouillon enregistré à \d{2}:\d{2}$/);
  await snap(julien, "draft-autosaved");
});

test("Julien previews the draft: the real article page under a banner", async () => {
  await julien.getByRole("link", { name: "Prévisualiser" }).click();
  await julien.waitForURL((url) => url.pathname === postPath);
  await hydrated(julien);
  const banner = julien.getByRole("note");
  await expect(banner).toContainText("Aperçu — cet article n’est pas publié.");
  const article = julien.getByRole("article").filter({ has: julien.getByRole("heading", { level: 1, name: TITLE }) });
  await expect(article.locator(".post-cover img")).toBeVisible();
  expect(await article.locator(".post-cover img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(article.locator(".post-body p")).toHaveCount(3);
  await expect(article).toContainText("Résultat : +3,5 % au lieu des +9 % demandés.");
  await snap(julien, "preview");
});

test("Julien schedules it a minute ahead, in his time zone, and the server publishes it", async () => {
  test.setTimeout(240_000);
  await julien.getByRole("link", { name: "Retour à l’éditeur" }).click();
  await julien.waitForURL(`**${postPath}/edit`);
  await hydrated(julien);
  const box = julien.getByRole("region", { name: "Publication" });
  await expect(box.getByText("Heure de votre fuseau horaire : Europe/Paris.")).toBeVisible();
  // datetime-local counts in minutes: the first whole minute at least 50 s away.
  scheduledFor = Math.ceil((Date.now() + 50_000) / 60_000) * 60_000;
  await box.getByLabel("Ou le publier plus tard, le").fill(wallTime(scheduledFor, TIME_ZONE));
  await box.getByRole("button", { name: "Programmer" }).click();
  await expect(julien.getByTestId("flash")).toContainText("Article programmé : il sera publié le");
  const hour = new Intl.DateTimeFormat("fr-FR", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit" }).format(scheduledFor);
  await expect(julien.getByTestId("flash")).toContainText(hour);
  // Scheduling leads back to the article, under the "scheduled" banner.
  await julien.waitForURL((url) => url.pathname === postPath);
  await hydrated(julien);
  await expect(julien.getByRole("note")).toContainText("Aperçu — publication programmée le");
  await expect(julien.getByRole("note")).toContainText(`${hour} (Europe/Paris)`);
  await snap(julien, "scheduled-preview");
  await julien.getByRole("link", { name: "Retour à l’éditeur" }).click();
  await julien.waitForURL(`**${postPath}/edit`);
  await hydrated(julien);
  await expect(box).toContainText(`Programmé pour le`);
  await expect(box.getByRole("button", { name: "Annuler la programmation" })).toBeVisible();
  await expect(julien.locator(".autosave-status")).toHaveCount(0);
  await snap(julien, "scheduled-editor");

  // Not out before its time (the blog's published list is still empty)…
  await julien.goto(BLOG);
  const published = julien.getByRole("region", { name: "Articles publiés" });
  await expect(published.getByRole("link", { name: TITLE })).toHaveCount(0);
  await expect(julien.getByText("Aucun article publié pour l’instant.")).toBeVisible();
  await snap(julien, "blog-pending");
  // …then out, by the server's own clock (it publishes what is due every 15 s).
  await expect
    .poll(
      async () => {
        await julien.reload();
        return published.getByRole("heading", { name: TITLE }).count();
      },
      { timeout: 150_000, intervals: [5_000], message: "the scheduled article appears on the blog" },
    )
    .toBe(1);
  expect(Date.now()).toBeGreaterThanOrEqual(scheduledFor);
  const card = published.getByRole("article", { name: TITLE });
  await expect(card).toContainText(`par ${julienAccount.name}`);
  await expect(card.locator(".post-card-cover img")).toBeVisible();
  await card.locator(".post-card-cover img").scrollIntoViewIfNeeded();
  await expect.poll(() => card.locator(".post-card-cover img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await snap(julien, "blog-published");

  await julien.goto(postPath);
  await expect(julien.getByRole("note")).toHaveCount(0);
  await expect(julien.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
});

test("Isabelle comments on the article (she reads Cercle in English)", async ({ browser }) => {
  isabelle = await newPage(browser);
  await signIn(isabelle, isabelleAccount.email, isabelleAccount.password);
  await isabelle.goto(BLOG);
  await hydrated(isabelle);
  await isabelle.getByRole("link", { name: TITLE }).click();
  await isabelle.waitForURL((url) => url.pathname === postPath);
  await hydrated(isabelle);
  await expect(isabelle.getByRole("note")).toHaveCount(0);
  const comments = isabelle.getByRole("region", { name: /Comments/ });
  const box = comments.getByRole("textbox", { name: "Your comment" });
  await box.click();
  await isabelle.keyboard.type("Très utile, merci Julien. Quel indice public avez-vous retenu pour l’indexation ?");
  await comments.getByRole("button", { name: "Post" }).click();
  const posted = comments.getByRole("article", { name: isabelleAccount.name });
  await expect(posted).toContainText("Quel indice public avez-vous retenu");
  await snap(isabelle, "isabelle-comments");
});

test("Julien replies and mentions Claire, picked from the @ list; Ctrl+Enter posts", async () => {
  await julien.goto(postPath);
  await hydrated(julien);
  const comments = julien.getByRole("region", { name: /Commentaires/ });
  await comments.getByRole("button", { name: `Répondre à ${isabelleAccount.name}` }).click();
  const reply = comments.getByRole("textbox", { name: `Votre réponse à ${isabelleAccount.name}` });
  await expect(reply).toBeFocused();
  await julien.keyboard.type("L’indice des prix de production, ");
  await julien.keyboard.type("@Cla");
  const menu = julien.getByRole("listbox");
  await expect(menu.getByRole("option", { name: claireAccount.name })).toBeVisible();
  await snap(julien, "mention-picker");
  await julien.keyboard.press("Enter");
  await expect(reply.locator(".mention")).toHaveText(`@${claireAccount.name}`);
  // The picker puts a space after the name.
  await julien.keyboard.type("pourra détailler la clause.");
  await julien.keyboard.press("Control+Enter");

  const thread = comments.getByRole("list", { name: `Réponses au commentaire de ${isabelleAccount.name}` });
  const answer = thread.getByRole("article", { name: julienAccount.name });
  await expect(answer).toContainText(`@${claireAccount.name} pourra détailler la clause.`);
  await expect(answer.locator("span.mention")).toHaveText(`@${claireAccount.name}`);
  await expect(comments.getByRole("heading", { name: /2 commentaires/ })).toBeVisible();
  await snap(julien, "thread");
});

test("Claire sees the bell, the notification, and is led to the reply", async ({ browser }) => {
  claire = await newPage(browser);
  await signIn(claire, claireAccount.email, claireAccount.password);
  await claire.goto(`/spaces/${SPACE}`);
  await hydrated(claire);
  const bell = claire.getByRole("link", { name: "Notifications, 1 non lue" });
  await expect(bell).toBeVisible();
  await expect(bell).toContainText("1");
  await snap(claire, "bell");
  await bell.click();
  await claire.waitForURL("**/notifications");
  const item = claire
    .getByRole("list", { name: "Notifications" })
    .getByRole("listitem")
    .filter({ hasText: `${julienAccount.name} vous a mentionné dans un commentaire sur « ${TITLE} »` });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("Dans Club Achats & Supply Chain");
  await expect(item.getByRole("img", { name: "Non lue" })).toBeVisible();
  await snap(claire, "notifications");

  await item.getByRole("link").click();
  await claire.waitForURL((url) => url.pathname === postPath && url.hash.startsWith("#comment-"));
  const target = claire.locator(new URL(claire.url()).hash);
  await expect(target).toContainText("pourra détailler la clause");
  await expect(claire.getByRole("link", { name: "Notifications, aucune non lue" })).toBeVisible();
  await snap(claire, "led-to-reply");
});

test("on a phone, the article, its cover and the thread fit the screen", async ({ browser }) => {
  const phone = await browser.newContext({
    locale: "fr-FR",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    storageState: await claire.context().storageState(),
  });
  const page = await phone.newPage();
  await page.goto(postPath);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  const img = page.locator(".post-cover img");
  await expect(img).toBeVisible();
  const box = await img.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  await expect(page.getByRole("region", { name: /Commentaires/ }).getByRole("article")).toHaveCount(2);
  // On a touch screen, keyboard shortcuts are no help: the hint keeps only
  // what a finger can use.
  const hint = page.getByRole("region", { name: /Commentaires/ }).locator(".editor-hint").first();
  await expect(hint).toContainText("@ : mentionner un membre", { useInnerText: true });
  await expect(hint).not.toContainText("Alt+F10", { useInnerText: true });
  await expect(hint).not.toContainText("Ctrl+Entrée", { useInnerText: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await snap(page, "article-phone");
  await phone.close();
  await claire.context().close();
  await isabelle.context().close();
  await julien.context().close();
});
