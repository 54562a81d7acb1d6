import { Link } from "@remix-run/react";
import type { PostState } from "#db/schema.ts";
import { formatInZone, zoneLabel } from "#app/blog/format.ts";
import { useFormatDate, useLocale, useT } from "#app/i18n/react.tsx";
import { blogTagUrl, postEditUrl, postUrl } from "#app/urls.ts";

/**
 * The blog's lists: an article as a card (cover, title, author, date,
 * excerpt, tags), the pages of a list, the tags with their counts, and what
 * is not out yet with its state.
 */

export interface PostCardView {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  state: PostState;
  network: boolean;
  publishedAt: number | null;
  publishAt: number | null;
  updatedAt: number;
  cover: string | null;
  author: string | null;
  tags: Array<{ tag: string; label: string }>;
}

/** A moment in the viewer's own time zone, named: "lundi 23 novembre 2026 à 09:00 (Europe/Paris)". */
export function useFormatInZone(timeZone: string) {
  const locale = useLocale();
  return (ms: number) => `${formatInZone(locale, ms, timeZone)} (${zoneLabel(timeZone)})`;
}

export function TagLinks({ spaceSlug, tags, label }: { spaceSlug: string; tags: Array<{ tag: string; label: string }>; label: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="post-tags" aria-label={label}>
      {tags.map((t) => (
        <li key={t.tag}>
          <Link to={blogTagUrl(spaceSlug, t.tag)} className="post-tag">
            #{t.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function PostCard({ spaceSlug, post, headingLevel = 3 }: { spaceSlug: string; post: PostCardView; headingLevel?: 2 | 3 }) {
  const t = useT();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const href = postUrl(spaceSlug, post.slug);
  return (
    <article className="post-card" aria-labelledby={`post-${post.id}`}>
      {post.cover ? (
        <Link to={href} className="post-card-cover" tabIndex={-1} aria-hidden="true">
          <img src={post.cover} alt="" loading="lazy" />
        </Link>
      ) : null}
      <div className="post-card-body">
        <Heading id={`post-${post.id}`} className="post-card-title">
          <Link to={href}>{post.title}</Link>
        </Heading>
        <PostMeta author={post.author} publishedAt={post.publishedAt} network={post.network} />
        {post.excerpt ? <p className="post-excerpt">{post.excerpt}</p> : null}
        <TagLinks spaceSlug={spaceSlug} tags={post.tags} label={t("blog.tagsOf", { title: post.title })} />
      </div>
    </article>
  );
}

/** "by Julien Moreau · 22 novembre 2026": the dot stays with what precedes it when the line wraps. */
export function PostMeta({ author, publishedAt, network }: { author: string | null; publishedAt: number | null; network: boolean }) {
  const t = useT();
  const formatDate = useFormatDate();
  return (
    <p className="post-meta">
      {author ? t("blog.byAuthor", { name: author }) : null}
      {author && publishedAt ? "\u00a0· " : null}
      {publishedAt ? <time dateTime={new Date(publishedAt).toISOString()}>{formatDate(publishedAt, "date")}</time> : null}
      {network ? (
        <>
          {" "}
          <span className="badge badge-brand">{t("blog.networkBadge")}</span>
        </>
      ) : null}
    </p>
  );
}

/** "Page 2 of the list": previous and next, as links a search engine and a keyboard can follow. */
export function Pagination({ page, hasMore, basePath }: { page: number; hasMore: boolean; basePath: string }) {
  const t = useT();
  if (page === 1 && !hasMore) return null;
  const to = (n: number) => (n === 1 ? basePath : `${basePath}?page=${n}`);
  return (
    <nav className="pagination" aria-label={t("blog.pagination")}>
      {page > 1 ? (
        <Link to={to(page - 1)} className="btn btn-small" rel="prev">
          ← {t("blog.newer")}
        </Link>
      ) : (
        <span />
      )}
      <span className="muted small" aria-current="page">
        {t("blog.pageN", { n: page })}
      </span>
      {hasMore ? (
        <Link to={to(page + 1)} className="btn btn-small" rel="next">
          {t("blog.older")} →
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function TagCloud({ spaceSlug, tags, current }: { spaceSlug: string; tags: Array<{ tag: string; label: string; count: number }>; current?: string }) {
  const t = useT();
  return (
    <section className="card" aria-labelledby="blog-tags-title">
      <h2 id="blog-tags-title">{t("blog.tags")}</h2>
      {tags.length === 0 ? (
        <p className="muted small">{t("blog.noTags")}</p>
      ) : (
        <ul className="tag-cloud">
          {tags.map((tag) => (
            <li key={tag.tag}>
              <Link
                to={blogTagUrl(spaceSlug, tag.tag)}
                className="post-tag"
                aria-current={tag.tag === current ? "page" : undefined}
                aria-label={t("blog.tagCount", { label: tag.label, count: tag.count })}
              >
                #{tag.label} <span className="tag-count">{tag.count}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function StateBadge({ state }: { state: PostState }) {
  const t = useT();
  const tone = state === "published" ? "badge-accent" : state === "scheduled" ? "badge-brand" : "badge-warning";
  return <span className={`badge ${tone}`}>{t(`blog.state.${state}`)}</span>;
}

/** Drafts, scheduled and unpublished articles: the viewer's own, or all of them for editors and admins. */
export function PendingList({ spaceSlug, posts, all, timeZone }: { spaceSlug: string; posts: PostCardView[]; all: boolean; timeZone: string }) {
  const t = useT();
  const formatDate = useFormatDate();
  const formatInZone = useFormatInZone(timeZone);
  return (
    <section className="card" aria-labelledby="blog-pending-title">
      <h2 id="blog-pending-title">{t("blog.pendingTitle")}</h2>
      <p className="muted small">{all ? t("blog.pendingAll") : t("blog.pendingMine")}</p>
      {posts.length === 0 ? (
        <p className="muted small">{t("blog.pendingEmpty")}</p>
      ) : (
        <ul className="list pending-list">
          {posts.map((p) => (
            <li key={p.id}>
              <span className="grow">
                <Link to={postEditUrl(spaceSlug, p.slug)} className="pending-title">
                  {p.title}
                </Link>{" "}
                <StateBadge state={p.state} />
                <span className="block small muted">
                  {p.state === "scheduled" && p.publishAt
                    ? t("blog.scheduledFor", { date: formatInZone(p.publishAt) })
                    : t("blog.updatedOn", { date: formatDate(p.updatedAt) })}
                  {all && p.author ? ` · ${t("blog.byAuthor", { name: p.author })}` : ""}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
