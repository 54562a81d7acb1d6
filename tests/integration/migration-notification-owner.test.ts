import { afterEach, beforeEach, expect, test } from "vitest";
import { migrator } from "#db/migrations/index.ts";
import * as pages from "#db/queries/pages.ts";
import * as posts from "#db/queries/posts.ts";
import { createNetwork } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * 20261204_1100_notification_owner rebuilds the notification table (SQLite
 * cannot drop a NOT NULL): on a database holding notifications about
 * comments on a page and on an article, with outbox mails naming them, up
 * keeps every row and every mail, fills the owner from the comment's target,
 * and keeps the indexes and foreign keys (cascades included); down keeps the
 * notifications about a comment and their mails, and drops the others.
 */

let database: Awaited<ReturnType<typeof tempDatabase>>;
beforeEach(async () => {
  database = await tempDatabase();
});
afterEach(() => database?.remove());

const BEFORE = "20261204_1100_job_run";
const UNDER_TEST = "20261204_1100_notification_owner";
/** Up to the migration under test, not further: later ones are not this test's. */
async function up(): Promise<string[]> {
  const { error, results } = await migrator(database.db).migrateTo(UNDER_TEST);
  expect(error).toBeUndefined();
  return (results ?? []).map((r) => r.migrationName);
}
const content = { json: "{}", html: "<p>x</p>", text: "x" };
const body = (text: string) => ({ json: "{}", html: `<p>${text}</p>`, text });

const sqlite = () => database.sqlite;
const indexesOf = (table: string) =>
  (sqlite().prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(table) as Array<{ name: string }>).map((r) => r.name);
const foreignKeys = (table: string) =>
  (sqlite().prepare(`SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY "from"`).all(table) as Array<Record<string, string>>).map(
    (r) => `${r.from} -> ${r.table}.${r.to} on delete ${r.on_delete}`,
  );
const notNull = (table: string) =>
  Object.fromEntries((sqlite().prepare("SELECT name, \"notnull\" FROM pragma_table_info(?)").all(table) as Array<{ name: string; notnull: number }>).map((c) => [c.name, c.notnull]));
const outboxRows = () => sqlite().prepare("SELECT id, notification_id, state, attempts FROM mail_outbox ORDER BY id").all();

async function arrange() {
  const { error } = await migrator(database.db).migrateTo(BEFORE);
  expect(error).toBeUndefined();
  const now = Date.now();
  const db = database.db;
  await createNetwork(db);
  // Raw SQL for the people and the space: the factories write today's columns, which this older schema lacks.
  const person = sqlite().prepare("INSERT INTO user (id, email, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)");
  person.run("alice", "alice@owner.test", "Alice", now, now);
  person.run("bob", "bob@owner.test", "Bob", now, now);
  const alice = { id: "alice", email: "alice@owner.test" };
  const bob = { id: "bob", email: "bob@owner.test" };
  sqlite()
    .prepare("INSERT INTO space (id, slug, name, kind, visibility, join_policy, storage_quota_bytes, created_by, created_at) VALUES ('club', 'club', 'Club', 'trade_club', 'listed', 'admins_invite', 1073741824, 'alice', ?)")
    .run(now);
  sqlite().prepare("INSERT INTO space_member (space_id, user_id, role, joined_at) VALUES ('club', 'alice', 'admin', ?)").run(now);
  const space = { id: "club", slug: "club" };
  const page = await pages.createPage(db, { spaceId: space.id, parentId: null, title: "Page", slug: "page", content, summary: "", authorId: alice.id, now });
  const post = await posts.createPost(db, {
    spaceId: space.id,
    slug: "article",
    title: "Article",
    excerpt: "",
    excerptAuto: true,
    coverFileId: null,
    content,
    visibility: "space",
    authorId: alice.id,
    summary: "",
    now,
  });
  // Raw SQL: the comment table as it was then (today's insertComment writes columns added since).
  const comment = sqlite().prepare(
    "INSERT INTO comment (id, space_id, post_id, page_id, parent_id, author_id, body_json, body_html, body_text, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
  );
  const written = (id: string, text: string) => ({ id, ...body(text) });
  const onPage = written("c-page", "sur la page");
  const onPost = written("c-post", "sur l'article");
  comment.run(onPage.id, space.id, null, page.id, alice.id, onPage.json, onPage.html, onPage.text, now);
  comment.run(onPost.id, space.id, post.id, null, alice.id, onPost.json, onPost.html, onPost.text, now);
  // Raw SQL: the table as it was before this migration (the Database interface knows only the new one).
  const notify = sqlite().prepare("INSERT INTO notification (id, user_id, kind, space_id, comment_id, actor_id, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  notify.run("n1", bob.id, "mention", space.id, onPage.id, alice.id, now - 3000, null);
  notify.run("n2", bob.id, "reply", space.id, onPost.id, alice.id, now - 2000, now - 1000);
  notify.run("n3", alice.id, "mention", space.id, onPost.id, null, now - 1000, null);
  const mail = sqlite().prepare("INSERT INTO mail_outbox (id, recipient, payload, notification_id, state, attempts, created_at) VALUES (?, ?, NULL, ?, ?, ?, ?)");
  mail.run("m1", bob.email, "n1", "pending", 2, now - 3000);
  mail.run("m2", bob.email, "n2", "sent", 1, now - 2000);
  // A mail of another kind, naming no notification.
  sqlite().prepare("INSERT INTO mail_outbox (id, recipient, payload, state, attempts, created_at) VALUES ('m3', 'x@owner.test', '{}', 'pending', 0, ?)").run(now);
  const table = () => sqlite().prepare("SELECT id, user_id, kind, space_id, comment_id, actor_id, created_at, read_at FROM notification ORDER BY id").all();
  return { now, alice, bob, space, page, post, onPage, onPost, before: { rows: table(), outbox: outboxRows(), indexes: indexesOf("notification"), keys: foreignKeys("notification") }, table };
}

test("up keeps every notification and its mail, fills the owner, keeps indexes and foreign keys", async () => {
  const a = await arrange();
  expect(a.before.rows).toHaveLength(3);
  expect(await up()).toEqual([UNDER_TEST]);

  // Every row and every mail as they were, each notification now naming its comment's target.
  expect(a.table()).toEqual(a.before.rows);
  expect(outboxRows()).toEqual(a.before.outbox);
  const owners = sqlite().prepare("SELECT id, owner_kind, owner_id FROM notification ORDER BY id").all();
  expect(owners).toEqual([
    { id: "n1", owner_kind: "page", owner_id: a.page.id },
    { id: "n2", owner_kind: "post", owner_id: a.post.id },
    { id: "n3", owner_kind: "post", owner_id: a.post.id },
  ]);
  expect(notNull("notification")).toMatchObject({ comment_id: 0, owner_kind: 1, owner_id: 1, user_id: 1, space_id: 1, kind: 1 });
  expect(indexesOf("notification")).toEqual([...a.before.indexes, "notification_comment"].sort());
  expect(foreignKeys("notification")).toEqual(a.before.keys);
  expect(foreignKeys("mail_outbox")).toContain("notification_id -> notification.id on delete CASCADE");
  expect(sqlite().pragma("foreign_keys", { simple: true })).toBe(1);
  expect(sqlite().pragma("foreign_key_check")).toEqual([]);

  // The cascades still hold: a comment gone takes its notifications and their mails.
  await database.db.deleteFrom("comment").where("id", "=", a.onPage.id).execute();
  expect((sqlite().prepare("SELECT id FROM notification ORDER BY id").all() as Array<{ id: string }>).map((r) => r.id)).toEqual(["n2", "n3"]);
  expect(outboxRows().map((r) => (r as { id: string }).id)).toEqual(["m2", "m3"]);
  // And a notification about no comment is now possible.
  await database.db
    .insertInto("notification")
    .values({ id: "n4", user_id: a.bob.id, kind: "reviewRequest", space_id: a.space.id, owner_kind: "page", owner_id: a.page.id, comment_id: null, actor_id: a.alice.id, created_at: a.now, read_at: null })
    .execute();
});

test("down keeps the notifications about a comment with their mails and drops the others; up again restores the owners", async () => {
  const a = await arrange();
  await up();
  await database.db
    .insertInto("notification")
    .values({ id: "n4", user_id: a.bob.id, kind: "reviewRequest", space_id: a.space.id, owner_kind: "page", owner_id: a.page.id, comment_id: null, actor_id: a.alice.id, created_at: a.now, read_at: null })
    .execute();
  sqlite().prepare("INSERT INTO mail_outbox (id, recipient, payload, notification_id, state, attempts, created_at) VALUES ('m4', ?, NULL, 'n4', 'pending', 0, ?)").run(a.bob.email, a.now);

  const down = await migrator(database.db).migrateDown();
  expect(down.error).toBeUndefined();
  expect(down.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual([["20261204_1100_notification_owner", "Down", "Success"]]);
  expect(a.table()).toEqual(a.before.rows);
  expect(outboxRows()).toEqual(a.before.outbox);
  expect(notNull("notification")).toMatchObject({ comment_id: 1 });
  expect(Object.keys(notNull("notification"))).not.toContain("owner_kind");
  expect(indexesOf("notification")).toEqual(a.before.indexes);
  expect(foreignKeys("notification")).toEqual(a.before.keys);
  expect(foreignKeys("mail_outbox")).toContain("notification_id -> notification.id on delete CASCADE");
  expect(sqlite().pragma("foreign_keys", { simple: true })).toBe(1);
  expect(sqlite().pragma("foreign_key_check")).toEqual([]);

  expect(await up()).toEqual([UNDER_TEST]);
  expect(a.table()).toEqual(a.before.rows);
  expect(outboxRows()).toEqual(a.before.outbox);
  expect((sqlite().prepare("SELECT owner_kind FROM notification ORDER BY id").all() as Array<{ owner_kind: string }>).map((r) => r.owner_kind)).toEqual(["page", "post", "post"]);
});
