import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { axeViolations } from "./a11y.ts";
import { readVisits, type Visit } from "./fixtures.ts";

/**
 * Every address the journeys arrived at, seen again by the same person at a
 * desktop and a phone width, in French and in English, through axe-core:
 * zero violations allowed. Runs after all the journeys (the journey's teardown),
 * which wrote the addresses down (fixtures.ts). States that only exist
 * mid-journey (open menus, dialogs, the editor's suggestion list) are checked
 * in the journeys themselves (expectAccessible).
 */

const VIEWPORTS: Record<"desktop" | "phone", { width: number; height: number }> = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 375, height: 812 },
};
const LANGUAGES = { fr: "fr-FR", en: "en-GB" } as const;

interface Person {
  who: string;
  /** Most recent first: the first one still signed in is used. */
  states: Visit["state"][];
  paths: string[];
}

function people(): Person[] {
  const byWho = new Map<string, Person>();
  for (const visit of readVisits()) {
    const person = byWho.get(visit.who) ?? { who: visit.who, states: [], paths: [] };
    byWho.set(visit.who, person);
    person.states.unshift(visit.state);
    const url = new URL(visit.url);
    const where = url.pathname + url.search;
    if (!person.paths.includes(where)) person.paths.push(where);
  }
  return [...byWho.values()];
}

/** A context signed in as `person` (any of their sessions still alive), or a visitor's. */
async function contextFor(browser: Browser, person: Person, lang: keyof typeof LANGUAGES) {
  const options = { locale: LANGUAGES[lang], viewport: VIEWPORTS.desktop };
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
async function chooseLanguage(context: BrowserContext, lang: keyof typeof LANGUAGES, baseURL: string) {
  const res = await context.request.post("/locale", {
    form: { locale: lang, redirectTo: "/" },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(res.status(), `switching to ${lang}`).toBe(302);
}

// One test per language; each page is loaded once and checked at both widths
// (the phone's layout is CSS media queries, applied as the viewport changes).
for (const lang of Object.keys(LANGUAGES) as (keyof typeof LANGUAGES)[]) {
  test(`every page the journeys visited, desktop and phone, ${lang}`, async ({ browser, baseURL }) => {
    test.setTimeout(10 * 60_000);
    const everyone = people();
    // The journeys ran first and wrote their addresses down: no list, no check.
    expect(everyone.reduce((n, p) => n + p.paths.length, 0)).toBeGreaterThan(20);
    const violations: string[] = [];
    let checked = 0;
    for (const person of everyone) {
      const context = await contextFor(browser, person, lang).catch((error: Error) => {
        violations.push(error.message);
        return null;
      });
      if (!context) continue;
      await chooseLanguage(context, lang, baseURL!);
      const page = await context.newPage();
      const started = Date.now();
      for (const where of person.paths) {
        await page.setViewportSize(VIEWPORTS.desktop);
        const response = await page.goto(where);
        if (!response?.headers()["content-type"]?.startsWith("text/html")) continue;
        await page.locator("html[data-hydrated]").waitFor({ timeout: 15_000 });
        await expect(page.locator("html")).toHaveAttribute("lang", lang);
        for (const [name, size] of Object.entries(VIEWPORTS)) {
          await page.setViewportSize(size);
          // A frame for layout and for scripts that watch the width.
          await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
          const found = await axeViolations(page, `${person.who || "visitor"} [${name}, ${lang}]`);
          // As it goes, so a long run shows its findings early.
          for (const v of found) console.log(v);
          violations.push(...found);
          checked += 1;
        }
      }
      console.log(`${person.who || "visitor"}: ${person.paths.length} addresses in ${Date.now() - started} ms`);
      await context.close();
    }
    test.info().annotations.push({ type: "pages checked", description: String(checked) });
    expect(violations, `${violations.length} violations on ${checked} page × width checks`).toEqual([]);
  });
}
