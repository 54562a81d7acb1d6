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
    .map((l) => l.normalize("NFC").replace(/[<>]/g, "").replace(/\s+/g, " ").trim())
    .filter((l) => l !== "");
  if (labels.some((l) => [...l].length > MAX_TAG_LENGTH)) return { ok: false, error: "tooLong" };
  const byTag = new Map<string, ParsedTag>();
  for (const label of labels) {
    const tag = slugify(label);
    if (tag && !byTag.has(tag)) byTag.set(tag, { tag, label });
  }
  if (byTag.size > MAX_TAGS) return { ok: false, error: "tooMany" };
  return { ok: true, tags: [...byTag.values()] };
}
