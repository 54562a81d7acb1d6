import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { findWorkshop } from "#db/queries/workshops.ts";
import type { Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { insertWorkshop } from "#tests/helpers/workshops.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * The workshop page over real HTTP with session cookies: who reads a
 * scheduled workshop and a proposal, 404 to outsiders of a secret space and
 * for another space's id; an admin decides and cancels, a member cannot.
 */

let store: OpenedDatabase;
const roles = ["admin", "alice", "bob", "guest", "outsider"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
let club: Space;
let other: Space;
let w: World<Who, "club" | "other">;

beforeAll(async () => {
  w = await world({
    domain: "workshop-page.test",
    people: named(roles),
    spaces: {
      club: { createdBy: "admin", slug: "club-ateliers", visibility: "secret", members: { alice: "member", bob: "member", guest: "guest" } },
      other: { createdBy: "admin", slug: "autre-ateliers", visibility: "secret", members: { outsider: "member" } },
    },
  });
  ({ store } = w);
  ({ club, other } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);
});

afterAll(() => w?.close());

const page = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}`;

describe("the workshop page", () => {
  test("a scheduled workshop is read by members and guests; an outsider of the secret space and another space's address get 404", async () => {
    const id = await insertWorkshop(store.db, { spaceId: club.id, createdBy: people.admin.id, title: "Atelier vélo" });
    for (const who of ["admin", "alice", "guest"] as const) {
      const res = await c[who].get(page(club, id));
      expect(res.status, who).toBe(200);
      expect(pageText(res.text)).toContain("Atelier vélo");
    }
    const outside = await c.outsider.get(page(club, id));
    expect(outside.status).toBe(404);
    expect(pageText(outside.text)).not.toContain("Atelier vélo");
    // The id of this space's workshop under another space's address.
    expect((await c.outsider.get(page(other, id))).status).toBe(404);
  });

  test("a proposal is read by its proposer and the admins only; the admin declines it with a reason, the proposer is told", async () => {
    const id = await insertWorkshop(store.db, { spaceId: club.id, createdBy: people.alice.id, title: "Idée d’Alice", state: "proposed", proposedBy: people.alice.id });
    expect((await c.alice.get(page(club, id))).status).toBe(200);
    expect((await c.admin.get(page(club, id))).status).toBe(200);
    expect((await c.bob.get(page(club, id))).status).toBe(404);
    // A member cannot decide.
    expect((await c.alice.post(page(club, id), { intent: "accept" })).status).toBe(403);
    expect((await findWorkshop(store.db, club.id, id))!.state).toBe("proposed");
    // Declining needs a reason.
    expect((await c.admin.post(page(club, id), { intent: "decline", reason: "" })).status).toBe(400);
    expect((await findWorkshop(store.db, club.id, id))!.state).toBe("proposed");
    expect((await c.admin.post(page(club, id), { intent: "decline", reason: "Déjà au programme" })).status).toBe(302);
    const after = (await findWorkshop(store.db, club.id, id))!;
    expect([after.state, after.decline_reason]).toEqual(["declined", "Déjà au programme"]);
    const told = await store.db.selectFrom("notification").select("kind").where("user_id", "=", people.alice.id).execute();
    expect(told.map((n) => n.kind)).toContain("workshopDeclined");
  });

  test("an admin cancels with a reason (kept and shown as cancelled); a member who does not facilitate cannot", async () => {
    const id = await insertWorkshop(store.db, { spaceId: club.id, createdBy: people.admin.id, title: "Atelier à annuler" });
    expect((await c.bob.post(page(club, id), { intent: "cancel", reason: "Non" })).status).toBe(403);
    expect((await c.admin.post(page(club, id), { intent: "cancel", reason: "Salle prise" })).status).toBe(302);
    const res = await c.guest.get(page(club, id));
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain("Salle prise");
  });

  test("an admin puts it in the trash: its page is then 404 to everyone", async () => {
    const id = await insertWorkshop(store.db, { spaceId: club.id, createdBy: people.admin.id, title: "Atelier jeté" });
    expect((await c.alice.post(page(club, id), { intent: "delete" })).status).toBe(403);
    expect((await c.admin.post(page(club, id), { intent: "delete" })).status).toBe(302);
    expect((await c.admin.get(page(club, id))).status).toBe(404);
    expect((await findWorkshop(store.db, club.id, id))!.deleted_at).not.toBeNull();
  });

  test("the Workshops tab lists what comes, and a proposal only to its proposer and the admins", async () => {
    const coming = await insertWorkshop(store.db, { spaceId: club.id, createdBy: people.admin.id, title: "Atelier à venir" });
    await insertWorkshop(store.db, { spaceId: club.id, createdBy: people.bob.id, title: "Proposition de Bob", state: "proposed", proposedBy: people.bob.id });
    const tab = `/spaces/${club.slug}/workshops`;
    const guest = await c.guest.get(tab);
    expect(guest.status).toBe(200);
    expect(guest.text).toContain(page(club, coming));
    expect(pageText(guest.text)).not.toContain("Proposition de Bob");
    expect(pageText((await c.bob.get(tab)).text)).toContain("Proposition de Bob");
    expect(pageText((await c.admin.get(tab)).text)).toContain("Proposition de Bob");
    expect(pageText((await c.alice.get(tab)).text)).not.toContain("Proposition de Bob");
    expect((await c.outsider.get(tab)).status).toBe(404);
  });
});
