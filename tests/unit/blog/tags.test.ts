import { describe, expect, test } from "vitest";
import { MAX_TAG_LENGTH, MAX_TAGS, parseTags } from "#app/blog/tags.ts";

/** An article's tags as the author types them: "Supply chain, négociation ; Achats". */

const tagsOf = (input: string) => {
  const result = parseTags(input);
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.tags;
};

describe("parseTags", () => {
  test("commas, semicolons and new lines separate; each tag gets an address and keeps its label as typed", () => {
    expect(tagsOf("Supply chain, négociation ; Achats\nRSE")).toEqual([
      { tag: "supply-chain", label: "Supply chain" },
      { tag: "negociation", label: "négociation" },
      { tag: "achats", label: "Achats" },
      { tag: "rse", label: "RSE" },
    ]);
  });

  test("nothing, or only separators and spaces, is no tag at all", () => {
    expect(tagsOf("")).toEqual([]);
    expect(tagsOf("   ")).toEqual([]);
    expect(tagsOf(" , ;\n ,, ;")).toEqual([]);
  });

  test("spaces inside a label are collapsed, around it trimmed", () => {
    expect(tagsOf("  deux   espaces\tet\u00a0tab  ")).toEqual([{ tag: "deux-espaces-et-tab", label: "deux espaces et tab" }]);
  });

  test("duplicates count once, whatever their case or accents: the first spelling wins", () => {
    expect(tagsOf("Achats, achats, ACHATS , Achats")).toEqual([{ tag: "achats", label: "Achats" }]);
    expect(tagsOf("Été, ete, ÉTÉ")).toEqual([{ tag: "ete", label: "Été" }]);
    expect(tagsOf("supply chain, Supply-Chain, supply_chain")).toEqual([{ tag: "supply-chain", label: "supply chain" }]);
  });

  test("accents: the address drops them, the label keeps them, typed composed or decomposed alike", () => {
    const decomposed = "Ne\u0301gociation"; // e + combining acute accent
    expect(tagsOf(decomposed)).toEqual([{ tag: "negociation", label: "Négociation" }]);
    expect(tagsOf(decomposed)[0].label).toBe("N\u00e9gociation"); // stored composed (NFC)
    expect(tagsOf(`Négociation, ${decomposed}`)).toHaveLength(1);
  });

  test(`at most ${MAX_TAGS} tags, counted once duplicates are gone`, () => {
    const eight = Array.from({ length: MAX_TAGS }, (_, i) => `tag${i}`);
    expect(tagsOf(eight.join(","))).toHaveLength(MAX_TAGS);
    expect(tagsOf([...eight, "TAG0", "tag1 "].join(","))).toHaveLength(MAX_TAGS);
    expect(parseTags([...eight, "one more"].join(","))).toEqual({ ok: false, error: "tooMany" });
  });

  test(`a label of more than ${MAX_TAG_LENGTH} characters is refused, counted as characters, not bytes or UTF-16 units`, () => {
    expect(tagsOf("x".repeat(MAX_TAG_LENGTH))[0].tag).toBe("x".repeat(MAX_TAG_LENGTH));
    expect(parseTags("x".repeat(MAX_TAG_LENGTH + 1))).toEqual({ ok: false, error: "tooLong" });
    expect(parseTags(`court, ${"y".repeat(MAX_TAG_LENGTH + 1)}`)).toEqual({ ok: false, error: "tooLong" });
    // 40 "é" typed decomposed are 80 code points before NFC, 40 characters after.
    expect(tagsOf("e\u0301".repeat(MAX_TAG_LENGTH))[0].label).toBe("é".repeat(MAX_TAG_LENGTH));
    expect(parseTags("é".repeat(MAX_TAG_LENGTH + 1))).toEqual({ ok: false, error: "tooLong" });
    // An emoji is one character (two UTF-16 units).
    expect(parseTags(`${"🚀".repeat(20)} ${"a".repeat(19)}`).ok).toBe(true);
    expect(parseTags(`${"🚀".repeat(21)} ${"a".repeat(19)}`)).toEqual({ ok: false, error: "tooLong" });
  });

  test("emoji: kept in the label, left out of the address; a tag of emoji alone has no address and is dropped", () => {
    expect(tagsOf("🚀 fusée, café ☕")).toEqual([
      { tag: "fusee", label: "🚀 fusée" },
      { tag: "cafe", label: "café ☕" },
    ]);
    expect(tagsOf("🚀, 🎉🎉")).toEqual([]);
  });

  test("markup: angle brackets are dropped from the label, the address is letters and dashes", () => {
    expect(tagsOf("<script>alert(1)</script>")).toEqual([{ tag: "scriptalert-1-script", label: "scriptalert(1)/script" }]);
    expect(tagsOf("<b>gras</b>, a<b")).toEqual([
      { tag: "bgras-b", label: "bgras/b" },
      { tag: "ab", label: "ab" },
    ]);
    expect(tagsOf("<<>>")).toEqual([]);
    expect(tagsOf("../../etc/passwd")).toEqual([{ tag: "etc-passwd", label: "../../etc/passwd" }]);
    for (const { tag } of tagsOf("a/b?c=d#e, 'quote\", %20, x&y")) expect(tag).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test("punctuation alone makes no address and no tag", () => {
    expect(tagsOf("---, ___, ..., !!!")).toEqual([]);
  });
});

describe("letters outside Latin", () => {
  test("Greek, Japanese and Cyrillic tags keep their own letters as their address", () => {
    const parsed = parseTags("Ελληνικά, 日本語, Закупки");
    expect(parsed).toEqual({ ok: true, tags: [
      { tag: "ελληνικά", label: "Ελληνικά" },
      { tag: "日本語", label: "日本語" },
      { tag: "закупки", label: "Закупки" },
    ] });
  });

  test("control and format characters never stay in a label", () => {
    const parsed = parseTags("Achats\u0000 durables\u200b, a\u202eb");
    expect(parsed).toEqual({ ok: true, tags: [
      { tag: "achats-durables", label: "Achats durables" },
      { tag: "ab", label: "ab" },
    ] });
  });
});
