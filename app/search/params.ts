import { SEARCH_KINDS, type SearchKind } from "#db/schema.ts";

/** What a search can be narrowed to: a kind of content, or people. */
export const SEARCH_TYPES = [...SEARCH_KINDS, "person"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** How far back: a date filter members understand without a calendar. */
export const SEARCH_PERIODS = ["week", "month", "year"] as const;
export type SearchPeriod = (typeof SEARCH_PERIODS)[number];
export const PERIOD_DAYS: Record<SearchPeriod, number> = { week: 7, month: 31, year: 366 };

/** The search's address: /search?q=&type=&club=&author=&when=&page=. */
export interface SearchParams {
  q: string;
  type: SearchType | null;
  /** A club's slug. */
  club: string | null;
  /** A member's id. */
  author: string | null;
  when: SearchPeriod | null;
  page: number;
}

export const MAX_QUERY = 200;
export const PAGE_SIZE = 20;
/** Pages past this are not served: a reader refines the search long before, and deep offsets cost. */
export const LAST_PAGE = 50;

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;

/** Anything unknown in the address is dropped, never an error: a shared link keeps working. */
export function parseSearchParams(url: URL): SearchParams {
  const get = (name: string) => url.searchParams.get(name)?.trim() || null;
  const page = Number(get("page") ?? "1");
  return {
    q: (url.searchParams.get("q") ?? "").slice(0, MAX_QUERY),
    type: oneOf(SEARCH_TYPES, get("type")),
    club: get("club")?.slice(0, 100) ?? null,
    author: get("author")?.slice(0, 64) ?? null,
    when: oneOf(SEARCH_PERIODS, get("when")),
    page: Number.isSafeInteger(page) && page >= 1 && page <= LAST_PAGE ? page : 1,
  };
}

/** The address of a search with these params; empty ones left out. */
export function searchUrl(params: Partial<SearchParams>): string {
  const query = new URLSearchParams();
  for (const name of ["q", "type", "club", "author", "when"] as const) {
    const value = params[name];
    if (value) query.set(name, value);
  }
  if (params.page && params.page > 1) query.set("page", String(params.page));
  const text = query.toString();
  return `/search${text ? `?${text}` : ""}`;
}

export const isKind = (type: SearchType | null): type is SearchKind => type !== null && type !== "person";
