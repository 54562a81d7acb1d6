import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase } from "#db/client.ts";
import { migrateToLatest, migrator } from "#db/migrations/index.ts";
import type { Page, Space } from "#db/schema.ts";
import { beginOwnChanges } from "#db/search/indexer.ts";
import { takeOwnChanges } from "#db/search/postgres/own.ts";
import { transact } from "#db/transact.ts";
import { stopContentWorkers } from "#app/editor/content-pool.server.ts";
import { createPage, savePage, type WikiActing } from "#app/wiki/commands.server.ts";
import { createNetwork, createSpace, createUser, type TestUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { freshPostgres } from "#tests/helpers/postgres.ts";
import { derived } from "#tests/helpers/derived.ts";

/**
 * Several writers at once on PostgreSQL (issue 21, README decision 120):
 * every transaction is serializable, and every writer indexes its own
 * changes for search before it commits. Two members saving two different
 * pages at the same instant must both commit at their first try: their
 * transactions share nothing but the search index's bookkeeping, which
 * must not make them refuse each other. (Before 20261214_0900 each read the
 * end of the shared queue where the other appended, and one was always run
 * again.) A network of a few hundred pages, as PostgreSQL reads one by its
 * index rather than the whole table, which would meet every writer.
 */

const PAGES = 1000;

let store: Awaited<ReturnType<typeof tempDatabase>>;
let space: Space;
let claire: TestUser;
let pages: Page[];

const as = (user: TestUser): WikiActing => ({ user, space, now: Date.now() });


beforeAll(async () => {
  store = await tempDatabase();
  await createNetwork(store.db);
  claire = await createUser(store.db, { email: "claire@writers.test" });
  space = await createSpace(store.db, { createdBy: claire.id, slug: "club-ecrivains", visibility: "secret" });
  const made = await transact(store.db, async (trx) => {
    const list: Page[] = [];
    for (let i = 0; i < PAGES; i++) {
      const created = await createPage(trx, as(claire), { title: `Fiche pratique ${i}`, parentId: null, content: derived(`Retour d'expérience numéro ${i}.`), summary: "" });
      if (!created.ok) throw new Error(created.error);
      list.push(created.page);
    }
    return { ok: true as const, list };
  });
  // Far apart in every index that orders them by id, as two pages of a real network nearly always are.
  pages = made.list.sort((a, b) => (a.id < b.id ? -1 : 1));
  // Statistics as autovacuum would have them: the planner reads a few rows by index, not the whole table.
  await sql`ANALYZE`.execute(store.db);
}, 120_000);

afterAll(async () => {
  await stopContentWorkers();
  await store?.remove();
});

test("two saves of two pages at the same instant both commit at their first try, and both are found", async () => {
  const [first, last] = [pages[0], pages[pages.length - 1]];
  const tries = new Map<string, number>();
  let arrived = 0;
  let bothWrote!: () => void;
  const together = new Promise<void>((resolve) => (bothWrote = resolve));

  const save = (page: Page, text: string) =>
    transact(store.db, async (trx) => {
      const attempt = (tries.get(page.id) ?? 0) + 1;
      tries.set(page.id, attempt);
      const saved = await savePage(trx, as(claire), { page, baseRevision: page.revision, title: page.title, content: derived(text), summary: "" });
      // The first tries wait for each other: both have written before either indexes and commits.
      if (attempt === 1 && ++arrived === 2) bothWrote();
      if (attempt === 1) await together;
      return saved;
    });

  const [a, b] = await Promise.all([save(first, "Grille tarifaire révisée."), save(last, "Modèle de lettre de mission.")]);
  expect(a).toMatchObject({ ok: true, revision: first.revision + 1 });
  expect(b).toMatchObject({ ok: true, revision: last.revision + 1 });
  expect(Object.fromEntries(tries)).toEqual({ [first.id]: 1, [last.id]: 1 });
  // Each save was indexed by its own transaction, nothing left for the background job.
  const indexed = await store.db.selectFrom("search_doc").select(["ref_id", "body"]).where("ref_id", "in", [first.id, last.id]).orderBy("ref_id").execute();
  expect(indexed).toEqual([
    { ref_id: first.id, body: "Grille tarifaire révisée." },
    { ref_id: last.id, body: "Modèle de lettre de mission." },
  ]);
  expect(await store.db.selectFrom("search_dirty").select("seq").execute()).toEqual([]);
});

test("a change made outside transact() waits in the shared queue for the background job", async () => {
  const page = pages[Math.floor(pages.length / 2)];
  await store.db.updateTable("page").set({ content_text: "Corrigé à la main." }).where("id", "=", page.id).execute();
  expect(await store.db.selectFrom("search_dirty").select(["kind", "ref_id"]).execute()).toEqual([{ kind: "page", ref_id: page.id }]);
});

test("20261214_0900 undone sends a transaction's changes to the shared queue again; redone keeps them apart", async () => {
  const fresh = await freshPostgres();
  const opened = openDatabase(fresh.url);
  try {
    const { db } = opened;
    /** A page made in a transaction (asking to keep its changes apart when the migration is there): where its change went. */
    await createNetwork(db);
    const changeOfAPage = async (keepApart: boolean) => {
      const user = await createUser(db, { email: `${Math.random().toString(36).slice(2)}@writers.test` });
      const club = await createSpace(db, { createdBy: user.id, slug: `club-${Math.random().toString(36).slice(2, 8)}`, visibility: "secret" });
      return db.transaction().execute(async (trx) => {
        if (keepApart) await beginOwnChanges(trx);
        const made = await createPage(trx, { user, space: club, now: Date.now() }, { title: "Charte du club", parentId: null, content: derived("Charte."), summary: "" });
        if (!made.ok) throw new Error(made.error);
        const queued = await trx.selectFrom("search_dirty").select("ref_id").where("ref_id", "=", made.page.id).execute();
        const apart = keepApart ? (await takeOwnChanges(trx, 10)).filter((t) => t.ref_id === made.page.id) : [];
        return { queued: queued.length, apart: apart.length };
      });
    };
    expect((await migrator(db).migrateDown()).results).toMatchObject([{ migrationName: "20261214_0900_search_own_changes", status: "Success" }]);
    expect(await changeOfAPage(false)).toEqual({ queued: 1, apart: 0 });
    expect(await migrateToLatest(db)).toEqual(["20261214_0900_search_own_changes"]);
    expect(await changeOfAPage(true)).toEqual({ queued: 0, apart: 1 });
    expect(await changeOfAPage(false)).toEqual({ queued: 1, apart: 0 });
  } finally {
    await opened.close();
    await fresh.drop();
  }
});
