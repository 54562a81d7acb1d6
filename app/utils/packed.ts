import { useMemo } from "react";

/**
 * A loader's large, plain-JSON value, sent to the page as one JSON string.
 * Remix's single fetch encodes loader data with turbo-stream, whose
 * flatten() visits every value in JavaScript: the directory's page holds
 * about 800 (24 cards, a hundred facet choices), and that walk took a tenth
 * of the page's time, where JSON.stringify writes the same natively in a
 * fraction of it (README, decision 86). Only for plain JSON: no Date, Map,
 * undefined or promise survives the trip.
 */
export type Packed<T> = string & { readonly packed?: T };

export const pack = <T,>(value: T): Packed<T> => JSON.stringify(value) as Packed<T>;

/** The value back, parsed once per new string. */
export function usePacked<T>(packed: Packed<T>): T {
  return useMemo(() => JSON.parse(packed) as T, [packed]);
}
