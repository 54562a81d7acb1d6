import type { Executor } from "#db/client.ts";
import { memberName, resultFacts } from "#db/queries/search.ts";
import type { SearchKind } from "#db/schema.ts";
import { pendingChanges } from "#db/search/indexer.ts";
import { searchDocs, suggestTitles, type DocHit } from "#db/search/query.ts";
import { highlight, snippet, type Piece } from "#db/search/snippet.ts";
import { endsTyping, isEmptyQuery, matcherOf, parseQuery, type ParsedQuery } from "#db/search/text.ts";
import { findableAmong, loadDirectory, type PersonCard } from "#app/people/directory.server.ts";
import type { Actor } from "#app/policies/actor.ts";
import { canReadSpace } from "#app/policies/space.ts";
import { askUrl, conversationUrl, fileUrl, personUrl, postUrl, wikiPageUrl, workshopUrl } from "#app/urls.ts";
import { searchScope, type SpaceWithRole } from "./access.server.ts";
import { LAST_PAGE, PAGE_SIZE, PERIOD_DAYS, isKind, type SearchParams } from "./params.ts";

/** One result as the page shows it: plain text pieces (marked where found), never HTML. */
export interface SearchResult {
  key: string;
  kind: SearchKind;
  url: string;
  title: Piece[];
  /** What a comment is on, who a conversation is with. */
  context: string | null;
  snippet: Piece[];
  club: { slug: string; name: string } | null;
  author: { id: string; name: string; url: string | null } | null;
  at: number;
}

/** A network article read by an outsider is read on the network's page, not in its club. */
const networkPostUrl = (postId: string) => `/latest/${encodeURIComponent(postId)}`;

/** The words of a query that a name, a headline or a skill could hold: the directory's own search takes plain words. */
const plainWords = (q: string) => q.replace(/-"[^"]*"?|(^|\s)-\S+/g, " ").replace(/"/g, " ").trim();

export async function loadSearch(db: Executor, actor: Actor, params: SearchParams, now: number) {
  const { spaces, readable, access } = await searchScope(db, actor);
  const club = params.club ? (readable.find((s) => s.slug === params.club) ?? null) : null;
  // A search submitted is of whole words; the last word is taken as a start ("nego") only when they find nothing.
  const typed = parseQuery(params.q);
  let query = parseQuery(params.q, { typing: false });
  const clubs = readable.filter((s) => s.archived_at === null || s.id === club?.id).map((s) => ({ slug: s.slug, name: s.name }));
  const author = params.author ? await memberName(db, params.author) : null;
  const base = {
    params,
    clubs,
    author: author && params.author ? { id: params.author, name: author } : null,
    empty: isEmptyQuery(query),
    pending: (await pendingChanges(db)) > 0,
  };
  if (base.empty) return { ...base, results: [], total: 0, pageCount: 0, people: [] as PersonCard[], peopleTotal: 0 };

  const wantsPeople = (params.type === null || params.type === "person") && !params.author && !params.when;
  const wantsDocs = params.type !== "person";
  const docQuery = (parsed: ParsedQuery) =>
    searchDocs(db, {
      query: parsed,
      access,
      kinds: isKind(params.type) ? [params.type] : undefined,
      spaceId: club?.id,
      authorId: params.author ?? undefined,
      since: params.when ? now - PERIOD_DAYS[params.when] * 86_400_000 : undefined,
      offset: (params.page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    });
  const [docs, people] = await Promise.all([
    wantsDocs
      ? docQuery(query).then(async (found) => {
          if (found.total > 0 || !endsTyping(typed)) return found;
          query = typed;
          return docQuery(typed);
        })
      : { total: 0, hits: [] },
    wantsPeople
      ? loadDirectory(
          db,
          actor,
          { q: plainWords(params.q), skill: null, region: null, club: club?.slug ?? null, status: null, open: null, sort: "relevance", page: params.type === "person" ? params.page : 1 },
          { pageSize: params.type === "person" ? PAGE_SIZE : 4 },
        )
      : null,
  ]);
  const results = await describe(db, actor, spaces, query, docs.hits);
  const total = params.type === "person" ? (people?.total ?? 0) : docs.total;
  return {
    ...base,
    results,
    total,
    pageCount: Math.min(LAST_PAGE, Math.ceil(total / PAGE_SIZE)),
    people: people?.people ?? [],
    peopleTotal: people?.total ?? 0,
  };
}

export type SearchView = Awaited<ReturnType<typeof loadSearch>>;

/** Results as the page shows them: where each leads, its club, its author, its marked title and snippet. */
async function describe(db: Executor, actor: Actor, spaces: readonly SpaceWithRole[], query: ParsedQuery, hits: DocHit[]): Promise<SearchResult[]> {
  const idsOf = (kind: SearchKind) => hits.filter((h) => h.kind === kind).map((h) => h.refId);
  const authors = [...new Set(hits.flatMap((h) => (h.authorId ? [h.authorId] : [])))];
  const [facts, findable] = await Promise.all([
    resultFacts(db, { page: idsOf("page"), post: idsOf("post"), comment: idsOf("comment"), message: idsOf("message"), authors }, actor.id),
    findableAmong(db, actor, authors),
  ]);
  const spaceById = new Map(spaces.map((s) => [s.id, s]));
  const wanted = matcherOf(query);
  const results: SearchResult[] = [];
  for (const hit of hits) {
    const space = hit.spaceId ? spaceById.get(hit.spaceId) : undefined;
    const member = space ? canReadSpace(actor, space.role ? { role: space.role } : null, space) : false;
    const url = urlOf(hit, space, member, facts);
    if (!url) continue;
    const name = hit.authorId ? facts.names.get(hit.authorId) : undefined;
    let context: string | null = null;
    if (hit.kind === "comment") context = hit.title;
    if (hit.kind === "message") context = (facts.conversationNames.get(facts.messages.get(hit.refId) ?? "") ?? []).join(", ");
    results.push({
      key: `${hit.kind}:${hit.refId}`,
      kind: hit.kind,
      url,
      title: hit.kind === "comment" || hit.kind === "message" ? [] : highlight(hit.title, wanted),
      context,
      snippet: snippet(hit.body, wanted),
      club: space ? { slug: space.slug, name: space.name } : null,
      author: hit.authorId && name ? { id: hit.authorId, name, url: findable.has(hit.authorId) ? personUrl(hit.authorId) : null } : null,
      at: hit.at,
    });
  }
  return results;
}

function urlOf(hit: Pick<DocHit, "kind" | "refId">, space: SpaceWithRole | undefined, member: boolean, facts: Awaited<ReturnType<typeof resultFacts>>): string | null {
  if (hit.kind === "message") {
    const conversation = facts.messages.get(hit.refId);
    return conversation ? `${conversationUrl(conversation)}#message-${hit.refId}` : null;
  }
  if (!space) return null;
  switch (hit.kind) {
    case "page": {
      const slug = facts.pageSlugs.get(hit.refId);
      return slug ? wikiPageUrl(space.slug, slug) : null;
    }
    case "post": {
      const slug = facts.postSlugs.get(hit.refId);
      if (!member) return networkPostUrl(hit.refId);
      return slug ? postUrl(space.slug, slug) : null;
    }
    case "workshop":
      return workshopUrl(space.slug, hit.refId);
    case "ask":
      return askUrl(space.slug, hit.refId);
    case "file":
      return fileUrl(space.slug, hit.refId);
    case "comment": {
      const on = facts.comments.get(hit.refId);
      if (!on) return null;
      const anchor = `#comment-${hit.refId}`;
      if (on.kind === "page") return wikiPageUrl(space.slug, on.slug) + anchor;
      if (on.kind === "post") return (member ? postUrl(space.slug, on.slug) : networkPostUrl(on.id)) + anchor;
      if (on.kind === "workshop") return workshopUrl(space.slug, on.id) + anchor;
      return askUrl(space.slug, on.id) + anchor;
    }
  }
}

/** A suggestion under the search box: a title to open, or a person. */
export interface Suggestion {
  kind: SearchKind | "person";
  label: string;
  /** The club, or the person's headline. */
  detail: string | null;
  url: string;
}

/** Titles and people that start like what is being typed, as the viewer may see them. */
export async function loadSuggestions(db: Executor, actor: Actor, q: string): Promise<Suggestion[]> {
  // One letter starts half the index's words: the box asks from two, and so does the server.
  if (q.trim().length < 2) return [];
  const query = parseQuery(q);
  if (isEmptyQuery(query)) return [];
  const { spaces, access } = await searchScope(db, actor);
  const [titles, people] = await Promise.all([
    suggestTitles(db, { query, access }, 6),
    loadDirectory(db, actor, { q: plainWords(q), skill: null, region: null, club: null, status: null, open: null, sort: "relevance", page: 1 }, { pageSize: 3 }),
  ]);
  const spaceById = new Map(spaces.map((s) => [s.id, s]));
  const facts = await resultFacts(db, { page: titles.filter((t) => t.kind === "page").map((t) => t.refId), post: titles.filter((t) => t.kind === "post").map((t) => t.refId), comment: [], message: [], authors: [] }, actor.id);
  const suggestions: Suggestion[] = [];
  for (const t of titles) {
    const space = t.spaceId ? spaceById.get(t.spaceId) : undefined;
    const member = space ? canReadSpace(actor, space.role ? { role: space.role } : null, space) : false;
    const url = urlOf(t, space, member, facts);
    if (url) suggestions.push({ kind: t.kind, label: t.title, detail: space?.name ?? null, url });
  }
  for (const p of people.people) if (p.url) suggestions.push({ kind: "person", label: p.name, detail: p.headline, url: p.url });
  return suggestions;
}
