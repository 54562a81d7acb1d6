import type { Executor } from "#db/client.ts";
import { OPEN_TO, OPEN_TO_NAMES, openToList, REGIONS, type OpenTo, type Region } from "#db/profile-fields.ts";
import { PROFESSIONAL_STATUSES, type ProfessionalStatus } from "#db/schema.ts";
import { searchable, skillKey } from "#db/text.ts";
import type { Actor } from "#app/policies/actor.ts";
import { personUrl, photoUrl } from "#app/urls.ts";
import { directoryIndex, FIELD_BIT, IN_HEADLINE, IN_NAME, IN_SKILLS, PREFIX, viewerFor, type ClubFacts, type DirectoryIndex, type Member, type Viewer } from "./directory-index.server.ts";
import type { DirectoryParams } from "./params.ts";

/**
 * Cards per page: 12 fill whole rows of two, three or four columns, and on a
 * phone make four or five screens; each card is also about 45 µs of the
 * page's server render, and 24 put the page past its time budget (README,
 * decision 86).
 */
export const PAGE_SIZE = 12;
const TOP_SKILLS = 30;
const MAX_WORDS = 6;
const CARD_SKILLS = 5;

export interface PersonCard {
  id: string;
  name: string;
  /** The profile page, or null when the member keeps it from this viewer (met through a club's member list). */
  url: string | null;
  photoUrl: string | null;
  headline: string | null;
  region: Region | null;
  city: string | null;
  status: ProfessionalStatus | null;
  /** The first few skills, or null when hidden. */
  skills: Array<{ key: string; label: string }> | null;
  openTo: OpenTo[] | null;
  availableFrom: string | null;
}

/** A member as this viewer may see them: every field the policy does not let through is null. */
export function personCard(viewer: Viewer, m: Member): PersonCard {
  const sees = (field: Parameters<Viewer["sees"]>[1]) => viewer.sees(m, field);
  return {
    id: m.id,
    name: m.name,
    url: viewer.findable(m) ? personUrl(m.id) : null,
    photoUrl: m.photoId && sees("photo") ? photoUrl(m.id, m.photoId, "s") : null,
    headline: sees("headline") ? m.headline || null : null,
    region: sees("region") ? m.region || null : null,
    city: sees("city") ? m.city || null : null,
    status: sees("status") ? m.status : null,
    skills: sees("skills") ? m.skills.slice(0, CARD_SKILLS) : null,
    openTo: sees("openTo") ? openToList(m.openTo) : null,
    availableFrom: sees("openTo") ? m.availableFrom : null,
  };
}

interface Filters {
  words: string[];
  skill: string | null;
  region: Region | null;
  /** A space whose member list the viewer may read. */
  club: string | null;
  status: ProfessionalStatus | null;
  openTo: OpenTo | null;
}

/** The filters that are facets, as bits: each one's counts are taken over the members the others leave. */
const SKILL = 1;
const REGION = 2;
const CLUB = 4;
const STATUS = 8;
const OPEN = 16;

class Counter<K> extends Map<K, number> {
  add(key: K) {
    this.set(key, (this.get(key) ?? 0) + 1);
  }
}

const EMPTY = new Int32Array(0);
const SKILLS_BIT = FIELD_BIT.skills;
const HEADLINE_BIT = FIELD_BIT.headline;
const REGION_BIT = FIELD_BIT.region;
const STATUS_BIT = FIELD_BIT.status;
const OPEN_BIT = FIELD_BIT.openTo;

/** Whether `no` is among the numbers of member `pos` in a flat list (Columns.skillAt, spaceAt). */
function holds(start: Int32Array, at: Int32Array, pos: number, no: number): boolean {
  for (let i = start[pos]!, end = start[pos + 1]!; i < end; i++) if (at[i] === no) return true;
  return false;
}

/** By position, the fields in which a word starts with these PREFIX letters: IN_NAME, IN_SKILLS, IN_HEADLINE bits. */
function placesOf(index: DirectoryIndex, word: string): Uint8Array {
  const places = new Uint8Array(index.members.length);
  for (const [field, bit] of [["name", IN_NAME], ["skills", IN_SKILLS], ["headline", IN_HEADLINE]] as const) {
    for (const pos of index.prefixes[field].get(word) ?? EMPTY) places[pos]! |= bit;
  }
  return places;
}

/**
 * One pass over the members: those that match every filter are the
 * results; one that misses only one facet's filter still counts in that
 * facet (so choosing a region still shows how many are in the others).
 * A filter on a field matches only where the viewer may see the field, so
 * no filter finds anyone by what they hide, and counts count only what the
 * viewer may see. "Club" also carries who is found at all: the members the
 * viewer may find, or, in a club whose member list the viewer may read, its
 * members by name whatever their listing (as its Members page shows them).
 * Text: each word must start a word of the name (scores 3), of visible
 * skills (2) or of a visible headline (1). The pass reads the index's
 * columns only and allocates nothing for a member that does not match: it
 * runs over the whole network at every view.
 */
function search(index: DirectoryIndex, viewer: Viewer, f: Filters, readableNo: Uint8Array) {
  const c = index.columns;
  const relationNo = viewer.relationNo;
  const hits: number[] = [];
  const scores: number[] = [];
  // Counted by number (skills, spaces, REGIONS + 1, PROFESSIONAL_STATUSES + 1, OPEN_TO_NAMES): arrays, not maps of strings.
  const skillCounts = new Uint32Array(index.skillKeys.length);
  const clubCounts = new Uint32Array(index.spaceIds.length);
  const regionCounts = new Uint32Array(REGIONS.length + 1);
  const statusCounts = new Uint32Array(PROFESSIONAL_STATUSES.length + 1);
  const openCounts = new Uint32Array(OPEN_TO_NAMES.length);
  const openBits = OPEN_TO_NAMES.map((name) => OPEN_TO[name]);
  const skillNo = f.skill === null ? -1 : (index.skillNo.get(f.skill) ?? -2);
  const clubNo = f.club === null ? -1 : (index.spaceNo.get(f.club) ?? -2);
  const regionNo = f.region === null ? -1 : REGIONS.indexOf(f.region) + 1;
  const statusNo = f.status === null ? -1 : PROFESSIONAL_STATUSES.indexOf(f.status) + 1;
  const openBit = f.openTo === null ? 0 : OPEN_TO[f.openTo];
  const words = f.words;
  const needles = words.map((w) => ` ${w}`);
  // Where each word's first PREFIX letters start a word, from the prefix lists: a word of exactly
  // PREFIX letters is then placed without reading any text, a longer one read only where it may be.
  const places = words.map((w) => (w.length >= PREFIX ? placesOf(index, w.slice(0, PREFIX)) : null));
  const exact = words.map((w) => w.length === PREFIX);
  // With words, only members holding a word that starts like the longest one can match.
  const longest = words.reduce((a, w) => (w.length > a.length ? w : a), "");
  const candidates = longest.length >= PREFIX ? (index.prefixes.any.get(longest.slice(0, PREFIX)) ?? EMPTY) : null;
  const count = candidates ? candidates.length : index.members.length;

  for (let i = 0; i < count; i++) {
    const pos = candidates ? candidates[i]! : i;
    const at = pos * 3 + relationNo[pos]!;
    const seen = c.seen[at]!;
    const seesSkills = (seen & SKILLS_BIT) !== 0;
    const seesHeadline = (seen & HEADLINE_BIT) !== 0;
    let score = 1;
    if (words.length > 0) {
      score = 0;
      for (let w = 0; w < words.length; w++) {
        const where = places[w] ? places[w]![pos]! : IN_NAME | IN_SKILLS | IN_HEADLINE;
        const read = !exact[w];
        const needle = needles[w]!;
        if ((where & IN_NAME) !== 0 && (!read || c.nameSearch[pos]!.includes(needle))) score += 3;
        else if (seesSkills && (where & IN_SKILLS) !== 0 && (!read || c.skillsSearch[pos]!.includes(needle))) score += 2;
        else if (seesHeadline && (where & IN_HEADLINE) !== 0 && (!read || c.headlineSearch[pos]!.includes(needle))) score += 1;
        else {
          score = 0;
          break;
        }
      }
      if (score === 0) continue;
    }

    let missed = 0;
    if (clubNo === -1 ? c.found[at] === 0 : !holds(c.spaceStart, c.spaceAt, pos, clubNo)) missed = CLUB;
    if (skillNo !== -1 && !(seesSkills && holds(c.skillStart, c.skillAt, pos, skillNo))) {
      if (missed) continue;
      missed = SKILL;
    }
    const region = (seen & REGION_BIT) !== 0 ? c.region[pos]! : 0;
    if (regionNo !== -1 && region !== regionNo) {
      if (missed) continue;
      missed = REGION;
    }
    const status = (seen & STATUS_BIT) !== 0 ? c.status[pos]! : 0;
    if (statusNo !== -1 && status !== statusNo) {
      if (missed) continue;
      missed = STATUS;
    }
    const open = (seen & OPEN_BIT) !== 0 ? c.openTo[pos]! : 0;
    if (openBit !== 0 && (open & openBit) === 0) {
      if (missed) continue;
      missed = OPEN;
    }

    if (missed === 0) {
      hits.push(pos);
      scores.push(score);
    }
    if ((missed === 0 || missed === SKILL) && seesSkills) for (let k = c.skillStart[pos]!, end = c.skillStart[pos + 1]!; k < end; k++) skillCounts[c.skillAt[k]!]!++;
    if (missed === 0 || missed === REGION) regionCounts[region]!++;
    if (missed === 0 || missed === STATUS) statusCounts[status]!++;
    if ((missed === 0 || missed === OPEN) && open !== 0) for (let k = 0; k < openBits.length; k++) if ((open & openBits[k]!) !== 0) openCounts[k]!++;
    // Each readable club the member is in, found or not otherwise: its member list shows them.
    if (missed === 0 || missed === CLUB) for (let k = c.spaceStart[pos]!, end = c.spaceStart[pos + 1]!; k < end; k++) clubCounts[c.spaceAt[k]!]! += readableNo[c.spaceAt[k]!]!;
  }
  // Index 0 of regions and statuses counts those without one, or hiding it: never offered.
  const named = <T,>(counted: Uint32Array, names: readonly T[], offset: number) => {
    const list: Array<{ value: T; count: number }> = [];
    counted.forEach((n, no) => no >= offset && n > 0 && list.push({ value: names[no - offset]!, count: n }));
    return list;
  };
  return {
    hits,
    scores,
    counts: {
      skill: named(skillCounts, index.skillKeys, 0),
      region: named(regionCounts, REGIONS, 1),
      status: named(statusCounts, PROFESSIONAL_STATUSES, 1),
      openTo: named(openCounts, OPEN_TO_NAMES, 0),
      club: named(clubCounts, index.spaces, 0).map(({ value, count }) => ({ value: value.slug, label: value.name, count })),
    },
  };
}

/**
 * One page of the directory as the viewer may see it, and its facets. With
 * `withinClub`, the club's Members page: the club is fixed (the caller
 * checked the viewer may read it) and not offered as a filter.
 */
export async function loadDirectory(db: Executor, actor: Actor, params: DirectoryParams, options: { withinClub?: ClubFacts; pageSize?: number } = {}) {
  const index = await directoryIndex(db);
  const viewer = viewerFor(index, actor);
  const clubs = options.withinClub ? [options.withinClub] : viewer.readable;
  const club = options.withinClub ?? (params.club ? clubs.find((c) => c.slug === params.club) : undefined);
  const filters: Filters = {
    words: searchable(params.q).split(" ").filter(Boolean).slice(0, MAX_WORDS),
    skill: params.skill,
    region: params.region,
    club: club?.id ?? null,
    status: params.status,
    openTo: params.open,
  };
  // Within a club its own filter is fixed: no club is counted.
  const readableNo = options.withinClub ? new Uint8Array(index.spaceIds.length) : viewer.readableNo;
  const { hits, scores, counts } = search(index, viewer, filters, readableNo);

  // Members come in name order; relevance and arrival re-sort the matches only (a stable sort: name order among equals).
  let order = hits.map((_, i) => i);
  if (params.sort === "relevance" && filters.words.length > 0) order.sort((a, b) => scores[b]! - scores[a]!);
  const createdAt = index.columns.createdAt;
  if (params.sort === "recent") order.sort((a, b) => createdAt[hits[b]!]! - createdAt[hits[a]!]!);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  order = order.slice((params.page - 1) * pageSize, params.page * pageSize);

  const skills = counts.skill
    // The chosen skill first, so its choice stays on the list whatever its count.
    .sort((a, b) => Number(b.value === filters.skill) - Number(a.value === filters.skill) || b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, TOP_SKILLS)
    .map(({ value, count }) => ({ value, label: index.skillLabel.get(value) ?? value, count }));
  return {
    params: { ...params, club: club?.slug ?? null },
    total: hits.length,
    page: params.page,
    pageCount: Math.max(1, Math.ceil(hits.length / pageSize)),
    people: order.map((i) => personCard(viewer, index.members[hits[i]!]!)),
    facets: { skills, regions: counts.region, statuses: counts.status, openTo: counts.openTo, clubs: counts.club },
  };
}

export type DirectoryView = Awaited<ReturnType<typeof loadDirectory>>;

/** The cards of these members as the viewer may see them, for lists that meet people another way (a join request). */
export async function cardsFor(db: Executor, actor: Actor, ids: readonly string[]): Promise<Map<string, PersonCard>> {
  const index = await directoryIndex(db);
  const viewer = viewerFor(index, actor);
  const cards = new Map<string, PersonCard>();
  for (const id of ids) {
    const m = index.byId.get(id);
    if (m) cards.set(id, personCard(viewer, m));
  }
  return cards;
}

/** Those of `ids` the viewer may find (canSeeProfile), for links to their profiles. */
export async function findableAmong(db: Executor, actor: Actor, ids: readonly string[]): Promise<Set<string>> {
  const index = await directoryIndex(db);
  const viewer = viewerFor(index, actor);
  return new Set(ids.filter((id) => {
    const m = index.byId.get(id);
    return m !== undefined && viewer.findable(m);
  }));
}

/**
 * Skills already used in the network that start a word with `prefix`, most
 * used first, counted only where the asker may see them: a suggestion never
 * names a skill its holders hide.
 */
export async function suggestSkills(db: Executor, actor: Actor, prefix: string, limit: number) {
  const index = await directoryIndex(db);
  const viewer = viewerFor(index, actor);
  const needle = ` ${skillKey(prefix)}`;
  const counts = new Counter<string>();
  for (const m of index.members) {
    if (!m.skills.length || !viewer.sees(m, "skills")) continue;
    for (const s of m.skills) if (` ${s.key}`.includes(needle)) counts.add(s.key);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([key, count]) => ({ label: index.skillLabel.get(key) ?? key, count }));
}
