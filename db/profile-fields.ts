/**
 * What a profile holds, as data: the lists a member picks from and the
 * fields whose audience they choose. The schema, the policies
 * (app/policies/profile.ts), the directory's SQL (db/queries/people.ts) and
 * the forms all read these, so a field added here reaches every one of them.
 */

/** Who may see one field of a profile. */
export const AUDIENCES = ["network", "clubs", "me"] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Who finds the profile at all (the name is always shown to those who do); "hidden": nobody but the member, though they stay in their clubs. */
export const LISTINGS = ["network", "clubs", "hidden"] as const;
export type Listing = (typeof LISTINGS)[number];

/**
 * Every field but the name, with its audience column and the default a new
 * member gets: what helps a peer find them is shown to the network; what
 * lets someone reach or locate them is kept to their clubs or to themselves.
 */
export const PROFILE_FIELDS = {
  photo: { column: "vis_photo", default: "network" },
  headline: { column: "vis_headline", default: "network" },
  bio: { column: "vis_bio", default: "clubs" },
  skills: { column: "vis_skills", default: "network" },
  sectors: { column: "vis_sectors", default: "network" },
  region: { column: "vis_region", default: "network" },
  city: { column: "vis_city", default: "clubs" },
  status: { column: "vis_status", default: "network" },
  languages: { column: "vis_languages", default: "network" },
  links: { column: "vis_links", default: "clubs" },
  openTo: { column: "vis_open_to", default: "network" },
  email: { column: "vis_email", default: "me" },
} as const satisfies Record<string, { column: `vis_${string}`; default: Audience }>;

export type ProfileField = keyof typeof PROFILE_FIELDS;
export type VisibilityColumn = (typeof PROFILE_FIELDS)[ProfileField]["column"];
export const PROFILE_FIELD_NAMES = Object.keys(PROFILE_FIELDS) as ProfileField[];

/** The French regions (INSEE's 2016 map, overseas included), then abroad. */
export const REGIONS = [
  "ara", // Auvergne-Rhône-Alpes
  "bfc", // Bourgogne-Franche-Comté
  "bre", // Bretagne
  "cvl", // Centre-Val de Loire
  "cor", // Corse
  "ges", // Grand Est
  "hdf", // Hauts-de-France
  "idf", // Île-de-France
  "nor", // Normandie
  "naq", // Nouvelle-Aquitaine
  "occ", // Occitanie
  "pdl", // Pays de la Loire
  "pac", // Provence-Alpes-Côte d'Azur
  "gua", // Guadeloupe
  "mtq", // Martinique
  "guf", // Guyane
  "reu", // La Réunion
  "myt", // Mayotte
  "abroad",
] as const;
export type Region = (typeof REGIONS)[number];

export const SECTORS = [
  "industry",
  "energy",
  "health",
  "finance",
  "public",
  "retail",
  "transport",
  "digital",
  "agrifood",
  "construction",
  "services",
  "luxury",
  "education",
  "nonprofit",
] as const;
export type Sector = (typeof SECTORS)[number];

/** ISO 639-1 codes; their names come from Intl.DisplayNames in the reader's language. */
export const LANGUAGES = ["fr", "en", "de", "es", "it", "pt", "nl", "pl", "ar", "zh", "ja", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * What a member is open to, as bits of one integer column: a filter is
 * `open_to & bit`, the same in SQLite and PostgreSQL.
 */
export const OPEN_TO = { missions: 1, subcontracting: 2, mentoring: 4, speaking: 8 } as const;
export type OpenTo = keyof typeof OPEN_TO;
export const OPEN_TO_NAMES = Object.keys(OPEN_TO) as OpenTo[];

export function openToBits(values: readonly OpenTo[]): number {
  return values.reduce((bits, v) => bits | OPEN_TO[v], 0);
}

export function openToList(bits: number): OpenTo[] {
  return OPEN_TO_NAMES.filter((v) => (bits & OPEN_TO[v]) !== 0);
}

/** The audiences a new member starts with. */
export function defaultAudiences(): Record<ProfileField, Audience> {
  return Object.fromEntries(PROFILE_FIELD_NAMES.map((f) => [f, PROFILE_FIELDS[f].default])) as Record<ProfileField, Audience>;
}

/** How the directory orders its members. */
export const DIRECTORY_SORTS = ["relevance", "name", "recent"] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];
