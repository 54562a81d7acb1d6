import type { Executor } from "#db/client.ts";
import { directoryVersion, loadDirectoryData } from "#db/queries/people.ts";
import { PROFILE_FIELDS, type Audience, type Listing, type ProfileField, type Region } from "#db/profile-fields.ts";
import type { ProfessionalStatus } from "#db/schema.ts";
import { canSeeField, canSeeProfile, type Relation } from "#app/policies/profile.ts";

/**
 * The directory, in memory. Each server process keeps the few columns the
 * directory needs of every member, their memberships and skills, and reads
 * them again when the database's directory version (raised by triggers with
 * every change they hold, migration 20261205_0100) has moved: one small
 * query per view. Filtering, counting and trimming then run over plain
 * objects with the policy's own functions (canSeeProfile, canSeeField) —
 * no second copy of the rule in SQL — in one pass: 10,000 members filter,
 * count and page in about a millisecond, where the same in SQL, each filter
 * and each count asking who shares a club with the viewer, took a second.
 */

export interface Member {
  /** Its place in DirectoryIndex.members. */
  pos: number;
  id: string;
  name: string;
  /** searchable() forms: folded words with a leading space. */
  nameSearch: string;
  headline: string;
  headlineSearch: string;
  skillsSearch: string;
  /** The three, end to end: a word found nowhere here is found nowhere (the quick first test). */
  anySearch: string;
  skills: Array<{ key: string; label: string }>;
  /** The skills' and spaces' numbers in the index (skillKeys, spaceIds): counting by number is counting in an array. */
  skillNos: number[];
  photoId: string | null;
  region: Region | "";
  city: string;
  status: ProfessionalStatus | null;
  openTo: number;
  availableFrom: string | null;
  listing: Listing;
  vis: Record<ProfileField, Audience>;
  createdAt: number;
  spaces: string[];
  spaceNos: number[];
  /**
   * The fields each relation may see, as bits of FIELD_BIT, computed with
   * canSeeField when the index is built: a view then
   * tests bits instead of asking the policy ten thousand times.
   */
  seenBy: Record<Relation, number>;
  /** canSeeProfile for each relation. */
  foundBy: Record<Relation, boolean>;
}

/** One bit per profile field, for Member.seenBy. */
export const FIELD_BIT = Object.fromEntries(Object.keys(PROFILE_FIELDS).map((f, i) => [f, 1 << i])) as Record<ProfileField, number>;

/** Words shorter than this are looked for by a scan; longer ones start from the members holding their first letters. */
export const PREFIX = 3;

export interface DirectoryIndex {
  version: number;
  /** By name (the searchable form), then id: the "name" order of the directory. */
  members: Member[];
  byId: Map<string, Member>;
  membersOf: Map<string, string[]>;
  /** A skill's spelling in lists and counts: the one most members use. */
  skillLabel: Map<string, string>;
  skillKeys: string[];
  skillNo: Map<string, number>;
  spaceIds: string[];
  spaceNo: Map<string, number>;
  /** The first PREFIX letters of every word of a member's name, headline and skills → positions in `members`, ascending. */
  prefixes: Map<string, number[]>;
}

function seenBy(relation: Relation, listing: Listing, vis: Record<ProfileField, Audience>): number {
  let bits = 0;
  for (const field of Object.keys(vis) as ProfileField[]) if (canSeeField(relation, listing, vis[field])) bits |= FIELD_BIT[field];
  return bits;
}

function build(version: number, data: Awaited<ReturnType<typeof loadDirectoryData>>): DirectoryIndex {
  const byId = new Map<string, Member>();
  const members = data.members.map((u, pos) => {
    const vis = {} as Record<ProfileField, Audience>;
    for (const [field, { column }] of Object.entries(PROFILE_FIELDS)) vis[field as ProfileField] = u[column];
    const m: Member = {
      pos,
      id: u.id,
      name: u.display_name,
      nameSearch: u.name_search,
      headline: u.headline,
      headlineSearch: u.headline_search,
      skillsSearch: u.skills_search,
      anySearch: u.name_search + u.headline_search + u.skills_search,
      skills: [],
      skillNos: [],
      photoId: u.photo_id,
      region: u.region,
      city: u.city,
      status: u.professional_status,
      openTo: u.open_to,
      availableFrom: u.available_from,
      listing: u.listing,
      vis,
      createdAt: u.created_at,
      spaces: [],
      spaceNos: [],
      seenBy: { self: seenBy("self", u.listing, vis), club: seenBy("club", u.listing, vis), network: seenBy("network", u.listing, vis) },
      foundBy: { self: canSeeProfile("self", u.listing), club: canSeeProfile("club", u.listing), network: canSeeProfile("network", u.listing) },
    };
    byId.set(m.id, m);
    return m;
  });
  const membersOf = new Map<string, string[]>();
  const spaceIds: string[] = [];
  const spaceNo = new Map<string, number>();
  for (const { space_id, user_id } of data.memberships) {
    let no = spaceNo.get(space_id);
    if (no === undefined) spaceNo.set(space_id, (no = spaceIds.push(space_id) - 1));
    const member = byId.get(user_id);
    member?.spaces.push(space_id);
    member?.spaceNos.push(no);
    const list = membersOf.get(space_id);
    if (list) list.push(user_id);
    else membersOf.set(space_id, [user_id]);
  }
  const spellings = new Map<string, Map<string, number>>();
  const skillKeys: string[] = [];
  const skillNo = new Map<string, number>();
  for (const { user_id, skill_key, label } of data.skills) {
    let no = skillNo.get(skill_key);
    if (no === undefined) skillNo.set(skill_key, (no = skillKeys.push(skill_key) - 1));
    const m = byId.get(user_id);
    m?.skills.push({ key: skill_key, label });
    m?.skillNos.push(no);
    const counts = spellings.get(skill_key) ?? new Map<string, number>();
    counts.set(label, (counts.get(label) ?? 0) + 1);
    spellings.set(skill_key, counts);
  }
  const skillLabel = new Map<string, string>();
  for (const [key, counts] of spellings) skillLabel.set(key, [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "fr"))[0]![0]);
  const prefixes = new Map<string, number[]>();
  members.forEach((m, position) => {
    for (const word of new Set(m.anySearch.split(" "))) {
      if (word.length < PREFIX) continue;
      const prefix = word.slice(0, PREFIX);
      const list = prefixes.get(prefix);
      if (!list) prefixes.set(prefix, [position]);
      else if (list[list.length - 1] !== position) list.push(position);
    }
  });
  return { version, members, byId, membersOf, skillLabel, prefixes, skillKeys, skillNo, spaceIds, spaceNo };
}

let current: DirectoryIndex | null = null;
let loading: Promise<DirectoryIndex> | null = null;

/** The index as of the database's current directory version. */
export async function directoryIndex(db: Executor): Promise<DirectoryIndex> {
  const version = await directoryVersion(db);
  if (current && current.version === version) return current;
  // One reload at a time; the version is read before the rows, so a change
  // landing between them only makes the next view read them again.
  loading ??= loadDirectoryData(db)
    .then((data) => (current = build(version, data)))
    .finally(() => (loading = null));
  return loading;
}

/**
 * How a viewer stands to every member: the members sharing a space with
 * them, from the index's memberships.
 */
export class Viewer {
  /** By member position: 1 for those sharing a space with the viewer. */
  private readonly peer: Uint8Array;
  private readonly self: number;
  constructor(index: DirectoryIndex, id: string) {
    this.peer = new Uint8Array(index.members.length);
    for (const space of index.byId.get(id)?.spaces ?? []) for (const member of index.membersOf.get(space) ?? []) this.peer[index.byId.get(member)!.pos] = 1;
    this.self = index.byId.get(id)?.pos ?? -1;
  }
  relation(m: Member): Relation {
    return m.pos === this.self ? "self" : this.peer[m.pos] === 1 ? "club" : "network";
  }
  /** The fields this viewer may see of the member, as bits of FIELD_BIT. */
  seen(m: Member): number {
    return m.seenBy[this.relation(m)];
  }
  findable(m: Member): boolean {
    return m.foundBy[this.relation(m)];
  }
  sees(m: Member, field: ProfileField): boolean {
    return (this.seen(m) & FIELD_BIT[field]) !== 0;
  }
}
