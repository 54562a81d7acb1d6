import { expect, test } from "vitest";
import { EDITOR_MAX_JSON_DEPTH, jsonDepthExceeds, lexicalJsonDepth } from "#app/editor/json-depth.ts";

test("counts objects and arrays, and stops past the limit", () => {
  expect(jsonDepthExceeds("{}", 1)).toBe(false);
  expect(jsonDepthExceeds("{}", 0)).toBe(true);
  expect(jsonDepthExceeds('{"a":[{"b":[]}]}', 4)).toBe(false);
  expect(jsonDepthExceeds('{"a":[{"b":[]}]}', 3)).toBe(true);
  // Siblings do not add up: depth, not count.
  expect(jsonDepthExceeds("[[],[],[],[]]", 2)).toBe(false);
});

test("brackets inside strings, escaped quotes included, do not count", () => {
  expect(jsonDepthExceeds('{"a":"[[[[{{{{"}', 1)).toBe(false);
  expect(jsonDepthExceeds('{"a":"\\"[[[["}', 1)).toBe(false);
  expect(jsonDepthExceeds('{"a":"\\\\","b":[[]]}', 2)).toBe(true);
});

test("a 100,000-deep text is measured without recursion", () => {
  expect(jsonDepthExceeds("[".repeat(100_000) + "]".repeat(100_000), 99_999)).toBe(true);
  expect(jsonDepthExceeds("[".repeat(100_000) + "]".repeat(100_000), 100_000)).toBe(false);
});

test("a document with nodes as deep as the page profile allows fits the editor's bound", () => {
  let node = '{"type":"text","text":"x"}';
  for (let i = 0; i < 40; i++) node = `{"type":"quote","children":[${node}]}`;
  const doc = `{"root":{"type":"root","children":[${node}]}}`;
  expect(jsonDepthExceeds(doc, EDITOR_MAX_JSON_DEPTH)).toBe(false);
  expect(jsonDepthExceeds(doc, lexicalJsonDepth(40) - 8)).toBe(true);
});
