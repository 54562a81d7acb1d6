import { diffWordsWithSpace } from "diff";

export interface DiffSegment {
  kind: "same" | "added" | "removed";
  text: string;
}

/**
 * A readable diff of two texts, word by word: what a reader compares in a
 * wiki page. Paragraph breaks stay where they are so the result reads as prose.
 */
export function diffText(before: string, after: string): DiffSegment[] {
  // Lexical's plain text separates blocks (and table cells) with blank lines: one line break reads better.
  const tidy = (text: string) => text.replace(/\n[ \t]*(?:\n[ \t]*)+/g, "\n");
  return diffWordsWithSpace(tidy(before), tidy(after)).map((part) => ({
    kind: part.added ? "added" : part.removed ? "removed" : "same",
    text: part.value,
  }));
}

export function countChanges(segments: DiffSegment[]) {
  let added = 0;
  let removed = 0;
  for (const s of segments) {
    const words = s.text.trim() ? s.text.trim().split(/\s+/).length : 0;
    if (s.kind === "added") added += words;
    if (s.kind === "removed") removed += words;
  }
  return { added, removed };
}
