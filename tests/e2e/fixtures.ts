import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test as base, type BrowserContext, type Page } from "@playwright/test";

/**
 * The journeys' `test`: the same as Playwright's, and it writes down every
 * address a page of the journeys arrives at (full loads and client-side
 * navigations alike), with the cookies it was seen with and whose they were.
 * The a11y spec, which runs after every journey, visits each of them again at
 * both widths and in both languages and runs axe there.
 */

export interface Visit {
  url: string;
  /** The signed-in person's name, or "" for a visitor. */
  who: string;
  /** The context's cookies at the moment of the visit (all a session needs). */
  state: { cookies: Awaited<ReturnType<BrowserContext["cookies"]>>; origins: [] };
  spec: string;
}

export function visitsFile() {
  return path.join(process.env.CERCLE_E2E_DIR!, "visits.jsonl");
}

export function readVisits(): Visit[] {
  if (!existsSync(visitsFile())) return [];
  return readFileSync(visitsFile(), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Visit);
}

const SESSION_COOKIE = /^(__Host-)?cercle_session$/;
// Whose a session is, asked once per session token: sign-out and password
// resets end sessions later in the journeys, and the revisit then needs
// another live session of the same person.
const owners = new Map<string, Promise<string>>();

async function ownerOf(context: BrowserContext, token: string | undefined): Promise<string> {
  if (!token) return "";
  let owner = owners.get(token);
  if (!owner) {
    owner = context.request.get("/spaces", { maxRedirects: 0 }).then(async (res) => {
      if (res.status() !== 200) return "";
      // The account button's label ends with the person's name.
      return (await res.text()).match(/class="avatar-button"[^>]*aria-label="[^"]*— ([^"]+)"/)?.[1] ?? "";
    });
    owners.set(token, owner);
  }
  return owner;
}

function watch(context: BrowserContext, spec: string, pending: Set<Promise<unknown>>) {
  context.on("page", (page) => {
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame() || !/^https?:/.test(frame.url())) return;
      const url = frame.url();
      const work = (async () => {
        // Cookies only: storageState() would also open pages of its own to
        // read each origin's storage, in the middle of the journey.
        const cookies = await context.cookies();
        const token = cookies.find((c) => SESSION_COOKIE.test(c.name))?.value;
        const who = await ownerOf(context, token);
        appendFileSync(visitsFile(), `${JSON.stringify({ url, who, state: { cookies, origins: [] }, spec } satisfies Visit)}\n`);
      })().catch(() => {
        // The context closed before its cookies could be read: the same
        // address is met again elsewhere, or it was a last redirect.
      });
      pending.add(work);
      void work.finally(() => pending.delete(work));
    });
  });
}

export const test = base.extend<{ recordVisits: void }>({
  recordVisits: [
    async ({ browser }, use, testInfo) => {
      const pending = new Set<Promise<unknown>>();
      const original = browser.newContext;
      browser.newContext = async function (options) {
        const context = await original.call(browser, options);
        watch(context, path.basename(testInfo.file), pending);
        return context;
      };
      await use();
      browser.newContext = original;
      await Promise.allSettled([...pending]);
    },
    { auto: true },
  ],
});

/** The password the journey gives every account it makes. */
export const PASSWORD = "un mot de passe solide";

/** Once React has taken the page over (root.tsx marks <html data-hydrated>): before that, a click may be a plain form post. */
export async function hydrated(page: Page) {
  await page.locator("html[data-hydrated]").waitFor();
}

/**
 * Signs in through the real form, in either language, and waits for the
 * home the form leads to: the one way every spec signs its people in.
 */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel(/Adresse e-mail|Email address/).fill(email);
  await page.getByLabel(/^(Mot de passe|Password)$/).fill(password);
  await page.getByRole("main").getByRole("button", { name: /^(Se connecter|Sign in)$/ }).click();
  await page.waitForURL((url) => url.pathname === "/");
}

// Everything else as Playwright has it (a local `test` wins over the star).
export * from "@playwright/test";
