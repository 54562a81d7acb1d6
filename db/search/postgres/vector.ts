import { sql, type RawBuilder } from "kysely";

/**
 * What PostgreSQL's index holds of a row, made from the stems db/search/text.ts
 * makes for FTS5 (README, decision 90): the same words for both engines and
 * for the query, whatever PostgreSQL's own French dictionary would make of
 * them. Written as tsvector literals, not through to_tsvector: a stem goes in
 * as it is, never cut again by PostgreSQL's parser, which has its own idea of
 * what a word is (an email, "1e5", a hyphen).
 */

/** PostgreSQL keeps positions up to this one: later words share it (a phrase past it is found loosely). */
const LAST_POSITION = 16_383;
/** …and this many positions of one lexeme. */
const MOST_POSITIONS = 256;
/**
 * A tsvector holds at most 1 MB. A million characters of text (the most
 * indexed, indexer.ts) stay well below in any language; a text of distinct
 * garbage words (hashes, a dump) could not: past this estimate, new words are
 * left out, the ones already met keep their places.
 */
const MOST_BYTES = 900_000;

const lexeme = (stem: string) => `'${stem.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/**
 * The tsvector of texts in a row, each a string of stems separated by spaces
 * with its weight (A for a title): one position per stem, as FTS5 counts them,
 * and a position left empty between two texts so that no phrase runs from a
 * title into its text (FTS5 keeps them in two columns).
 */
export function tsvectorOf(...texts: Array<{ stems: string; weight: "A" | "D" }>): string {
  const places = new Map<string, string[]>();
  let position = 0;
  let bytes = 0;
  for (const text of texts) {
    if (!text.stems) continue;
    if (position > 0) position++;
    const mark = text.weight === "D" ? "" : text.weight;
    for (const stem of text.stems.split(" ")) {
      if (!stem) continue;
      const at = Math.min(++position, LAST_POSITION);
      let list = places.get(stem);
      if (!list) {
        bytes += Buffer.byteLength(stem) + 8;
        if (bytes > MOST_BYTES) continue;
        list = [];
        places.set(stem, list);
      }
      const place = `${at}${mark}`;
      if (list.length < MOST_POSITIONS && list.at(-1) !== place) {
        list.push(place);
        bytes += 2;
      }
    }
  }
  let out = "";
  for (const [stem, list] of places) out += `${out ? " " : ""}${lexeme(stem)}:${list.join(",")}`;
  return out;
}

/**
 * search_doc's PostgreSQL columns (migration 20261213_0900), written with
 * the row itself: `fts` the title's stems (weight A) then the text's,
 * `title_fts` the title's alone (suggestions, titles first), `access_words`
 * the access and filter words.
 */
export function vectorColumns(titleStems: string, bodyStems: string, access: string): { fts: RawBuilder<string>; title_fts: RawBuilder<string>; access_words: RawBuilder<string[]> } {
  return {
    fts: sql<string>`${tsvectorOf({ stems: titleStems, weight: "A" }, { stems: bodyStems, weight: "D" })}::tsvector`,
    title_fts: sql<string>`${tsvectorOf({ stems: titleStems, weight: "D" })}::tsvector`,
    access_words: sql<string[]>`${access.split(" ").filter(Boolean)}::text[]`,
  };
}
