/** Lower case without accents: "École des Achats" → "ecole des achats", for accent-insensitive search. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
