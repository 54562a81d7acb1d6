import { describe, expect, test } from "vitest";
import { deriveExcerpt, MAX_EXCERPT_LENGTH } from "#app/blog/excerpt.ts";

/**
 * When the author writes no excerpt, lists show the opening of the article:
 * at most 220 characters, cut at a word, with "…" when cut.
 */

const chars = (s: string) => [...s].length;
const LIMIT = 220;

describe("deriveExcerpt", () => {
  test("empty or blank text gives an empty excerpt", () => {
    expect(deriveExcerpt("")).toBe("");
    expect(deriveExcerpt("  \n\t \u00a0 ")).toBe("");
  });

  test("a short text is the excerpt, whitespace folded to single spaces", () => {
    expect(deriveExcerpt("Bonjour   le\nmonde\t!")).toBe("Bonjour le monde !");
    expect(deriveExcerpt("  Atelier du 12 novembre  ")).toBe("Atelier du 12 novembre");
  });

  test("blocks (a blank line apart in Lexical's text) do not run together", () => {
    const text = "Ce qu’il faut retenir\n\nLes membres ont comparé leurs pratiques\n\nÀ suivre : la prochaine séance !\n\nConclusion";
    expect(deriveExcerpt(text)).toBe("Ce qu’il faut retenir. Les membres ont comparé leurs pratiques. À suivre : la prochaine séance ! Conclusion");
    // Punctuation already there is kept as it is; blank blocks add nothing.
    expect(deriveExcerpt("Pourquoi ?\n\n \n\nParce que.")).toBe("Pourquoi ? Parce que.");
  });

  test(`exactly ${LIMIT} characters is not cut; one more is`, () => {
    const exact = "a".repeat(LIMIT);
    expect(deriveExcerpt(exact)).toBe(exact);
    const cut = deriveExcerpt("a".repeat(LIMIT + 1));
    expect(cut.endsWith("…")).toBe(true);
    expect(chars(cut)).toBe(LIMIT + 1);
  });

  test("a long text is cut at the last word that fits, with its trailing punctuation dropped", () => {
    const words = Array.from({ length: 60 }, (_, i) => `mot${i}`).join(" ");
    const excerpt = deriveExcerpt(words);
    expect(excerpt.endsWith("…")).toBe(true);
    expect(chars(excerpt)).toBeLessThanOrEqual(LIMIT + 1);
    const body = excerpt.slice(0, -1);
    expect(words.startsWith(body)).toBe(true);
    expect(words[body.length]).toBe(" "); // a whole word, not half of one
    // "mot, " × 60: the cut falls right after a comma, which goes.
    const listed = deriveExcerpt("mot, ".repeat(60));
    expect(listed).toMatch(/ mot…$/);
    expect(deriveExcerpt("Fin de phrase. ".repeat(30))).not.toMatch(/[\s,;:.!?]…$/);
  });

  test("a word longer than half the room is cut inside rather than leaving a stub", () => {
    const text = `${"x".repeat(100)} ${"y".repeat(150)}`;
    const excerpt = deriveExcerpt(text);
    expect(chars(excerpt)).toBe(LIMIT + 1);
    expect(excerpt.startsWith(`${"x".repeat(100)} y`)).toBe(true);
  });

  test("accents and emoji count as one character each and are never split in half", () => {
    const accents = deriveExcerpt("é".repeat(300));
    expect(chars(accents)).toBe(LIMIT + 1);
    const rockets = deriveExcerpt("🚀".repeat(300));
    expect(chars(rockets)).toBe(LIMIT + 1);
    expect(rockets).toBe(`${"🚀".repeat(LIMIT)}…`);
    // No lone surrogate anywhere: the string survives a round trip through UTF-8.
    expect(Buffer.from(rockets, "utf8").toString("utf8")).toBe(rockets);
    expect(rockets).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  test(`always within the stored limit (${MAX_EXCERPT_LENGTH})`, () => {
    for (const text of ["a ".repeat(5000), "🚀".repeat(5000), `${"mot ".repeat(50)}${"z".repeat(1000)}`, "\n".repeat(1000) + "fin"]) {
      expect(chars(deriveExcerpt(text))).toBeLessThanOrEqual(MAX_EXCERPT_LENGTH);
    }
  });

  test("markup in the text stays text", () => {
    expect(deriveExcerpt("<img src=x onerror=alert(1)> et <b>gras</b>")).toBe("<img src=x onerror=alert(1)> et <b>gras</b>");
  });
});
