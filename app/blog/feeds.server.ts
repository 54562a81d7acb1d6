import { Feed } from "feed";
import type { Space, User } from "#db/schema.ts";
import { findMembership } from "#db/queries/members.ts";
import { getNetwork } from "#db/queries/network.ts";
import { listNetworkPosts, listPublished, tagsOfPosts, type PostSummary } from "#db/queries/posts.ts";
import { findBySlug } from "#db/queries/spaces.ts";
import { findByFeedToken } from "#db/queries/users.ts";
import { DEFAULT_LOCALE, translator } from "#app/i18n/index.ts";
import { actorOf } from "#app/policies/actor.ts";
import { canReadPosts, networkFeedFilter } from "#app/policies/post.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { blogUrl, postUrl, spaceFeedUrl } from "#app/urls.ts";

/**
 * Private Atom feeds: the address carries the reader's own token instead of
 * a session cookie, since feed readers have none. Every fetch checks, as
 * that person, what they may read now; a reset token answers 404 at once.
 */

const ENTRIES = 30;

export async function feedReader(token: string | undefined): Promise<User> {
  const user = token ? await findByFeedToken(getDb(), token) : undefined;
  if (!user) notFound();
  return user;
}

/** The space, if this person may read it today; a 404 otherwise, exactly as for an unknown space. */
export async function feedSpace(user: User, slug: string | undefined): Promise<Space> {
  const db = getDb();
  const space = slug ? await findBySlug(db, slug) : undefined;
  if (!space) notFound();
  const membership = await findMembership(db, space.id, user.id);
  if (!canReadPosts(actorOf(user), membership, space)) notFound();
  return space;
}

/** Atom entries here are type="html": a title is text, so it goes out escaped, never as markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

type FeedPost = PostSummary & { space_slug: string; space_name?: string; content_html?: string };

async function atom(input: { title: string; id: string; alternate: string; self: string; posts: FeedPost[]; link: (p: FeedPost) => string; label?: (p: FeedPost) => string }) {
  const base = getEnv().baseUrl;
  const url = (path: string) => new URL(path, base).href;
  const tags = await tagsOfPosts(getDb(), input.posts.map((p) => p.id));
  const feed = new Feed({
    title: input.title,
    id: url(input.id),
    link: url(input.alternate),
    feedLinks: { atom: url(input.self) },
    updated: new Date(input.posts[0]?.published_at ?? Date.now()),
    copyright: "",
    generator: "Cercle",
  });
  for (const p of input.posts) {
    const link = url(input.link(p));
    feed.addItem({
      title: escapeHtml(input.label ? `${input.label(p)} — ${p.title}` : p.title),
      id: link,
      link,
      description: escapeHtml(p.excerpt),
      date: new Date(p.published_at ?? p.updated_at),
      author: p.author_name ? [{ name: p.author_name }] : [],
      category: tags.filter((t) => t.post_id === p.id).map((t) => ({ name: t.label, term: t.tag })),
    });
  }
  return new Response(feed.atom1(), {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      // The address is a secret: no cache but the reader's, no search engine.
      "Cache-Control": "private, no-cache",
      "X-Robots-Tag": "noindex",
      "Referrer-Policy": "no-referrer",
    },
  });
}

export async function spaceFeed(space: Space, token: string) {
  const { posts } = await listPublished(getDb(), space.id, { page: 1, perPage: ENTRIES });
  return atom({
    title: space.name,
    id: blogUrl(space.slug),
    alternate: blogUrl(space.slug),
    self: spaceFeedUrl(token, space.slug),
    posts: posts.map((p) => ({ ...p, space_slug: space.slug })),
    link: (p) => postUrl(space.slug, p.slug),
  });
}

export async function networkFeed(user: User, token: string) {
  const db = getDb();
  const [{ posts }, network] = await Promise.all([listNetworkPosts(db, { page: 1, perPage: ENTRIES, ...networkFeedFilter() }), getNetwork(db)]);
  const t = translator(user.locale ?? network?.default_locale ?? DEFAULT_LOCALE);
  return atom({
    title: t("feeds.networkTitle", { network: network?.name ?? "Cercle" }),
    id: "/latest",
    alternate: "/latest",
    self: `/feeds/${token}/network`,
    posts,
    // Readers outside the club read it on the network's page of the article.
    link: (p) => `/latest/${p.id}`,
    label: (p) => p.space_name ?? "",
  });
}
