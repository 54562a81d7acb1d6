import type { Executor } from "../client.ts";
import {
  PROFILE_FIELD_NAMES,
  defaultAudiences,
  OPEN_TO,
  OPEN_TO_NAMES,
  PROFILE_FIELDS,
  type Audience,
  type Language,
  type Listing,
  type OpenTo,
  type ProfileField,
  type Region,
  type Sector,
  type VisibilityColumn,
} from "../profile-fields.ts";
import type { Locale, ProfessionalStatus } from "../schema.ts";
import { searchable, skillKey } from "../text.ts";

export interface ProfileInput {
  displayName: string;
  headline: string;
  /** The bio as checked by the comment profile (Lexical JSON and its HTML), or empty strings. */
  bio: { json: string; html: string };
  skills: string[];
  sectors: Sector[];
  region: Region | "";
  city: string;
  professionalStatus: ProfessionalStatus | null;
  languages: Language[];
  website: string;
  linkedin: string;
  openTo: OpenTo[];
  availableFrom: string | null;
  listing: Listing;
  visibility: Record<ProfileField, Audience>;
  locale: Locale | null;
  timeZone: string;
}

/** The visibility columns, as the `set` of an update. */
export function visibilityColumns(visibility: Record<ProfileField, Audience>): Record<VisibilityColumn, Audience> {
  const columns = {} as Record<VisibilityColumn, Audience>;
  for (const [field, { column }] of Object.entries(PROFILE_FIELDS)) columns[column] = visibility[field as ProfileField];
  return columns;
}

/** The columns of the defaults a new member starts with (PROFILE_FIELDS). */
export function defaultVisibility(): Record<VisibilityColumn, Audience> {
  return visibilityColumns(defaultAudiences());
}

/**
 * Writes the whole profile: the user row, its searchable forms and the skill
 * rows (replaced), so the directory never sees one without the other.
 * Skills are deduplicated by key, in the order given.
 */
export async function writeProfile(db: Executor, userId: string, input: ProfileInput, now: number) {
  const skills = distinctSkills(input.skills);
  await db
    .updateTable("user")
    .set({
      display_name: input.displayName,
      name_search: searchable(input.displayName),
      headline: input.headline,
      headline_search: searchable(input.headline),
      bio: input.bio.json,
      bio_html: input.bio.html,
      skills: JSON.stringify(skills.map((s) => s.label)),
      skills_search: skills.map((s) => ` ${s.key}`).join(""),
      sectors: JSON.stringify(input.sectors),
      region: input.region,
      city: input.city,
      professional_status: input.professionalStatus,
      languages: JSON.stringify(input.languages),
      website: input.website,
      linkedin: input.linkedin,
      open_to: input.openTo.reduce((bits, v) => bits | OPEN_TO[v], 0),
      available_from: input.availableFrom,
      listing: input.listing,
      ...visibilityColumns(input.visibility),
      locale: input.locale,
      time_zone: input.timeZone,
      updated_at: now,
    })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("user_skill").where("user_id", "=", userId).execute();
  if (skills.length > 0) {
    await db
      .insertInto("user_skill")
      .values(skills.map((s, position) => ({ user_id: userId, skill_key: s.key, label: s.label, position })))
      .execute();
  }
}

export function distinctSkills(labels: readonly string[]): Array<{ key: string; label: string }> {
  const seen = new Set<string>();
  const out: Array<{ key: string; label: string }> = [];
  for (const raw of labels) {
    const label = raw.trim().replace(/\s+/g, " ");
    const key = skillKey(label);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push({ key, label });
  }
  return out;
}

export async function setPhoto(db: Executor, userId: string, photoId: string | null, now: number) {
  await db.updateTable("user").set({ photo_id: photoId, updated_at: now }).where("id", "=", userId).execute();
}

/** The counter the triggers raise with every change the directory index holds. */
export async function directoryVersion(db: Executor): Promise<number> {
  const row = await db.selectFrom("directory_version").select("version").where("id", "=", 1).executeTakeFirst();
  return row?.version ?? 0;
}

/**
 * Everything the directory index holds, read whole: a row per member (only
 * the columns cards, filters and search need), their memberships and their
 * skills, and the spaces (what the club filter needs to know of each). 10,000
 * members read in tens of milliseconds, once per change.
 */
export async function loadDirectoryData(db: Executor) {
  const [members, memberships, skills, spaces] = await Promise.all([
    db
      .selectFrom("user")
      .select([
        "id",
        "display_name",
        "name_search",
        "headline",
        "headline_search",
        "skills_search",
        "photo_id",
        "region",
        "city",
        "professional_status",
        "open_to",
        "available_from",
        "listing",
        "deletion_due_at",
        "deactivated_at",
        "created_at",
        ...(PROFILE_FIELD_NAMES.map((f) => PROFILE_FIELDS[f].column) as VisibilityColumn[]),
      ])
      .orderBy("name_search")
      .orderBy("id")
      .execute(),
    db.selectFrom("space_member").select(["space_id", "user_id", "role"]).execute(),
    db.selectFrom("user_skill").select(["user_id", "skill_key", "label"]).orderBy("user_id").orderBy("position").execute(),
    db.selectFrom("space").select(["id", "slug", "name", "kind", "visibility", "join_policy", "archived_at"]).execute(),
  ]);
  return { members, memberships, skills, spaces };
}

export type DirectoryData = Awaited<ReturnType<typeof loadDirectoryData>>;

/** Whether two members share a space (any kind, any visibility). */
export async function shareASpace(db: Executor, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom("space_member as x")
    .innerJoin("space_member as y", "y.space_id", "x.space_id")
    .where("x.user_id", "=", a)
    .where("y.user_id", "=", b)
    .select("x.space_id")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The spaces both belong to, by name. */
export function spacesInCommon(db: Executor, a: string, b: string) {
  return db
    .selectFrom("space_member as x")
    .innerJoin("space_member as y", "y.space_id", "x.space_id")
    .innerJoin("space", "space.id", "x.space_id")
    .where("x.user_id", "=", a)
    .where("y.user_id", "=", b)
    .select(["space.id", "space.slug", "space.name", "space.kind", "space.visibility", "space.archived_at"])
    .orderBy("space.name")
    .execute();
}

/**
 * For "who can see my profile": each of my spaces with its member count
 * (myself excluded), how many distinct people share at least one space with
 * me, and how many members the network has besides me.
 */
export async function audienceOf(db: Executor, userId: string) {
  const spaces = await db
    .selectFrom("space_member as mine")
    .innerJoin("space", "space.id", "mine.space_id")
    .where("mine.user_id", "=", userId)
    .select((eb) => [
      "space.id",
      "space.slug",
      "space.name",
      "space.visibility",
      eb
        .selectFrom("space_member as other")
        .whereRef("other.space_id", "=", "space.id")
        .where("other.user_id", "!=", userId)
        .select(eb.fn.countAll<number>().as("n"))
        .as("others"),
    ])
    .orderBy("space.name")
    .execute();
  const peerRow = await db
    .selectFrom("space_member as mine")
    .innerJoin("space_member as theirs", "theirs.space_id", "mine.space_id")
    .where("mine.user_id", "=", userId)
    .where("theirs.user_id", "!=", userId)
    .select((eb) => eb.fn.count<number>("theirs.user_id").distinct().as("n"))
    .executeTakeFirstOrThrow();
  const networkRow = await db.selectFrom("user").where("id", "!=", userId).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return {
    spaces: spaces.map((s) => ({ ...s, others: Number(s.others) })),
    clubPeople: Number(peerRow.n),
    networkPeople: Number(networkRow.n),
  };
}

/** The member's whole row (the profile page trims it with the policy), or undefined. */
export function findMember(db: Executor, id: string) {
  return db.selectFrom("user").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Whom a member co-opted into the network (user.sponsor_id), by name. */
export function coopted(db: Executor, sponsorId: string) {
  return db.selectFrom("user").select(["id", "display_name"]).where("sponsor_id", "=", sponsorId).orderBy("name_search").limit(200).execute();
}

/** A member's profile as writeProfile takes it, to change a part and write it back. */
export async function currentProfileInput(db: Executor, userId: string): Promise<ProfileInput> {
  const u = await db.selectFrom("user").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
  const visibility = {} as Record<ProfileField, Audience>;
  for (const [field, { column }] of Object.entries(PROFILE_FIELDS)) visibility[field as ProfileField] = u[column];
  const list = <T>(json: string): T[] => {
    try {
      const value: unknown = JSON.parse(json);
      return Array.isArray(value) ? (value as T[]) : [];
    } catch {
      return [];
    }
  };
  return {
    displayName: u.display_name,
    headline: u.headline,
    bio: { json: u.bio, html: u.bio_html },
    skills: list<string>(u.skills),
    sectors: list<Sector>(u.sectors),
    region: u.region,
    city: u.city,
    professionalStatus: u.professional_status,
    languages: list<Language>(u.languages),
    website: u.website,
    linkedin: u.linkedin,
    openTo: OPEN_TO_NAMES.filter((name) => (u.open_to & OPEN_TO[name]) !== 0),
    availableFrom: u.available_from,
    listing: u.listing,
    visibility,
    locale: u.locale,
    timeZone: u.time_zone,
  };
}

/** The keys of a member's skills: what asks wanting a skill are matched on. */
export async function skillKeysOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.selectFrom("user_skill").select("skill_key").where("user_id", "=", userId).execute();
  return rows.map((r) => r.skill_key);
}
