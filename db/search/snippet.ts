import { wordsOf } from "./text.ts";

/**
 * A piece of a result's text, marked when it is a word the search found.
 * Pieces are plain text: the page renders them as text nodes and <mark>
 * elements, so nothing from the content is ever read as HTML.
 */
export interface Piece {
  text: string;
  mark?: true;
}

/**
 * How far into a long text the snippet looks for the words: a file's
 * millionth word is found, not shown (its snippet is the text's start).
 * Reading further costs every result page its time.
 */
const SCAN_CHARS = 50_000;
/** The most marks counted when choosing where the snippet is: enough to find where they are thickest. */
const MAX_HITS = 40;

const flat = (text: string) => text.replace(/\s+/g, " ");

/** The whole of a short text (a title), with its found words marked. */
export function highlight(text: string, wanted: (folded: string) => boolean): Piece[] {
  return cut(text, 0, text.length, hitsIn(text, text.length, wanted));
}

/**
 * About `length` characters of a text around the place where the found
 * words are thickest, with "…" where it was cut and the words marked; the
 * text's start when none is found (a match in the title, or in a stem the
 * text spells differently).
 */
export function snippet(text: string, wanted: (folded: string) => boolean, length = 220): Piece[] {
  const hits = hitsIn(text, Math.min(text.length, SCAN_CHARS), wanted, length * 3);
  let best = 0;
  let bestCount = 0;
  for (let i = 0, j = 0; i < hits.length; i++) {
    while (j < hits.length && hits[j].end <= hits[i].start + length) j++;
    if (j - i > bestCount) [best, bestCount] = [i, j - i];
  }
  // A little of what comes before the first word, cut at a space.
  let start = hits.length ? Math.max(0, hits[best].start - Math.floor(length / 5)) : 0;
  if (start > 0) {
    const space = text.indexOf(" ", start);
    start = space >= 0 && space < (hits[best]?.start ?? 0) ? space + 1 : hits[best].start;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  const pieces = cut(text, start, end, hits);
  if (start > 0) pieces.unshift({ text: "…" });
  if (end < text.length) pieces.push({ text: "…" });
  return pieces;
}

/**
 * The found words, in order. With `after`, reading stops that many
 * characters past the first one: the snippet is chosen near where the words
 * first appear, and a long text is not read to its end for a few lines.
 */
function hitsIn(text: string, upTo: number, wanted: (folded: string) => boolean, after = Number.POSITIVE_INFINITY): Array<{ start: number; end: number }> {
  const hits: Array<{ start: number; end: number }> = [];
  for (const word of wordsOf(upTo < text.length ? text.slice(0, upTo) : text)) {
    if (hits.length > 0 && word.start > hits[0].start + after) break;
    if (wanted(word.folded)) hits.push({ start: word.start, end: word.end });
    if (hits.length >= MAX_HITS) break;
  }
  return hits;
}

function cut(text: string, start: number, end: number, hits: Array<{ start: number; end: number }>): Piece[] {
  const pieces: Piece[] = [];
  let at = start;
  for (const hit of hits) {
    if (hit.end <= start || hit.start >= end) continue;
    if (hit.start > at) pieces.push({ text: flat(text.slice(at, hit.start)) });
    pieces.push({ text: text.slice(Math.max(at, hit.start), hit.end), mark: true });
    at = hit.end;
  }
  if (at < end) pieces.push({ text: flat(text.slice(at, end)) });
  return pieces;
}
