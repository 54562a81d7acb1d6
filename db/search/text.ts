import { stemmer } from "@orama/stemmers/french";
import { stopwords } from "@orama/stopwords/french";

/**
 * The French text pipeline, one code for what goes into the index and for
 * what a member types: fold (lower case, no accents, ligatures spelt out),
 * cut into words, drop elided articles and stop words, stem. The index holds
 * the stems, so "négociations", "negocier" and "Négocier" are one word to
 * search. SQLite's FTS5 cannot take a tokenizer from better-sqlite3, and
 * PostgreSQL's French dictionary would not agree with ours: stemming in
 * JavaScript and indexing stems is what keeps both engines, the index and
 * the query the same (README, decision 90).
 *
 * Accents go before stemming, not after: the Snowball stemmer reads accents
 * in some suffix rules, so "créées" and "creees" would stem apart if it saw
 * one and not the other; folded first, what a member types without accents
 * stems as the text with them does.
 */

/** Lower case, accents removed, œ and æ spelt out: "Œuvre d'Été" → "oeuvre d'ete". */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "");
}

/**
 * Words that say nothing alone. Snowball's French list, folded, less the
 * forms of "être" that are also nouns: "été" is the summer, and a member
 * looking for "l'été des consultants" must find it.
 */
const KEPT = new Set(["ete", "etes", "etee", "etees"]);
export const STOP_WORDS: ReadonlySet<string> = new Set(stopwords.map(foldText).filter((w) => w && !KEPT.has(w)));

/** Articles and pronouns elided before an apostrophe: "l'atelier" is "atelier". */
const ELIDED = new Set(["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"]);

/** Past this many characters a "word" is a token, a hash or garbage: kept whole, not stemmed. */
const LONGEST_STEMMED = 40;

/** Stems of the words met most recently: a text repeats its vocabulary, and a stem costs about 2 µs. */
const stems = new Map<string, string>();
const STEM_CACHE = 50_000;

/** Folded forms of the words met most recently, for the same reason; plain ASCII words skip the work. */
const folds = new Map<string, string>();

function foldWord(word: string): string {
  if (/^[a-z0-9]*$/.test(word)) return word;
  let folded = folds.get(word);
  if (folded === undefined) {
    folded = foldText(word);
    if (folds.size >= STEM_CACHE) folds.clear();
    folds.set(word, folded);
  }
  return folded;
}

/** The index form of one folded word. */
export function stemWord(folded: string): string {
  if (folded.length > LONGEST_STEMMED || /^\d/.test(folded)) return folded;
  let stem = stems.get(folded);
  if (stem === undefined) {
    stem = stemmer(folded);
    if (stems.size >= STEM_CACHE) stems.clear();
    stems.set(folded, stem);
  }
  return stem;
}

/** A word of a text where it stands: `start`/`end` in the text as given, `folded` its folded form. */
export interface Word {
  start: number;
  end: number;
  folded: string;
}

/**
 * Letters and digits, with the apostrophes inside a word ("aujourd'hui")
 * kept for the elision test. Folding can change a text's length (œ → oe), so
 * words are found in the text as given and folded one by one: their places
 * are the places of the snippet's marks.
 */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** The words of a text that count: elided articles and stop words left out. */
export function* wordsOf(text: string): Generator<Word> {
  for (const match of text.matchAll(WORD)) {
    let start = match.index;
    let raw = match[0];
    // "l'atelier", "qu'un": the elided part is not a word of its own; "aujourd'hui" keeps both halves.
    const parts = raw.split(/['’]/);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const folded = foldWord(part);
      const elided = i < parts.length - 1 && ELIDED.has(folded);
      if (folded && !elided && !STOP_WORDS.has(folded)) yield { start, end: start + part.length, folded };
      start += part.length + 1;
    }
    raw = "";
  }
}

/** What the index holds of a text: its stems, in order, separated by spaces. */
export function indexForm(text: string): string {
  let out = "";
  for (const word of wordsOf(text)) out += (out ? " " : "") + stemWord(word.folded);
  return out;
}

/**
 * One thing a search wants, or wants absent: a word (by its stem), a quoted
 * phrase (stems in a row), or the word still being typed.
 */
export type Clause =
  | { kind: "word"; stem: string }
  | { kind: "phrase"; stems: string[] }
  /**
   * The last word with no space after it: a word being typed. Found as the
   * start of a stem ("nego" finds "negoci"), and, because a stem can be
   * shorter than the word typed so far ("consultan" is on its way to
   * "consultant", whose stem is "consult"), as any of its own first letters
   * down to a few short of it — a suffix that the stemmer would cut.
   */
  | { kind: "typing"; stem: string; folded: string; shorter: string[] };

export interface ParsedQuery {
  /** Every one must be found. */
  all: Clause[];
  /** None may be found. */
  none: Clause[];
}

/** How many letters the stemmer may cut off a word's end ("-issements"), for a word being typed. */
const SUFFIX_CUT = 4;
/** A word being typed matches shorter words down to this many letters, never fewer. */
const SHORTEST_TYPED = 4;

/**
 * What a member typed, read as a search: words (all wanted), "quoted
 * phrases", -word and -"phrase" to leave out, and the last word, when no
 * space follows it, also taken as the start of a word. Stop words are
 * dropped as the index drops them; a query of stop words only is empty. A
 * hyphenated word ("jean-pierre") is its words, each wanted. With `typing`
 * false (a search submitted), every word is a whole word.
 */
export function parseQuery(input: string, options: { typing?: boolean } = {}): ParsedQuery {
  const query: ParsedQuery = { all: [], none: [] };
  const text = input.slice(0, 500);
  const part = /(-?)(?:"([^"]*)"?|([^\s"]+))/g;
  const typingAt = options.typing === false || /[\s"]$/.test(text) ? -1 : text.length;
  let match: RegExpExecArray | null;
  while ((match = part.exec(text)) !== null) {
    const negated = match[1] === "-";
    const into = negated ? query.none : query.all;
    if (match[2] !== undefined) {
      const stems = [...wordsOf(match[2])].map((w) => stemWord(w.folded));
      if (stems.length === 1) into.push({ kind: "word", stem: stems[0] });
      else if (stems.length > 1) into.push({ kind: "phrase", stems });
      continue;
    }
    const words = [...wordsOf(match[3])];
    words.forEach((word, i) => {
      const typing = !negated && part.lastIndex === typingAt && i === words.length - 1;
      if (!typing) return into.push({ kind: "word", stem: stemWord(word.folded) });
      const shorter: string[] = [];
      for (let n = word.folded.length - 1; n >= Math.max(SHORTEST_TYPED, word.folded.length - SUFFIX_CUT); n--) shorter.push(word.folded.slice(0, n));
      into.push({ kind: "typing", stem: stemWord(word.folded), folded: word.folded, shorter });
    });
  }
  return query;
}

/** Whether reading the last word as a start would change the query. */
export function endsTyping(query: ParsedQuery): boolean {
  return query.all.at(-1)?.kind === "typing";
}

/** Whether a query holds nothing to look for. */
export function isEmptyQuery(query: ParsedQuery): boolean {
  return query.all.length === 0;
}

/** Whether a word of a text answers one of the query's wanted clauses: what the snippet marks. */
export function matcherOf(query: ParsedQuery): (folded: string) => boolean {
  const stems = new Set<string>();
  const starts: string[] = [];
  for (const clause of query.all) {
    if (clause.kind === "word") stems.add(clause.stem);
    else if (clause.kind === "phrase") clause.stems.forEach((s) => stems.add(s));
    else {
      starts.push(clause.stem, clause.folded);
      clause.shorter.forEach((s) => stems.add(s));
    }
  }
  return (folded) => {
    const stem = stemWord(folded);
    return stems.has(stem) || starts.some((s) => stem.startsWith(s));
  };
}
