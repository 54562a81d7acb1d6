import type { Executor } from "#db/client.ts";
import { OPEN_TO, OPEN_TO_NAMES, openToList, type OpenTo, type Region } from "#db/profile-fields.ts";
import type { ProfessionalStatus } from "#db/schema.ts";
import { searchable, skillKey } from "#db/text.ts";
import type { Actor } from "#app/policies/actor.ts";
import { personUrl, photoUrl } from "#app/urls.ts";
import { directoryIndex, FIELD_BIT, PREFIX, viewerFor, type ClubFacts, type DirectoryIndex, type Member, type Viewer } from "./directory-index.server.ts";
import type { DirectoryParams } from "./params.ts";

export const PAGE_SIZE = 24;
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

/** Each word must start a word of the name, of a visible headline or of visible skills; the score says where (0: no match). */
function textScore(m: Member, words: string[], seesSkills: boolean, seesHeadline: boolean): number {
  let score = 0;
  for (const word of words) {
    const needle = ` ${word}`;
    if (m.nameSearch.includes(needle)) score += 3;
    else if (seesSkills && m.skillsSearch.includes(needle)) score += 2;
    else if (seesHeadline && m.headlineSearch.includes(needle)) score += 1;
    else return 0;
  }
  return score;
}

class Counter<K> extends Map<K, number> {
  add(key: K) {
    this.set(key, (this.get(key) ?? 0) + 1);
  }
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
 * Nothing is allocated for a member that does not match: it runs over the
 * whole network at every view.
 */
function search(index: DirectoryIndex, viewer: Viewer, f: Filters, readableNo: Uint8Array) {
  const results: Array<{ m: Member; score: number }> = [];
  // Skills and spaces are counted by their number in the index: an array, not a map of strings.
  const skillCounts = new Uint32Array(index.skillKeys.length);
  const clubCounts = new Uint32Array(index.spaceIds.length);
  const skillNo = f.skill === null ? -1 : (index.skillNo.get(f.skill) ?? -2);
  const clubNo = f.club === null ? -1 : (index.spaceNo.get(f.club) ?? -2);
  const counts = { region: new Counter<Region>(), status: new Counter<ProfessionalStatus>(), openTo: new Counter<OpenTo>() };
  const needles = f.words.map((w) => ` ${w}`);
  const openBit = f.openTo === null ? 0 : OPEN_TO[f.openTo];
  // With words, only members holding a word that starts like the longest one can match.
  const longest = f.words.reduce((a, w) => (w.length > a.length ? w : a), "");
  const candidates = longest.length >= PREFIX ? (index.prefixes.get(longest.slice(0, PREFIX)) ?? []).map((i) => index.members[i]!) : index.members;
  // A word no longer than the prefix is matched by the candidates' very list.
  const toCheck = longest.length > PREFIX || longest.length < PREFIX ? needles : needles.filter((n) => n !== ` ${longest}`);
  members: for (const m of candidates) {
    for (const needle of toCheck) if (!m.anySearch.includes(needle)) continue members;
    const rel = viewer.relation(m);
    const seen = m.seenBy[rel];
    const seesSkills = (seen & FIELD_BIT.skills) !== 0;
    const score = needles.length === 0 ? 1 : textScore(m, f.words, seesSkills, (seen & FIELD_BIT.headline) !== 0);
    if (score === 0) continue;

    let missed = 0;
    if (clubNo === -1 ? !m.foundBy[rel] : !m.spaceNos.includes(clubNo)) missed = CLUB;
    if (skillNo !== -1 && !(seesSkills && m.skillNos.includes(skillNo))) {
      if (missed) continue;
      missed = SKILL;
    }
    const seesRegion = (seen & FIELD_BIT.region) !== 0;
    if (f.region !== null && !(seesRegion && m.region === f.region)) {
      if (missed) continue;
      missed = REGION;
    }
    const seesStatus = (seen & FIELD_BIT.status) !== 0;
    if (f.status !== null && !(seesStatus && m.status === f.status)) {
      if (missed) continue;
      missed = STATUS;
    }
    const seesOpen = (seen & FIELD_BIT.openTo) !== 0;
    if (openBit !== 0 && !(seesOpen && (m.openTo & openBit) !== 0)) {
      if (missed) continue;
      missed = OPEN;
    }

    if (missed === 0) results.push({ m, score });
    if ((missed === 0 || missed === SKILL) && seesSkills) for (const no of m.skillNos) skillCounts[no]!++;
    if ((missed === 0 || missed === REGION) && seesRegion && m.region) counts.region.add(m.region);
    if ((missed === 0 || missed === STATUS) && seesStatus && m.status) counts.status.add(m.status);
    if ((missed === 0 || missed === OPEN) && seesOpen && m.openTo !== 0) for (const name of OPEN_TO_NAMES) if ((m.openTo & OPEN_TO[name]) !== 0) counts.openTo.add(name);
    // Each readable club the member is in, found or not otherwise: its member list shows them.
    if (missed === 0 || missed === CLUB) for (const no of m.spaceNos) clubCounts[no]! += readableNo[no]!;
  }
  const byNumber = (counted: Uint32Array, names: string[]) => {
    const map = new Map<string, number>();
    counted.forEach((count, no) => count > 0 && map.set(names[no]!, count));
    return map;
  };
  const club: Array<{ no: number; count: number }> = [];
  clubCounts.forEach((count, no) => count > 0 && club.push({ no, count }));
  return { results, counts: { ...counts, skill: byNumber(skillCounts, index.skillKeys), club } };
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
  const { results, counts } = search(index, viewer, filters, readableNo);

  // Members come in name order; relevance and arrival re-sort the matches only.
  if (params.sort === "relevance" && filters.words.length > 0) results.sort((a, b) => b.score - a.score);
  if (params.sort === "recent") results.sort((a, b) => b.m.createdAt - a.m.createdAt);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const page = results.slice((params.page - 1) * pageSize, params.page * pageSize);

  const byCount = <K extends string>(counter: Map<K, number>) => [...counter].map(([value, count]) => ({ value, count }));
  const skills = [...counts.skill]
    // The chosen skill first, so its choice stays on the list whatever its count.
    .sort((a, b) => Number(b[0] === filters.skill) - Number(a[0] === filters.skill) || b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_SKILLS)
    .map(([key, count]) => ({ value: key, label: index.skillLabel.get(key) ?? key, count }));
  return {
    params: { ...params, club: club?.slug ?? null },
    total: results.length,
    page: params.page,
    pageCount: Math.max(1, Math.ceil(results.length / pageSize)),
    people: page.map(({ m }) => personCard(viewer, m)),
    facets: {
      skills,
      regions: byCount(counts.region),
      statuses: byCount(counts.status),
      openTo: OPEN_TO_NAMES.filter((o) => counts.openTo.has(o)).map((o) => ({ value: o, count: counts.openTo.get(o)! })),
      // Counted by space number, and the index numbers spaces in name order.
      clubs: counts.club.map(({ no, count }) => ({ value: index.spaces[no]!.slug, label: index.spaces[no]!.name, count })),
    },
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
