import type { Executor } from "#db/client.ts";
import * as asks from "#db/queries/asks.ts";
import { rolesForUser } from "#db/queries/members.ts";
import { skillKeysOf } from "#db/queries/people.ts";
import { REGIONS, type Region } from "#db/profile-fields.ts";
import { ASK_KINDS, type Ask, type AskAudience, type AskKind, type Space, type User } from "#db/schema.ts";
import { skillKey } from "#db/text.ts";
import { askListScope, isAskClosed } from "#app/policies/ask.ts";
import type { Actor } from "#app/policies/actor.ts";

/**
 * What the lists of asks show: a club's (its Asks tab) and the network's
 * (/asks, every ask the viewer may read across clubs). Filters come from the
 * address (kind, skill, region, club, open or closed), paging by position
 * (time, id). An ask that wants one of the viewer's skills or their region is
 * marked for them, with what matched.
 */

export const ASKS_PAGE_SIZE = 20;
export const ASK_STATES = ["open", "closed", "all"] as const;
export type AskListState = (typeof ASK_STATES)[number] | "trash";

export interface AskFiltersView {
  kind: AskKind | "";
  skill: string;
  region: Region | "";
  club: string;
  state: AskListState;
}

export interface AskCardView {
  id: string;
  spaceSlug: string;
  spaceName: string;
  kind: AskKind;
  audience: AskAudience;
  title: string;
  excerpt: string;
  author: { id: string; name: string } | null;
  skills: Array<{ key: string; label: string }>;
  region: Region | "";
  deadline: string | null;
  resolved: boolean;
  closed: boolean;
  createdAt: number;
  answers: number;
  /** What of it matches the viewer: their skills it wants, their region. */
  matches: { skills: string[]; region: boolean };
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | "" => ((values as readonly string[]).includes(value ?? "") ? (value as T) : "");

/** The filters as the address gives them; anything unknown is no filter. */
export function filtersFrom(params: URLSearchParams, options: { trash: boolean }): AskFiltersView {
  const state = params.get("state");
  return {
    kind: oneOf(ASK_KINDS, params.get("kind")),
    skill: (params.get("skill") ?? "").trim().slice(0, 60),
    region: oneOf(REGIONS, params.get("region")),
    club: (params.get("club") ?? "").slice(0, 64),
    state: state === "trash" && options.trash ? "trash" : oneOf(ASK_STATES, state) || "open",
  };
}

/** "1733390000000.01J…": the last row of the previous page. */
function cursorFrom(value: string | null): { at: number; id: string } | undefined {
  const m = value ? /^(\d{1,16})\.([0-9A-Za-z_-]{1,64})$/.exec(value) : null;
  return m ? { at: Number(m[1]), id: m[2] } : undefined;
}

/** What the viewer brings to the highlighting: their skills' keys and region. */
async function viewerProfile(db: Executor, user: Pick<User, "id" | "region">) {
  return { skills: new Set(await skillKeysOf(db, user.id)), region: user.region };
}

function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= 220 ? flat : `${flat.slice(0, 219).trimEnd()}…`;
}

export async function loadAskList(
  db: Executor,
  input: {
    actor: Actor;
    user: Pick<User, "id" | "region">;
    /** One space's list, or the network's. */
    space: Pick<Space, "id"> | null;
    params: URLSearchParams;
    canSeeTrash: boolean;
    now: number;
  },
) {
  const { actor, user, space, params, now } = input;
  const filters = filtersFrom(params, { trash: input.canSeeTrash });
  const roles = await rolesForUser(db, user.id);
  const scope = askListScope(actor, [...roles.keys()]);
  const clubs = space ? [] : await asks.spacesWithAsks(db, scope);
  const clubId = space?.id ?? clubs.find((c) => c.slug === filters.club)?.id;
  const skillKeyWanted = filters.skill ? skillKey(filters.skill) : "";
  const rows = await asks.listAsks(
    db,
    scope,
    {
      spaceId: clubId,
      kind: filters.kind || undefined,
      region: filters.region || undefined,
      skillKey: skillKeyWanted || undefined,
      state: filters.state === "trash" ? "all" : filters.state,
      trash: filters.state === "trash",
    },
    { now, limit: ASKS_PAGE_SIZE + 1, before: cursorFrom(params.get("after")) },
  );
  // An unknown club in the address finds nothing rather than everything.
  const unknownClub = !space && filters.club !== "" && clubId === undefined;
  const page = unknownClub ? [] : rows.slice(0, ASKS_PAGE_SIZE);
  const skills = await asks.skillsOf(db, page.map((r) => r.id));
  const me = await viewerProfile(db, user);
  const cards: AskCardView[] = page.map((r) => {
    const wanted = skills.get(r.id) ?? [];
    return {
      id: r.id,
      spaceSlug: r.space_slug,
      spaceName: r.space_name,
      kind: r.kind,
      audience: r.audience,
      title: r.title,
      excerpt: excerptOf(r.body_text),
      author: r.author_id && r.author_name !== null ? { id: r.author_id, name: r.author_name } : null,
      skills: wanted,
      region: r.region,
      deadline: r.deadline,
      resolved: r.resolved_at !== null,
      closed: isAskClosed(r, now),
      createdAt: r.created_at,
      answers: Number(r.answers),
      matches: r.author_id === user.id ? { skills: [], region: false } : { skills: wanted.filter((s) => me.skills.has(s.key)).map((s) => s.label), region: me.region !== "" && r.region === me.region },
    };
  });
  const last = page.at(-1);
  return {
    filters,
    asks: cards,
    clubs: clubs.map((c) => ({ slug: c.slug, name: c.name })),
    next: !unknownClub && rows.length > ASKS_PAGE_SIZE && last ? `${last.created_at}.${last.id}` : null,
  };
}

/** An ask's own page: the ask, its skills, who answered (the thank form's choices) and who was thanked. */
export async function loadAskDetail(db: Executor, ask: Ask) {
  const [skills, answerers, thanked, author] = await Promise.all([
    asks.skillsOf(db, [ask.id]),
    asks.answerers(db, ask.id),
    asks.thankedIds(db, ask.id),
    ask.author_id ? db.selectFrom("user").select(["id", "display_name as name"]).where("id", "=", ask.author_id).executeTakeFirst() : undefined,
  ]);
  return {
    skills: skills.get(ask.id) ?? [],
    answerers: answerers.map((a) => ({ ...a, thanked: thanked.has(a.id) })),
    author: author ?? null,
  };
}
