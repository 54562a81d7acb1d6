import { afterAll, expect, test } from "vitest";
import { checkContent, convertMarkdown, stopContentWorkers, WORK_LIMITS } from "#app/editor/content-pool.server.ts";
import { processContent } from "#app/editor/content.server.ts";
import { markdownToJson } from "#app/wiki/markdown.server.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";

/**
 * The worker pool itself, from the sources (so through tsx, as in
 * development): a job over its time limit is refused and its thread stopped,
 * the next job gets a fresh thread, and meanwhile this thread stays free.
 * (The built worker, over HTTP: bounded-input.test.ts.)
 */

afterAll(() => stopContentWorkers());

test("ordinary work comes back from the worker as the same functions give it on this thread", async () => {
  const markdown = "Un **premier** point et un [lien](https://e.example).";
  const converted = await convertMarkdown(markdown);
  expect(converted).toEqual({ ok: true, json: markdownToJson(markdown) });
  const checked = await checkContent(converted.ok ? converted.json : "");
  expect(checked.ok).toBe(true);
  expect(checked).toEqual(processContent(markdownToJson(markdown)));
});

test("a job over its time limit is refused as too complex, without blocking this thread; the next job still runs", async () => {
  // Quadratic in Lexical's converter: far beyond 300 ms.
  const limitMs = 300;
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 20);
  const started = performance.now();
  const refused = await convertMarkdown("**a*".repeat(8_000), limitMs);
  const elapsed = performance.now() - started;
  clearInterval(ticker);
  expect(refused).toEqual({ ok: false, error: "too_complex" });
  expect(elapsed).toBeLessThan(limitMs + 3_000);
  // The timer kept firing while the worker ground: this thread was free.
  expect(ticks).toBeGreaterThanOrEqual(Math.floor(limitMs / 20 / 2));

  const after = await convertMarkdown("# Titre\n\nSuite.");
  expect(after.ok).toBe(true);
});

test("more jobs than threads wait their turn and all finish", async () => {
  const results = await Promise.all(Array.from({ length: WORK_LIMITS.threads * 3 }, (_, i) => checkContent(doc(paragraph(`texte ${i}`)))));
  expect(results.map((r) => r.ok && r.text)).toEqual(Array.from({ length: WORK_LIMITS.threads * 3 }, (_, i) => `texte ${i}`));
});
