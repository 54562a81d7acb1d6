import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import { expect, hydrated, PASSWORD, signIn, test, type Browser, type Locator, type Page } from "./fixtures.ts";
import { linkIn, screenshotSeries, waitForMail } from "./support.ts";

/**
 * Workshops as a club lives them (after the journey, which made the network
 * and Claire, its administrator): Claire opens "Cercle Ateliers Nantes" and
 * co-opts three members, who join from their mails. She schedules a
 * workshop with two seats through the form; Léa and Hugo say they come,
 * Sofia is put on the waitlist and sees her place. Hugo withdraws: Sofia is
 * promoted at once and sees it on the page, in her bell and in her mail.
 * The .ics she downloads is read with ical.js (a real iCalendar parser):
 * its UID, SEQUENCE, METHOD and a DTSTART in Europe/Paris that survive
 * Claire moving the workshop. Then Sofia's agenda on a phone: the list, the
 * month, and from one month to the next with the keyboard. Everything here
 * lives in its own club with its own people, so no other spec sees it.
 */

test.describe.configure({ mode: "serial" });

const claireAccount = { name: "Claire Martin", email: "claire@cabinet-martin.fr" };
const lea = { name: "Léa Fontaine", email: "lea.fontaine@atelier-nantes.fr" };
const hugo = { name: "Hugo Lambert", email: "hugo@lambert-conseil.fr" };
const sofia = { name: "Sofia Haddad", email: "sofia.haddad@haddad-rh.fr" };
const CLUB = "Cercle Ateliers Nantes";
const SLUG = "cercle-ateliers-nantes";
const BASE = `/spaces/${SLUG}`;
const TITLE = "Négocier avec un fournisseur unique";
const PLACE = "Maison des associations, 12 rue Fouré, 44000 Nantes";
const ZONE = "Europe/Paris";
const PHONE = 375;

const snap = screenshotSeries("workshops");

/** The calendar day in Paris `days` from now, as a date input takes it ("2026-12-14"). */
function parisDay(days: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(Date.now() + days * 86_400_000);
}

/** The instant a Paris wall-clock time names: the UTC reading, less Paris's offset on that day. */
function parisInstant(day: string, time: string): number {
  const [y, m, d] = day.split("-").map(Number);
  const [h, min] = time.split(":").map(Number);
  const asUtc = Date.UTC(y, m - 1, d, h, min);
  const offset = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, timeZoneName: "longOffset" }).formatToParts(asUtc).find((p) => p.type === "timeZoneName")!.value;
  const [, sign, oh, om] = /GMT([+-])(\d{2}):(\d{2})/.exec(offset)!;
  return asUtc - (sign === "+" ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000;
}

const DAY = parisDay(10);
const START = "18:30";
const END = "20:30";

async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: "fr-FR", viewport });
  return context.newPage();
}

/** Nothing spills out sideways: the page is no wider than the phone. */
async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "the page's width").toBeLessThanOrEqual(PHONE);
}

/** The element is drawn whole inside the phone's width. */
async function expectWithinWidth(locator: Locator, what: string) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  expect(box, `${what} is drawn`).not.toBeNull();
  expect(box!.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what}: right edge`).toBeLessThanOrEqual(PHONE);
}

interface ReadIcs {
  method: string | null;
  uid: string;
  sequence: number;
  summary: string;
  tzid: string | null;
  zones: string[];
  start: number;
  end: number;
  location: string | null;
}

/**
 * The file as a calendar app reads it, with ical.js (Mozilla's parser): the
 * file's own VTIMEZONEs registered first and only those, so a DTSTART whose
 * zone the file does not carry could not read right by chance.
 */
function readIcs(source: string): ReadIcs {
  ICAL.TimezoneService.reset();
  const calendar = new ICAL.Component(ICAL.parse(source));
  const zones = calendar.getAllSubcomponents("vtimezone").map((tz) => {
    ICAL.TimezoneService.register(tz);
    return String(tz.getFirstPropertyValue("tzid"));
  });
  const events = calendar.getAllSubcomponents("vevent");
  expect(events, "one event in the file").toHaveLength(1);
  const event = new ICAL.Event(events[0]);
  const tzid = events[0].getFirstProperty("dtstart")?.getParameter("tzid");
  return {
    method: calendar.getFirstPropertyValue("method") as string | null,
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    tzid: typeof tzid === "string" ? tzid : null,
    zones,
    start: event.startDate.toUnixTime() * 1000,
    end: event.endDate.toUnixTime() * 1000,
    location: event.location,
  };
}

/** Downloads the workshop's .ics from its page's "add to my calendar" link. */
async function downloadIcs(page: Page): Promise<{ name: string; text: string }> {
  const download = page.waitForEvent("download");
  await page.getByRole("navigation", { name: "Ajouter à mon calendrier" }).getByRole("link", { name: /Fichier \.ics/ }).click();
  const file = await download;
  return { name: file.suggestedFilename(), text: readFileSync(await file.path()).toString("utf8") };
}

let claire: Page;
const members = new Map<string, Page>();
let workshopPath = "";
let workshopId = "";

test("Claire opens a club for the workshops and co-opts three members, who join from their mails", async ({ browser }) => {
  test.setTimeout(120_000);
  claire = await newPage(browser);
  await signIn(claire, claireAccount.email);
  await claire.goto("/spaces/new");
  await hydrated(claire);
  await claire.getByLabel("Nom", { exact: true }).fill(CLUB);
  await expect(claire.getByLabel("Adresse")).toHaveValue(SLUG);
  await claire.getByRole("textbox", { name: /^Description/ }).fill("Les ateliers du cercle nantais : un membre anime, les autres viennent, on garde les notes.");
  await claire.getByRole("radio", { name: /^Répertorié/ }).check();
  await claire.getByRole("radio", { name: /^Co-optation directe/ }).check();
  await claire.getByRole("button", { name: "Créer l’espace" }).click();
  await claire.waitForURL(`**${BASE}/invite`);
  for (const person of [lea, hugo, sofia]) {
    await claire.getByLabel("Son adresse e-mail").fill(person.email);
    await claire.getByRole("button", { name: "Envoyer la co-optation" }).click();
    await expect(claire.getByRole("status").filter({ hasText: "Invitation envoyée" })).toBeVisible();
    const mail = await waitForMail(person.email, /Claire Martin vous invite à rejoindre Cercle Ateliers Nantes/);
    const page = await newPage(browser);
    await page.goto(linkIn(mail, "/invitations/"));
    await hydrated(page);
    await page.getByLabel(/Votre nom/).fill(person.name);
    await page.getByLabel(/^Choisissez un mot de passe/).fill(PASSWORD);
    await page.getByLabel(/^Confirmez le mot de passe/).fill(PASSWORD);
    await page.getByRole("button", { name: `Rejoindre ${CLUB}` }).click();
    await page.waitForURL(`**${BASE}`);
    members.set(person.name, page);
    // The next co-optation from a fresh form.
    await claire.goto(`${BASE}/invite`);
    await hydrated(claire);
  }
});

test("Claire schedules a workshop with two seats through the form", async () => {
  await claire.goto(`${BASE}/workshops`);
  await hydrated(claire);
  await claire.getByRole("link", { name: "Programmer un atelier" }).click();
  await claire.waitForURL(`**${BASE}/workshops/new`);
  await hydrated(claire);
  const form = claire.getByRole("main");
  await form.getByLabel("Titre", { exact: true }).fill(TITLE);
  await form.getByLabel("Date", { exact: true }).fill(DAY);
  await form.getByLabel("Début", { exact: true }).fill(START);
  await form.getByLabel("Fin", { exact: true }).fill(END);
  await expect(form.getByLabel("Fuseau horaire")).toHaveValue(ZONE);
  await form.getByLabel(/^Lieu/).fill(PLACE);
  await form.getByLabel(/^Nombre de places/).fill("2");
  // Claire leads it: the form proposes its author.
  await expect(form.getByRole("group", { name: "Animé par" }).getByRole("checkbox", { name: claireAccount.name })).toBeChecked();
  const editor = claire.locator('[data-lexical-editor="true"]');
  await editor.click();
  await claire.keyboard.type("Quand un seul fournisseur tient la pièce critique : cartographier la dépendance, préparer la négociation, ouvrir une seconde source.");
  await snap(claire, "new-filled");
  await form.getByRole("button", { name: "Programmer l’atelier" }).click();
  await claire.waitForURL((url) => url.pathname.startsWith(`${BASE}/workshops/`) && !url.pathname.endsWith("/new"));
  workshopPath = new URL(claire.url()).pathname;
  workshopId = workshopPath.split("/").pop()!;
  await hydrated(claire);
  await expect(claire.getByTestId("flash")).toContainText(`Atelier « ${TITLE} » programmé.`);
  await expect(claire.getByRole("heading", { level: 2, name: TITLE })).toBeVisible();
  await expect(claire.getByRole("main")).toContainText(PLACE);
  await expect(claire.getByRole("main")).toContainText("2 places");
  await expect(claire.locator(".registration-seats")).toHaveText("2 places restantes sur 2");
  // The tab lists it among those to come.
  await claire.goto(`${BASE}/workshops`);
  await hydrated(claire);
  await expect(claire.getByRole("main").getByRole("link", { name: TITLE })).toBeVisible();
  await snap(claire, "tab-admin");
});

test("Léa and Hugo say they come; Sofia, third, goes on the waitlist and sees her place", async () => {
  for (const person of [lea, hugo]) {
    const page = members.get(person.name)!;
    await page.goto(workshopPath);
    await hydrated(page);
    await page.getByRole("group", { name: "Votre réponse" }).getByRole("button", { name: "Je viens" }).click();
    await expect(page.getByTestId("flash")).toContainText("C’est noté : vous venez.");
    await expect(page.locator(".registration-mine")).toHaveText("Vous venez.");
  }
  const page = members.get(sofia.name)!;
  await page.goto(workshopPath);
  await hydrated(page);
  const panel = page.getByRole("region", { name: "Inscription" });
  await expect(panel.locator(".registration-seats")).toHaveText("Complet sur 2");
  await expect(panel.getByRole("list", { name: "Qui vient" }).getByRole("listitem")).toHaveText([lea.name, hugo.name].map((n) => new RegExp(n)));
  // Full: "going" becomes the waitlist, and says so.
  const waitlist = panel.getByRole("button", { name: "Liste d’attente" });
  await expect(waitlist).toHaveAccessibleDescription(/L’atelier est complet/);
  await waitlist.click();
  await expect(page.getByTestId("flash")).toContainText("vous êtes sur la liste d’attente, en position 1");
  await expect(panel.locator(".registration-mine")).toHaveText("Vous êtes sur la liste d’attente, en position 1.");
  await expect(panel.locator(".registration-seats")).toHaveText("Complet sur 2 · 1 personne en liste d’attente");
  // Her answer stands, pressed, in words that say she waits (not as a seat).
  await expect(panel.getByRole("button", { name: "En liste d’attente" })).toHaveAttribute("aria-pressed", "true");
  await expect(panel.getByRole("button", { name: "Je viens" })).toHaveCount(0);
  await snap(page, "page-waitlisted");
  // Her tab says where she stands too.
  await page.goto(`${BASE}/workshops`);
  await hydrated(page);
  await expect(page.getByRole("main")).toContainText("Mes inscriptions");
  await snap(page, "tab-member");
});

test("Hugo withdraws: Sofia is promoted at once, and sees it on the page, in her bell and by mail", async () => {
  const hugoPage = members.get(hugo.name)!;
  await hugoPage.getByRole("group", { name: "Votre réponse" }).getByRole("button", { name: "Je ne viens pas" }).click();
  await expect(hugoPage.getByTestId("flash")).toContainText("C’est noté : vous ne venez pas.");

  const page = members.get(sofia.name)!;
  await page.goto(workshopPath);
  await hydrated(page);
  const panel = page.getByRole("region", { name: "Inscription" });
  await expect(panel.locator(".registration-mine")).toHaveText("Vous venez.");
  await expect(panel.locator(".registration-seats")).toHaveText("Complet sur 2");
  await expect(panel.getByRole("list", { name: "Qui vient" }).getByRole("listitem")).toHaveText([lea.name, sofia.name].map((n) => new RegExp(n)));
  await expect(panel.getByRole("button", { name: "Je viens" })).toHaveAttribute("aria-pressed", "true");
  await snap(page, "page-promoted");

  // Two lines: her seat (newest), and the workshop's announcement when Claire scheduled it.
  const bell = page.getByRole("link", { name: "Notifications, 2 non lues" });
  await expect(bell).toBeVisible();
  await bell.click();
  await page.waitForURL("**/notifications");
  await hydrated(page);
  const items = page.getByRole("list", { name: "Notifications" }).getByRole("listitem");
  await expect(items).toHaveCount(2);
  await expect(items.nth(1)).toContainText(`Claire Martin a programmé l’atelier « ${TITLE} »`);
  const item = items.first();
  await expect(item).toContainText(`Une place s’est libérée : vous êtes inscrit à « ${TITLE} »`);
  await snap(page, "notification-promoted");
  await item.getByRole("link").first().click();
  await page.waitForURL((url) => url.pathname === workshopPath);

  const mail = await waitForMail(sofia.email, /Une place s’est libérée/);
  expect(mail.subject).toContain(TITLE);
  expect(mail.text).toContain(workshopPath);
});

let first: ReadIcs;

test("the .ics downloads and reads as a calendar app reads it: UID, SEQUENCE, METHOD, DTSTART in Paris", async () => {
  const page = members.get(sofia.name)!;
  await page.goto(workshopPath);
  await hydrated(page);
  const { name, text } = await downloadIcs(page);
  expect(name).toMatch(/\.ics$/);
  first = readIcs(text);
  expect(first.method).toBe("REQUEST");
  expect(first.summary).toBe(TITLE);
  // The workshop's own id in a UID it keeps for its life (checked again after a change below).
  expect(first.uid).toContain(workshopId);
  expect(first.sequence).toBe(0);
  // Written in the workshop's zone, which the file carries, and read back as the very instant typed.
  expect(first.tzid).toBe(ZONE);
  expect(first.zones).toContain(ZONE);
  expect(first.start).toBe(parisInstant(DAY, START));
  expect(first.end).toBe(parisInstant(DAY, END));
  expect(first.location).toContain("Maison des associations");
});

test("Claire moves it half an hour later: the same UID, SEQUENCE raised, the new time", async () => {
  await claire.goto(workshopPath);
  await hydrated(claire);
  await claire.getByRole("link", { name: "Modifier" }).click();
  await claire.waitForURL(`**${workshopPath}/edit`);
  await hydrated(claire);
  await claire.getByLabel("Début", { exact: true }).fill("19:00");
  await claire.getByLabel("Fin", { exact: true }).fill("21:00");
  await claire.getByRole("main").getByRole("button", { name: "Enregistrer", exact: true }).click();
  await claire.waitForURL((url) => url.pathname === workshopPath);
  await expect(claire.getByTestId("flash")).toContainText(`Atelier « ${TITLE} » enregistré.`);

  const page = members.get(sofia.name)!;
  await page.goto(workshopPath);
  await hydrated(page);
  const moved = readIcs((await downloadIcs(page)).text);
  expect(moved.uid).toBe(first.uid);
  expect(moved.sequence).toBeGreaterThan(first.sequence);
  expect(moved.method).toBe("REQUEST");
  expect(moved.tzid).toBe(ZONE);
  expect(moved.start).toBe(parisInstant(DAY, "19:00"));
  expect(moved.end).toBe(parisInstant(DAY, "21:00"));
});

test("Sofia's agenda on a phone: the list, the month, and month to month from the keyboard", async ({ browser }) => {
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: PHONE, height: 812 }, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  await signIn(phone, sofia.email);
  await phone.goto("/agenda");
  await hydrated(phone);
  await expectNoSidewaysScroll(phone);
  const dayLabel = new Intl.DateTimeFormat("fr-FR", { timeZone: ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(parisInstant(DAY, "19:00"));
  const day = phone.getByRole("region", { name: new RegExp(dayLabel, "i") });
  const item = day.getByRole("listitem").filter({ has: phone.getByRole("link", { name: TITLE }) });
  await expect(item).toContainText("19:00 – 21:00");
  await expect(item).toContainText(CLUB);
  await expect(item).toContainText("Inscrit");
  await expectWithinWidth(item.getByRole("link", { name: TITLE }), "the workshop's title");
  await snap(phone, "agenda-phone-list");

  await phone.getByRole("navigation", { name: "Affichage de l’agenda" }).getByRole("link", { name: "Mois" }).click();
  await phone.waitForURL(/view=month/);
  await hydrated(phone);
  const monthOf = (instant: number) => new Intl.DateTimeFormat("fr-FR", { timeZone: ZONE, month: "long", year: "numeric" }).format(instant);
  const heading = phone.locator("#month-title");
  await expect(heading).toHaveText(new RegExp(`^${monthOf(Date.now())}$`, "i"));

  // To "next month" with Tab alone, as a keyboard user gets there.
  const next = phone.getByRole("link", { name: "Mois suivant" });
  for (let i = 0; i < 40 && !(await next.evaluate((el) => el === document.activeElement)); i++) await phone.keyboard.press("Tab");
  await expect(next).toBeFocused();
  const target = monthOf(parisInstant(DAY, "19:00"));
  if (target.toLowerCase() !== monthOf(Date.now()).toLowerCase()) {
    await phone.keyboard.press("Enter");
    await expect(heading).toHaveText(new RegExp(`^${target}$`, "i"));
  }
  const grid = phone.getByRole("region", { name: new RegExp(`^${target}$`, "i") });
  await expect(grid.getByRole("link", { name: TITLE })).toBeVisible();
  await expectWithinWidth(grid.getByRole("link", { name: TITLE }), "the workshop in the month");
  await expectNoSidewaysScroll(phone);
  await snap(phone, "agenda-phone-month");

  // One month on, from the keyboard: the focus stays on the link, the month is empty.
  await next.focus();
  await phone.keyboard.press("Enter");
  const after = monthOf(Date.UTC(Number(DAY.slice(0, 4)), Number(DAY.slice(5, 7)), 15));
  await expect(heading).toHaveText(new RegExp(`^${after}$`, "i"));
  await expect(phone.getByText("Aucun atelier ce mois-ci.")).toBeVisible();
  await expect(next).toBeFocused();
  // And back: Shift+Tab to "previous month", Enter.
  await phone.keyboard.press("Shift+Tab");
  await expect(phone.getByRole("link", { name: "Mois précédent" })).toBeFocused();
  await phone.keyboard.press("Enter");
  await expect(heading).toHaveText(new RegExp(`^${target}$`, "i"));
  await expect(grid.getByRole("link", { name: TITLE })).toBeVisible();
  await context.close();
});
