import { expect, hydrated, PASSWORD, signIn, test, type Browser, type Page } from "./fixtures.ts";
import { screenshotSeries, waitForMail } from "./support.ts";

/**
 * Comments and notifications, as the club lives them (after the journey):
 * in "Cercle Lyon", Claire (admin) writes up a workshop in the wiki; Paul
 * (member) comments on it; Claire answers him in the thread and mentions
 * him, picking his name from the "@" list with the keyboard, and posts with
 * Ctrl+Enter. Paul's bell shows one unread notification; the list says who
 * mentioned him where; opening it leads to Claire's reply and the bell goes
 * quiet. Paul asked for mail on mentions (the default), so a mail comes too,
 * in French, with the link to the reply.
 */

test.describe.configure({ mode: "serial" });

const claireAccount = { name: "Claire Martin", email: "claire@cabinet-martin.fr" };
const paulAccount = { name: "Paul Durand", email: "paul@durand.fr" };
const SPACE = "cercle-lyon";
const PAGE_TITLE = "Atelier négociation — compte rendu";

const snap = screenshotSeries("comments");

async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: "fr-FR", viewport });
  return context.newPage();
}

let claire: Page;
let paul: Page;
let pageUrl = "";

test("Claire writes up the workshop in the wiki", async ({ browser }) => {
  claire = await newPage(browser);
  await signIn(claire, claireAccount.email);
  await claire.goto(`/spaces/${SPACE}/wiki/new`);
  await hydrated(claire);
  const editor = claire.locator('[data-lexical-editor="true"]');
  await expect(editor).toBeVisible();
  await claire.getByLabel("Titre", { exact: true }).fill(PAGE_TITLE);
  await editor.click();
  await claire.keyboard.type("Trois idées à retenir : préparer l’accord, garder une alternative crédible, écouter avant de proposer.");
  await claire.getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL((url) => url.pathname.startsWith(`/spaces/${SPACE}/wiki/`) && !url.pathname.endsWith("/new"));
  pageUrl = new URL(claire.url()).pathname;
  const comments = claire.getByRole("region", { name: /Commentaires/ });
  await expect(comments).toContainText("Aucun commentaire pour l’instant.");
});

test("Paul comments on the page, with a bold word, and posts with the button", async ({ browser }) => {
  paul = await newPage(browser);
  await signIn(paul, paulAccount.email);
  await expect(paul.getByRole("link", { name: "Notifications, aucune non lue" })).toBeVisible();
  await paul.goto(pageUrl);
  await hydrated(paul);
  const comments = paul.getByRole("region", { name: /Commentaires/ });
  const box = comments.getByRole("textbox", { name: "Votre commentaire" });
  await expect(box).toBeVisible();
  // With a keyboard at hand, the hint gives the shortcuts too.
  await expect(comments.locator(".editor-hint").first()).toContainText("Alt+F10", { useInnerText: true });
  await box.click();
  await paul.keyboard.type("Merci Claire. Pour moi, le point ");
  await comments.getByRole("toolbar", { name: "Mise en forme du commentaire" }).getByRole("button", { name: "Gras" }).click();
  await paul.keyboard.type("décisif");
  await comments.getByRole("toolbar", { name: "Mise en forme du commentaire" }).getByRole("button", { name: "Gras" }).click();
  await paul.keyboard.type(" est l’alternative crédible.");
  await paul.keyboard.press("Enter");
  await paul.keyboard.type("Une question : comment la préparer ?");
  await snap(paul, "paul-writes");
  await comments.getByRole("button", { name: "Publier" }).click();

  const posted = comments.getByRole("article", { name: paulAccount.name });
  await expect(posted).toContainText("Merci Claire.");
  await expect(posted.locator("strong", { hasText: "décisif" })).toBeVisible();
  await expect(posted.locator("p")).toHaveCount(2);
  await expect(comments.getByRole("heading", { name: /1 commentaire/ })).toBeVisible();
  // The form is empty again.
  await expect(comments.getByRole("textbox", { name: "Votre commentaire" })).toHaveText("");
});

test("Claire replies in the thread and mentions Paul, picked from the @ list", async () => {
  // Paul's comment on her page is in Claire's bell (in the app, as by default); it leads to the comment.
  await claire.goto(`/spaces/${SPACE}`);
  await hydrated(claire);
  const bell = claire.getByRole("link", { name: "Notifications, 1 non lue" });
  await expect(bell).toBeVisible();
  await bell.click();
  await claire.waitForURL("**/notifications");
  const told = claire.getByRole("list", { name: "Notifications" }).getByRole("listitem").filter({ hasText: `${paulAccount.name} a commenté « ${PAGE_TITLE} »` });
  await expect(told).toHaveCount(1);
  await told.getByRole("link").click();
  await claire.waitForURL((url) => url.pathname === pageUrl && url.hash.startsWith("#comment-"));
  await expect(claire.getByRole("link", { name: "Notifications, aucune non lue" })).toBeVisible();
  await hydrated(claire);
  const comments = claire.getByRole("region", { name: /Commentaires/ });
  await comments.getByRole("button", { name: `Répondre à ${paulAccount.name}` }).click();
  const reply = comments.getByRole("textbox", { name: `Votre réponse à ${paulAccount.name}` });
  await expect(reply).toBeFocused();
  await claire.keyboard.type("Bonne question ");
  await claire.keyboard.type("@pau");
  const menu = claire.getByRole("listbox");
  await expect(menu.getByRole("option", { name: paulAccount.name })).toBeVisible();
  // Named in the reader's language, with no English label of Lexical's
  // ("Typeahead menu") left on it for a screen reader to pick up.
  await expect(menu).toHaveAccessibleName("Membres de l’espace");
  await expect(menu).toHaveAttribute("aria-label", "Membres de l’espace");
  // Inside the page's landmarks, like everything a screen reader's user
  // reaches by region.
  await expect(claire.getByRole("main").getByRole("listbox")).toHaveCount(1);
  await snap(claire, "mention-picker");
  await claire.keyboard.press("Enter");
  await expect(reply.locator(".mention")).toHaveText(`@${paulAccount.name}`);
  await claire.keyboard.type(": on en parle au prochain atelier.");
  await snap(claire, "claire-replies");
  await claire.keyboard.press("Control+Enter");

  const thread = comments.getByRole("list", { name: `Réponses au commentaire de ${paulAccount.name}` });
  const answer = thread.getByRole("article", { name: claireAccount.name });
  await expect(answer).toContainText("Bonne question @Paul Durand : on en parle au prochain atelier.");
  await expect(answer.locator(`span.mention`)).toHaveText("@Paul Durand");
  await expect(comments.getByRole("heading", { name: /2 commentaires/ })).toBeVisible();
  await snap(claire, "thread");
});

test("Paul sees the bell count, the notification, and is led to the reply; a mail came too", async () => {
  await paul.goto(`/spaces/${SPACE}`);
  await hydrated(paul);
  const bell = paul.getByRole("link", { name: "Notifications, 1 non lue" });
  await expect(bell).toBeVisible();
  await expect(bell).toContainText("1");
  await snap(paul, "bell");
  await bell.click();
  await paul.waitForURL("**/notifications");
  const item = paul.getByRole("list", { name: "Notifications" }).getByRole("listitem");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(`${claireAccount.name} vous a mentionné dans un commentaire sur « ${PAGE_TITLE} »`);
  await expect(item).toContainText("Dans Cercle Lyon");
  await expect(item.getByRole("img", { name: "Non lue" })).toBeVisible();
  await snap(paul, "notifications");

  await item.getByRole("link").click();
  await paul.waitForURL((url) => url.pathname === pageUrl && url.hash.startsWith("#comment-"));
  const target = paul.locator(new URL(paul.url()).hash);
  await expect(target).toContainText("on en parle au prochain atelier");
  await expect(paul.getByRole("link", { name: "Notifications, aucune non lue" })).toBeVisible();
  await snap(paul, "led-to-reply");

  const mail = await waitForMail(paulAccount.email, /Claire Martin vous a mentionné dans Cercle Lyon/);
  expect(mail.text).toContain(`« ${PAGE_TITLE} »`);
  expect(mail.text).toMatch(new RegExp(`http://127\\.0\\.0\\.1:\\d+${pageUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}#comment-[a-z0-9]+`));
});
