import { afterAll, beforeAll, expect, test } from "vitest";
import { isSignedIn } from "#tests/helpers/session.ts";
import { STANDARD_PEOPLE, world, type World } from "#tests/helpers/world.ts";

/**
 * world() with no arguments, the standard cast the helper promises: one
 * person of every kind, each signed in for real, and one space of each
 * visibility holding its admin, an editor, a member and a guest.
 */

let w: World<keyof typeof STANDARD_PEOPLE, "open" | "listed" | "secret">;

beforeAll(async () => {
  w = await world();
});
afterAll(() => w?.close());

test("every person holds a session the server accepts; the anonymous client none", async () => {
  for (const name of Object.keys(STANDARD_PEOPLE) as (keyof typeof STANDARD_PEOPLE)[]) {
    expect(await isSignedIn(w.c[name]), name).toBe(true);
  }
  expect(await isSignedIn(w.anonymous)).toBe(false);
  expect(w.people.netAdmin.is_network_admin).toBeTruthy();
});

test("each space holds admin, editor, member and guest; the outsider and the network admin belong to none", async () => {
  for (const space of [w.spaces.open, w.spaces.listed, w.spaces.secret]) {
    const rows = await w.store.db.selectFrom("space_member").select(["user_id", "role"]).where("space_id", "=", space.id).execute();
    const roleOf = Object.fromEntries(rows.map((r) => [r.user_id, r.role]));
    expect(roleOf).toEqual({
      [w.people.admin.id]: "admin",
      [w.people.editor.id]: "editor",
      [w.people.member.id]: "member",
      [w.people.guest.id]: "guest",
    });
  }
  expect(new Set([w.spaces.open.visibility, w.spaces.listed.visibility, w.spaces.secret.visibility])).toEqual(new Set(["open", "listed", "secret"]));
});

test("the secret space is 404 to the outsider and open to its member", async () => {
  expect((await w.c.outsider.get(`/spaces/${w.spaces.secret.slug}`)).status).toBe(404);
  expect((await w.c.member.get(`/spaces/${w.spaces.secret.slug}`)).status).toBe(200);
});
