import { describe, expect, it } from "vitest";
import { matchPageLinkTrigger, parseSuggestions } from "#app/editor/plugins/PageLinkPlugin.tsx";

describe("the [[ trigger", () => {
  it("opens on [[ with the text after it as the query", () => {
    expect(matchPageLinkTrigger("[[")).toEqual({ leadOffset: 0, matchingString: "", replaceableString: "[[" });
    expect(matchPageLinkTrigger("See [[Budg")).toEqual({ leadOffset: 4, matchingString: "Budg", replaceableString: "[[Budg" });
    expect(matchPageLinkTrigger("See [[Budget 2026")).toEqual({ leadOffset: 4, matchingString: "Budget 2026", replaceableString: "[[Budget 2026" });
  });

  it("stays closed otherwise", () => {
    expect(matchPageLinkTrigger("See [Budg")).toBeNull();
    expect(matchPageLinkTrigger("See [[Budget]]")).toBeNull();
    expect(matchPageLinkTrigger("[[[x")).toBeNull();
    expect(matchPageLinkTrigger("plain text")).toBeNull();
    expect(matchPageLinkTrigger(`[[${"x".repeat(81)}`)).toBeNull();
  });
});

describe("search answers", () => {
  it("keeps well-formed pages, at most ten", () => {
    const pages = Array.from({ length: 12 }, (_, i) => ({ id: `page${String(i).padStart(6, "0")}`, title: `Page ${i}` }));
    expect(parseSuggestions({ pages })).toHaveLength(10);
    expect(parseSuggestions({ pages: [{ id: "abcdefghij", title: "  Budget  " }] })).toEqual([{ id: "abcdefghij", title: "Budget" }]);
  });

  it("drops anything else", () => {
    expect(parseSuggestions(null)).toEqual([]);
    expect(parseSuggestions({})).toEqual([]);
    expect(parseSuggestions({ pages: "x" })).toEqual([]);
    expect(
      parseSuggestions({
        pages: [{ id: "../admin", title: "x" }, { id: "abcdefghij", title: 3 }, null, "abcdefghij", { id: "ABCDEFGHIJ", title: "x" }, { id: "klmnopqrst", title: "" }],
      }),
    ).toEqual([{ id: "klmnopqrst", title: "klmnopqrst" }]);
  });
});
