import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { ACTORS, matrix, type ActorName, type SignedInActor } from "#tests/helpers/matrix.ts";
import { flashOf, domainRows, tablesOf } from "#tests/helpers/state.ts";
import type { Tus } from "#tests/helpers/tus.ts";
import { ledWorkshop, materialRows, wikiPage } from "#tests/helpers/workshop-followup.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * A workshop's materials over real HTTP with real sessions, against the
 * built server: who may link, share, reorder and remove them (its
 * facilitators and the space's admins: the authorization matrix), pages and
 * files of the space only (another space's page, file, workshop or material:
 * 404 and nothing changed), a file uploaded through the files' own upload
 * path then linked, and what the workshop page shows to its readers.
 */

type SpaceKey = "open" | "listed" | "secret";
let w: World<SignedInActor, SpaceKey>;
let store: OpenedDatabase;
const c = {} as Record<ActorName, Client>;
let tus: Record<SignedInActor, Tus>;

beforeAll(async () => {
  w = await world();
  store = w.store;
  Object.assign(c, w.c);
  c.anon = w.anonymous;
  tus = w.tus;
}, 60_000);

afterAll(() => w?.close());

const path = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}/materials`;
const pageOf = (space: Space, id: string) => `/spaces/${space.slug}/workshops/${id}`;

/** Everything a refused write must leave as it was. */
async function everything() {
  return {
    ...(await domainRows(store.db)),
    ...(await tablesOf(store.db, ["workshop", "workshop_material", "page", "file"])),
  };
}

const led = (space: Space, facilitators: SignedInActor[] = [], row: { held?: boolean; state?: "cancelled" } = {}) =>
  ledWorkshop(store.db, { spaceId: space.id, createdBy: w.people.admin.id, facilitators: facilitators.map((f) => w.people[f].id), ...row });
const page = (space: Space, title: string, deleted = false) => wikiPage(store.db, { spaceId: space.id, authorId: w.people.admin.id, title, deleted });

async function upload(space: Space, name: string) {
  const done = await tus.admin.upload(space.slug, Buffer.from(`Support : ${name}\n`), { filename: name, onConflict: "copy" });
  return done.fileId;
}

// ---------------------------------------------------------------------------
// Who may add a material: the route joins the authorization matrix
// ---------------------------------------------------------------------------

// ok: redirected to the workshop's materials, the page linked; login: to the sign-in page.
const CELLS = ["ok", "403", "404", "login"] as const;
const WHO_ADDS = matrix(
  `
  case               anon   outsider  guest  member  editor  admin  netAdmin
  # The member facilitates this one.
  secret/led         login  404       403    ok      403     ok     ok
  listed/led         login  403       403    ok      403     ok     ok
  open/led           login  403       403    ok      403     ok     ok
  # Nobody facilitates: the admins only.
  listed/unled       login  403       403    403     403     ok     ok
  `,
  CELLS,
);

describe("who may link a page to a workshop (POST intent=add)", () => {
  for (const row of WHO_ADDS) {
    for (const actor of ACTORS) {
      const cell = row.cells[actor];
      test(`${row.key} × ${actor} → ${cell}`, async () => {
        const [spaceKey, kind] = row.key.split("/") as [SpaceKey, "led" | "unled"];
        const space = w.spaces[spaceKey];
        const { id } = await led(space, kind === "led" ? ["member"] : []);
        const target = await page(space, `Support ${row.key} ${actor}`);
        const before = await everything();
        const res = await c[actor].post(path(space, id), { intent: "add", kind: "page", targetId: target.id, shared: "0" });
        if (cell === "ok") {
          expect(res.status).toBe(302);
          expect(res.location).toBe(`${pageOf(space, id)}#materials`);
          expect((await flashOf(res))?.key).toBe("workshops.materials.added");
          expect((await materialRows(store.db, id)).map((m) => [m.page_id, m.file_id, m.shared, m.position])).toEqual([[target.id, null, 0, 1]]);
          return;
        }
        if (cell === "login") {
          expect(res.status).toBe(302);
          expect(res.location ?? "").toMatch(/^\/login\?redirectTo=/);
        } else {
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
// Only this space's pages and files, this workshop's materials
// ---------------------------------------------------------------------------

describe("ids from elsewhere", () => {
  test("another space's page or file, a trashed page, an unknown id: 404, nothing changed", async () => {
    // The member facilitates here and belongs to the secret space too: only the pairing is wrong.
    const { id } = await led(w.spaces.listed, ["member"]);
    const elsewherePage = await page(w.spaces.secret, "Page du club secret");
    const elsewhereFile = await upload(w.spaces.secret, "secret.pdf");
    const trashed = await page(w.spaces.listed, "Page à la corbeille", true);
    const before = await everything();
    for (const [kind, targetId] of [
      ["page", elsewherePage.id],
      ["file", elsewhereFile],
      ["page", trashed.id],
      ["page", "aaaaaaaaaaaaaaaaaaaaaaaa"],
      // A page's id given as a file, and the other way round.
      ["file", elsewherePage.id],
    ]) {
      const res = await c.member.post(path(w.spaces.listed, id), { intent: "add", kind, targetId, shared: "1" });
      expect(res.status, `${kind} ${targetId}`).toBe(404);
      expect(pageText(res.text)).not.toContain(w.spaces.secret.name);
    }
    expect(await everything()).toEqual(before);
  });

  test("another space's workshop through this space's address, another workshop's material: 404, nothing changed", async () => {
    const secretOne = await led(w.spaces.secret, ["member"]);
    const mine = await led(w.spaces.listed, ["member"]);
    const theirs = await led(w.spaces.listed, ["member"]);
    const linked = await page(w.spaces.listed, "Déjà lié ailleurs");
    expect((await c.member.post(path(w.spaces.listed, theirs.id), { intent: "add", kind: "page", targetId: linked.id })).status).toBe(302);
    const [material] = await materialRows(store.db, theirs.id);
    const target = await page(w.spaces.listed, "Page du club listé");
    const before = await everything();
    expect((await c.member.post(path(w.spaces.listed, secretOne.id), { intent: "add", kind: "page", targetId: target.id })).status).toBe(404);
    for (const fields of <Record<string, string>[]>[
      { intent: "remove", materialId: material.id },
      { intent: "share", materialId: material.id, shared: "1" },
      { intent: "move", materialId: material.id, direction: "down" },
    ]) {
      expect((await c.member.post(path(w.spaces.listed, mine.id), fields)).status, fields.intent).toBe(404);
    }
    expect(await everything()).toEqual(before);
  });

  test("malformed requests: 400, nothing changed; GET: 405", async () => {
    const { id } = await led(w.spaces.listed, ["member"]);
    const target = await page(w.spaces.listed, "Page valable");
    const before = await everything();
    for (const fields of <Record<string, string>[]>[
      { intent: "add", kind: "video", targetId: target.id },
      { intent: "add", kind: "page", targetId: "../../etc" },
      { intent: "move", materialId: "aaaaaaaaaaaaaaaaaaaaaaaa", direction: "sideways" },
      { intent: "share", materialId: "aaaaaaaaaaaaaaaaaaaaaaaa", shared: "yes" },
      { intent: "explode" },
    ]) {
      expect((await c.member.post(path(w.spaces.listed, id), fields)).status, JSON.stringify(fields)).toBe(400);
    }
    expect(await everything()).toEqual(before);
    expect((await c.member.get(path(w.spaces.listed, id))).status).toBe(405);
  });
});

// ---------------------------------------------------------------------------
// Linking, sharing, ordering, removing, and what readers see
// ---------------------------------------------------------------------------

describe("a facilitator's materials", () => {
  test("a file uploaded into the space's files, then linked; a page; shared, reordered, removed; a page linked twice stays once", async () => {
    const space = w.spaces.listed;
    const { id } = await led(space, ["member"]);
    const fileId = await upload(space, "déroulé-atelier.pdf");
    const plan = await page(space, "Plan de la séance");
    const post = (fields: Record<string, string>) => c.member.post(path(space, id), fields);

    expect((await post({ intent: "add", kind: "file", targetId: fileId, shared: "1" })).status).toBe(302);
    expect((await post({ intent: "add", kind: "page", targetId: plan.id, shared: "0" })).status).toBe(302);
    const again = await post({ intent: "add", kind: "page", targetId: plan.id, shared: "1" });
    expect((await flashOf(again))?.key).toBe("workshops.materials.already");
    let rows = await materialRows(store.db, id);
    expect(rows.map((m) => [m.file_id ?? m.page_id, m.shared])).toEqual([
      [fileId, 1],
      [plan.id, 0],
    ]);

    // The page up: first; at the top already, up again moves nothing.
    const [file, pageMaterial] = rows;
    expect((await post({ intent: "move", materialId: pageMaterial.id, direction: "up" })).status).toBe(302);
    expect((await post({ intent: "move", materialId: pageMaterial.id, direction: "up" })).status).toBe(302);
    rows = await materialRows(store.db, id);
    expect(rows.map((m) => m.id)).toEqual([pageMaterial.id, file.id]);

    expect((await post({ intent: "share", materialId: pageMaterial.id, shared: "1" })).status).toBe(302);
    expect((await post({ intent: "share", materialId: file.id, shared: "0" })).status).toBe(302);
    rows = await materialRows(store.db, id);
    expect(rows.map((m) => [m.id, m.shared])).toEqual([
      [pageMaterial.id, 1],
      [file.id, 0],
    ]);

    // A guest reads the workshop: both materials, each a link into the space.
    const read = await c.guest.get(pageOf(space, id));
    expect(read.status).toBe(200);
    const text = pageText(read.text);
    expect(text).toContain("Supports");
    expect(text.indexOf("Plan de la séance")).toBeLessThan(text.indexOf("déroulé-atelier.pdf"));
    expect(read.text).toContain(`href="/spaces/${space.slug}/wiki/${plan.slug}"`);
    expect(read.text).toContain(`href="/spaces/${space.slug}/files/${fileId}"`);
    // The guest manages nothing.
    expect(read.text).not.toContain('value="remove"');

    expect((await post({ intent: "remove", materialId: file.id })).status).toBe(302);
    expect((await materialRows(store.db, id)).map((m) => m.id)).toEqual([pageMaterial.id]);
    // The file itself is still in the space's files.
    expect(await store.db.selectFrom("file").select("deleted_at").where("id", "=", fileId).executeTakeFirst()).toEqual({ deleted_at: null });
  });

  test("a material whose page went to the trash is not shown, and comes back with it", async () => {
    const space = w.spaces.listed;
    const { id } = await led(space, ["member"]);
    const gone = await page(space, "Fiche pratique provisoire");
    expect((await c.member.post(path(space, id), { intent: "add", kind: "page", targetId: gone.id })).status).toBe(302);
    expect(pageText((await c.member.get(pageOf(space, id))).text)).toContain("Fiche pratique provisoire");
    await store.db.updateTable("page").set({ deleted_at: Date.now(), deleted_by: w.people.admin.id }).where("id", "=", gone.id).execute();
    expect(pageText((await c.member.get(pageOf(space, id))).text)).not.toContain("Fiche pratique provisoire");
    await store.db.updateTable("page").set({ deleted_at: null, deleted_by: null }).where("id", "=", gone.id).execute();
    expect(pageText((await c.member.get(pageOf(space, id))).text)).toContain("Fiche pratique provisoire");
  });

  test("a member of another club reading a workshop opened to the network sees only the shared materials, by name, linking nowhere in the space", async () => {
    const space = w.spaces.listed;
    const { id } = await led(space, ["member"]);
    await store.db.updateTable("workshop").set({ visibility: "network" }).where("id", "=", id).execute();
    const shared = await page(space, "Grille partagée avec le réseau");
    const kept = await page(space, "Notes internes du club");
    expect((await c.member.post(path(space, id), { intent: "add", kind: "page", targetId: shared.id, shared: "1" })).status).toBe(302);
    expect((await c.member.post(path(space, id), { intent: "add", kind: "page", targetId: kept.id, shared: "0" })).status).toBe(302);
    const res = await c.outsider.get(pageOf(space, id));
    expect(res.status).toBe(200);
    const text = pageText(res.text);
    expect(text).toContain("Grille partagée avec le réseau");
    expect(text).not.toContain("Notes internes du club");
    expect(res.text).not.toContain(`/wiki/${shared.slug}`);
    // A member of the space sees both.
    const inside = pageText((await c.guest.get(pageOf(space, id))).text);
    expect(inside).toContain("Notes internes du club");
  });
});
