import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/**
 * axe-core as the journeys use it: every rule axe runs by default (WCAG 2.0
 * and 2.1, A and AA, and its best practices), at every impact level. A
 * violation reads as rule, impact, the elements it found and the address, so
 * a failure says where to look without opening a trace.
 */
export async function axeViolations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact ?? "?"}) at ${where} ${pathOf(page.url())} — ${n.target.map((t) => JSON.stringify(t)).join(" ")}: ${firstLine(n.failureSummary)}`,
    ),
  );
}

/**
 * Checks the page as it stands mid-journey (an open menu, a dialog, the
 * editor's suggestion list, an upload queue): states the later revisit of
 * addresses cannot reach. A soft assertion, so the journey goes on and every
 * violation of the run is listed, and the test still fails.
 */
export async function expectAccessible(page: Page, state: string) {
  // A file shown as itself (Chromium's PDF viewer, a bare image) is the
  // browser's page, not ours.
  if ((await page.evaluate(() => document.contentType)) !== "text/html") return;
  const viewport = page.viewportSize();
  const lang = await page.locator("html").getAttribute("lang");
  const where = `${state} [${viewport?.width ?? "?"}px, ${lang}]`;
  const started = Date.now();
  const violations = await axeViolations(page, where);
  // The journey's time limit is for the journey: the check's own time is
  // added to it (seconds each on a busy machine).
  test.info().setTimeout(test.info().timeout + (Date.now() - started));
  expect.soft(violations, `accessibility of ${where}`).toEqual([]);
}

function pathOf(url: string) {
  const u = new URL(url);
  return u.pathname + u.search;
}

function firstLine(summary: string | undefined) {
  return (summary ?? "").split("\n").slice(0, 2).join(" ").replace(/\s+/g, " ").trim();
}
