import { afterAll, beforeAll, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { listForUser, membershipsOf, setArchived } from "#db/queries/spaces.ts";
import { createSpace, createUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

/**
 * A member's clubs are listed active first, then archived, each by name: the
 * order their lists show. SQLite sorts a null (not archived) first on its own;
 * PostgreSQL sorts it last unless told, so this runs on both.
 */

let database: Awaited<ReturnType<typeof tempDatabase>>;
beforeAll(async () => {
  database = await tempDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database?.remove());

test("active clubs first, then archived ones, each by name", async () => {
  const db = database.db;
  const owner = await createUser(db);
  const alpha = await createSpace(db, { createdBy: owner.id, name: "Alpha" });
  const beta = await createSpace(db, { createdBy: owner.id, name: "Beta" });
  const gamma = await createSpace(db, { createdBy: owner.id, name: "Gamma" });
  const delta = await createSpace(db, { createdBy: owner.id, name: "Delta" });
  await setArchived(db, alpha.id, Date.now());
  await setArchived(db, gamma.id, Date.now() - 1_000);
  const expected = [beta.id, delta.id, gamma.id, alpha.id];
  expect((await membershipsOf(db, owner.id)).map((s) => s.id)).toEqual(expected);
  expect((await listForUser(db, owner.id)).map((s) => s.id)).toEqual(expected);
});
