/**
 * db/prepared.ts: a query written with Kysely's builder, compiled once and
 * run with new arguments. It must answer what the builder itself answers, for
 * every set of arguments, and refuse queries whose arguments are not plain
 * values instead of running the wrong SQL.
 */
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import { prepared, preparedFirst } from "#db/prepared.ts";
import { tempDatabase } from "#tests/helpers/db.ts";

let opened: Awaited<ReturnType<typeof tempDatabase>>;

beforeEach(async () => {
  opened = await tempDatabase();
  await migrateToLatest(opened.db);
  const now = Date.now();
  const users = [
    ["u1", "anne@example.org", "Anne", 0],
    ["u2", "bruno@example.org", "Bruno", 1],
    ["u3", "chloé@example.org", "Chloé", 0],
  ] as const;
  // Raw SQL, through Kysely so that either engine runs it: the columns left out take their defaults.
  for (const [id, email, name, admin] of users) {
    await sql`INSERT INTO "user" (id, email, display_name, password_hash, is_network_admin, created_at, updated_at) VALUES (${id}, ${email}, ${name}, 'x', ${admin}, ${now}, ${now})`.execute(opened.db);
  }
});

afterEach(async () => {
  await opened.remove();
});

const byEmailOrAdmin = prepared((db, email: string, admin: number) =>
  db.selectFrom("user").select(["id", "display_name"]).where((eb) => eb.or([eb("email", "=", email), eb("is_network_admin", "=", admin)])).orderBy("id"),
);

describe("prepared queries", () => {
  it("answers what the query builder answers, for each set of arguments", async () => {
    const db = opened.db;
    for (const [email, admin] of [["anne@example.org", 1], ["chloé@example.org", 0], ["nobody@example.org", 1], ["nobody@example.org", 7]] as const) {
      const expected = await db
        .selectFrom("user")
        .select(["id", "display_name"])
        .where((eb) => eb.or([eb("email", "=", email), eb("is_network_admin", "=", admin)]))
        .orderBy("id")
        .execute();
      expect(await byEmailOrAdmin(db, email, admin)).toEqual(expected);
    }
    // Spelled out, so the comparison above cannot pass on two empty answers.
    expect(await byEmailOrAdmin(db, "anne@example.org", 1)).toEqual([
      { id: "u1", display_name: "Anne" },
      { id: "u2", display_name: "Bruno" },
    ]);
  });

  it("keeps the query's own constants, and an argument may be used twice", async () => {
    const named = preparedFirst((db, name: string) =>
      db.selectFrom("user").select("id").where("display_name", "=", name).where("is_network_admin", "=", 0).where("email", "!=", name),
    );
    expect(await named(opened.db, "Anne")).toEqual({ id: "u1" });
    expect(await named(opened.db, "Bruno")).toBeUndefined();
    const twice = preparedFirst((db, name: string) => db.selectFrom("user").select("id").where((eb) => eb.or([eb("display_name", "=", name), eb("email", "=", name)])));
    expect(await twice(opened.db, "bruno@example.org")).toEqual({ id: "u2" });
    expect(await twice(opened.db, "Chloé")).toEqual({ id: "u3" });
  });

  it("runs inside a transaction and sees its writes", async () => {
    const byId = preparedFirst((db, id: string) => db.selectFrom("user").select("display_name").where("id", "=", id));
    await opened.db.transaction().execute(async (trx) => {
      await trx.updateTable("user").set({ display_name: "Anne-Marie" }).where("id", "=", "u1").execute();
      expect(await byId(trx, "u1")).toEqual({ display_name: "Anne-Marie" });
    });
    expect(await byId(opened.db, "u1")).toEqual({ display_name: "Anne-Marie" });
  });

  it("is counted as a statement like any other", async () => {
    const before = opened.queryCount();
    await byEmailOrAdmin(opened.db, "anne@example.org", 0);
    await byEmailOrAdmin(opened.db, "bruno@example.org", 0);
    expect(opened.queryCount() - before).toBe(2);
  });

  it("refuses an argument that is not used as a value", async () => {
    const unused = prepared((db, _id: string) => db.selectFrom("user").select("id"));
    await expect(unused(opened.db, "u1")).rejects.toThrow(/argument 1 must be used, and only as a value/);
    const asColumn = prepared((db, column: string) => db.selectFrom("user").select(sql.ref(column).as("picked")));
    await expect(asColumn(opened.db, "email")).rejects.toThrow(/argument 1 must be used, and only as a value/);
  });
});
