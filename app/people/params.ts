import { DIRECTORY_SORTS, OPEN_TO_NAMES, REGIONS, type DirectorySort, type OpenTo, type Region } from "#db/profile-fields.ts";
import { PROFESSIONAL_STATUSES, type ProfessionalStatus } from "#db/schema.ts";
import { skillKey } from "#db/text.ts";

/** What the directory's address asks (/people?q=&skill=&region=&club=&status=&open=&sort=&page=), each value checked. */
export interface DirectoryParams {
  q: string;
  skill: string | null;
  region: Region | null;
  /** A club's slug. */
  club: string | null;
  status: ProfessionalStatus | null;
  open: OpenTo | null;
  sort: DirectorySort;
  page: number;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null => (value !== null && (values as readonly string[]).includes(value) ? (value as T) : null);

/** Anything unknown in the address is dropped, never an error: a shared link keeps working. */
export function parseDirectoryParams(url: URL): DirectoryParams {
  const get = (name: string) => url.searchParams.get(name)?.trim() || null;
  const skill = get("skill");
  const page = Number(get("page") ?? "1");
  return {
    q: (get("q") ?? "").slice(0, 100),
    skill: skill ? skillKey(skill).slice(0, 80) || null : null,
    region: oneOf(REGIONS, get("region")),
    club: get("club")?.slice(0, 100) ?? null,
    status: oneOf(PROFESSIONAL_STATUSES, get("status")),
    open: oneOf(OPEN_TO_NAMES, get("open")),
    sort: oneOf(DIRECTORY_SORTS, get("sort")) ?? (get("q") ? "relevance" : "name"),
    page: Number.isSafeInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

/** The address of the directory (or of a club's Members page) with these params; defaults are left out. */
export function directoryQuery(params: Partial<DirectoryParams>): string {
  const query = new URLSearchParams();
  for (const name of ["q", "skill", "region", "club", "status", "open"] as const) {
    const value = params[name];
    if (value) query.set(name, value);
  }
  if (params.sort && params.sort !== (params.q ? "relevance" : "name")) query.set("sort", params.sort);
  if (params.page && params.page > 1) query.set("page", String(params.page));
  return query.toString();
}

