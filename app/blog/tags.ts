import { slugify } from "#app/utils/validation.ts";

/** What an article's tags may be: a handful of short words, as typed, with an address each. */
export const MAX_TAGS = 8;
export const MAX_TAG_LENGTH = 40;

export interface ParsedTag {
  tag: string;
  label: string;
}

/**
 * "Supply chain, négociation ; Achats" → three tags, each with its address
 * ("supply-chain") and its label as typed. Commas or semicolons separate;
 * two labels with one address count once (the first wins).
 */
export function parseTags(input: string): { ok: true; tags: ParsedTag[] } | { ok: false; error: "tooMany" | "tooLong" } {
  const labels = input
    .split(/[,;\n]/)
    // Angle brackets have no place in a word and would only be trouble in markup and feeds.
    .map((l) => l.normalize("NFC").replace(/\s+/g, " ").replace(/[<>\p{Cc}\p{Cf}]/gu, "").trim())
    .filter((l) => l !== "");
  if (labels.some((l) => [...l].length > MAX_TAG_LENGTH)) return { ok: false, error: "tooLong" };
  const byTag = new Map<string, ParsedTag>();
  for (const label of labels) {
    // Letters outside Latin ("日本語", "🚀") have no ASCII address: their address is their own text.
    const tag = slugify(label) || tagAddress(label);
    if (tag && !byTag.has(tag)) byTag.set(tag, { tag, label });
  }
  if (byTag.size > MAX_TAGS) return { ok: false, error: "tooMany" };
  return { ok: true, tags: [...byTag.values()] };
}

/**
 * A tag's address when slugify leaves nothing (Greek, Japanese…): its letters
 * and digits in lower case, dashes between words. No letter or digit at all
 * (emoji, punctuation) makes no address and no tag.
 */
function tagAddress(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
}
