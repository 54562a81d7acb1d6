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
  id: string;
  name: string;
  /** searchable() forms: folded words with a leading space. */
  nameSearch: string;
  headline: string;
  headlineSearch: string;
  skillsSearch: string;
  skills: Array<{ key: string; label: string }>;
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
}

export interface DirectoryIndex {
  version: number;
  /** By name (the searchable form), then id: the "name" order of the directory. */
  members: Member[];
  byId: Map<string, Member>;
  membersOf: Map<string, string[]>;
  /** A skill's spelling in lists and counts: the one most members use. */
  skillLabel: Map<string, string>;
}

function build(version: number, data: Awaited<ReturnType<typeof loadDirectoryData>>): DirectoryIndex {
  const byId = new Map<string, Member>();
  const members = data.members.map((u) => {
    const vis = {} as Record<ProfileField, Audience>;
    for (const [field, { column }] of Object.entries(PROFILE_FIELDS)) vis[field as ProfileField] = u[column];
    const m: Member = {
      id: u.id,
      name: u.display_name,
      nameSearch: u.name_search,
      headline: u.headline,
      headlineSearch: u.headline_search,
      skillsSearch: u.skills_search,
      skills: [],
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
    };
    byId.set(m.id, m);
    return m;
  });
  const membersOf = new Map<string, string[]>();
  for (const { space_id, user_id } of data.memberships) {
    byId.get(user_id)?.spaces.push(space_id);
    const list = membersOf.get(space_id);
    if (list) list.push(user_id);
    else membersOf.set(space_id, [user_id]);
  }
  const spellings = new Map<string, Map<string, number>>();
  for (const { user_id, skill_key, label } of data.skills) {
    byId.get(user_id)?.skills.push({ key: skill_key, label });
    const counts = spellings.get(skill_key) ?? new Map<string, number>();
    counts.set(label, (counts.get(label) ?? 0) + 1);
    spellings.set(skill_key, counts);
  }
  const skillLabel = new Map<string, string>();
  for (const [key, counts] of spellings) skillLabel.set(key, [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "fr"))[0]![0]);
  return { version, members, byId, membersOf, skillLabel };
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
  readonly peers = new Set<string>();
  constructor(
    private readonly index: DirectoryIndex,
    readonly id: string,
  ) {
    for (const space of index.byId.get(id)?.spaces ?? []) for (const member of index.membersOf.get(space) ?? []) this.peers.add(member);
  }
  relation(m: Member): Relation {
    return m.id === this.id ? "self" : this.peers.has(m.id) ? "club" : "network";
  }
  findable(m: Member): boolean {
    return canSeeProfile(this.relation(m), m.listing);
  }
  sees(m: Member, field: ProfileField): boolean {
    return canSeeField(this.relation(m), m.listing, m.vis[field]);
  }
}
