import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import type { Page, Space } from "#db/schema.ts";
import { transact } from "#db/transact.ts";
import { stopContentWorkers } from "#app/editor/content-pool.server.ts";
import { createPage, movePage, prepareRestore, restorePage, restoreRevision, savePage, trashPage, type WikiActing } from "#app/wiki/commands.server.ts";
import { createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { derived } from "#tests/helpers/derived.ts";
import { tablesOf } from "#tests/helpers/state.ts";

/**
 * The wiki's commands called directly, without HTTP, on a real SQLite file:
 * each refusal is a typed answer that writes nothing, and commands run in
 * one transaction (db/transact.ts) are undone together when one says no.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
let space: Space;
let other: Space;
let claire: TestUser;
let julien: TestUser;

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  await createNetwork(store.db);
  claire = await createUser(store.db, { email: "claire@wiki-commands.test" });
  julien = await createUser(store.db, { email: "julien@wiki-commands.test" });
  space = await createSpace(store.db, { createdBy: claire.id, slug: "club-wiki-commands", visibility: "secret" });
  other = await createSpace(store.db, { createdBy: claire.id, slug: "autre-wiki-commands", visibility: "secret" });
});

afterAll(async () => {
  await stopContentWorkers();
  await store?.remove();
});

const as = (user: TestUser, where: Space = space): WikiActing => ({ user, space: where, now: Date.now() });


/** Every row of the wiki's tables and of the activity: a refused command leaves them all as they were. */
function snapshot() {
  return tablesOf(store.db, ["page", "page_revision", "page_alias", "page_link", "page_file", "activity"]);
}

let seq = 0;
async function page(parentId: string | null = null, where: Space = space): Promise<Page> {
  const created = await transact(store.db, (trx) => createPage(trx, as(claire, where), { title: `Page ${++seq}`, parentId, content: derived(`Texte ${seq}.`), summary: "" }));
  if (!created.ok) throw new Error(`page refused: ${created.error}`);
  return created.page;
}

const row = (id: string) => store.db.selectFrom("page").selectAll().where("id", "=", id).executeTakeFirstOrThrow() as Promise<Page>;

describe("typed refusals, nothing written", () => {
  test("a new page under a parent that is trashed, of another space, or does not exist", async () => {
    const trashed = await page();
    await transact(store.db, (trx) => trashPage(trx, as(claire), { page: trashed }));
    const elsewhere = await page(null, other);
    const before = await snapshot();
    for (const parentId of [trashed.id, elsewhere.id, "no-such-page"]) {
      const refused = await transact(store.db, (trx) => createPage(trx, as(julien), { title: "Orpheline", parentId, content: derived("Orpheline."), summary: "" }));
      expect(refused).toEqual({ ok: false, error: "not_found" });
    }
    expect(await snapshot()).toEqual(before);
  });

  test("a save on top of an outdated revision is a conflict", async () => {
    const p = await page();
    expect(await transact(store.db, (trx) => savePage(trx, as(julien), { page: p, baseRevision: 1, title: p.title, content: derived("Par Julien."), summary: "" }))).toEqual({
      ok: true,
      slug: p.slug,
      revision: 2,
    });
    const before = await snapshot();
    const stale = await transact(store.db, (trx) => savePage(trx, as(claire), { page: p, baseRevision: 1, title: "Renommée", content: derived("Par Claire."), summary: "" }));
    expect(stale).toEqual({ ok: false, error: "conflict" });
    expect(await snapshot()).toEqual(before);
  });

  test("a move under the page itself or one below it is a loop; under a page that is not there, not found", async () => {
    const top = await page();
    const child = await page(top.id);
    const before = await snapshot();
    const move = (parentId: string) => transact(store.db, (trx) => movePage(trx, as(claire), { page: top, parentId, index: 0 }));
    expect(await move(top.id)).toEqual({ ok: false, error: "loop" });
    expect(await move(child.id)).toEqual({ ok: false, error: "loop" });
    expect(await move("no-such-page")).toEqual({ ok: false, error: "not_found" });
    expect(await snapshot()).toEqual(before);
  });

  test("restoring a page that is not in the trash, or one of another space, is not found; so is a revision that does not exist", async () => {
    const live = await page();
    const theirs = await page(null, other);
    await transact(store.db, (trx) => trashPage(trx, as(claire, other), { page: theirs }));
    const before = await snapshot();
    for (const pageId of [live.id, theirs.id]) {
      expect(await transact(store.db, (trx) => restorePage(trx, as(claire), { pageId }))).toEqual({ ok: false, error: "not_found" });
    }
    expect(await prepareRestore(store.db, live, 7)).toEqual({ ok: false, error: "not_found" });
    expect(await snapshot()).toEqual(before);
  });
});

describe("one use case, one transaction", () => {
  test("restoring a revision makes a new one with the old title and content (derived again in the worker pool)", async () => {
    const p = await page();
    const first = await row(p.id);
    await transact(store.db, (trx) => savePage(trx, as(julien), { page: p, baseRevision: 1, title: "Deuxième titre", content: derived("Deuxième texte."), summary: "" }));
    const restored = await prepareRestore(store.db, p, 1);
    if (!restored.ok) throw new Error(`restore refused: ${restored.error}`);
    const current = await row(p.id);
    expect(await transact(store.db, (trx) => restoreRevision(trx, as(claire), { page: current, restored }))).toMatchObject({ ok: true, revision: 3 });
    const after = await row(p.id);
    expect([after.title, after.content_text, after.revision]).toEqual([first.title, first.content_text, 3]);
    const summary = await store.db.selectFrom("page_revision").select("summary").where("page_id", "=", p.id).where("number", "=", 3).executeTakeFirstOrThrow();
    expect(summary.summary).toBe("↺ 1");
  });

  test("two commands in one transaction: the second refused, the first is undone", async () => {
    const top = await page();
    const before = await snapshot();
    const result = await transact(store.db, async (trx) => {
      const created = await createPage(trx, as(claire), { title: "Enfant d’un jour", parentId: top.id, content: derived("Éphémère."), summary: "" });
      if (!created.ok) return created;
      // The top page under its own new child: a loop, refused after the child was written.
      return movePage(trx, as(claire), { page: top, parentId: created.page.id, index: 0 });
    });
    expect(result).toEqual({ ok: false, error: "loop" });
    expect(await snapshot()).toEqual(before);
  });

  test("a page trashed and restored in one transaction, then a stale save in the same one: all undone", async () => {
    const p = await page();
    const before = await snapshot();
    const result = await transact(store.db, async (trx) => {
      await trashPage(trx, as(claire), { page: p });
      const back = await restorePage(trx, as(claire), { pageId: p.id });
      if (!back.ok) return back;
      return savePage(trx, as(claire), { page: p, baseRevision: 9, title: p.title, content: derived("Trop tard."), summary: "" });
    });
    expect(result).toEqual({ ok: false, error: "conflict" });
    expect(await snapshot()).toEqual(before);
  });
});
