import { describe, expect, test } from "vitest";
import { matchExpression } from "#db/search/query.ts";
import { highlight, snippet, type Piece } from "#db/search/snippet.ts";
import { STOP_WORDS, foldText, indexForm, matcherOf, parseQuery, wordsOf } from "#db/search/text.ts";

/**
 * The French text pipeline (db/search/text.ts): what a member types must
 * meet what the index holds. Each case says what a reader expects, not what
 * the code answered: a text "finds" a query when every wanted term of the
 * query is among the text's index terms.
 */

const terms = (text: string) => new Set(indexForm(text).split(" ").filter(Boolean));

/** Whether a text answers a query of plain words (no phrases, no exclusions), as the index would. */
function finds(query: string, text: string): boolean {
  const held = terms(text);
  const parsed = parseQuery(query);
  if (parsed.all.length === 0) return false;
  return parsed.all.every((clause) => {
    if (clause.kind === "word") return held.has(clause.stem);
    if (clause.kind === "phrase") return clause.stems.every((s) => held.has(s));
    return [...held].some((t) => t.startsWith(clause.stem) || t.startsWith(clause.folded) || clause.shorter.includes(t));
  });
}

describe("a query finds the text a French reader expects", () => {
  test.each([
    // accents and case
    ["ete", "L'Été des consultants"],
    ["ÉTÉ", "l'été des consultants"],
    ["strategie", "Stratégie d'achats"],
    ["Noël", "noel en famille"],
    ["oeuvre", "Une œuvre collective"],
    ["œuvre", "mise en oeuvre du plan"],
    // word forms (Snowball French)
    ["négociations", "Négocier avec un fournisseur unique"],
    ["negocier", "Les négociations annuelles"],
    ["consultants", "Un consultant indépendant"],
    ["facturation", "facturer ses clients"],
    ["ateliers", "L'atelier du jeudi"],
    ["accompagnement", "accompagner les dirigeants"],
    // elisions
    ["l'atelier", "atelier de négociation"],
    ["atelier", "Retour sur l'atelier"],
    ["d'achats", "directeur des achats"],
    ["lorsqu'Anne", "Anne Dubois"],
    ["aujourd'hui", "Aujourd'hui, le comité"],
    // English text is found too (as words; stems are French ones, applied alike on both sides)
    ["supply chain", "Supply Chain Planning"],
    ["procurement", "Procurement excellence"],
    // numbers
    ["2026", "Atelier d'octobre 2026"],
    // hyphenated words: their words, each wanted
    ["jean-pierre", "Jean-Pierre Martin"],
    // the word being typed: its start
    ["nego", "Négociation annuelle"],
    ["consultan", "Consultants associés"],
    ["factur", "Facturation électronique"],
  ])("%s finds %s", (query, text) => {
    expect(finds(query, text)).toBe(true);
  });

  test.each([
    ["tarif", "atelier de négociation"],
    ["achat", "le chat du voisin"],
    // the word being typed, followed by a space: a whole word, not a start
    ["nego ", "Négociation annuelle"],
    // "été" is the summer, not a stop word: it must not find every text with "est"
    ["ete", "le comité est réuni"],
  ])("%s does not find %s", (query, text) => {
    expect(finds(query, text)).toBe(false);
  });
});

describe("what the index keeps of a text", () => {
  test("stop words and elided articles go, words stay in order", () => {
    const kept = indexForm("Le compte rendu de l'atelier et des ateliers");
    expect(kept).toBe(indexForm("compte rendu atelier ateliers"));
    expect(kept.split(" ")).toHaveLength(4);
    expect(indexForm("de la et le les des du l' d' qu'")).toBe("");
  });

  test("the French stop words are folded, and keep the summer", () => {
    for (const word of ["le", "la", "les", "de", "des", "et", "pour", "avec", "est", "sont"]) expect(STOP_WORDS.has(word)).toBe(true);
    expect(STOP_WORDS.has("ete")).toBe(false);
    for (const word of STOP_WORDS) expect(word).toBe(foldText(word));
  });

  test("folding spells ligatures out and removes accents, whatever the case", () => {
    expect(foldText("Œuvre ÉTÉ Straße Æsop à çà")).toBe("oeuvre ete strasse aesop a ca");
  });

  test("words keep their places in the text as given, for the marks", () => {
    const text = "Œuvre : l'Été";
    const words = [...wordsOf(text)];
    expect(words.map((w) => text.slice(w.start, w.end))).toEqual(["Œuvre", "Été"]);
    expect(words.map((w) => w.folded)).toEqual(["oeuvre", "ete"]);
  });
});

describe("reading a query", () => {
  test("words, a quoted phrase, an exclusion and the word being typed", () => {
    const q = parseQuery('plan "compte rendu" -tarif nego');
    expect(q.all.map((c) => c.kind)).toEqual(["word", "phrase", "typing"]);
    expect(q.none.map((c) => c.kind)).toEqual(["word"]);
    const phrase = q.all[1];
    expect(phrase.kind === "phrase" && phrase.stems).toEqual(indexForm("compte rendu").split(" "));
    const excluded = q.none[0];
    expect(excluded.kind === "word" && excluded.stem).toBe(indexForm("tarif"));
  });

  test("the last word is a start only while no space follows it, and never when excluded or quoted", () => {
    expect(parseQuery("nego").all[0].kind).toBe("typing");
    expect(parseQuery("nego ").all[0].kind).toBe("word");
    expect(parseQuery('"nego"').all[0].kind).toBe("word");
    expect(parseQuery("plan -nego").none[0].kind).toBe("word");
  });

  test("a word being typed also matches the shorter stems it is on its way to", () => {
    const typing = parseQuery("consultan").all[0];
    expect(typing.kind).toBe("typing");
    if (typing.kind === "typing") {
      expect(typing.shorter).toContain(indexForm("consultant"));
      // never shorter than four letters: "co" would find half the index
      for (const s of typing.shorter) expect(s.length).toBeGreaterThanOrEqual(4);
    }
  });

  test("a query of stop words only asks for nothing", () => {
    expect(parseQuery("le la les de").all).toEqual([]);
    expect(parseQuery("   ").all).toEqual([]);
    expect(parseQuery('""').all).toEqual([]);
    expect(parseQuery("-tarif").all).toEqual([]);
  });

  test("FTS5 syntax typed by a member stays text: every term is a quoted string", () => {
    const hostile = 'NEAR(a b) OR title:x AND "unclosed ^col * ) ( {title} : -';
    const q = parseQuery(hostile);
    const expression = matchExpression({ query: q, access: ['r1"x'] });
    expect(expression).not.toBeNull();
    // Outside quoted strings, only our own operators and column filters remain.
    const outside = expression!.replace(/"(?:[^"]|"")*"/g, "").replace(/\s+/g, " ");
    expect(outside).toMatch(/^[(){}: a-zA-Z*+]*$/);
    for (const word of outside.split(/[^A-Za-z]+/).filter(Boolean)) expect(["AND", "OR", "NOT", "title", "body", "access"]).toContain(word);
  });
});

describe("marks in titles and snippets", () => {
  const text = (pieces: Piece[]) => pieces.map((p) => (p.mark ? `[${p.text}]` : p.text)).join("");

  test("found words are marked as written, accents and all", () => {
    const wanted = matcherOf(parseQuery("negociation ete"));
    expect(text(highlight("Négocier l'Été", wanted))).toBe("[Négocier] l'[Été]");
  });

  test("the word being typed marks the words it starts", () => {
    expect(text(highlight("Négociation et négoce", matcherOf(parseQuery("nego"))))).toBe("[Négociation] et [négoce]");
  });

  test("a snippet is cut around the words, at spaces, with ellipses", () => {
    const long = `${"Lorem ipsum dolor sit amet. ".repeat(40)}Le plan de charge du trimestre est prêt. ${"Sed do eiusmod tempor. ".repeat(40)}`;
    const pieces = snippet(long, matcherOf(parseQuery("charge")), 120);
    const shown = text(pieces);
    expect(shown.startsWith("…")).toBe(true);
    expect(shown.endsWith("…")).toBe(true);
    expect(shown).toContain("[charge]");
    expect(shown.length).toBeLessThan(140);
  });

  test("without a found word, the text's start", () => {
    expect(text(snippet("Un texte court.", matcherOf(parseQuery("absent"))))).toBe("Un texte court.");
  });

  test("pieces are plain text: markup in the content stays text", () => {
    const pieces = snippet("<script>alert(1)</script> négociation", matcherOf(parseQuery("négociation")));
    expect(pieces.some((p) => p.text.includes("<script>"))).toBe(true);
    expect(pieces.find((p) => p.mark)?.text).toBe("négociation");
  });
});
