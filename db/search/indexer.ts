import type { Executor } from "../client.ts";
import { dialectOf } from "../dialect.ts";
import { type InsertObject, type InsertQueryBuilder, type InsertResult, type SelectQueryBuilder, type WhereInterface } from "kysely";
import type { Database, SearchKind } from "../schema.ts";
import { accessWords, filterWord, type AccessFacts } from "./access.ts";
import { keepOwnChangesApart, noteChanged, takeOwnChanges } from "./postgres/own.ts";
import { vectorColumns } from "./postgres/vector.ts";
import { indexForm } from "./text.ts";

/**
 * Brings the index up to date with what changed (search_dirty, filled by
 * triggers in the writer's transaction; migration 20261206_0900; on
 * PostgreSQL a writer's own changes are kept apart, 20261214_0900). transact()
 * indexes its own before every commit, so a save is found as soon as it is saved
 * and a crash never leaves the index disagreeing with the content; the
 * background job and `npm run search:reindex` call it for a backlog.
 */

/** What the index keeps of one thing. */
export interface SearchDoc {
  kind: SearchKind;
  refId: string;
  spaceId: string | null;
  /** Shown as the result's title; indexed as the title unless `indexTitle` is false. */
  title: string;
  indexTitle: boolean;
  body: string;
  authorId: string | null;
  at: number;
  access: string[];
}

/**
 * Past this, a text is indexed and kept only up to here: a document that
 * long is found by its first 200,000 words well enough, and the index stays
 * in proportion to the database.
 */
export const MAX_INDEXED_CHARS = 1_000_000;

const clip = (text: string) => (text.length > MAX_INDEXED_CHARS ? text.slice(0, MAX_INDEXED_CHARS) : text);

type Loader = (db: Executor, ids: string[]) => Promise<SearchDoc[]>;

const pageDocs: Loader = async (db, ids) => {
  const rows = await db
    .selectFrom("page")
    .select(["id", "space_id", "title", "content_text", "created_by", "updated_at"])
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((r) => ({
    kind: "page",
    refId: r.id,
    spaceId: r.space_id,
    title: r.title,
    indexTitle: true,
    body: r.content_text,
    authorId: r.created_by,
    at: r.updated_at,
    access: accessWords({ kind: "page", spaceId: r.space_id }),
  }));
};

const postDocs: Loader = async (db, ids) => {
  const rows = await db
    .selectFrom("post")
    .select(["id", "space_id", "title", "excerpt", "content_text", "state", "visibility", "author_id", "published_at", "updated_at"])
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((r) => ({
    kind: "post",
    refId: r.id,
    spaceId: r.space_id,
    title: r.title,
    indexTitle: true,
    body: `${r.excerpt}\n${r.content_text}`,
    authorId: r.author_id,
    at: r.published_at ?? r.updated_at,
    access: accessWords({ kind: "post", spaceId: r.space_id, state: r.state, visibility: r.visibility, authorId: r.author_id }),
  }));
};

const workshopDocs: Loader = async (db, ids) => {
  const rows = await db
    .selectFrom("workshop")
    .select(["id", "space_id", "title", "description_text", "place", "outside_speaker", "state", "visibility", "proposed_by", "created_by", "starts_at"])
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((r) => ({
    kind: "workshop",
    refId: r.id,
    spaceId: r.space_id,
    title: r.title,
    indexTitle: true,
    body: [r.description_text, r.place, r.outside_speaker].filter(Boolean).join("\n"),
    authorId: r.proposed_by ?? r.created_by,
    at: r.starts_at,
    access: accessWords({ kind: "workshop", spaceId: r.space_id, state: r.state, visibility: r.visibility, proposedBy: r.proposed_by }),
  }));
};

const askDocs: Loader = async (db, ids) => {
  const rows = await db
    .selectFrom("ask")
    .select(["id", "space_id", "title", "body_text", "audience", "author_id", "created_at"])
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  const skills = rows.length ? await db.selectFrom("ask_skill").select(["ask_id", "label"]).where("ask_id", "in", ids).orderBy("position").execute() : [];
  return rows.map((r) => ({
    kind: "ask",
    refId: r.id,
    spaceId: r.space_id,
    title: r.title,
    indexTitle: true,
    body: [r.body_text, ...skills.filter((s) => s.ask_id === r.id).map((s) => s.label)].join("\n"),
    authorId: r.author_id,
    at: r.created_at,
    access: accessWords({ kind: "ask", spaceId: r.space_id, audience: r.audience }),
  }));
};

/** A comment is read by whoever reads what it is on: it takes that thing's words, and its title to show. */
const commentDocs: Loader = async (db, ids) => {
  const rows = await db
    .selectFrom("comment")
    .leftJoin("page", (j) => j.onRef("page.id", "=", "comment.page_id").on("page.deleted_at", "is", null))
    .leftJoin("post", (j) => j.onRef("post.id", "=", "comment.post_id").on("post.deleted_at", "is", null))
    .leftJoin("workshop", (j) => j.onRef("workshop.id", "=", "comment.workshop_id").on("workshop.deleted_at", "is", null))
    .leftJoin("ask", (j) => j.onRef("ask.id", "=", "comment.ask_id").on("ask.deleted_at", "is", null))
    .select([
      "comment.id",
      "comment.space_id",
      "comment.body_text",
      "comment.author_id",
      "comment.created_at",
      "page.id as page_id",
      "page.title as page_title",
      "post.id as post_id",
      "post.title as post_title",
      "post.state as post_state",
      "post.visibility as post_visibility",
      "post.author_id as post_author",
      "workshop.id as workshop_id",
      "workshop.title as workshop_title",
      "workshop.state as workshop_state",
      "workshop.visibility as workshop_visibility",
      "workshop.proposed_by as workshop_proposer",
      "ask.id as ask_id",
      "ask.title as ask_title",
      "ask.audience as ask_audience",
    ])
    .where("comment.id", "in", ids)
    .where("comment.deleted_at", "is", null)
    .execute();
  const docs: SearchDoc[] = [];
  for (const r of rows) {
    let on: { title: string; facts: AccessFacts } | null = null;
    if (r.page_id) on = { title: r.page_title ?? "", facts: { kind: "page", spaceId: r.space_id } };
    // An article or a workshop opened to the network is read by all, but its comments stay
    // the club's (the network's page shows none, the workshop page shows them to members):
    // they take the words of the thing as if it were the club's only. A network ask's
    // answers are read by all who read the ask: they take its words as they are.
    else if (r.post_id)
      on = { title: r.post_title ?? "", facts: { kind: "post", spaceId: r.space_id, state: r.post_state ?? "", visibility: "space", authorId: r.post_author } };
    else if (r.workshop_id)
      on = {
        title: r.workshop_title ?? "",
        facts: { kind: "workshop", spaceId: r.space_id, state: r.workshop_state ?? "", visibility: "space", proposedBy: r.workshop_proposer },
      };
    else if (r.ask_id) on = { title: r.ask_title ?? "", facts: { kind: "ask", spaceId: r.space_id, audience: r.ask_audience ?? "" } };
    // On something in the trash: found again when it is restored (its trigger marks its comments).
    if (!on) continue;
    docs.push({
      kind: "comment",
      refId: r.id,
      spaceId: r.space_id,
      title: on.title,
      indexTitle: false,
      body: r.body_text,
      authorId: r.author_id,
      at: r.created_at,
      access: accessWords(on.facts),
    });
  }
  return docs;
};

/** A file: its name, and the text extracted from its current version once there is one. */
const fileDocs: Loader = async (db, ids) => {
  const rows = await db
    .selectFrom("file")
    .leftJoin("file_version", (j) => j.onRef("file_version.file_id", "=", "file.id").onRef("file_version.number", "=", "file.version"))
    .leftJoin("file_text", (j) => j.onRef("file_text.version_id", "=", "file_version.id").on("file_text.state", "=", "done"))
    .select(["file.id", "file.space_id", "file.name", "file.updated_by", "file.created_by", "file.updated_at", "file_text.text"])
    .where("file.id", "in", ids)
    .where("file.deleted_at", "is", null)
    .execute();
  return rows.map((r) => ({
    kind: "file",
    refId: r.id,
    spaceId: r.space_id,
    title: r.name,
    indexTitle: true,
    body: r.text ?? "",
    authorId: r.updated_by ?? r.created_by,
    at: r.updated_at,
    access: accessWords({ kind: "file", spaceId: r.space_id }),
  }));
};

const messageDocs: Loader = async (db, ids) => {
  const rows = await db
    .selectFrom("message")
    .select(["id", "conversation_id", "body_text", "author_id", "created_at"])
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((r) => ({
    kind: "message",
    refId: r.id,
    spaceId: null,
    title: "",
    indexTitle: false,
    body: r.body_text,
    authorId: r.author_id,
    at: r.created_at,
    access: accessWords({ kind: "conversation", conversationId: r.conversation_id }),
  }));
};

const LOADERS: Record<SearchKind, Loader> = {
  page: pageDocs,
  post: postDocs,
  workshop: workshopDocs,
  ask: askDocs,
  comment: commentDocs,
  file: fileDocs,
  message: messageDocs,
};

/** The words of the access column: who may read, and what the filters look for. */
function accessColumn(doc: SearchDoc): string {
  const words = [...doc.access, filterWord.kind(doc.kind)];
  if (doc.spaceId) words.push(filterWord.space(doc.spaceId));
  if (doc.authorId) words.push(filterWord.author(doc.authorId));
  return words.join(" ");
}

/** SQLite's limit on bound parameters is far above this; a batch this size keeps a writer's pause short. */
const BATCH = 500;

/**
 * Where a writer finds its own changes before it commits: on SQLite, the
 * queue's rows after the number it ended at when the transaction began (one
 * writer at a time); on PostgreSQL, apart from the queue (postgres/own.ts),
 * since with several writers at once each reading the queue's end where the
 * others append would refuse the others' commits.
 */
export type OwnChanges = { after: number } | { apart: true };

/** Called first in a writer's transaction (db/transact.ts). */
export async function beginOwnChanges(db: Executor): Promise<OwnChanges> {
  if (dialectOf(db) === "postgres") {
    await keepOwnChangesApart(db);
    return { apart: true };
  }
  const row = await db.selectFrom("search_dirty").select((eb) => eb.fn.max("seq").as("seq")).executeTakeFirst();
  return { after: Number(row?.seq ?? 0) };
}

/** Indexes a batch of the transaction's own changes and answers how many it took: called until none is left. */
export async function indexOwnChanges(db: Executor, own: OwnChanges): Promise<number> {
  if ("after" in own) return indexChanges(db, { after: own.after });
  const changed = await takeOwnChanges(db, BATCH);
  await indexChanged(db, changed);
  return changed.length;
}

/**
 * Indexes up to `limit` changed things of the shared queue and answers how
 * many it took. Inside the caller's transaction. With `after`, only the
 * changes listed after that point: a writer on SQLite indexes its own
 * changes and leaves a backlog (after the migration, during a reindex) to
 * the background job.
 */
export async function indexChanges(db: Executor, options: { limit?: number; after?: number } = {}): Promise<number> {
  let pending = db.selectFrom("search_dirty").select(["seq", "kind", "ref_id"]);
  if (options.after !== undefined) pending = pending.where("seq", ">", options.after);
  // A backlog in the order it was written.
  const changed = await pending
    .orderBy("seq", options.after === undefined ? "asc" : "desc")
    .limit(options.limit ?? BATCH)
    .execute();
  if (changed.length === 0) return 0;
  await indexChanged(db, changed);
  await db
    .deleteFrom("search_dirty")
    .where(
      "seq",
      "in",
      changed.map((r) => r.seq),
    )
    .execute();
  return changed.length;
}

/** Reads the changed things again and puts their rows in the index. */
async function indexChanged(db: Executor, changed: { kind: SearchKind; ref_id: string }[]): Promise<void> {
  const byKind = new Map<SearchKind, string[]>();
  for (const row of changed) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row.ref_id]);
  for (const [kind, ids] of byKind) {
    const docs = new Map<string, SearchDoc>();
    for (let i = 0; i < ids.length; i += BATCH) for (const doc of await LOADERS[kind](db, ids.slice(i, i + BATCH))) docs.set(doc.refId, doc);
    const existing = new Map(
      (await db.selectFrom("search_doc").select(["id", "ref_id", "at"]).where("kind", "=", kind).where("ref_id", "in", ids).execute()).map((r) => [r.ref_id, r]),
    );
    for (const id of ids) await put(db, kind, id, existing.get(id), docs.get(id));
  }
}

/**
 * A row's number says its date, newest first: the time left from its
 * thing's time (ms) to LAST_MS, × ROWS_PER_MS, plus a random part that keeps
 * two things of the same millisecond apart. FTS5 reads its rows in number
 * order and takes ranges of numbers for free, so "newest first" and "since
 * that date" are answered inside the index, without reading search_doc
 * (README, decision 90); and it reads forwards much faster than backwards
 * (its lists are delta-coded forwards), hence newer is smaller.
 * LAST_MS × ROWS_PER_MS stays below 2^53.
 */
const ROWS_PER_MS = 1024;
/** The year 2223: no date indexed is later. */
const LAST_MS = 8_000_000_000_000;

const msOf = (at: number) => Math.min(LAST_MS, Math.max(0, Math.floor(at)));

/** The first row number of things dated `ms`. */
export const rowAt = (ms: number) => (LAST_MS - msOf(ms)) * ROWS_PER_MS;

/** The last row number of things dated at or after `ms`: "since" is "up to this number". */
export const lastRowSince = (ms: number) => rowAt(ms) + ROWS_PER_MS - 1;

/** A second's worth of row numbers: where a crowd of things of one instant is put. */
const CROWD_ROWS = 1000 * ROWS_PER_MS;

type DocRow = InsertObject<Database, "search_doc">;

/**
 * Adds a thing's row at a free number for its date `at`: a random one of its
 * millisecond, nearly always free at the first try. Inserted rather than
 * looked up first: on PostgreSQL (serializable) a look-up is a read, and
 * every writer indexing at the same time inserts next to it (the numbers of
 * "now" are neighbours), so each would refuse the others' commits.
 * More than a few things of one instant (an import, a seed, a migration that
 * dated them alike) fill its 1,024 numbers: they go after the last number in
 * use within the second, in order, so "newest first" is wrong by a second at
 * most, and a crowd of any size is placed in one look-up each, never by
 * trying for ever.
 */
async function insertAtFreeRow(db: Executor, at: number, row: Omit<DocRow, "id">): Promise<number> {
  const first = rowAt(at);
  for (let i = 0; i < 4; i++) {
    const id = first + Math.floor(Math.random() * ROWS_PER_MS);
    const inserted = await db
      .insertInto("search_doc")
      .values({ id, ...row })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (inserted) return id;
  }
  // Crowded: after the last number in use within the second (the next second's, should a million fill it).
  for (let from = first; ; from += CROWD_ROWS) {
    const last = await db
      .selectFrom("search_doc")
      .select((eb) => eb.fn.max("id").as("last"))
      .where("id", ">=", from)
      .where("id", "<", from + CROWD_ROWS)
      .executeTakeFirst();
    const next = last?.last == null ? from : Number(last.last) + 1;
    if (next < from + CROWD_ROWS) {
      await db
        .insertInto("search_doc")
        .values({ id: next, ...row })
        .execute();
      return next;
    }
  }
}

/** Replaces, adds or removes one thing's row (a thing gone, trashed or unreadable has none). */
async function put(db: Executor, kind: SearchKind, refId: string, indexed: { id: number; at: number } | undefined, doc: SearchDoc | undefined): Promise<void> {
  const rowid = indexed?.id;
  const postgres = dialectOf(db) === "postgres";
  if (rowid !== undefined && !postgres) {
    await db.deleteFrom("search_fts").where("rowid", "=", rowid).execute();
    await db.deleteFrom("search_title").where("rowid", "=", rowid).execute();
  }
  // A thing whose date moved (a page saved) takes a new number: its place in time.
  const keep = indexed !== undefined && doc !== undefined && indexed.at === doc.at;
  // On PostgreSQL found by its thing, not by its number: looking a row up by number reads
  // (serializable) the index page of numbers where every writer's new rows of "now" go, and two
  // writers saving recent things would refuse each other's commits; the thing's own entry is
  // its own. SQLite's number is the table's own key, the cheapest way to the row.
  const thisRow = <Q extends WhereInterface<Database, "search_doc">>(query: Q): Q =>
    (postgres ? query.where("kind", "=", kind).where("ref_id", "=", refId) : query.where("id", "=", rowid!)) as Q;
  if (rowid !== undefined && !keep) await thisRow(db.deleteFrom("search_doc")).execute();
  if (!doc) return;
  const body = clip(doc.body);
  const access = accessColumn(doc);
  const title = doc.indexTitle ? indexForm(doc.title) : "";
  const stems = indexForm(body);
  const values = { kind, ref_id: refId, space_id: doc.spaceId, title: doc.title, body, author_id: doc.authorId, at: doc.at, access };
  // PostgreSQL's full text lives in search_doc's own columns, written with the row (postgres/vector.ts).
  const columns = postgres ? { ...values, ...vectorColumns(title, stems, access) } : values;
  let id: number;
  if (keep) {
    id = indexed.id;
    await thisRow(db.updateTable("search_doc").set(columns)).execute();
  } else {
    id = await insertAtFreeRow(db, doc.at, columns);
  }
  if (postgres) return;
  await db.insertInto("search_fts").values({ rowid: id, title, body: stems, access }).execute();
  if (title) await db.insertInto("search_title").values({ rowid: id, title, access }).execute();
}

/**
 * Marks the (kind, ref_id) rows that `rows` selects as changed, as a
 * trigger's mark does: on SQLite one marked already moves to the end of the
 * queue (INSERT OR REPLACE, migration 20261206_0900); on PostgreSQL through
 * the triggers' own function, so inside transact() they are the
 * transaction's own changes (20261214_0900).
 */
export async function queueChanged(db: Executor, rows: SelectQueryBuilder<Database, any, { kind: SearchKind; ref_id: string }>): Promise<void> {
  if (dialectOf(db) === "postgres") await noteChanged(db, rows);
  else await db.insertInto("search_dirty").columns(["kind", "ref_id"]).expression(rows).orReplace().execute();
}

/**
 * An INSERT … SELECT into the queue that leaves things already marked where
 * they are. SQLite keeps OR IGNORE: it would read an ON CONFLICT after a
 * SELECT as the ON of a join.
 */
function skipMarked(db: Executor, insert: InsertQueryBuilder<Database, "search_dirty", InsertResult>) {
  return dialectOf(db) === "postgres" ? insert.onConflict((oc) => oc.columns(["kind", "ref_id"]).doNothing()) : insert.orIgnore();
}

/** How many changes wait to be indexed: a backlog says results may be missing things for now. */
export async function pendingChanges(db: Executor): Promise<number> {
  const row = await db.selectFrom("search_dirty").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks everything there is as changed: a reindex, then worked through by indexChanges in batches. */
export async function markAllChanged(db: Executor): Promise<void> {
  for (const kind of Object.keys(LOADERS) as SearchKind[]) {
    // Rows for things that no longer exist are dropped when their id comes up: mark those too.
    const indexed = db.selectFrom("search_doc").select(["kind", "ref_id"]).where("kind", "=", kind);
    await skipMarked(db, db.insertInto("search_dirty").columns(["kind", "ref_id"]).expression(indexed)).execute();
    await skipMarked(
      db,
      db
        .insertInto("search_dirty")
        .columns(["kind", "ref_id"])
        .expression((eb) => eb.selectFrom(kind).select([eb.val(kind).as("kind"), "id as ref_id"]) as never),
    ).execute();
  }
}
