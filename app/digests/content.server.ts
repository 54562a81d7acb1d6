import type { Executor } from "#db/client.ts";
import { notificationTitle } from "#app/notifications/paths.server.ts";
import { FEED_KINDS, feed, upTo, type FeedCursor, type FeedRow } from "#db/queries/home.ts";
import { levelsOf } from "#db/queries/notification-choices.ts";
import * as notifications from "#db/queries/notifications.ts";
import { skillKeysOf } from "#db/queries/people.ts";
import { membershipsOf } from "#db/queries/spaces.ts";
import type { User } from "#db/schema.ts";
import { describeFeed, type HomeItem } from "#app/home/load.server.ts";
import { isNotificationKind, wordingOf } from "#app/notifications/kinds.ts";
import { groupedWording } from "#app/notifications/load.server.ts";
import { actorOf } from "#app/policies/actor.ts";
import { homeScope } from "#app/policies/home.ts";
import { notificationUrl } from "#app/urls.ts";

/**
 * What one digest says (issue 18): over its window, the news of the
 * member's clubs exactly as their home shows it (the same sources, the same
 * policies, so never what they may not read at the moment it is composed),
 * and the notifications they take "in the digest", gathered as the bell
 * gathers them. Left out: what they saw in the app (news from before their
 * latest visit of the home, notifications they read), and what reached them
 * as a notification already (a workshop announced, by mail or in the bell),
 * and the news of clubs the member set to "only what concerns me" or muted.
 */

/** News items in one mail, at most: the rest is one link to the home. */
export const DIGEST_ITEMS = 30;
const DIGEST_NOTIFICATIONS = 50;

export interface DigestLine {
  /** Its kind's line; `grouped` instead when it gathers several. */
  what: ReturnType<typeof wordingOf>["list"];
  grouped: ReturnType<typeof groupedWording>;
  count: number;
  names: string[];
  space: string;
  title: string;
  excerpt: string;
  path: string;
}

export interface DigestContent {
  /** News, newest first, grouped by club in the order of their newest item. */
  clubs: Array<{ name: string; items: HomeItem[] }>;
  /** Whether there was more news than DIGEST_ITEMS. */
  more: boolean;
  lines: DigestLine[];
  /** How many things it tells, news and notification lines: 0 is no digest at all. */
  total: number;
}

type Reader = Pick<User, "id" | "is_network_admin" | "region" | "home_visit_at">;

export async function digestContent(db: Executor, user: Reader, window: { since: number; until: number }, now: number): Promise<DigestContent> {
  const actor = actorOf(user);
  const spaces = await membershipsOf(db, user.id);
  const scope = homeScope(
    actor,
    spaces.map((s) => ({ space: s, membership: { role: s.role } })),
  );
  const [skillKeys, levels] = await Promise.all([skillKeysOf(db, user.id), levelsOf(db, user.id)]);
  // A club set to "only what concerns me" or muted sends no news (its notifications still come as chosen).
  const quiet = new Set([...levels].filter(([, level]) => level !== "all").map(([spaceId]) => spaceId));
  const clubIds = scope.clubIds.filter((id) => !quiet.has(id));
  // The home, opened after something happened, showed it: the news starts after the latest visit.
  const seenUntil = Math.max(window.since, user.home_visit_at ?? 0);
  const query = { viewerId: user.id, spaceIds: clubIds, asks: { scope: scope.asks, skillKeys, region: user.region }, since: seenUntil, limit: DIGEST_ITEMS + 1, now };
  const notes = await notifications.forDigest(db, user.id, { ...window, limit: DIGEST_NOTIFICATIONS });
  // Read a page at a time: what is left out after reading (a workshop already told, an ask of a quiet club)
  // must not hide that there is more than one mail holds.
  const news: FeedRow[] = [];
  let before: FeedCursor | null = seenUntil >= window.until ? null : upTo(window.until);
  while (before) {
    const page = await feed(db, { ...query, before }, FEED_KINDS);
    const told = await notifications.ownersNotified(
      db,
      user.id,
      "workshop",
      page.filter((r) => r.kind === "workshop").map((r) => r.id),
    );
    news.push(...page.filter((r) => !quiet.has(r.space_id) && !(r.kind === "workshop" && told.has(r.id))));
    const last = page.at(-1);
    before = news.length <= DIGEST_ITEMS && page.length > DIGEST_ITEMS && last ? { at: last.at, kind: last.kind, id: last.id } : null;
  }
  const items = await describeFeed(db, actor, news.slice(0, DIGEST_ITEMS), { skillKeys: new Set(skillKeys), region: user.region, seenAt: null });
  const clubs = new Map<string, { name: string; items: HomeItem[] }>();
  for (const item of items) {
    const club = clubs.get(item.club.slug) ?? { name: item.club.name, items: [] };
    club.items.push(item);
    clubs.set(item.club.slug, club);
  }
  const lines = gather(notes);
  return { clubs: [...clubs.values()], more: news.length > DIGEST_ITEMS, lines, total: items.length + lines.length };
}

/** As the bell: several of one kind about one thing are one line, at the place of the newest. */
function gather(notes: notifications.NotificationItem[]): DigestLine[] {
  const lines = new Map<string, DigestLine>();
  for (const n of notes) {
    if (!isNotificationKind(n.kind)) continue;
    const key = `${n.kind}:${n.owner_kind}:${n.owner_id}`;
    const line = lines.get(key);
    if (line) {
      line.count += 1;
      line.grouped = groupedWording(n.kind, line.count);
      if (n.actor_name && !line.names.includes(n.actor_name)) line.names.push(n.actor_name);
      continue;
    }
    lines.set(key, {
      what: wordingOf(n.kind).list,
      grouped: null,
      count: 1,
      names: n.actor_name ? [n.actor_name] : [],
      space: n.space_name,
      title: notificationTitle(n),
      excerpt: n.excerpt,
      // Through the notification's own address: opening it reads it, as from the bell.
      path: notificationUrl(n.id),
    });
  }
  return [...lines.values()];
}
