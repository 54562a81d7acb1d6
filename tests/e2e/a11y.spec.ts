import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { axeOnLoadedPage, routeOfAddress } from "./a11y.ts";
import { readVisits, type Visit } from "./fixtures.ts";

/**
 * Every address the journeys arrived at, seen again by the same person,
 * through axe-core: zero violations allowed. Runs after all the journeys (the
 * journey's teardown), which wrote the addresses down (fixtures.ts). States
 * that only exist mid-journey (open menus, dialogs, the editor's suggestion
 * list) are checked in the journeys themselves (expectAccessible).
 *
 * What is checked, and why it is enough:
 * - French, the first language, at the desktop width (1280 px) and the
 *   phone's (375 px): the layout changes with the width (CSS media queries,
 *   applied on the same loaded page as the viewport changes).
 * - English at the phone's width only, and once per kind of page (by the
 *   first person who saw one). A language changes the words, not the
 *   layout or the colours: what axe could find only in English is a word
 *   that does not fit (a region that scrolls and cannot be reached by
 *   keyboard, targets pushed together) or a missing translation or lang —
 *   and the narrow screen is where a longer word overflows; the words of a
 *   kind of page are its template's. The desktop layout is checked in French.
 * So every kind of page is checked in both languages and at both widths.
 *
 * Which addresses: each one a person saw, but at most PER_KIND of one kind
 * of page (route and query parameters) per person.
 *
 * Cost: two axe runs per French address and one per English one, each cheap: axe is put into a loaded page once and run at
 * each width (axeOnLoadedPage), reporting violations only. Each person has
 * one browser context per language, signed in once; two pages of it (LANES)
 * load and check addresses side by side, one waiting for the server while
 * the other runs axe. The languages run one after the other: a signed-in
 * person's language is a setting of their account.
 */

// No trace: it would record every injection of axe (500 KB each), and a failure
// already names the rule, the element and the address.
test.use({ trace: "off" });

const VIEWPORTS = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 375, height: 812 },
} as const;
type Width = keyof typeof VIEWPORTS;

const PLAN: ReadonlyArray<{ lang: "fr" | "en"; locale: string; widths: Width[]; addresses: "paths" | "englishPaths" }> = [
  { lang: "fr", locale: "fr-FR", widths: ["desktop", "phone"], addresses: "paths" },
  { lang: "en", locale: "en-GB", widths: ["phone"], addresses: "englishPaths" },
];

/** Pages checking at once. */
const LANES = Number(process.env.CERCLE_A11Y_LANES ?? 2);

interface Person {
  who: string;
  /** Most recent first: the first one still signed in is used. */
  states: Visit["state"][];
  paths: string[];
  /** Those of `paths` checked in English too: the first address of each kind of page anyone saw. */
  englishPaths: string[];
}

/**
 * Addresses of one kind of page (one route, the same query parameters) kept
 * per person. The journeys open many of a kind — wiki pages, searches, posts
 * — rendered by the same components; the first few carry what varies (an
 * empty list, a full one), and the journeys check their own special states
 * (expectAccessible). Every kind of page each person saw is still checked.
 */
const PER_KIND = 2;

function people(routeOf: (pathname: string) => string): { everyone: Person[]; seen: number } {
  const byWho = new Map<string, Person>();
  const kinds = new Map<string, number>();
  const inEnglish = new Set<string>();
  const seen = new Set<string>();
  for (const visit of readVisits()) {
    const person = byWho.get(visit.who) ?? { who: visit.who, states: [], paths: [], englishPaths: [] };
    byWho.set(visit.who, person);
    person.states.unshift(visit.state);
    const url = new URL(visit.url);
    const where = url.pathname + url.search;
    if (seen.has(`${visit.who}\n${where}`)) continue;
    seen.add(`${visit.who}\n${where}`);
    const kind = `${routeOf(url.pathname)}?${[...new Set(url.searchParams.keys())].sort().join("&")}`;
    const count = kinds.get(`${visit.who}\n${kind}`) ?? 0;
    kinds.set(`${visit.who}\n${kind}`, count + 1);
    if (count >= PER_KIND) continue;
    person.paths.push(where);
    if (!inEnglish.has(kind)) {
      inEnglish.add(kind);
      person.englishPaths.push(where);
    }
  }
  return { everyone: [...byWho.values()], seen: seen.size };
}

/** A context signed in as `person` (any of their sessions still alive), or a visitor's. */
async function contextFor(browser: Browser, person: Person, locale: string) {
  const options = { locale, viewport: VIEWPORTS.desktop };
  if (person.who === "") return browser.newContext(options);
  for (const state of person.states) {
    const context = await browser.newContext({ ...options, storageState: state });
    const res = await context.request.get("/spaces", { maxRedirects: 0 });
    if (res.status() === 200) return context;
    await context.close();
  }
  throw new Error(`No session of ${person.who} is still signed in`);
}

/** The language switch, as the header's FR/EN button posts it: the user's setting when signed in, a cookie otherwise. */
async function chooseLanguage(context: BrowserContext, lang: string, baseURL: string) {
  const res = await context.request.post("/locale", {
    form: { locale: lang, redirectTo: "/" },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(res.status(), `switching to ${lang}`).toBe(302);
}

/** Where the time goes, summed over every lane (so it can exceed the wall clock). */
const spent = { signIn: 0, navigation: 0, hydration: 0, axe: 0 };
async function timed<T>(what: keyof typeof spent, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    spent[what] += Date.now() - started;
  }
}

test("every page the journeys visited: French at both widths, English on a phone", async ({ browser, baseURL }) => {
  test.setTimeout(20 * 60_000);
  const { everyone, seen } = people(await routeOfAddress());
  // The journeys ran first and wrote their addresses down: no list, no check.
  const addresses = everyone.reduce((n, p) => n + p.paths.length, 0);
  expect(addresses).toBeGreaterThan(20);
  console.log(`a11y revisit: ${addresses} of the ${seen} addresses the journeys saw (at most ${PER_KIND} of a kind of page per person)`);
  const violations: string[] = [];
  const checked = { fr: 0, en: 0 } as Record<string, number>;
  const started = Date.now();

  // What each pass meant to check, and what it passed over as no page of ours (a download, a feed).
  const planned = { fr: 0, en: 0 } as Record<string, number>;
  const notHtml = { fr: 0, en: 0 } as Record<string, number>;
  for (const { lang, locale, widths, addresses: list } of PLAN) {
    const phaseStarted = Date.now();
    // One signed-in context per person for this language, opened as the first lane needs it.
    const contexts = new Map<Person, Promise<BrowserContext | null>>();
    const contextOf = (person: Person) => {
      let context = contexts.get(person);
      if (!context) {
        context = timed("signIn", async () => {
          const opened = await contextFor(browser, person, locale);
          await chooseLanguage(opened, lang, baseURL!);
          return opened;
        }).catch((error: Error) => {
          violations.push(error.message);
          return null;
        });
        contexts.set(person, context);
      }
      return context;
    };
    const queue = everyone.flatMap((person) => person[list].map((where) => ({ person, where })));
    planned[lang] = queue.length;

    const lane = async () => {
      const pages = new Map<Person, Page>();
      for (let task = queue.shift(); task; task = queue.shift()) {
        const { person, where } = task;
        const context = await contextOf(person);
        if (!context) continue;
        let page = pages.get(person);
        if (!page) {
          page = await context.newPage();
          pages.set(person, page);
        }
        await page.setViewportSize(VIEWPORTS[widths[0]]);
        const response = await timed("navigation", () => page.goto(where));
        if (!response?.headers()["content-type"]?.startsWith("text/html")) {
          notHtml[lang] += 1;
          continue;
        }
        // A page that carries no script (a share link's, for someone outside the network) is checked as served.
        const scripted = (await page.locator("script[type=module]").count()) > 0;
        if (scripted) await timed("hydration", () => page.locator("html[data-hydrated]").waitFor({ timeout: 15_000 }));
        // The page as its reader finds it: what hydration loads lazily (the comment editor's chunks,
        // app/components/comments.tsx, the one React.lazy) has arrived and mounted. Checked the instant
        // hydration ended, a loaded machine twice showed axe a page whose first check had content outside
        // landmarks that the second, a frame later, had not. (Waiting for the network to idle did this
        // too, at 500 ms of silence per address: a third of the run.)
        await timed("hydration", async () => {
          await page.locator(".comment-editor-placeholder").first().waitFor({ state: "detached", timeout: 15_000 });
          await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
        });
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        const check = await timed("axe", () => axeOnLoadedPage(page));
        for (const width of widths) {
          if (width !== widths[0]) {
            await page.setViewportSize(VIEWPORTS[width]);
            // A frame for layout and for scripts that watch the width.
            await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
          }
          const found = await timed("axe", () => check(`${person.who || "visitor"} [${width}, ${lang}]`));
          // As it goes, so a long run shows its findings early.
          for (const v of found) console.log(v);
          violations.push(...found);
          checked[lang] += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    await Promise.all([...contexts.values()].map(async (c) => (await c)?.close()));
    console.log(`${lang}: ${checked[lang]} checks of ${planned[lang]} addresses in ${Date.now() - phaseStarted} ms`);
  }

  const total = checked.fr + checked.en;
  console.log(`a11y revisit: ${total} checks in ${Date.now() - started} ms with ${LANES} lanes; summed over lanes: ${JSON.stringify(spent)} ms`);
  test.info().annotations.push({ type: "pages checked", description: `${checked.fr} in French, ${checked.en} in English` });
  // Every planned address checked, none dropped on the way: French at both widths, English at one.
  expect(checked).toEqual({ fr: 2 * (planned.fr - notHtml.fr), en: planned.en - notHtml.en });
  expect(planned.en).toBeGreaterThan(20);
  expect(violations, `${violations.length} violations on ${total} page × width checks`).toEqual([]);
});
