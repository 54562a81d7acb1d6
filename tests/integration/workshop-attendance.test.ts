import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { attendanceCounts } from "#db/queries/workshop-attendance.ts";
import type { Space } from "#db/schema.ts";
import { addMember, createUser } from "#tests/factories.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { ACTORS, matrix, type ActorName, type SignedInActor } from "#tests/helpers/matrix.ts";
import { flashOf, domainRows, tablesOf } from "#tests/helpers/state.ts";
import { ledWorkshop } from "#tests/helpers/workshop-followup.ts";
import { seedRegistration } from "#tests/helpers/workshops.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Who came to a workshop, recorded over real HTTP with real sessions: by its
 * facilitators and the space's admins only (the matrix), once it has started
 * (before: refused, nothing stored), never for a cancelled one; the
 * registered ticked off plus walk-ins among the space's members (anyone else
 * named: 404, nothing changed); an activity line the first time, an audit
 * entry every time; the count the Workshops tab shows.
 */

const HOUR = 3_600_000;
type SpaceKey = "open" | "listed" | "secret";
let w: World<SignedInActor, SpaceKey>;
let store: OpenedDatabase;
const c = {} as Record<ActorName, Client>;

beforeAll(async () => {
  w = await world();
  store = w.store;
  Object.assign(c, w.c);
  c.anon = w.anonymous;
}, 60_000);

afterAll(() => w?.close());

const path = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}/attendance`;
const pageOf = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}`;

async function everything() {
  return {
    ...(await domainRows(store.db)),
    ...(await tablesOf(store.db, ["workshop", "workshop_attendance", "workshop_registration"])),
  };
}

const led = (space: Space, facilitators: SignedInActor[], row: { startsAt?: number; state?: "cancelled" | "proposed" } = {}) =>
  ledWorkshop(store.db, {
    spaceId: space.id,
    createdBy: w.people.admin.id,
    facilitators: facilitators.map((f) => w.people[f].id),
    startsAt: row.startsAt ?? Date.now() - 3 * HOUR,
    state: row.state,
    proposedBy: row.state === "proposed" ? w.people.member.id : null,
  });
const presentIn = (id: string) =>
  store.db.selectFrom("workshop_attendance").select(["user_id", "walk_in"]).where("workshop_id", "=", id).orderBy("user_id").execute();

// ---------------------------------------------------------------------------
// Who may: the route joins the authorization matrix
// ---------------------------------------------------------------------------

const CELLS = ["ok", "403", "404", "login"] as const;
// The member facilitates; the workshop started three hours ago.
const WHO_RECORDS = matrix(
  `
  space    anon   outsider  guest  member  editor  admin  netAdmin
  secret   login  404       403    ok      403     ok     ok
  listed   login  403       403    ok      403     ok     ok
  open     login  403       403    ok      403     ok     ok
  `,
  CELLS,
);

describe("who may record attendance (GET the page, POST the list)", () => {
  for (const row of WHO_RECORDS) {
    for (const actor of ACTORS) {
      const cell = row.cells[actor];
      test(`${row.key} × ${actor} → ${cell}`, async () => {
        const space = w.spaces[row.key as SpaceKey];
        const { id } = await led(space, ["member"]);
        await seedRegistration(store.db, id, w.people.guest.id, "going");
        const read = await c[actor].get(path(space, id));
        const before = await everything();
        const res = await c[actor].post(path(space, id), { attended: w.people.guest.id });
        if (cell === "ok") {
          expect(read.status).toBe(200);
          expect(res.status).toBe(302);
          expect(res.location).toBe(pageOf(space, id));
          expect((await flashOf(res))?.key).toBe("workshops.attendance.saved");
          expect(await presentIn(id)).toEqual([{ user_id: w.people.guest.id, walk_in: 0 }]);
          return;
        }
        if (cell === "login") {
          for (const r of [read, res]) {
            expect(r.status).toBe(302);
            expect(r.location ?? "").toMatch(/^\/login\?redirectTo=/);
          }
        } else {
          expect(read.status).toBe(Number(cell));
          expect(res.status).toBe(Number(cell));
          // A secret space's refusal names nothing of it (a listed one's name is the network's to know).
          if (cell === "404" && space.visibility === "secret") expect(pageText(res.text)).not.toContain(space.name);
        }
        expect(await everything()).toEqual(before);
      });
    }
  }
});

// ---------------------------------------------------------------------------
// When: after the start, for a workshop that takes place
// ---------------------------------------------------------------------------

describe("refused before the start, when cancelled or still proposed", () => {
  test("before the start: the page says why and offers no form; a POST is refused (409), nothing stored", async () => {
    const { id } = await led(w.spaces.listed, ["member"], { startsAt: Date.now() + 2 * HOUR });
    await seedRegistration(store.db, id, w.people.guest.id, "going");
    const read = await c.member.get(path(w.spaces.listed, id));
    expect(read.status).toBe(200);
    expect(pageText(read.text)).toContain("L’atelier n’a pas encore commencé");
    expect(read.text).not.toContain('name="attended"');
    const before = await everything();
    const res = await c.member.post(path(w.spaces.listed, id), { attended: w.people.guest.id });
    expect(res.status).toBe(409);
    expect(pageText(res.text)).toContain("L’atelier n’a pas encore commencé");
    expect(await everything()).toEqual(before);
  });

  test("a cancelled workshop, a proposal: refused (409), nothing stored", async () => {
    for (const [state, message] of [
      ["cancelled", "Cet atelier a été annulé"],
      ["proposed", "Cet atelier n’est pas programmé"],
    ] as const) {
      // The admin: the proposal is theirs to read and edit.
      const { id } = await led(w.spaces.listed, ["member"], { state });
      const before = await everything();
      const res = await c.admin.post(path(w.spaces.listed, id), { attended: w.people.guest.id });
      expect(res.status, state).toBe(409);
      expect(pageText(res.text)).toContain(message);
      expect(await everything()).toEqual(before);
    }
  });
});

// ---------------------------------------------------------------------------
// What is recorded
// ---------------------------------------------------------------------------

describe("the list", () => {
  test("the registered ticked off and a walk-in among the members; an activity line once, an audit entry each time; the tab's count", async () => {
    const space = w.spaces.listed;
    const { id, title } = await led(space, ["member"]);
    await seedRegistration(store.db, id, w.people.guest.id, "going");
    await seedRegistration(store.db, id, w.people.admin.id, "maybe");
    await seedRegistration(store.db, id, w.people.netAdmin.id, "waiting");

    // The page: each person a labelled checkbox; those going ticked in advance; the editor among the possible walk-ins.
    const read = await c.member.get(path(space, id));
    expect(read.status).toBe(200);
    for (const person of [w.people.guest, w.people.admin, w.people.netAdmin, w.people.editor]) {
      expect(read.text).toContain(`<label for="attended-${person.id}">`);
    }
    expect(read.text).toMatch(new RegExp(`id="attended-${w.people.guest.id}"[^>]*checked`));
    expect(read.text).not.toMatch(new RegExp(`id="attended-${w.people.admin.id}"[^>]*checked`));
    expect(await attendanceCounts(store.db, [id])).toEqual(new Map());

    const res = await c.member.post(path(space, id), [["attended", w.people.guest.id], ["attended", w.people.editor.id]]);
    expect(res.status).toBe(302);
    expect(await presentIn(id)).toEqual(
      [
        { user_id: w.people.guest.id, walk_in: 0 },
        { user_id: w.people.editor.id, walk_in: 1 },
      ].sort((a, b) => a.user_id.localeCompare(b.user_id)),
    );
    const stamped = await store.db.selectFrom("workshop").select("attendance_recorded_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(stamped.attendance_recorded_at).not.toBeNull();
    expect(await attendanceCounts(store.db, [id])).toEqual(new Map([[id, 2]]));

    // Corrected: the waiting one came after all, the editor did not.
    expect((await c.member.post(path(space, id), [["attended", w.people.guest.id], ["attended", w.people.netAdmin.id]])).status).toBe(302);
    expect((await presentIn(id)).map((r) => [r.user_id, r.walk_in])).toEqual(
      [
        [w.people.guest.id, 0],
        [w.people.netAdmin.id, 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    const activity = await store.db.selectFrom("activity").select(["verb", "data", "actor_id"]).where("space_id", "=", space.id).where("verb", "=", "workshop_attendance_recorded").execute();
    expect(activity.filter((a) => JSON.parse(a.data).id === id)).toEqual([{ verb: "workshop_attendance_recorded", actor_id: w.people.member.id, data: JSON.stringify({ title, id, count: 2 }) }]);
    const audits = await store.db.selectFrom("audit_log").select(["event", "data", "actor_id"]).where("event", "=", "workshop_attendance_recorded").execute();
    expect(audits.filter((a) => JSON.parse(a.data).workshopId === id).map((a) => [a.actor_id, JSON.parse(a.data).count, JSON.parse(a.data).walkIns])).toEqual([
      [w.people.member.id, 2, 1],
      [w.people.member.id, 2, 0],
    ]);
    // The space's home shows the line.
    expect(pageText((await c.guest.get(`/spaces/${space.slug}`)).text)).toContain(`a noté les présences à l’atelier « ${title} »`);
    // The workshop page: how many came.
    expect(pageText((await c.guest.get(pageOf(space, id))).text)).toContain("2 personnes sont venues.");
  });

  test("someone who is not a member of the space (another club's member, an unknown id) as a walk-in: 404, nothing changed", async () => {
    const space = w.spaces.listed;
    const { id } = await led(space, ["member"]);
    await seedRegistration(store.db, id, w.people.guest.id, "going");
    const elsewhere = await createUser(store.db, { displayName: "Élise Ailleurs" });
    await addMember(store.db, { space: w.spaces.secret, user: elsewhere, role: "member", sponsor: w.people.admin });
    const before = await everything();
    for (const stranger of [elsewhere.id, w.people.outsider.id, "aaaaaaaaaaaaaaaaaaaaaaaa"]) {
      const res = await c.member.post(path(space, id), [["attended", w.people.guest.id], ["attended", stranger]]);
      expect(res.status, stranger).toBe(404);
      expect(pageText(res.text)).not.toContain(w.spaces.secret.name);
    }
    expect(await everything()).toEqual(before);
  });

  test("another space's workshop through this space's address: 404, nothing changed", async () => {
    const secretOne = await led(w.spaces.secret, ["member"]);
    const before = await everything();
    expect((await c.member.get(path(w.spaces.listed, secretOne.id))).status).toBe(404);
    expect((await c.member.post(path(w.spaces.listed, secretOne.id), { attended: w.people.guest.id })).status).toBe(404);
    expect(await everything()).toEqual(before);
  });
});
