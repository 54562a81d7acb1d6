/** Lower case without accents: "École des Achats" → "ecole des achats", for accent-insensitive search. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/**
 * The searchable form of a text: folded, every run of other characters one
 * space, and a leading space, so that `LIKE '% nego%'` finds "Négociation"
 * and "Jean-Négoce" alike with one pattern, in SQLite and PostgreSQL.
 */
export function searchable(text: string): string {
  const words = fold(text).replace(/[^a-z0-9]+/g, " ").trim();
  return words ? ` ${words}` : "";
}

/** A skill's key: two spellings with the same key are one skill. */
export function skillKey(label: string): string {
  return searchable(label).trim();
}
