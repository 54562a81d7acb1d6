import type { Executor } from "#db/client.ts";
import { directoryVersion, loadDirectoryData } from "#db/queries/people.ts";
import { PROFILE_FIELDS, type Audience, type Listing, type ProfileField, type Region } from "#db/profile-fields.ts";
import type { ProfessionalStatus, Role, Space } from "#db/schema.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canSeeField, canSeeProfile, type Relation } from "#app/policies/profile.ts";
import { canReadSpace } from "#app/policies/space.ts";

/**
 * The directory, in memory. Each server process keeps the few columns the
 * directory needs of every member, their memberships and skills, and reads
 * them again when the database's directory version (raised by triggers with
 * every change they hold, migrations 20261205_0100 and _1000) has moved:
 * one small query per view. Filtering, counting and trimming then run over plain
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
  /** The member's role in each of `spaces`, in the same order. */
  roles: Role[];
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

/** What the directory needs to know of a space: its name and who may read its member list. */
export type ClubFacts = Pick<Space, "id" | "slug" | "name" | "kind" | "visibility" | "join_policy" | "archived_at">;

export interface DirectoryIndex {
  version: number;
  /** By name (the searchable form), then id: the "name" order of the directory. */
  members: Member[];
  byId: Map<string, Member>;
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
      roles: [],
      seenBy: { self: seenBy("self", u.listing, vis), club: seenBy("club", u.listing, vis), network: seenBy("network", u.listing, vis) },
      foundBy: { self: canSeeProfile("self", u.listing), club: canSeeProfile("club", u.listing), network: canSeeProfile("network", u.listing) },
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
  return { version, members, byId, skillLabel, prefixes, skillKeys, skillNo, spaceIds, spaceNo, spaces, membersOfNo, viewers: new Map() };
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
  /** By member position: 1 for those sharing a space with the viewer. */
  private readonly peer: Uint8Array;
  private readonly self: number;
  /** The spaces whose member list the viewer may read, in the index's order. */
  readonly readable: ClubFacts[];
  /** By space number: 1 where the viewer may read the member list. */
  readonly readableNo: Uint8Array;
  constructor(index: DirectoryIndex, actor: Actor) {
    this.peer = new Uint8Array(index.members.length);
    const me = index.byId.get(actor.id);
    for (const no of me?.spaceNos ?? []) for (const pos of index.membersOfNo[no]!) this.peer[pos] = 1;
    this.self = me?.pos ?? -1;
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
