import { sql } from "kysely";
import { decode } from "turbo-stream";
import { expect } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import type { SearchView, Suggestion } from "#app/search/load.server.ts";
import { pageText, type Client, type HttpResponse } from "./http.ts";
import { doc, paragraph, textDoc } from "./lexical.ts";
import type { Tus } from "./tus.ts";

/**
 * The search suites' hands: content made through the app's own forms (so
 * every write goes through transact() and is indexed as the app indexes
 * it), and the search read back over HTTP as a browser's client-side
 * navigation reads it (GET /search.data, the loader's packed view) or as
 * the header's box does (GET /search/suggest).
 */

/** The search route's view, as its loader packed it for this viewer. */
export async function searchView(c: Client, params: Record<string, string>): Promise<{ status: number; view: SearchView | null; text: string }> {
  const res = await c.get(`/search.data?${new URLSearchParams(params)}`);
  if (res.status !== 200) return { status: res.status, view: null, text: res.text };
  const bytes = new TextEncoder().encode(res.text);
  const decoded = await decode(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
  );
  await decoded.done;
  const routes = decoded.value as Record<string, { data?: { view?: string }; error?: unknown }>;
  const packed = routes["routes/search"]?.data?.view;
  if (typeof packed !== "string") throw new Error(`no search view in ${res.text.slice(0, 300)}`);
  return { status: res.status, view: JSON.parse(packed) as SearchView, text: res.text };
}

/** The view, expected 200. */
export async function search(c: Client, q: string, params: Record<string, string> = {}): Promise<SearchView> {
  const { status, view, text } = await searchView(c, { q, ...params });
  expect(status, `GET /search.data?q=${q}: ${text.slice(0, 300)}`).toBe(200);
  return view!;
}

/** The keys (kind:id) of every result of a search, page after page. */
export async function allKeys(c: Client, q: string, params: Record<string, string> = {}): Promise<{ keys: string[]; total: number }> {
  const first = await search(c, q, params);
  const keys = first.results.map((r) => r.key);
  for (let page = 2; page <= first.pageCount; page++) keys.push(...(await search(c, q, { ...params, page: String(page) })).results.map((r) => r.key));
  return { keys, total: first.total };
}

export async function suggestions(c: Client, q: string): Promise<Suggestion[]> {
  const res = await c.get(`/search/suggest?${new URLSearchParams({ q })}`);
  expect(res.status, `GET /search/suggest?q=${q}: ${res.text.slice(0, 300)}`).toBe(200);
  return (JSON.parse(res.text) as { suggestions: Suggestion[] }).suggestions;
}

/** What a redirecting form answered, or the page's words when it did not redirect. */
function redirected(res: HttpResponse, what: string, status = 302): string {
  expect(res.status, `${what}: ${pageText(res.text).slice(0, 400)}`).toBe(status);
  return res.location ?? "";
}

const lastSegment = (location: string) => decodeURIComponent(location.split(/[?#]/)[0].split("/").at(-1) ?? "");

/** The form-filling side of the suites, bound to a world's database (to find the ids the redirects name by slug). */
export function makers(db: OpenedDatabase["db"]) {
  async function wikiPage(c: Client, space: Space, title: string, text: string): Promise<string> {
    const location = redirected(await c.post(`/spaces/${space.slug}/wiki/new`, { title, content: doc(paragraph(text)), summary: "" }), `wiki page ${title}`);
    const row = await db.selectFrom("page").select("id").where("space_id", "=", space.id).where("slug", "=", lastSegment(location)).executeTakeFirstOrThrow();
    return row.id;
  }

  /** A draft through the real form; with `to`, then published or scheduled by the same hand. */
  async function post(
    c: Client,
    space: Space,
    input: { title: string; text: string; visibility?: "space" | "network"; excerpt?: string; to?: "publish" | { schedule: string } },
  ): Promise<string> {
    const location = redirected(
      await c.post(`/spaces/${space.slug}/blog/new`, {
        title: input.title,
        content: doc(paragraph(input.text)),
        excerpt: input.excerpt ?? "",
        coverFileId: "",
        tags: "",
        visibility: input.visibility ?? "space",
      }),
      `article ${input.title}`,
    );
    const slug = decodeURIComponent(location.replace(`/spaces/${space.slug}/blog/`, "").replace(/\/edit$/, ""));
    const row = await db.selectFrom("post").select(["id", "slug"]).where("space_id", "=", space.id).where("slug", "=", slug).executeTakeFirstOrThrow();
    if (input.to === "publish") redirected(await c.post(`/spaces/${space.slug}/blog/${row.slug}/edit`, { postId: row.id, intent: "publish" }), `publish ${input.title}`);
    else if (input.to) redirected(await c.post(`/spaces/${space.slug}/blog/${row.slug}/edit`, { postId: row.id, intent: "schedule", publishAt: input.to.schedule }), `schedule ${input.title}`);
    return row.id;
  }

  /** Scheduled by an admin, a proposal by anyone else: the form decides by who sends it. */
  async function workshop(c: Client, space: Space, input: { title: string; text: string; network?: boolean; daysAhead?: number }): Promise<string> {
    const date = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(Date.now() + (input.daysAhead ?? 10) * 86_400_000);
    const fields: Record<string, string> = {
      title: input.title,
      date,
      start: "09:30",
      end: "12:00",
      timeZone: "Europe/Paris",
      place: "Maison des associations, Lyon",
      videoUrl: "",
      capacity: "",
      outsideSpeaker: "",
      description: textDoc(input.text),
    };
    if (input.network) fields.network = "on";
    const location = redirected(await c.post(`/spaces/${space.slug}/workshops/new`, fields), `workshop ${input.title}`);
    return lastSegment(location);
  }

  async function ask(c: Client, space: Space, input: { title: string; text: string; audience?: "space" | "network"; skills?: string[] }): Promise<string> {
    const fields: Array<[string, string]> = [
      ["kind", "question"],
      ["audience", input.audience ?? "space"],
      ["title", input.title],
      ["body", textDoc(input.text)],
      ["region", ""],
      ["deadline", ""],
      ...(input.skills ?? []).map((s): [string, string] => ["skills", s]),
    ];
    return lastSegment(redirected(await c.post(`/spaces/${space.slug}/asks/new`, fields), `ask ${input.title}`));
  }

  async function comment(c: Client, space: Space, on: { kind: "page" | "post" | "workshop" | "ask"; id: string }, text: string): Promise<string> {
    const res = await c.post(`/spaces/${space.slug}/comments`, { intent: "create", targetType: on.kind, targetId: on.id, body: textDoc(text) });
    const location = redirected(res, `comment on ${on.kind} ${on.id}`, 303);
    const id = /#comment-([a-z0-9]+)$/.exec(location)?.[1];
    expect(id, `no comment anchor in ${location}`).toBeDefined();
    return id!;
  }

  async function file(tus: Tus, space: Space, filename: string, text: string): Promise<string> {
    return (await tus.upload(space.slug, Buffer.from(text, "utf8"), { filename })).fileId;
  }

  /** A new conversation with these members, its first message `text`. */
  async function conversation(c: Client, to: readonly string[], text: string): Promise<string> {
    const res = await c.post("/messages/new", [...to.map((id): [string, string] => ["to", id]), ["body", textDoc(text)]]);
    const id = /^\/messages\/([0-9a-z]+)$/.exec(redirected(res, "new conversation"))?.[1];
    expect(id).toBeDefined();
    return id!;
  }

  /** One more message; answers its id. */
  async function message(c: Client, conversationId: string, text: string): Promise<string> {
    const res = await c.post(`/messages/${conversationId}`, { intent: "send", body: textDoc(text) });
    expect(res.status, pageText(res.text).slice(0, 300)).toBe(200);
    const row = await db
      .selectFrom("message")
      .select("id")
      .where("conversation_id", "=", conversationId)
      .where("body_text", "like", `%${text.slice(0, 40)}%`)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  return { wikiPage, post, workshop, ask, comment, file, conversation, message };
}

/** Plain text of the result titles and snippets, for messages. */
export const describeResults = (view: SearchView) => view.results.map((r) => `${r.key} ${r.title.map((p) => p.text).join("")} | ${r.snippet.map((p) => p.text).join("")}`);

/**
 * Every indexed term at every place, as `kind:ref column place term`, sorted:
 * what a reindex must leave as the writers' transactions kept it. SQLite:
 * FTS5's own lists, through fts5vocab (the index is contentless, nothing else
 * reads them). PostgreSQL: search_doc's vectors (db/search/postgres/vector.ts),
 * `title_fts` as "title" counted from 0 as FTS5 counts, `fts` with its weights.
 * Raw SQL: Kysely has no words for fts5vocab or tsvector's unnest.
 */
export async function indexedTerms(store: OpenedDatabase): Promise<string[]> {
  const ref = (kind: string, id: string | null) => (id === null ? "orphan" : `${kind}:${id}`);
  if (store.dialect === "postgres") {
    const { rows } = await sql<{ kind: string; ref_id: string; col: string; lexeme: string; positions: number[]; weights: string[] }>`
      SELECT d.kind, d.ref_id, v.col, v.lexeme, v.positions, v.weights FROM search_doc d
      CROSS JOIN LATERAL (SELECT 'title' AS col, * FROM unnest(d.title_fts) UNION ALL SELECT 'fts' AS col, * FROM unnest(d.fts)) v`.execute(store.db);
    return rows
      .flatMap((r) =>
        r.positions.map((p, i) => (r.col === "title" ? `${ref(r.kind, r.ref_id)} title ${p - 1} ${r.lexeme}` : `${ref(r.kind, r.ref_id)} fts ${p}${r.weights[i]} ${r.lexeme}`)),
      )
      .sort();
  }
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_fts, instance)`.execute(store.db);
  const { rows } = await sql<{ kind: string | null; ref_id: string | null; doc: number; col: string; offset: number; term: string }>`
    SELECT d.kind, d.ref_id, v.doc, v.col, v."offset", v.term FROM temp.search_vocab v LEFT JOIN search_doc d ON d.id = v.doc`.execute(store.db);
  return rows.map((t) => `${t.kind === null ? `orphan ${t.doc}` : ref(t.kind, t.ref_id)} ${t.col} ${t.offset} ${t.term}`).sort();
}
