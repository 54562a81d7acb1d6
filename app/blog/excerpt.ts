/** How long an excerpt may be, typed or derived. */
export const MAX_EXCERPT_LENGTH = 300;
const DERIVED_LENGTH = 220;

/**
 * The opening of the article's text, cut at a word and ended with "…" when
 * cut: what lists show when the author wrote no excerpt.
 */
export function deriveExcerpt(text: string): string {
  // Lexical's text puts a blank line between blocks. Flattened, a heading
  // would run into the paragraph under it ("Ce qu’il faut retenir Les
  // membres…"): a block that ends without punctuation gets a full stop.
  const flat = text
    .split(/\n[^\S\n]*\n/)
    .map((block) => block.replace(/\s+/g, " ").trim())
    .filter((block) => block !== "")
    .map((block, i, blocks) => (i < blocks.length - 1 && !/[.!?…:;»"”)]$/u.test(block) ? `${block}.` : block))
    .join(" ");
  if ([...flat].length <= DERIVED_LENGTH) return flat;
  const cut = [...flat].slice(0, DERIVED_LENGTH).join("");
  const atWord = cut.slice(0, cut.lastIndexOf(" ") > DERIVED_LENGTH / 2 ? cut.lastIndexOf(" ") : cut.length);
  return `${atWord.replace(/[\s,;:.!?–—-]+$/u, "")}…`;
}
