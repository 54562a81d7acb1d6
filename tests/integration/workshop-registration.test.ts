import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { ownerUrl, workshopRegistrationUrl } from "#app/urls.ts";
import { capacityRefusal } from "#app/workshops/registration.server.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { ACTORS, matrix, type ActorName } from "#tests/helpers/matrix.ts";
import { flashOf, domainRows, tablesOf } from "#tests/helpers/state.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { insertWorkshop, registrationsOf, type SeedWorkshop } from "#tests/helpers/workshops.ts";

/**
 * Registering to a workshop over real HTTP, with real sessions, against the
 * built server and a real SMTP server: who may (guests included, as the
 * SPEC's table says), what closes registration (cancelled, proposed, past,
 * after the deadline) with nothing stored, the waitlist once full and the
 * promotion of the first waiting when someone withdraws (told in the app and
 * by mail), another space's workshop id (404, nothing changed), the note's
 * bound, and the capacity check core's edit calls.
 */

const HOUR = 60 * 60 * 1000;

let w: World<"admin" | "editor" | "member" | "guest" | "outsider" | "netAdmin", "open" | "listed" | "secret">;
let store: OpenedDatabase;
const c = {} as Record<ActorName, Client>;

beforeAll(async () => {
  w = await world({
    smtp: true,
    domain: "inscription.test",
    displayName: (name) => `${name[0].toUpperCase()}${name.slice(1)} Inscrit`,
    people: { admin: {}, editor: {}, member: {}, guest: {}, outsider: {}, netAdmin: { isNetworkAdmin: true } },
    spaces: {
      open: { createdBy: "admin", slug: "ouvert", name: "Cercle Ouvert", visibility: "open", members: { editor: "editor", member: "member", guest: "guest" } },
      listed: { createdBy: "admin", slug: "club", name: "Club Achats", visibility: "listed", members: { editor: "editor", member: "member", guest: "guest" } },
      secret: { createdBy: "admin", slug: "secret", name: "Club Secret", visibility: "secret", members: { editor: "editor", member: "member", guest: "guest" } },
    },
  });
  store = w.store;
  Object.assign(c, w.c);
  c.anon = w.anonymous;
}, 60_000);

afterAll(() => w?.close());

const workshop = (space: Space, row: Partial<SeedWorkshop> = {}) => insertWorkshop(store.db, { spaceId: space.id, createdBy: w.people.admin.id, ...row });
const path = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}/registration`;
const pageOf = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}`;

/** Everything a refused registration must leave as it was. */
async function everything() {
  return {
    ...(await domainRows(store.db)),
    ...(await tablesOf(store.db, ["workshop", "workshop_registration", "notification", "mail_outbox"])),
  };
}

// ---------------------------------------------------------------------------
// Who may register: the route joins the authorization matrix
// ---------------------------------------------------------------------------

// ok: redirected to the workshop's page and registered as going; login: to the sign-in page.
const CELLS = ["ok", "403", "404", "login"] as const;
const WHO_REGISTERS = matrix(
  `
  space    anon   outsider  guest  member  editor  admin  netAdmin
  secret   login  404       ok     ok      ok      ok     ok
  listed   login  403       ok     ok      ok      ok     ok
  # Open: every network member reads it, but registering is for its members (and the network admin).
  open     login  403       ok     ok      ok      ok     ok
`,
  CELLS,
);

describe("who may register (POST status=going), space by space", () => {
  for (const row of WHO_REGISTERS) {
    for (const actor of ACTORS) {
      const cell = row.cells[actor];
      test(`${row.key} × ${actor} → ${cell}`, async () => {
        const space = w.spaces[row.key as "secret" | "listed" | "open"];
        const id = await workshop(space);
        const before = await everything();
        const res = await c[actor].post(path(space, id), { status: "going", note: "" });
        if (cell === "ok") {
          expect(res.status).toBe(302);
          expect(res.location).toBe(pageOf(space, id));
          expect((await flashOf(res))?.key).toBe("workshops.registration.saved.going");
          const rows = await registrationsOf(store.db, id);
          expect(rows.map((r) => [r.user_id, r.status, r.arrival])).toEqual([[w.people[actor as Exclude<ActorName, "anon">].id, "going", 1]]);
          return;
        }
        if (cell === "login") {
          expect(res.status).toBe(302);
          expect(res.location ?? "").toMatch(/^\/login\?redirectTo=/);
        } else {
          expect(res.status).toBe(Number(cell));
          // A secret space's refusal names nothing of it.
          if (cell === "404") expect(pageText(res.text)).not.toContain(space.name);
        }
        expect(await everything()).toEqual(before);
      });
    }
  }

  test("a workshop of another space, through this space's address: 404, nothing changed", async () => {
    const secretOne = await workshop(w.spaces.secret);
    const before = await everything();
    // The member belongs to both spaces: only the pairing is wrong.
    const res = await c.member.post(path(w.spaces.listed, secretOne), { status: "going" });
    expect(res.status).toBe(404);
    expect(pageText(res.text)).not.toContain(w.spaces.secret.name);
    expect(await everything()).toEqual(before);
  });

  test("an id no workshop has, or one in the trash: 404", async () => {
    const before = await everything();
    expect((await c.member.post(path(w.spaces.listed, "aaaaaaaaaaaaaaaaaaaaaaaa"), { status: "going" })).status).toBe(404);
    const trashed = await workshop(w.spaces.listed);
    await store.db.updateTable("workshop").set({ deleted_at: Date.now(), deleted_by: w.people.admin.id }).where("id", "=", trashed).execute();
    const afterTrash = await everything();
    expect((await c.member.post(path(w.spaces.listed, trashed), { status: "going" })).status).toBe(404);
    expect(await everything()).toEqual(afterTrash);
    expect(before.workshop_registration).toEqual(afterTrash.workshop_registration);
  });

  test("a proposal is not there for a member who did not propose it, and closed to its proposer", async () => {
    const proposed = await workshop(w.spaces.listed, { state: "proposed", proposedBy: w.people.editor.id });
    const before = await everything();
    expect((await c.member.post(path(w.spaces.listed, proposed), { status: "going" })).status).toBe(404);
    const res = await c.editor.post(path(w.spaces.listed, proposed), { status: "going" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toMatchObject({ kind: "error", key: "workshops.registration.closed.proposed" });
    expect(await everything()).toEqual(before);
  });

  test("a workshop opened to the network takes the network's members who may read the space", async () => {
    const networkOne = await workshop(w.spaces.open, { visibility: "network" });
    const res = await c.outsider.post(path(w.spaces.open, networkOne), { status: "maybe" });
    expect(res.status).toBe(302);
    expect((await registrationsOf(store.db, networkOne)).map((r) => [r.user_id, r.status])).toEqual([[w.people.outsider.id, "maybe"]]);
  });

  test("the addresses, as app/urls.ts builds them", () => {
    expect(workshopRegistrationUrl("club", "k3j9x2m4q8w7")).toBe("/spaces/club/workshops/k3j9x2m4q8w7/registration");
    expect(ownerUrl("club", { kind: "workshop", slug: "k3j9x2m4q8w7" })).toBe("/spaces/club/workshops/k3j9x2m4q8w7");
  });

  test("GET answers 405: the address only takes answers", async () => {
    const id = await workshop(w.spaces.listed);
    const res = await c.member.get(path(w.spaces.listed, id));
    expect(res.status).toBe(405);
  });
});

// ---------------------------------------------------------------------------
// The guest, the note, closed workshops
// ---------------------------------------------------------------------------

describe("registering", () => {
  test("a guest registers, with a note, and changes their answer in one click", async () => {
    const id = await workshop(w.spaces.secret);
    const res = await c.guest.post(path(w.spaces.secret, id), { status: "going", note: "  J’arrive vers 10 h 15.\r\nMerci !  " });
    expect(res.status).toBe(302);
    let [row] = await registrationsOf(store.db, id);
    expect([row.user_id, row.status, row.note]).toEqual([w.people.guest.id, "going", "J’arrive vers 10 h 15.\nMerci !"]);
    const again = await c.guest.post(path(w.spaces.secret, id), { status: "maybe", note: "" });
    expect((await flashOf(again))?.key).toBe("workshops.registration.saved.maybe");
    [row] = await registrationsOf(store.db, id);
    expect([row.status, row.note]).toEqual(["maybe", null]);
  });

  test("JSON on request: the status and the arrival number acknowledged", async () => {
    const id = await workshop(w.spaces.listed, { capacity: 1 });
    const first = await c.member.post(path(w.spaces.listed, id), { status: "going" }, { headers: { Accept: "application/json" } });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toEqual({ ok: true, status: "going", arrival: 1, position: null, promoted: 0 });
    const second = await c.editor.post(path(w.spaces.listed, id), { status: "going" }, { headers: { Accept: "application/json" } });
    expect(JSON.parse(second.text)).toEqual({ ok: true, status: "waiting", arrival: 2, position: 1, promoted: 0 });
  });

  test("an over-long note, or one with control characters, is refused with nothing stored", async () => {
    const id = await workshop(w.spaces.listed);
    const before = await everything();
    const long = await c.member.post(path(w.spaces.listed, id), { status: "going", note: "x".repeat(281) });
    expect(await flashOf(long)).toMatchObject({ kind: "error", key: "workshops.registration.noteTooLong" });
    const control = await c.member.post(path(w.spaces.listed, id), { status: "going", note: "bonjour\u0007" });
    expect(await flashOf(control)).toMatchObject({ kind: "error", key: "workshops.registration.badNote" });
    const badStatus = await c.member.post(path(w.spaces.listed, id), { status: "waiting" });
    expect(await flashOf(badStatus)).toMatchObject({ kind: "error", key: "workshops.registration.badStatus" });
    expect(await everything()).toEqual(before);
    // 280 characters exactly are taken.
    await c.member.post(path(w.spaces.listed, id), { status: "going", note: "y".repeat(280) });
    expect((await registrationsOf(store.db, id))[0].note).toHaveLength(280);
  });

  const CLOSED: Array<[string, Partial<SeedWorkshop>, string]> = [
    ["cancelled", { state: "cancelled" }, "workshops.registration.closed.cancelled"],
    ["past", { startsAt: Date.now() - 5 * HOUR, endsAt: Date.now() - 3 * HOUR }, "workshops.registration.closed.past"],
    ["after its deadline", { registrationClosesAt: Date.now() - HOUR }, "workshops.registration.closed.deadline"],
    ["already started", { startsAt: Date.now() - HOUR, endsAt: Date.now() + HOUR }, "workshops.registration.closed.deadline"],
  ];
  for (const [what, row, key] of CLOSED) {
    test(`a workshop ${what} refuses, says why, and stores nothing`, async () => {
      const id = await workshop(w.spaces.listed, row);
      const before = await everything();
      for (const status of ["going", "maybe", "not_going"]) {
        const res = await c.member.post(path(w.spaces.listed, id), { status });
        expect(res.status).toBe(302);
        expect(res.location).toBe(pageOf(w.spaces.listed, id));
        expect(await flashOf(res)).toMatchObject({ kind: "error", key });
      }
      const json = await c.member.post(path(w.spaces.listed, id), { status: "going" }, { headers: { Accept: "application/json" } });
      expect(json.status).toBe(409);
      expect(JSON.parse(json.text)).toMatchObject({ ok: false, closedBecause: key.split(".").at(-1) });
      expect(await everything()).toEqual(before);
    });
  }

  test("an archived space takes no registration", async () => {
    const id = await workshop(w.spaces.listed);
    // Archive only for this test, then back.
    await store.db.updateTable("space").set({ archived_at: Date.now() }).where("id", "=", w.spaces.listed.id).execute();
    try {
      const before = await everything();
      expect((await c.member.post(path(w.spaces.listed, id), { status: "going" })).status).toBe(403);
      expect(await everything()).toEqual(before);
    } finally {
      await store.db.updateTable("space").set({ archived_at: null }).where("id", "=", w.spaces.listed.id).execute();
    }
  });
});

// ---------------------------------------------------------------------------
// The waitlist and the promotion
// ---------------------------------------------------------------------------

describe("capacity and waitlist", () => {
  test("once full, going waits; a withdrawal promotes the first waiting at once, told in the app and by mail", async () => {
    const space = w.spaces.secret;
    const id = await workshop(space, { capacity: 2, title: "Négocier avec les fournisseurs" });
    const say = (who: "member" | "editor" | "guest" | "admin", status: string) => c[who].post(path(space, id), { status });

    expect((await flashOf(await say("member", "going")))?.key).toBe("workshops.registration.saved.going");
    expect((await flashOf(await say("editor", "going")))?.key).toBe("workshops.registration.saved.going");
    const third = await say("guest", "going");
    expect(await flashOf(third)).toMatchObject({ key: "workshops.registration.saved.waiting", params: { position: 1 } });
    await say("admin", "going");
    expect((await registrationsOf(store.db, id)).map((r) => [r.user_id, r.status, r.arrival])).toEqual([
      [w.people.member.id, "going", 1],
      [w.people.editor.id, "going", 2],
      [w.people.guest.id, "waiting", 3],
      [w.people.admin.id, "waiting", 4],
    ]);

    // Saying "going" again while waiting keeps one's place.
    await say("guest", "going");
    expect((await registrationsOf(store.db, id)).find((r) => r.user_id === w.people.guest.id)).toMatchObject({ status: "waiting", arrival: 3 });

    // The member withdraws: the guest (first waiting) goes, the admin stays waiting, now first.
    await say("member", "not_going");
    const rows = await registrationsOf(store.db, id);
    expect(Object.fromEntries(rows.map((r) => [r.user_id, r.status]))).toEqual({
      [w.people.member.id]: "not_going",
      [w.people.editor.id]: "going",
      [w.people.guest.id]: "going",
      [w.people.admin.id]: "waiting",
    });

    const told = await store.db.selectFrom("notification").selectAll().where("kind", "=", "workshopPromoted").where("owner_id", "=", id).execute();
    expect(told.map((n) => [n.user_id, n.owner_kind, n.actor_id])).toEqual([[w.people.guest.id, "workshop", w.people.member.id]]);
    const list = await c.guest.get("/notifications");
    expect(list.status).toBe(200);
    expect(pageText(list.text)).toContain("Une place s’est libérée : vous êtes inscrit à « Négocier avec les fournisseurs »");

    const mail = await w.smtp.waitForMail((m) => m.to.includes(w.people.guest.email) && m.subject.includes("Négocier avec les fournisseurs"), 15_000);
    expect(mail.subject).toBe("Une place s’est libérée : « Négocier avec les fournisseurs »");
    expect(mail.text).toContain(pageOf(space, id));
    // Nobody else heard of it.
    expect(w.smtp.messages.filter((m) => m.subject.includes("Négocier avec les fournisseurs")).flatMap((m) => m.to)).toEqual([w.people.guest.email]);

    // Withdrawing from the waitlist frees no seat: nobody is promoted.
    await say("admin", "maybe");
    expect((await registrationsOf(store.db, id)).filter((r) => r.status === "going").map((r) => r.user_id).sort()).toEqual([w.people.editor.id, w.people.guest.id].sort());
    // Coming back goes to the end of the line.
    await say("member", "going");
    expect((await registrationsOf(store.db, id)).find((r) => r.user_id === w.people.member.id)).toMatchObject({ status: "waiting", arrival: 5 });
  });

  test("capacityRefusal: a capacity below those going is refused, with how many are going", async () => {
    const id = await workshop(w.spaces.listed, { capacity: 3 });
    for (const who of ["member", "editor"] as const) await c[who].post(path(w.spaces.listed, id), { status: "going" });
    await c.guest.post(path(w.spaces.listed, id), { status: "maybe" });
    expect(await capacityRefusal(store.db, id, 1)).toEqual({ going: 2 });
    expect(await capacityRefusal(store.db, id, 2)).toBeNull();
    expect(await capacityRefusal(store.db, id, null)).toBeNull();
  });
});
