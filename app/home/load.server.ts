import type { Executor } from "#db/client.ts";
import { findReadyNotDownloaded } from "#db/queries/data-exports.ts";
import { notificationTitle } from "#app/notifications/paths.server.ts";
import { skillsOf } from "#db/queries/asks.ts";
import { pendingRequestsTo } from "#db/queries/conversations.ts";
import { FEED_KINDS, awaitingDecisions, feed, nextWorkshopsOf, type FeedCursor, type FeedKind, type FeedRow } from "#db/queries/home.ts";
import { unansweredMentions } from "#db/queries/notifications.ts";
import { skillKeysOf } from "#db/queries/people.ts";
import { membershipsOf } from "#db/queries/spaces.ts";
import type { AskKind, RegistrationStatus, User } from "#db/schema.ts";
import { findableAmong } from "#app/people/directory.server.ts";
import type { Actor } from "#app/policies/actor.ts";
import { homeScope, type HomeScope } from "#app/policies/home.ts";
import { canReadWorkshop } from "#app/policies/workshop.ts";
import { approvalsUrl, askUrl, conversationUrl, fileUrl, membersUrl, notificationUrl, personUrl, postUrl, wikiPageUrl, workshopUrl } from "#app/urls.ts";

/** Items on a page of the home. */
export const HOME_PAGE_SIZE = 20;
/** Mentions older than this no longer wait for an answer. */
const MENTIONS_WAIT_MS = 30 * 24 * 60 * 60 * 1000;

export interface HomeParams {
  club: string | null;
  before: FeedCursor | null;
}

/** `?club=<slug>&before=<time>.<kind>.<id>`; anything malformed is left out rather than refused (a link is only a position). */
export function homeParams(url: URL): HomeParams {
  const club = url.searchParams.get("club")?.trim() || null;
  return { club: club && club.length <= 100 ? club : null, before: cursorFrom(url.searchParams.get("before")) };
}

function cursorFrom(value: string | null): FeedCursor | null {
  const match = /^(\d{1,15})\.([a-z]+)\.(.{1,120})$/.exec(value ?? "");
  if (!match) return null;
  const kind = match[2] as FeedKind;
  return (FEED_KINDS as readonly string[]).includes(kind) ? { at: Number(match[1]), kind, id: match[3]! } : null;
}

export const cursorText = (c: Pick<FeedRow, "at" | "kind" | "id">) => `${c.at}.${c.kind}.${c.id}`;

interface ItemBase {
  key: string;
  at: number;
  /** Since the previous visit (false on a first visit: nothing was seen before). */
  isNew: boolean;
  club: { slug: string; name: string };
  actor: { name: string; url: string | null } | null;
  title: string;
  url: string;
}

export type HomeItem =
  | (ItemBase & { kind: "post"; excerpt: string })
  | (ItemBase & { kind: "page"; created: boolean })
  | (ItemBase & { kind: "file"; version: number })
  | (ItemBase & { kind: "workshop"; startsAt: number; endsAt: number; timeZone: string; cancelled: boolean })
  | (ItemBase & { kind: "ask"; askKind: AskKind; skills: string[]; region: boolean; answers: number })
  | (ItemBase & { kind: "member"; sponsor: string | null; byRequest: boolean });

/**
 * Everything the home shows: the news of the member's clubs (or of one), a
 * page at a time, marked new since `seenAt`; on the first page, what waits
 * for them and their next workshops. Who may read what is the policies'
 * (homeScope, canReadWorkshop), asked before any query.
 */
export async function loadHome(db: Executor, viewer: { actor: Actor; user: Pick<User, "id" | "region" | "time_zone"> }, params: HomeParams, options: { now: number; seenAt: number | null }) {
  const { actor, user } = viewer;
  const { now, seenAt } = options;
  const spaces = await membershipsOf(db, user.id);
  const scope = homeScope(
    actor,
    spaces.map((s) => ({ space: s, membership: { role: s.role } })),
  );
  const mine = spaces.filter((s) => scope.clubIds.includes(s.id));
  const club = params.club ? (mine.find((s) => s.slug === params.club) ?? null) : null;
  const skillKeys = await skillKeysOf(db, user.id);

  const rows = await feed(db, {
    viewerId: user.id,
    spaceIds: club ? [club.id] : scope.clubIds,
    asks: { scope: scope.asks, skillKeys, region: user.region, spaceId: club?.id },
    before: params.before,
    limit: HOME_PAGE_SIZE + 1,
    now,
  });
  const page = rows.slice(0, HOME_PAGE_SIZE);
  const items = await describeFeed(db, actor, page, { skillKeys: new Set(skillKeys), region: user.region, seenAt });
  const last = page.at(-1);
  const first = params.before === null;

  return {
    clubs: mine.filter((s) => s.archived_at === null || s.id === club?.id).map((s) => ({ slug: s.slug, name: s.name })),
    club: club ? club.slug : null,
    items,
    next: rows.length > HOME_PAGE_SIZE && last ? cursorText(last) : null,
    firstPage: first,
    // A later page begun after new items: its first old one is where the member is up to date.
    afterNew: !first && seenAt !== null && params.before !== null && params.before.at > seenAt,
    seenAt,
    readerZone: user.time_zone,
    waiting: first ? await waitingFor(db, user.id, scope, spaces, club, now) : null,
    workshops: first ? await nextWorkshops(db, actor, spaces, club, now) : [],
  };
}

export type HomeView = Awaited<ReturnType<typeof loadHome>>;

/** The feed's rows as the member reads them: links, who acted (a profile only if findable), what matches them. */
export async function describeFeed(db: Executor, actor: Actor, rows: FeedRow[], me: { skillKeys: Set<string>; region: string; seenAt: number | null }): Promise<HomeItem[]> {
  const askSkills = await skillsOf(
    db,
    rows.filter((r) => r.kind === "ask").map((r) => r.id),
  );
  const findable = await findableAmong(db, actor, [...new Set(rows.flatMap((r) => (r.actor_id ? [r.actor_id] : [])))]);
  return rows.map((r): HomeItem => {
    const base = {
      key: `${r.kind}:${r.id}`,
      at: r.at,
      isNew: me.seenAt !== null && r.at > me.seenAt,
      club: { slug: r.space_slug, name: r.space_name },
      actor: r.actor_id && r.actor_name !== null ? { name: r.actor_name, url: findable.has(r.actor_id) ? personUrl(r.actor_id) : null } : null,
      title: r.title,
    };
    switch (r.kind) {
      case "post":
        return { ...base, kind: "post", url: postUrl(r.space_slug, r.slug), excerpt: r.excerpt };
      case "page":
        return { ...base, kind: "page", url: wikiPageUrl(r.space_slug, r.slug), created: r.created };
      case "file":
        return { ...base, kind: "file", url: fileUrl(r.space_slug, r.id), version: r.version };
      case "workshop":
        return { ...base, kind: "workshop", url: workshopUrl(r.space_slug, r.id), startsAt: r.starts_at, endsAt: r.ends_at, timeZone: r.time_zone, cancelled: r.cancelled };
      case "ask": {
        const wanted = askSkills.get(r.id) ?? [];
        return { ...base, kind: "ask", url: askUrl(r.space_slug, r.id), askKind: r.ask_kind, answers: r.answers, skills: wanted.filter((s) => me.skillKeys.has(s.key)).map((s) => s.label), region: me.region !== "" && r.region === me.region };
      }
      case "member":
        // The member is the item; their profile only if the viewer may find them, else the club's members.
        return { ...base, kind: "member", url: base.actor?.url ?? membersUrl(r.space_slug), sponsor: r.sponsor_name, byRequest: r.by_request };
    }
  });
}

type MySpace = Awaited<ReturnType<typeof membershipsOf>>[number];

/** What waits for the member: decisions in the clubs they run, contact requests, mentions not answered. */
async function waitingFor(db: Executor, userId: string, scope: HomeScope, spaces: readonly MySpace[], club: MySpace | null, now: number) {
  const inClub = (spaceId: string) => club === null || spaceId === club.id;
  const [decisions, requests, mentions, exportReady] = await Promise.all([
    awaitingDecisions(db, { members: scope.approveIn.filter(inClub), workshops: scope.scheduleIn.filter(inClub) }),
    pendingRequestsTo(db, userId, 6),
    // In the member's own clubs (a network admin's reach is not theirs to answer for), or the one chosen.
    unansweredMentions(db, userId, { since: now - MENTIONS_WAIT_MS, limit: 6, spaceIds: club ? [club.id] : scope.clubIds }).then((found) => (club ? found.filter((m) => m.space_slug === club.slug) : found)),
    // The member's own data export, ready and not yet taken (issue 19): told here as well as by mail.
    findReadyNotDownloaded(db, userId, now),
  ]);
  const spaceById = new Map(spaces.map((s) => [s.id, s]));
  return {
    decisions: decisions.flatMap((d) => {
      const space = spaceById.get(d.space_id);
      return space ? [{ club: space.name, url: approvalsUrl(space.slug), invitations: d.invitations, requests: d.requests, proposals: d.proposals }] : [];
    }),
    // Contact requests are the member's own, whatever the club chosen.
    requests: requests.map((r) => ({ id: r.id, from: r.from_name, at: r.created_at, url: conversationUrl(r.conversation_id) })),
    mentions: mentions.map((m) => ({ id: m.id, by: m.actor_name, club: m.space_name, title: notificationTitle(m), excerpt: m.excerpt, at: m.created_at, url: notificationUrl(m.id) })),
    exportReady: exportReady?.expires_at ? { until: exportReady.expires_at, url: "/settings/data" } : null,
  };
}

export interface NextWorkshop {
  id: string;
  title: string;
  url: string;
  club: string;
  startsAt: number;
  endsAt: number;
  timeZone: string;
  place: string | null;
  cancelled: boolean;
  status: RegistrationStatus;
}

/** The workshops the member registered for and may still read (a club left, a workshop no longer open), soonest first. */
async function nextWorkshops(db: Executor, actor: Actor, spaces: readonly MySpace[], club: MySpace | null, now: number): Promise<NextWorkshop[]> {
  const roles = new Map(spaces.map((s) => [s.id, s.role]));
  const rows = await nextWorkshopsOf(db, actor.id, { now, limit: 20, spaceId: club?.id });
  return rows
    .filter((w) => canReadWorkshop(actor, roles.has(w.space_id) ? { role: roles.get(w.space_id)! } : null, { visibility: w.space_visibility, join_policy: w.space_join_policy, archived_at: w.space_archived_at }, w))
    .slice(0, 5)
    .map((w) => ({ id: w.id, title: w.title, url: workshopUrl(w.space_slug, w.id), club: w.space_name, startsAt: w.starts_at, endsAt: w.ends_at, timeZone: w.time_zone, place: w.place, cancelled: w.state === "cancelled", status: w.status }));
}
