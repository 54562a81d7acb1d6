import type { Executor } from "#db/client.ts";
import { directoryVersion, loadDirectoryData } from "#db/queries/people.ts";
import { PROFILE_FIELDS, REGIONS, type Audience, type Listing, type ProfileField, type Region } from "#db/profile-fields.ts";
import { PROFESSIONAL_STATUSES, type ProfessionalStatus, type Role, type Space } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canSeeField, canSeeProfile, listingShown, type Relation } from "#app/policies/profile.ts";
import { canReadSpace } from "#app/policies/space.ts";

/**
 * The directory, in memory. Each server process keeps the few columns the
 * directory needs of every member, their memberships and skills, and reads
 * them again when the database's directory version (raised by triggers with
 * every change they hold, migrations 20261205_0100 and _1000) has moved:
 * one small query per view. Filtering, counting and trimming then run in
 * one pass over typed columns, with what each relation may see computed by
 * the policy's own functions (canSeeProfile, canSeeField) when the index is
 * built — no second copy of the rule in SQL: 10,000 members filter, count
 * and page in a fraction of a millisecond, where the same in SQL, each
 * filter and each count asking who shares a club with the viewer, took a
 * second.
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
  /** The member's role in each of `spaces`, in the same order. */
  roles: Role[];
}

/** One bit per profile field, for Member.seenBy. */
export const FIELD_BIT = Object.fromEntries(Object.keys(PROFILE_FIELDS).map((f, i) => [f, 1 << i])) as Record<ProfileField, number>;

/** Words shorter than this are looked for by a scan; longer ones start from the members holding their first letters. */
export const PREFIX = 3;

/** What the directory needs to know of a space: its name and who may read its member list. */
export type ClubFacts = Pick<Space, "id" | "slug" | "name" | "kind" | "visibility" | "join_policy" | "archived_at">;

/** Relations as numbers, for the columns: RELATIONS[n] is relation number n. */
export const RELATIONS = ["network", "club", "self"] as const satisfies readonly Relation[];
const RELATION_NO = { network: 0, club: 1, self: 2 } as const satisfies Record<Relation, number>;

/**
 * What a search reads of every member, by position, in typed arrays and
 * flat lists rather than in the member objects: a view runs over thousands
 * of members, and reading a few compact arrays is several times faster than
 * visiting as many objects scattered through the heap (README, decision 86).
 */
export interface Columns {
  /**
   * The FIELD_BIT fields each relation may see, at pos * 3 + relation number:
   * computed with canSeeField when the index is built, so a view tests bits
   * instead of asking the policy ten thousand times.
   */
  seen: Uint32Array;
  /** canSeeProfile, 1 or 0, at pos * 3 + relation number. */
  found: Uint8Array;
  /** REGIONS index + 1; 0 for none. */
  region: Uint8Array;
  /** PROFESSIONAL_STATUSES index + 1; 0 for none. */
  status: Uint8Array;
  /** OPEN_TO bits. */
  openTo: Uint8Array;
  createdAt: Float64Array;
  /** Member pos's skill numbers are skillAt[skillStart[pos]] up to (not including) skillAt[skillStart[pos + 1]]. */
  skillStart: Int32Array;
  skillAt: Int32Array;
  /** Its space numbers, the same way. */
  spaceStart: Int32Array;
  spaceAt: Int32Array;
  nameSearch: string[];
  headlineSearch: string[];
  skillsSearch: string[];
}

/** Where a word is: bits of what `prefixes` tells per field. */
export const IN_NAME = 1;
export const IN_SKILLS = 2;
export const IN_HEADLINE = 4;

export interface DirectoryIndex {
  version: number;
  /** By name (the searchable form), then id: the "name" order of the directory. */
  members: Member[];
  byId: Map<string, Member>;
  columns: Columns;
  /** A skill's spelling in lists and counts: the one most members use. */
  skillLabel: Map<string, string>;
  skillKeys: string[];
  skillNo: Map<string, number>;
  spaceIds: string[];
  spaceNo: Map<string, number>;
  /** Every space, in the directory's order for them (by name, as a French reader sorts). */
  spaces: ClubFacts[];
  /** Positions in `members` of each space's members, by space number. */
  membersOfNo: Int32Array[];
  /** The last viewers' standings (viewerFor), built once per index version. */
  viewers: Map<string, Viewer>;
  /**
   * The first PREFIX letters of every word of a member's name, headline and
   * skills → positions in `members`, ascending: over the three (`any`), and
   * field by field, so that a word of exactly PREFIX letters is placed
   * without reading any text.
   */
  prefixes: { any: Map<string, Int32Array>; name: Map<string, Int32Array>; skills: Map<string, Int32Array>; headline: Map<string, Int32Array> };
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
      skills: [],
      skillNos: [],
      photoId: u.photo_id,
      region: u.region,
      city: u.city,
      status: u.professional_status,
      openTo: u.open_to,
      availableFrom: u.available_from,
      listing: listingShown(u),
      vis,
      createdAt: u.created_at,
      spaces: [],
      spaceNos: [],
      roles: [],
    };
    byId.set(m.id, m);
    return m;
  });
  const spaceIds: string[] = [];
  const spaceNo = new Map<string, number>();
  const collator = new Intl.Collator("fr");
  const spaces = [...data.spaces].sort((a, b) => collator.compare(a.name, b.name));
  for (const space of spaces) spaceNo.set(space.id, spaceIds.push(space.id) - 1);
  const membersOfList: number[][] = spaceIds.map(() => []);
  for (const { space_id, user_id, role } of data.memberships) {
    const no = spaceNo.get(space_id);
    const member = byId.get(user_id);
    // A membership row always has its space and user (foreign keys); the guard is for the type.
    if (no === undefined || !member) continue;
    member.spaces.push(space_id);
    member.spaceNos.push(no);
    member.roles.push(role);
    membersOfList[no]!.push(member.pos);
  }
  const membersOfNo = membersOfList.map((list) => Int32Array.from(list));
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
  return { version, members, byId, columns: columnsOf(members), skillLabel, prefixes: prefixesOf(members), skillKeys, skillNo, spaceIds, spaceNo, spaces, membersOfNo, viewers: new Map() };
}

function columnsOf(members: Member[]): Columns {
  const n = members.length;
  const flat = (lists: number[][]) => {
    const start = new Int32Array(n + 1);
    lists.forEach((list, pos) => (start[pos + 1] = start[pos]! + list.length));
    return { start, at: Int32Array.from(lists.flat()) };
  };
  const skills = flat(members.map((m) => m.skillNos));
  const spaces = flat(members.map((m) => m.spaceNos));
  const c: Columns = {
    seen: new Uint32Array(n * 3),
    found: new Uint8Array(n * 3),
    region: Uint8Array.from(members, (m) => (m.region ? REGIONS.indexOf(m.region) + 1 : 0)),
    status: Uint8Array.from(members, (m) => (m.status ? PROFESSIONAL_STATUSES.indexOf(m.status) + 1 : 0)),
    openTo: Uint8Array.from(members, (m) => m.openTo),
    createdAt: Float64Array.from(members, (m) => m.createdAt),
    skillStart: skills.start,
    skillAt: skills.at,
    spaceStart: spaces.start,
    spaceAt: spaces.at,
    nameSearch: members.map((m) => m.nameSearch),
    headlineSearch: members.map((m) => m.headlineSearch),
    skillsSearch: members.map((m) => m.skillsSearch),
  };
  members.forEach((m, pos) => {
    for (const relation of RELATIONS) {
      c.seen[pos * 3 + RELATION_NO[relation]] = seenBy(relation, m.listing, m.vis);
      c.found[pos * 3 + RELATION_NO[relation]] = canSeeProfile(relation, m.listing) ? 1 : 0;
    }
  });
  return c;
}

function prefixesOf(members: Member[]): DirectoryIndex["prefixes"] {
  const lists = { any: new Map<string, number[]>(), name: new Map<string, number[]>(), skills: new Map<string, number[]>(), headline: new Map<string, number[]>() };
  const add = (map: Map<string, number[]>, prefix: string, pos: number) => {
    const list = map.get(prefix);
    if (!list) map.set(prefix, [pos]);
    else if (list[list.length - 1] !== pos) list.push(pos);
  };
  members.forEach((m, pos) => {
    for (const [field, text] of [["name", m.nameSearch], ["headline", m.headlineSearch], ["skills", m.skillsSearch]] as const) {
      for (const word of text.split(" ")) {
        if (word.length < PREFIX) continue;
        add(lists[field], word.slice(0, PREFIX), pos);
        add(lists.any, word.slice(0, PREFIX), pos);
      }
    }
  });
  const typed = (map: Map<string, number[]>) => new Map([...map].map(([prefix, list]) => [prefix, Int32Array.from(list)]));
  return { any: typed(lists.any), name: typed(lists.name), skills: typed(lists.skills), headline: typed(lists.headline) };
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

/** Viewers whose standing each index keeps: a member paging or refining a search is met again. */
const VIEWERS_KEPT = 200;

/**
 * How this actor stands to every member and space of the index, kept with
 * the index (it is a function of the index and the actor alone): built at a
 * member's first directory view after each change, in a tenth of a
 * millisecond with 10,000 members, then read back.
 */
export function viewerFor(index: DirectoryIndex, actor: Actor): Viewer {
  const key = `${actor.id}:${actor.isNetworkAdmin ? 1 : 0}`;
  let viewer = index.viewers.get(key);
  if (viewer) {
    // Most recently used last: the map's first key is the one to forget.
    index.viewers.delete(key);
  } else {
    viewer = new Viewer(index, actor);
    if (index.viewers.size >= VIEWERS_KEPT) index.viewers.delete(index.viewers.keys().next().value!);
  }
  index.viewers.set(key, viewer);
  return viewer;
}

/**
 * How a viewer stands to every member (the members sharing a space with
 * them, from the index's memberships) and to every space (whose member list
 * they may read: canReadSpace, with their role from the index).
 */
export class Viewer {
  /** By member position, the viewer's relation to them as its number in RELATIONS. */
  readonly relationNo: Uint8Array;
  /** The spaces whose member list the viewer may read, in the index's order. */
  readonly readable: ClubFacts[];
  /** By space number: 1 where the viewer may read the member list. */
  readonly readableNo: Uint8Array;
  private readonly columns: Columns;
  constructor(index: DirectoryIndex, actor: Actor) {
    this.columns = index.columns;
    this.relationNo = new Uint8Array(index.members.length);
    const me = index.byId.get(actor.id);
    for (const no of me?.spaceNos ?? []) for (const pos of index.membersOfNo[no]!) this.relationNo[pos] = RELATION_NO.club;
    if (me) this.relationNo[me.pos] = RELATION_NO.self;
    const roles = new Map<string, Role>();
    me?.spaces.forEach((id, i) => roles.set(id, me.roles[i]!));
    this.readableNo = new Uint8Array(index.spaceIds.length);
    this.readable = [];
    index.spaces.forEach((space, no) => {
      const role = roles.get(space.id);
      if (!canReadSpace(actor, role ? { role } : null, space)) return;
      this.readable.push(space);
      this.readableNo[no] = 1;
    });
  }
  relation(m: Member): Relation {
    return RELATIONS[this.relationNo[m.pos]!]!;
  }
  /** The fields this viewer may see of the member, as bits of FIELD_BIT. */
  seen(m: Member): number {
    return this.columns.seen[m.pos * 3 + this.relationNo[m.pos]!]!;
  }
  findable(m: Member): boolean {
    return this.columns.found[m.pos * 3 + this.relationNo[m.pos]!] === 1;
  }
  sees(m: Member, field: ProfileField): boolean {
    return (this.seen(m) & FIELD_BIT[field]) !== 0;
  }
}
