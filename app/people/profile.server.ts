import { helpedCount } from "#db/queries/asks.ts";
import type { Executor } from "#db/client.ts";
import { rolesForUser } from "#db/queries/members.ts";
import { coopted, findMember, shareASpace, spacesInCommon } from "#db/queries/people.ts";
import { findableAmong } from "./directory.server.ts";
import { parseSkills } from "#db/queries/users.ts";
import { LANGUAGES, openToList, PROFILE_FIELDS, SECTORS, type Language, type ProfileField, type Sector } from "#db/profile-fields.ts";
import type { Role, User } from "#db/schema.ts";
import { skillKey } from "#db/text.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canReadNetworkPost, canReadPost } from "#app/policies/post.ts";
import { canSeeField, canSeeProfile, listingShown, PREVIEW_RELATIONS, relationOf, type Relation } from "#app/policies/profile.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { personUrl, photoUrl, postUrl, spaceUrl, workshopUrl } from "#app/urls.ts";

const SHOWN = 5;
const CANDIDATES = 40;

const listOf = <T extends string>(json: string, allowed: readonly T[]): T[] => {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is T => allowed.includes(v as T)) : [];
  } catch {
    return [];
  }
};

/**
 * A member's profile as a viewer in this relation sees it: every field the
 * policy does not let through is null, here, before anything leaves the
 * server. The preview ("see my profile as…") is this very function with
 * another relation.
 */
export function visibleProfile(member: User, relation: Relation) {
  const shows = (field: ProfileField) => canSeeField(relation, listingShown(member), member[PROFILE_FIELDS[field].column]);
  const when = <T>(field: ProfileField, value: T): T | null => (shows(field) ? value : null);
  return {
    id: member.id,
    name: member.display_name,
    photoUrl: when("photo", member.photo_id ? photoUrl(member.id, member.photo_id, "l") : null),
    headline: when("headline", member.headline || null),
    bioHtml: when("bio", member.bio_html || null),
    skills: when("skills", parseSkills(member.skills).map((label) => ({ key: skillKey(label), label }))),
    sectors: when("sectors", listOf<Sector>(member.sectors, SECTORS)),
    region: when("region", member.region || null),
    city: when("city", member.city || null),
    status: when("status", member.professional_status),
    languages: when("languages", listOf<Language>(member.languages, LANGUAGES)),
    website: when("links", member.website || null),
    linkedin: when("links", member.linkedin || null),
    openTo: when("openTo", openToList(member.open_to)),
    availableFrom: when("openTo", member.available_from),
    email: when("email", member.email),
    joinedAt: member.created_at,
  };
}

export type VisibleProfile = ReturnType<typeof visibleProfile>;

/** "See my profile as…": only on one's own profile; anything else is no preview. */
export function previewRelation(value: string | null): Exclude<Relation, "self"> | null {
  return PREVIEW_RELATIONS.find((r) => r === value) ?? null;
}

/**
 * The profile page: null when the viewer may not find this member (the page
 * answers 404, as for a member who does not exist). Around the fields: the
 * clubs in common, who co-opted them and whom they co-opted (only people the
 * viewer may find), the articles they published and the workshops they
 * facilitated that the viewer may read.
 */
/** The member, and the viewer's relation to them, when the viewer may find them (canSeeProfile); null otherwise. */
export async function findableMember(db: Executor, actor: Actor, memberId: string) {
  const member = await findMember(db, memberId);
  if (!member) return null;
  const relation = relationOf(actor, member.id, member.id !== actor.id && (await shareASpace(db, actor.id, member.id)));
  return canSeeProfile(relation, listingShown(member)) ? { member, relation } : null;
}

export async function loadProfile(db: Executor, actor: Actor, memberId: string, as: Exclude<Relation, "self"> | null) {
  const found = await findableMember(db, actor, memberId);
  if (!found) return null;
  const { member, relation } = found;

  const preview = relation === "self" ? as : null;
  const shownAs: Relation = preview ?? relation;
  const base = { relation, preview, previewHidden: preview !== null && !canSeeProfile(preview, listingShown(member)) };
  const profile = visibleProfile(member, shownAs);
  // A preview shows the fields as others see them; what surrounds them depends on who looks.
  if (preview !== null) return { ...base, profile, clubs: [], sponsor: null, coopted: [], articles: [], workshops: [], helped: 0 };

  // How many asks they were thanked for: a count only, never which asks (some are secret clubs').
  const [clubs, cooptedRows, roles, helped] = await Promise.all([spacesInCommon(db, actor.id, member.id), coopted(db, member.id), rolesForUser(db, actor.id), helpedCount(db, member.id)]);
  const sponsorRow = member.sponsor_id ? await findMember(db, member.sponsor_id) : undefined;
  const findable = await findableAmong(db, actor, [...cooptedRows.map((c) => c.id), ...(sponsorRow ? [sponsorRow.id] : [])]);
  const person = (p: { id: string; display_name: string }) => ({ id: p.id, name: p.display_name, url: personUrl(p.id) });

  return {
    ...base,
    profile,
    clubs: relation === "self" ? [] : clubs.map((c) => ({ slug: c.slug, name: c.name, url: spaceUrl(c.slug) })),
    sponsor: sponsorRow && findable.has(sponsorRow.id) ? person(sponsorRow) : null,
    coopted: cooptedRows.filter((c) => findable.has(c.id)).map(person),
    articles: await readableArticles(db, actor, roles, member.id),
    workshops: await readableWorkshops(db, actor, roles, member.id),
    helped,
  };
}

const membershipIn = (roles: Map<string, Role>, spaceId: string) => (roles.has(spaceId) ? { role: roles.get(spaceId)! } : null);

/** Their latest published articles the viewer may read, in their space or on the network feed. */
async function readableArticles(db: Executor, actor: Actor, roles: Map<string, Role>, authorId: string) {
  const rows = await db
    .selectFrom("post")
    .innerJoin("space", "space.id", "post.space_id")
    .where("post.author_id", "=", authorId)
    .where("post.state", "=", "published")
    .where("post.deleted_at", "is", null)
    .select([
      "post.slug",
      "post.title",
      "post.state",
      "post.visibility as post_visibility",
      "post.author_id",
      "post.deleted_at",
      "post.published_at",
      "space.id as space_id",
      "space.slug as space_slug",
      "space.name as space_name",
      "space.visibility",
      "space.join_policy",
      "space.archived_at",
    ])
    .orderBy("post.published_at", "desc")
    .limit(CANDIDATES)
    .execute();
  return rows
    .filter(
      (r) =>
        canReadPost(actor, membershipIn(roles, r.space_id), r, r) ||
        canReadNetworkPost(actor, r, { state: r.state, visibility: r.post_visibility, deleted_at: r.deleted_at }),
    )
    .slice(0, SHOWN)
    .map((r) => ({ title: r.title, url: postUrl(r.space_slug, r.slug), spaceName: r.space_name, at: r.published_at }));
}

/** The workshops they facilitated (or will) that the viewer may read, latest first. */
async function readableWorkshops(db: Executor, actor: Actor, roles: Map<string, Role>, facilitatorId: string) {
  const rows = await db
    .selectFrom("workshop_facilitator as f")
    .innerJoin("workshop as w", "w.id", "f.workshop_id")
    .innerJoin("space", "space.id", "w.space_id")
    .where("f.user_id", "=", facilitatorId)
    .where("w.deleted_at", "is", null)
    .select([
      "w.id",
      "w.title",
      "w.state",
      "w.proposed_by",
      "w.deleted_at",
      "w.visibility as workshop_visibility",
      "w.starts_at",
      "space.id as space_id",
      "space.slug as space_slug",
      "space.name as space_name",
      "space.visibility",
      "space.join_policy",
      "space.archived_at",
    ])
    .orderBy("w.starts_at", "desc")
    .limit(CANDIDATES)
    .execute();
  return rows
    .filter((r) => canReadWorkshop(actor, membershipIn(roles, r.space_id), r, { ...r, visibility: r.workshop_visibility }))
    .slice(0, SHOWN)
    .map((r) => ({ title: r.title, url: workshopUrl(r.space_slug, r.id), spaceName: r.space_name, at: r.starts_at, cancelled: r.state === "cancelled" }));
}
