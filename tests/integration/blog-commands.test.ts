import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { Post, Space } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import {
  changePostState,
  createPost,
  publishDue,
  restorePost,
  saveAndChangeState,
  savePost,
  trashPost,
  type BlogActing,
  type StateChange,
} from "#app/blog/commands.server.ts";
import type { PostForm } from "#app/blog/form.server.ts";
import { localFromInstant } from "#app/blog/schedule.ts";
import { addMember, createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { derived } from "#tests/helpers/derived.ts";
import { tablesOf } from "#tests/helpers/state.ts";

/**
 * The blog's commands called directly, without HTTP, on a real SQLite file:
 * each refusal is a typed answer that writes nothing, and commands run in
 * one transaction stand or fall together (db/transact.ts rolls back on a
 * refusal), which is what makes "save and publish" one use case.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
let space: Space;
let alice: TestUser;
let editor: TestUser;

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  await createNetwork(store.db);
  alice = await createUser(store.db, { email: "alice@blog-commands.test" });
  editor = await createUser(store.db, { email: "editor@blog-commands.test" });
  space = await createSpace(store.db, { createdBy: editor.id, slug: "club-commands", visibility: "secret" });
  await addMember(store.db, { space, user: alice, role: "member" });
});

afterAll(() => store?.remove());

const as = (user: TestUser, now = Date.now()): BlogActing => ({ user, space, now });


let seq = 0;
function form(changes: Partial<PostForm> = {}): PostForm {
  return { title: `Article ${++seq}`, content: undefined, excerpt: "", coverFileId: "", tags: "", visibility: "space", summary: "", ...changes };
}

const row = (id: string) => store.db.selectFrom("post").selectAll().where("id", "=", id).executeTakeFirstOrThrow() as Promise<Post>;

/** Every row of the blog's tables and of the activity: a refused command leaves them all as they were. */
function snapshot() {
  return tablesOf(store.db, ["post", "post_revision", "post_tag", "post_file", "activity"]);
}

async function draft(text = "Premier jet.", by = alice): Promise<Post> {
  const created = await transact(store.db, (trx) => createPost(trx, as(by), { form: form({ tags: "Achats" }), content: derived(text) }));
  if (!created.ok) throw new Error(`draft refused: ${created.error}`);
  return created.post;
}

async function published(): Promise<Post> {
  const p = await draft();
  const done = await transact(store.db, (trx) => changePostState(trx, as(alice), { post: p, change: { to: "publish" } }));
  expect(done.ok).toBe(true);
  return row(p.id);
}

describe("typed refusals, nothing written", () => {
  test("a new article with too many tags, a cover that is no image of the space, or network visibility in a secret space", async () => {
    const before = await snapshot();
    const content = derived("Texte.");
    const refusals = [];
    for (const changes of [{ tags: "a1, b2, c3, d4, e5, f6, g7, h8, i9" }, { coverFileId: "no-such-file" }, { visibility: "network" as const }]) {
      refusals.push(await transact(store.db, (trx) => createPost(trx, as(alice), { form: form(changes), content })));
    }
    expect(refusals).toEqual([
      { ok: false, field: "tags", error: "blog.tooManyTags" },
      { ok: false, field: "coverFileId", error: "blog.coverNotImage" },
      { ok: false, field: "visibility", error: "blog.networkNotAllowed" },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  test("a save on top of an outdated revision is a conflict", async () => {
    const p = await draft();
    const first = await transact(store.db, (trx) => savePost(trx, as(editor), { post: p, baseRevision: p.revision, form: form({ title: p.title }), content: derived("Par l’éditrice.") }));
    expect(first).toEqual({ ok: true, revision: p.revision + 1 });
    const before = await snapshot();
    const stale = await transact(store.db, (trx) => savePost(trx, as(alice), { post: p, baseRevision: p.revision, form: form({ title: p.title }), content: derived("Par Alice.") }));
    expect(stale).toEqual({ ok: false, field: "revision", error: "conflict" });
    expect(await snapshot()).toEqual(before);
  });

  test("a change the state does not allow, a moment that is no moment, and one already past", async () => {
    const live = await published();
    const draftOne = await draft();
    const before = await snapshot();
    const change = (post: Post, c: StateChange) => transact(store.db, (trx) => changePostState(trx, as(alice), { post, change: c }));
    expect(await change(live, { to: "publish" })).toEqual({ ok: false, error: "blog.cannotChangeState" });
    expect(await change(live, { to: "draft" })).toEqual({ ok: false, error: "blog.cannotChangeState" });
    expect(await change(draftOne, { to: "unpublish" })).toEqual({ ok: false, error: "blog.cannotChangeState" });
    expect(await change(draftOne, { to: "schedule", local: "le 31 février", timeZone: "Europe/Paris" })).toEqual({ ok: false, error: "blog.badMoment" });
    expect(await change(draftOne, { to: "schedule", local: "2031-02-31T10:00", timeZone: "Europe/Paris" })).toEqual({ ok: false, error: "blog.badMoment" });
    expect(await change(draftOne, { to: "schedule", local: "2020-03-01T10:00", timeZone: "Europe/Paris" })).toEqual({ ok: false, error: "blog.pastMoment" });
    expect(await snapshot()).toEqual(before);
  });

  test("restoring an article that is not in the trash, or one of another space, is not found", async () => {
    const live = await draft();
    const elsewhere = await createSpace(store.db, { createdBy: editor.id, slug: "ailleurs-commands", visibility: "secret" });
    const theirs = await transact(store.db, (trx) => createPost(trx, { user: editor, space: elsewhere, now: Date.now() }, { form: form(), content: derived("Ailleurs.") }));
    if (!theirs.ok) throw new Error("setup");
    await transact(store.db, (trx) => trashPost(trx, { user: editor, space: elsewhere, now: Date.now() }, { post: theirs.post }));
    const before = await snapshot();
    for (const postId of [live.id, theirs.post.id, "no-such-post"]) {
      expect(await transact(store.db, (trx) => restorePost(trx, as(editor), { postId }))).toEqual({ ok: false, error: "not_found" });
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("one use case, one transaction", () => {
  test("save and publish a draft: both land, the draft saved in place", async () => {
    const p = await draft();
    const now = Date.now();
    const result = await transact(store.db, (trx) =>
      saveAndChangeState(trx, as(alice, now), {
        post: p,
        save: { baseRevision: p.revision, form: form({ title: `${p.title} (finale)` }), content: derived("Version finale.") },
        change: { to: "publish" },
      }),
    );
    expect(result).toEqual({ ok: true, state: "published", publishAt: null, saved: p.revision });
    const after = await row(p.id);
    expect([after.title, after.content_text, after.state, after.published_at]).toEqual([`${p.title} (finale)`, "Version finale.", "published", now]);
    const activity = await store.db.selectFrom("activity").select(["verb", "actor_id", "data"]).where("data", "like", `%"${p.slug}"%`).execute();
    expect(activity).toEqual([{ verb: "post_published", actor_id: alice.id, data: JSON.stringify({ title: `${p.title} (finale)`, slug: p.slug }) }]);
  });

  test("save and publish an article the state does not allow to publish: refused, and the save is rolled back with it", async () => {
    const p = await published();
    const before = await snapshot();
    const result = await transact(store.db, (trx) =>
      saveAndChangeState(trx, as(alice), {
        post: p,
        save: { baseRevision: p.revision, form: form({ title: "Réécrit", tags: "Autre" }), content: derived("Réécrit.") },
        change: { to: "publish" },
      }),
    );
    expect(result).toEqual({ ok: false, error: "blog.cannotChangeState" });
    expect(await snapshot()).toEqual(before);
  });

  test("save and schedule for a moment already past: refused, and the save is rolled back with it", async () => {
    const p = await draft();
    const before = await snapshot();
    const result = await transact(store.db, (trx) =>
      saveAndChangeState(trx, as(alice), {
        post: p,
        save: { baseRevision: p.revision, form: form({ title: "Trop tard" }), content: derived("Trop tard.") },
        change: { to: "schedule", local: "2020-03-01T10:00", timeZone: "Europe/Paris" },
      }),
    );
    expect(result).toEqual({ ok: false, error: "blog.pastMoment" });
    expect(await snapshot()).toEqual(before);
  });

  test("two commands in one transaction: the second refused, the first is undone", async () => {
    const before = await snapshot();
    const result = await transact(store.db, async (trx) => {
      const created = await createPost(trx, as(alice), { form: form({ title: "Jamais né" }), content: derived("Jamais né.") });
      if (!created.ok) return created;
      // Inside the transaction the new article is there, and its schedule is refused.
      expect((await trx.selectFrom("post").select("id").where("id", "=", created.post.id).execute()).length).toBe(1);
      return changePostState(trx, as(alice), { post: created.post, change: { to: "schedule", local: "pas une date", timeZone: "Europe/Paris" } });
    });
    expect(result).toEqual({ ok: false, error: "blog.badMoment" });
    expect(await snapshot()).toEqual(before);
  });

  test("the publisher's command publishes what is due, once, dated when it was due, in the author's name", async () => {
    const p = await draft();
    // Two minutes ahead, to the minute: still to come when scheduled.
    const local = localFromInstant(Date.now() + 120_000, "Europe/Paris");
    expect(await transact(store.db, (trx) => changePostState(trx, as(alice), { post: p, change: { to: "schedule", local, timeZone: "Europe/Paris" } }))).toMatchObject({ ok: true, state: "scheduled" });
    const scheduled = await row(p.id);
    expect(scheduled.state).toBe("scheduled");
    const early = await transact(store.db, (trx) => publishDue(trx, { now: Date.now() }));
    expect(early.published.map((x) => x.id)).not.toContain(p.id);
    const later = scheduled.publish_at! + 1_000;
    const due = await transact(store.db, (trx) => publishDue(trx, { now: later }));
    expect(due.published.map((x) => x.id)).toEqual([p.id]);
    expect((await transact(store.db, (trx) => publishDue(trx, { now: later }))).published).toEqual([]);
    const after = await row(p.id);
    expect([after.state, after.published_at]).toEqual(["published", scheduled.publish_at]);
    const activity = await store.db.selectFrom("activity").select(["actor_id", "created_at"]).where("verb", "=", "post_published").where("data", "like", `%"${p.slug}"%`).execute();
    expect(activity).toEqual([{ actor_id: alice.id, created_at: scheduled.publish_at }]);
  });
});
