import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { en } from "#app/i18n/en.ts";
import { fr } from "#app/i18n/fr.ts";

/**
 * Every message in the catalogues is said somewhere, and every key the code
 * names literally is in both catalogues. A key is "said" when the code holds
 * it as a string literal, or when a template literal of the code builds it
 * (`role.${r}`, `${messages}.loading`): the template's fixed parts must match
 * and each `${…}` stands for one or more key segments. The code is app/ and
 * server/ (the express layer answers some refusals itself), catalogues aside.
 */

const root = path.resolve(import.meta.dirname, "../../..");
const CATALOGUES = new Set([path.join(root, "app/i18n/fr.ts"), path.join(root, "app/i18n/en.ts")]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !CATALOGUES.has(file));
}

const code = [...sources(path.join(root, "app")), ...sources(path.join(root, "server"))].map((file) => readFileSync(file, "utf8")).join("\n");

/** Said as a whole string literal: "key", 'key' or `key`. */
const isLiteral = (key: string) => [`"${key}"`, `'${key}'`, `\`${key}\``].some((quoted) => code.includes(quoted));

/** Template literals with placeholders that look like a key: a dotted name once each `${…}` is filled. */
const SEGMENT = "[A-Za-z0-9_-]+";
const templates = [...code.matchAll(/`([^`]*\$\{[^`]*)`/g)]
  .map((m) => m[1].split(/\$\{[^}]*\}/))
  .filter((parts) => parts.join("x").includes(".") && parts.every((p) => /^[A-Za-z0-9_.-]*$/.test(p)) && parts.some((p) => /[A-Za-z]/.test(p)))
  .map((parts) => new RegExp(`^${parts.map((p) => p.replace(/\./g, "\\.")).join(`${SEGMENT}(?:\\.${SEGMENT})*`)}$`));

function isSaid(key: string) {
  return isLiteral(key) || templates.some((t) => t.test(key));
}

test("the scan sees the code: keys said literally and keys built from a template both count", () => {
  // Literal: the sign-in page's title. Built: `role.${r}` on the members page.
  expect(isSaid("login.title")).toBe(true);
  expect(isSaid("role.member")).toBe(true);
  expect(isSaid("no.such.key.anywhere")).toBe(false);
});

test("every catalogue key is used somewhere in the code", () => {
  const unused = Object.keys(fr).filter((key) => !isSaid(key));
  expect(unused).toEqual([]);
});

test("both catalogues hold the same keys", () => {
  const missingInEn = Object.keys(fr).filter((key) => !Object.hasOwn(en, key));
  const missingInFr = Object.keys(en).filter((key) => !Object.hasOwn(fr, key));
  expect({ missingInEn, missingInFr }).toEqual({ missingInEn: [], missingInFr: [] });
});

test("every key the code passes to t() literally is in both catalogues", () => {
  const named = new Set([...code.matchAll(/\bt\(\s*"([a-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+)"/g)].map((m) => m[1]));
  expect(named.size).toBeGreaterThan(100);
  const missing = [...named].filter((key) => !Object.hasOwn(fr, key) || !Object.hasOwn(en, key));
  expect(missing).toEqual([]);
});
