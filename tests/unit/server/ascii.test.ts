import vm from "node:vm";
import { describe, expect, test } from "vitest";
import { toAscii } from "#server/ascii.ts";

/** What a snippet of script evaluates to, made comparable. */
function run(source: string): unknown {
  const value: unknown = vm.runInNewContext(source);
  return value instanceof Object ? JSON.stringify(value, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v)) : value;
}

describe("toAscii", () => {
  test.each([
    ["a string", `"Le disque est plein : rien n’a été enregistré…"`],
    ["a template", "`${1 + 1} → « deux » ✉`"],
    ["a character beyond the BMP", `"👍".length + ":" + "👍".codePointAt(0)`],
    ["a regular expression", `/[\\s,;:.!?–—-]+$/.test("fin —")`],
    ["a unicode regular expression with an astral character", `/^[👍❤]$/u.test("👍")`],
    ["a character escaped by a backslash", `/\\–/.test("a–b") && "\\é" === "é"`],
    ["a backslash before the character, itself escaped", `"\\\\é"`],
    ["an identifier", `const café = 3; café * 2`],
    ["a comment", `// déjà vu…\n/* « » */ 42`],
  ])("%s means the same, in ASCII", (_what, source) => {
    const ascii = toAscii(source);
    expect(ascii).toMatch(/^[\x00-\x7f]*$/);
    expect(run(ascii)).toEqual(run(source));
  });

  test("ASCII text comes back as it was", () => {
    const source = 'const a = "plain"; // nothing to escape\n';
    expect(toAscii(source)).toBe(source);
  });
});
