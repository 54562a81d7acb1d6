import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { matchRoutes } from "@remix-run/react";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import type { AxeResults } from "axe-core";

/**
 * axe-core as the journeys use it: every rule axe runs by default (WCAG 2.0
 * and 2.1, A and AA, and its best practices), at every impact level. A
 * violation reads as rule, impact, the elements it found and the address, so
 * a failure says where to look without opening a trace.
 */
export async function axeViolations(page: Page, where: string): Promise<string[]> {
  // Only violations are read: axe skips describing every node that passed (a unique
  // selector each), much of its time on a large page; violations come whole.
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  return describe(violations, where, page.url());
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

// axe-core as @axe-core/playwright itself loads it (its own dependency, whatever the hoisting).
const AXE_SOURCE = readFileSync(createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright")).resolve("axe-core/axe.min.js"), "utf8");

/**
 * For checking one loaded page several times (at two widths): axe is put into
 * the page and its frames once, then run as often as needed. AxeBuilder (as
 * axeViolations uses it) injects its 500 KB at every run, into every frame,
 * then again twice into a new blank page where it merges the frames'
 * results: several times the cost of the check itself. Here: axe.run() over
 * the document and its same-origin frames (AxeBuilder's "legacy mode"; the
 * app's only frames are its own, a file's preview), default rules,
 * violations only.
 */
export async function axeOnLoadedPage(page: Page) {
  for (const frame of page.frames()) {
    // A frame axe cannot enter (the browser's own PDF viewer) is not ours to check.
    await Promise.race([frame.evaluate(AXE_SOURCE), new Promise((r) => setTimeout(r, 1_000))]).catch(() => undefined);
    await frame.evaluate(() => (window as unknown as AxeWindow).axe?.configure({ allowedOrigins: ["<same_origin>"] })).catch(() => undefined);
  }
  return async (where: string): Promise<string[]> => {
    const { violations } = await page.evaluate(() => (window as unknown as AxeWindow).axe!.run(document, { resultTypes: ["violations"] }));
    return describe(violations, where, page.url());
  };
}

interface AxeWindow {
  axe?: {
    configure(options: { allowedOrigins: string[] }): void;
    run(context: Document, options: { resultTypes: string[] }): Promise<{ violations: AxeResults["violations"] }>;
  };
}

function describe(violations: AxeResults["violations"], where: string, url: string): string[] {
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id} (${v.impact ?? "?"}) at ${where} ${pathOf(url)} — ${n.target.map((t) => JSON.stringify(t)).join(" ")}: ${firstLine(n.failureSummary)}`,
    ),
  );
}

function pathOf(url: string) {
  const u = new URL(url);
  return u.pathname + u.search;
}

function firstLine(summary: string | undefined) {
  return (summary ?? "").split("\n").slice(0, 2).join(" ").replace(/\s+/g, " ").trim();
}

interface BuiltRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
}
interface RouteNode {
  id: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  children: RouteNode[];
}

/**
 * Which of the app's routes serves an address, as the built server's route
 * tree says (the same tree Remix matches with): the revisit keeps a few
 * addresses of each kind of page per person, not every wiki page or search
 * the journeys opened.
 */
export async function routeOfAddress(): Promise<(pathname: string) => string> {
  const built = (await import(path.resolve(import.meta.dirname, "../../build/server/index.js"))) as { routes: Record<string, BuiltRoute> };
  const all = Object.values(built.routes);
  const tree = (parentId: string | undefined): RouteNode[] =>
    all
      .filter((r) => r.parentId === parentId)
      .map((r) => ({ id: r.id, path: r.path, index: r.index, caseSensitive: r.caseSensitive, children: r.index ? [] : tree(r.id) }));
  // An index route may not have children (react-router checks it): the tree is built without.
  const routes = tree(undefined) as Parameters<typeof matchRoutes>[0];
  return (pathname) => matchRoutes(routes, pathname)?.at(-1)?.route.id ?? pathname;
}
