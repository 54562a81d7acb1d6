import { rolesForUser } from "#db/queries/members.ts";
import { directoryFacets, searchDirectory, type DirectoryCard, type DirectoryFilters } from "#db/queries/people.ts";
import { openToList, type OpenTo, type Region } from "#db/profile-fields.ts";
import type { DirectoryParams } from "./params.ts";
import type { ProfessionalStatus, Space } from "#db/schema.ts";
import type { Executor } from "#db/client.ts";
import { searchable, skillKey } from "#db/text.ts";
import type { Actor } from "#app/policies/actor.ts";
import { directoryRule } from "#app/policies/profile.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { personUrl, photoUrl } from "#app/urls.ts";
import { parseSkills } from "#db/queries/users.ts";

export const PAGE_SIZE = 24;
const TOP_SKILLS = 30;
const MAX_WORDS = 6;

export interface PersonCard {
  id: string;
  name: string;
  url: string;
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

const CARD_SKILLS = 5;

/** A card from what the query let through (hidden fields are already null). */
export function personCard(row: DirectoryCard): PersonCard {
  return {
    id: row.id,
    name: row.display_name,
    url: personUrl(row.id),
    photoUrl: row.photo_id ? photoUrl(row.id, row.photo_id, "s") : null,
    headline: row.headline || null,
    region: row.region || null,
    city: row.city || null,
    status: row.professional_status,
    skills: row.skills === null ? null : parseSkills(row.skills).slice(0, CARD_SKILLS).map((label) => ({ key: skillKey(label), label })),
    openTo: row.open_to === null ? null : openToList(row.open_to),
    availableFrom: row.available_from,
  };
}

type ClubFacts = Pick<Space, "id" | "slug" | "name" | "kind" | "visibility" | "join_policy" | "archived_at">;

/**
 * The clubs whose member list the viewer may read (canReadSpace): those the
 * club filter offers, and the only ones it accepts.
 */
async function readableClubs(db: Executor, actor: Actor): Promise<ClubFacts[]> {
  const [spaces, roles] = await Promise.all([
    db.selectFrom("space").select(["id", "slug", "name", "kind", "visibility", "join_policy", "archived_at"]).orderBy("name").execute(),
    rolesForUser(db, actor.id),
  ]);
  return spaces.filter((s) => canReadSpace(actor, roles.has(s.id) ? { role: roles.get(s.id)! } : null, s));
}

export interface Facet<V extends string> {
  value: V;
  label?: string;
  count: number;
}

/**
 * One page of the directory as the viewer may see it, and its facets. With
 * `withinClub`, the club's Members page: the club is fixed (the caller
 * checked the viewer may read it) and not offered as a filter.
 */
export async function loadDirectory(db: Executor, actor: Actor, params: DirectoryParams, options: { withinClub?: ClubFacts; pageSize?: number } = {}) {
  const rule = directoryRule(actor);
  const clubs = options.withinClub ? [options.withinClub] : await readableClubs(db, actor);
  const club = options.withinClub ?? (params.club ? clubs.find((c) => c.slug === params.club) : undefined);
  const filters: DirectoryFilters = {
    words: searchable(params.q).split(" ").filter(Boolean).slice(0, MAX_WORDS),
    skill: params.skill,
    region: params.region,
    club: club?.id ?? null,
    status: params.status,
    openTo: params.open,
  };
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const { total, cards } = await searchDirectory(db, rule, filters, { sort: params.sort, offset: (params.page - 1) * pageSize, limit: pageSize });
  const facets = await directoryFacets(db, rule, filters, options.withinClub ? [] : clubs.map((c) => c.id), TOP_SKILLS);
  const clubName = new Map(clubs.map((c) => [c.id, c]));
  return {
    params: { ...params, club: club?.slug ?? null },
    total,
    page: params.page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    people: cards.map(personCard),
    facets: {
      skills: facets.skills.map((s) => ({ value: s.key, label: s.label, count: s.count })),
      regions: facets.regions,
      statuses: facets.statuses,
      openTo: facets.openTo,
      clubs: facets.clubs
        .map((c) => ({ value: clubName.get(c.value)!.slug, label: clubName.get(c.value)!.name, count: c.count }))
        .sort((a, b) => a.label.localeCompare(b.label, "fr")),
    },
  };
}

export type DirectoryView = Awaited<ReturnType<typeof loadDirectory>>;
