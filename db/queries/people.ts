import { sql, type ExpressionBuilder, type SelectQueryBuilder } from "kysely";
import type { Executor } from "../client.ts";
import {
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
  type DirectorySort,
} from "../profile-fields.ts";
import type { Database, Locale, ProfessionalStatus } from "../schema.ts";
import { searchable, skillKey } from "../text.ts";

/**
 * The directory rule as the SQL takes it (app/policies/profile.ts
 * directoryRule builds it from the policy's own table): the audiences a
 * viewer sharing a club belongs to, those of any network member, and the
 * listing that lets a profile reach the network. The queries below never
 * name an audience themselves.
 */
export interface DirectoryRule {
  viewerId: string;
  clubAudiences: readonly Audience[];
  networkAudiences: readonly Audience[];
  networkListing: Listing;
}

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

/**
 * Skills already used in the network that start a word with `prefix`, most
 * used first, from profiles whose skills the viewer may see (their own
 * included): a suggestion never reveals a skill its holder hides.
 */
export function suggestSkills(db: Executor, rule: DirectoryRule, prefix: string, limit: number) {
  const key = skillKey(prefix);
  return db
    .selectFrom("user_skill as s")
    .innerJoin("user as u", "u.id", "s.user_id")
    .leftJoin(peers(db, rule.viewerId), (j) => j.onRef("peer.user_id", "=", "u.id"))
    .where((eb) => fieldVisible(eb, rule, "vis_skills"))
    .$if(key !== "", (q) => q.where((eb) => eb.or([eb("s.skill_key", "like", `${escapeLike(key)}%`, ), eb(sql<string>`' ' || s.skill_key`, "like", `% ${escapeLike(key)}%`)])))
    .groupBy("s.skill_key")
    .select((eb) => [eb.fn.min("s.label").as("label"), eb.fn.countAll<number>().as("count")])
    .orderBy("count", "desc")
    .orderBy("label")
    .limit(limit)
    .execute();
}

/** The member ids who share at least one space with the viewer (the viewer included when they belong to one). */
function peers(db: Executor, viewerId: string) {
  return db
    .selectFrom("space_member as mine")
    .innerJoin("space_member as theirs", "theirs.space_id", "mine.space_id")
    .where("mine.user_id", "=", viewerId)
    .select("theirs.user_id")
    .distinct()
    .as("peer");
}

type Scope = Database & { u: Database["user"]; peer: { user_id: string | null } };
type DirectoryEb = ExpressionBuilder<Scope, "u" | "peer">;

/** Whether the viewer may see a field of the row's member: the SQL form of canSeeField. */
function fieldVisible(eb: ExpressionBuilder<any, any>, rule: DirectoryRule, column: VisibilityColumn) {
  return eb.or([
    eb("u.id", "=", rule.viewerId),
    eb.and([eb("peer.user_id", "is not", null), eb(`u.${column}`, "in", rule.clubAudiences)]),
    eb.and([eb("u.listing", "=", rule.networkListing), eb(`u.${column}`, "in", rule.networkAudiences)]),
  ]);
}

/** The SQL form of canSeeProfile. */
function profileVisible(eb: ExpressionBuilder<any, any>, rule: DirectoryRule) {
  return eb.or([eb("u.id", "=", rule.viewerId), eb("peer.user_id", "is not", null), eb("u.listing", "=", rule.networkListing)]);
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}


export interface DirectoryFilters {
  /** Folded words of the text box (searchable(q) split); each must match the name, a visible headline or visible skills. */
  words: string[];
  skill: string | null;
  region: Region | null;
  /** A space whose member list the viewer may read (the caller checked it with canReadSpace). */
  club: string | null;
  status: ProfessionalStatus | null;
  openTo: OpenTo | null;
}

type FilterName = "skill" | "region" | "club" | "status" | "openTo";

/**
 * The members the viewer may find, filtered — every filter on a field only
 * where the viewer may see that field, so a filter never reveals what the
 * member hides — leaving out one filter for its own facet's counts.
 */
function filtered(db: Executor, rule: DirectoryRule, f: DirectoryFilters, except?: FilterName) {
  // The club facet joins the memberships of readable clubs, which is presence enough (below).
  const presence = except !== "club";
  let q = db
    .selectFrom("user as u")
    .leftJoin(peers(db, rule.viewerId), (j) => j.onRef("peer.user_id", "=", "u.id"));
  // A club's member list is readable by this viewer (the caller checked): its members are
  // found there by name whatever their listing, as on the club's Members page.
  if (f.club !== null && except !== "club") {
    const club = f.club;
    q = q.where((eb) => eb.exists(eb.selectFrom("space_member as cm").select("cm.user_id").whereRef("cm.user_id", "=", "u.id").where("cm.space_id", "=", club)));
  } else if (presence) {
    q = q.where((eb) => profileVisible(eb, rule));
  }
  for (const word of f.words) {
    const pattern = `% ${escapeLike(word)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql`u.name_search`, "like", sql`${pattern} ESCAPE '\\'`),
        eb.and([fieldVisible(eb, rule, "vis_headline"), eb(sql`u.headline_search`, "like", sql`${pattern} ESCAPE '\\'`)]),
        eb.and([fieldVisible(eb, rule, "vis_skills"), eb(sql`u.skills_search`, "like", sql`${pattern} ESCAPE '\\'`)]),
      ]),
    );
  }
  if (f.skill !== null && except !== "skill") {
    const key = f.skill;
    q = q.where((eb) =>
      eb.and([fieldVisible(eb, rule, "vis_skills"), eb.exists(eb.selectFrom("user_skill as fs").select("fs.user_id").whereRef("fs.user_id", "=", "u.id").where("fs.skill_key", "=", key))]),
    );
  }
  if (f.region !== null && except !== "region") {
    const region = f.region;
    q = q.where((eb) => eb.and([fieldVisible(eb, rule, "vis_region"), eb("u.region", "=", region)]));
  }
  if (f.status !== null && except !== "status") {
    const status = f.status;
    q = q.where((eb) => eb.and([fieldVisible(eb, rule, "vis_status"), eb("u.professional_status", "=", status)]));
  }
  if (f.openTo !== null && except !== "openTo") {
    const bit = OPEN_TO[f.openTo];
    q = q.where((eb) => eb.and([fieldVisible(eb, rule, "vis_open_to"), eb(eb("u.open_to", "&", bit), "!=", 0)]));
  }
  return q;
}

/**
 * A card's fields, each one null where the viewer may not see it: the trim
 * happens in the query, so nothing hidden ever reaches the loader.
 */
function selectCard<O>(q: SelectQueryBuilder<Scope, "u" | "peer", O>, rule: DirectoryRule) {
  const shown = <C extends string>(eb: DirectoryEb, column: VisibilityColumn, value: C) =>
    eb.case().when(fieldVisible(eb, rule, column)).then(eb.ref(value as any)).else(null).end();
  return q.select((eb) => [
    "u.id",
    "u.display_name",
    "u.created_at",
    shown(eb, "vis_photo", "u.photo_id").as("photo_id"),
    shown(eb, "vis_headline", "u.headline").as("headline"),
    shown(eb, "vis_region", "u.region").as("region"),
    shown(eb, "vis_city", "u.city").as("city"),
    shown(eb, "vis_status", "u.professional_status").as("professional_status"),
    shown(eb, "vis_skills", "u.skills").as("skills"),
    shown(eb, "vis_open_to", "u.open_to").as("open_to"),
    shown(eb, "vis_open_to", "u.available_from").as("available_from"),
  ]);
}

export interface DirectoryCard {
  id: string;
  display_name: string;
  created_at: number;
  photo_id: string | null;
  headline: string | null;
  region: Region | "" | null;
  city: string | null;
  professional_status: ProfessionalStatus | null;
  skills: string | null;
  open_to: number | null;
  available_from: string | null;
}

/** One page of the directory, and how many match in all. */
export async function searchDirectory(
  db: Executor,
  rule: DirectoryRule,
  f: DirectoryFilters,
  page: { sort: DirectorySort; offset: number; limit: number },
): Promise<{ total: number; cards: DirectoryCard[] }> {
  const base = filtered(db, rule, f) as unknown as SelectQueryBuilder<Scope, "u" | "peer", {}>;
  const totalRow = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  let q = selectCard(base, rule);
  if (page.sort === "relevance" && f.words.length > 0) {
    // Where each word was found: the name weighs most, then a skill, then the headline.
    const score = sql.join(
      f.words.map((word) => {
        const pattern = `% ${escapeLike(word)}%`;
        return sql`(CASE WHEN u.name_search LIKE ${pattern} ESCAPE '\\' THEN 3 WHEN u.skills_search LIKE ${pattern} ESCAPE '\\' THEN 2 ELSE 1 END)`;
      }),
      sql` + `,
    );
    q = q.orderBy(sql`${score}`, "desc");
  }
  if (page.sort === "recent") q = q.orderBy("u.created_at", "desc");
  const cards = (await q.orderBy("u.name_search").orderBy("u.id").limit(page.limit).offset(page.offset).execute()) as DirectoryCard[];
  return { total: Number(totalRow.n), cards };
}

export interface DirectoryFacets {
  skills: Array<{ key: string; label: string; count: number }>;
  regions: Array<{ value: Region; count: number }>;
  clubs: Array<{ value: string; count: number }>;
  statuses: Array<{ value: ProfessionalStatus; count: number }>;
  openTo: Array<{ value: OpenTo; count: number }>;
}

/**
 * Counts for each filter's choices, each over the members the other filters
 * leave (so choosing a region still shows how many are in the others), and
 * each only where the viewer may see the field counted.
 */
export async function directoryFacets(db: Executor, rule: DirectoryRule, f: DirectoryFilters, readableClubs: readonly string[], topSkills: number): Promise<DirectoryFacets> {
  const of = (except: FilterName) => filtered(db, rule, f, except) as unknown as SelectQueryBuilder<Scope, "u" | "peer", {}>;
  const skills = await of("skill")
    .innerJoin("user_skill as s", "s.user_id", "u.id")
    .where((eb) => fieldVisible(eb, rule, "vis_skills"))
    .groupBy("s.skill_key")
    .select((eb) => ["s.skill_key as key", eb.fn.min("s.label").as("label"), eb.fn.countAll<number>().as("count")])
    // The chosen skill always comes first, so its choice stays on the list whatever its count.
    .$if(f.skill !== null, (q) => q.orderBy(sql`s.skill_key = ${f.skill}`, "desc"))
    .orderBy("count", "desc")
    .orderBy("s.skill_key")
    .limit(topSkills)
    .execute();
  const regions = await of("region")
    .where((eb) => eb.and([fieldVisible(eb, rule, "vis_region"), eb("u.region", "!=", "")]))
    .groupBy("u.region")
    .select((eb) => ["u.region as value", eb.fn.countAll<number>().as("count")])
    .execute();
  const clubs =
    readableClubs.length === 0
      ? []
      : await of("club")
          .innerJoin("space_member as m", "m.user_id", "u.id")
          .where("m.space_id", "in", readableClubs)
          .groupBy("m.space_id")
          .select((eb) => ["m.space_id as value", eb.fn.countAll<number>().as("count")])
          .execute();
  const statuses = await of("status")
    .where((eb) => eb.and([fieldVisible(eb, rule, "vis_status"), eb("u.professional_status", "is not", null)]))
    .groupBy("u.professional_status")
    .select((eb) => ["u.professional_status as value", eb.fn.countAll<number>().as("count")])
    .execute();
  const openRow = await of("openTo")
    .where((eb) => fieldVisible(eb, rule, "vis_open_to"))
    .select((eb) =>
      OPEN_TO_NAMES.map((name) => eb.fn.sum<number>(eb.case().when(eb(eb("u.open_to", "&", OPEN_TO[name]), "!=", 0)).then(1).else(0).end()).as(name)),
    )
    .executeTakeFirst();
  const row = (openRow ?? {}) as Record<string, number | null>;
  return {
    skills: skills.map((s) => ({ key: s.key, label: String(s.label), count: Number(s.count) })),
    regions: regions.map((r) => ({ value: r.value as Region, count: Number(r.count) })),
    clubs: clubs.map((c) => ({ value: c.value, count: Number(c.count) })),
    statuses: statuses.map((s) => ({ value: s.value as ProfessionalStatus, count: Number(s.count) })),
    openTo: OPEN_TO_NAMES.map((name) => ({ value: name, count: Number(row[name] ?? 0) })).filter((o) => o.count > 0),
  };
}

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

/** Those of `ids` the viewer may find in the directory (canSeeProfile), for links to profiles. */
export async function findableAmong(db: Executor, rule: DirectoryRule, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom("user as u")
    .leftJoin(peers(db, rule.viewerId), (j) => j.onRef("peer.user_id", "=", "u.id"))
    .where("u.id", "in", ids)
    .where((eb) => profileVisible(eb, rule))
    .select("u.id")
    .execute();
  return new Set(rows.map((r) => r.id));
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
    .selectFrom(peers(db, userId))
    .where("peer.user_id", "!=", userId)
    .select((eb) => eb.fn.countAll<number>().as("n"))
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
