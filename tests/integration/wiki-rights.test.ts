import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import * as pages from "#db/queries/pages.ts";
import { setArchived } from "#db/queries/spaces.ts";
import type { Page, Space } from "#db/schema.ts";
import { addMember, createSpace, type TestUser } from "#tests/factories.ts";
import type { Client, HttpResponse } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { domainRows, tablesOf } from "#tests/helpers/state.ts";
import { textDoc } from "#tests/helpers/lexical.ts";
import { ACTORS, matrix, type ActorName, type SignedInActor } from "#tests/helpers/matrix.ts";

/**
 * Every wiki URL, read and written over real HTTP by each kind of viewer,
 * against the SPEC's Roles table: guests read, members write the wiki
 * together (and put their own pages in the trash), editors and admins restore
 * revisions and run the trash; a secret space is invisible to outsiders (404
 * everywhere, JSON included); an open one is readable by every network
 * member and writable by none of them; ids of another space are not found.
 * Pages are arranged in the database through the app's own query module;
 * every refused write is checked to have changed nothing.
 */


let server: TestServer;
let store: OpenedDatabase;

const users = {} as Record<SignedInActor | "openAdmin" | "dual", TestUser>;
const c = {} as Record<ActorName | "openAdmin" | "dual", Client>;

let secret: Space; // guest, member, editor, admin of the fixture
let open: Space; // only openAdmin; everyone else is an outsider
let listed: Space; // only openAdmin
let otherSpace: Space; // secret; dual is editor here and in secret

let w: World<SignedInActor | "openAdmin" | "dual", "secret" | "open" | "listed" | "otherSpace">;

beforeAll(async () => {
  w = await world({
    domain: "wiki-rights.test",
    displayName: (name) => `${name} Droits`,
    people: { outsider: {}, guest: {}, member: {}, editor: {}, admin: {}, netAdmin: { isNetworkAdmin: true }, openAdmin: {}, dual: {} },
    spaces: {
      secret: { createdBy: "admin", slug: "wiki-secret", name: "Cercle Wiki Secret", visibility: "secret", members: { guest: "guest", member: "member", editor: "editor", dual: "editor" } },
      open: { createdBy: "openAdmin", slug: "wiki-ouvert", name: "Cercle Wiki Ouvert", visibility: "open" },
      listed: { createdBy: "openAdmin", slug: "wiki-liste", name: "Cercle Wiki Liste", visibility: "listed" },
      otherSpace: { createdBy: "openAdmin", slug: "wiki-autre", name: "Cercle Wiki Autre", visibility: "secret", members: { dual: "editor" } },
    },
  });
  ({ server, store } = w);
  ({ secret, open, listed, otherSpace } = w.spaces);
  Object.assign(users, w.people);
  c.anon = w.anonymous;
  Object.assign(c, w.c);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

const doc = textDoc;

let seq = 0;
const next = () => `${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}`;

/** A page arranged straight in the database (with `revisions` revisions), as the app's query module writes it. */
async function seedPage(space: Space, author: TestUser, options: { title?: string; parentId?: string | null; revisions?: number } = {}): Promise<Page> {
  const title = options.title ?? `Page ${next()}`;
  const content = (t: string) => ({ json: doc(t), html: `<p>${t}</p>`, text: t });
  const page = await pages.createPage(store.db, {
    spaceId: space.id,
    parentId: options.parentId ?? null,
    title,
    slug: await pages.uniqueSlug(store.db, space.id, title.toLowerCase().replace(/[^a-z0-9]+/g, "-")),
    content: content(`${title} version 1`),
    summary: "",
    authorId: author.id,
    now: Date.now(),
  });
  for (let n = 2; n <= (options.revisions ?? 1); n++) {
    await pages.savePage(store.db, { pageId: page.id, baseRevision: n - 1, title, slug: page.slug, content: content(`${title} version ${n}`), summary: "", authorId: author.id, now: Date.now() });
  }
  return store.db.selectFrom("page").selectAll().where("id", "=", page.id).executeTakeFirstOrThrow();
}

const pageRow = (id: string) => store.db.selectFrom("page").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function everything() {
  return { ...(await domainRows(store.db)), ...(await tablesOf(store.db, ["page", "page_revision", "page_link"])) };
}

function expectLogin(res: HttpResponse, what: string) {
  expect(res.status, what).toBe(302);
  expect(res.location ?? "", what).toMatch(/^\/login\?redirectTo=/);
}


// ---------------------------------------------------------------------------
// Reading a secret space's wiki
// ---------------------------------------------------------------------------

// {p}: a page's slug; {id}: its id. "page": 302 to the page's address.
const READ_CELLS = ["200", "403", "404", "login", "page"] as const;
type ReadCell = (typeof READ_CELLS)[number];

const SECRET_READS = `
  path                           anon   outsider  guest  member  editor  admin  netAdmin
  /wiki                          login  404       200    200     200     200    200
  /wiki/new                      login  404       403    200     200     200    200
  /wiki/{p}                      login  404       200    200     200     200    200
  /wiki/{p}/edit                 login  404       403    200     200     200    200
  /wiki/{p}/history              login  404       200    200     200     200    200
  /wiki/{p}/history?from=1&to=2  login  404       200    200     200     200    200
  /wiki/{p}/move                 login  404       403    200     200     200    200
  /wiki/trash                    login  404       403    403     200     200    200
  /wiki/tree                     login  404       200    200     200     200    200
  /wiki/tree?parent={id}         login  404       200    200     200     200    200
  /wiki/search?q=droits          login  404       200    200     200     200    200
  /pages/{id}                    login  404       page   page    page    page   page
`;

// An open space: every signed-in member of the network reads, and nothing more.
const OPEN_READS = `
  path                           anon   outsider  guest  member  editor  admin  netAdmin
  /wiki                          login  200       200    200     200     200    200
  /wiki/new                      login  403       403    403     403     403    200
  /wiki/{p}                      login  200       200    200     200     200    200
  /wiki/{p}/edit                 login  403       403    403     403     403    200
  /wiki/{p}/history              login  200       200    200     200     200    200
  /wiki/{p}/move                 login  403       403    403     403     403    200
  /wiki/trash                    login  403       403    403     403     403    200
  /wiki/tree                     login  200       200    200     200     200    200
  /wiki/search?q=droits          login  200       200    200     200     200    200
  /pages/{id}                    login  page      page   page    page    page   page
`;

// A listed space: outsiders may know its name, not read its wiki.
const LISTED_READS = `
  path                           anon   outsider  guest  member  editor  admin  netAdmin
  /wiki                          login  403       403    403     403     403    200
  /wiki/{p}                      login  403       403    403     403     403    200
  /wiki/tree                     login  403       403    403     403     403    200
  /wiki/search?q=droits          login  403       403    403     403     403    200
  /pages/{id}                    login  403       403    403     403     403    page
`;

describe.each([
  ["secret", () => secret, SECRET_READS],
  ["open", () => open, OPEN_READS],
  ["listed", () => listed, LISTED_READS],
] as const)("reading the wiki of the %s space", (_name, spaceOf, table) => {
  let page: Page;
  let title: string;

  beforeAll(async () => {
    const space = spaceOf();
    title = `Droits lecture ${space.slug} ${next()}`;
    const author = space.id === secret.id ? users.member : users.openAdmin;
    page = await seedPage(space, author, { title, revisions: 2 });
    await seedPage(space, author, { title: `Droits enfant ${next()}`, parentId: page.id });
  });

  for (const { key, cells } of matrix<ReadCell>(table, READ_CELLS)) {
    test.each(ACTORS.map((a) => [a, cells[a]] as const))(`GET ${key} as %s → %s`, async (actor, expected) => {
      const space = spaceOf();
      const path = key.startsWith("/pages/")
        ? key.replace("{id}", page.id)
        : `/spaces/${space.slug}${key.replace("{p}", page.slug).replace("{id}", page.id)}`;
      const res = await c[actor].get(path);
      if (expected === "login") return expectLogin(res, path);
      if (expected === "page") {
        expect(res.status, path).toBe(302);
        expect(res.location, path).toBe(`/spaces/${space.slug}/wiki/${page.slug}`);
        return;
      }
      expect(res.status, path).toBe(Number(expected));
      if (expected !== "200") {
        // A refusal names neither the page nor its content.
        expect(res.text.includes(title), `${path} names the page`).toBe(false);
        if (expected === "404") expect(res.text.includes(space.name), `${path} names the secret space`).toBe(false);
      } else if (key === "/wiki/{p}") {
        expect(res.text).toContain("version 2");
      }
    });
  }
});

test("data requests (client-side navigation) answer as the documents do", async () => {
  const page = await seedPage(secret, users.member, { title: `Donnees ${next()}` });
  const path = `/spaces/${secret.slug}/wiki/${page.slug}.data`;
  const outsider = await c.outsider.get(path);
  expect(outsider.status).toBe(404);
  expect(outsider.text.includes(page.title)).toBe(false);
  expect(outsider.text.includes(secret.name)).toBe(false);
  const guest = await c.guest.get(path);
  expect(guest.status).toBe(200);
  expect(guest.text).toContain(page.title);
  // A fetcher's POST is held to the same rule.
  const before = await everything();
  expect((await c.guest.post(`/spaces/${secret.slug}/wiki/${page.slug}/edit.data`, { title: "x", content: doc("x"), summary: "", baseRevision: "1" })).status).toBe(403);
  expect((await c.outsider.post(`/spaces/${secret.slug}/wiki/${page.slug}.data`, { intent: "delete" })).status).toBe(404);
  expect(await everything()).toEqual(before);
});

test("guests and outsiders of an open space see no editing controls on a page", async () => {
  const page = await seedPage(secret, users.member, { title: `Sans boutons ${next()}` });
  const forGuest = await c.guest.get(`/spaces/${secret.slug}/wiki/${page.slug}`);
  expect(forGuest.status).toBe(200);
  expect(forGuest.text.includes(`/wiki/${page.slug}/edit"`), "a guest is offered the edit link").toBe(false);
  expect(forGuest.text.includes(`/wiki/${page.slug}/move"`), "a guest is offered the move link").toBe(false);
  expect(forGuest.text.includes("/wiki/new"), "a guest is offered page creation").toBe(false);
  const openPage = await seedPage(open, users.openAdmin, { title: `Ouverte sans boutons ${next()}` });
  const forOutsider = await c.outsider.get(`/spaces/${open.slug}/wiki/${openPage.slug}`);
  expect(forOutsider.status).toBe(200);
  expect(forOutsider.text.includes(`/wiki/${openPage.slug}/edit"`), "an outsider is offered the edit link").toBe(false);
  // A member is offered them.
  expect((await c.member.get(`/spaces/${secret.slug}/wiki/${page.slug}`)).text).toContain(`/wiki/${page.slug}/edit"`);
});

// ---------------------------------------------------------------------------
// Writing in the secret space
// ---------------------------------------------------------------------------

// ok: the write succeeds (302) and the database shows it; otherwise the status, and nothing changed anywhere.
const WRITE_CELLS = ["ok", "403", "404", "login"] as const;
type WriteCell = (typeof WRITE_CELLS)[number];

const SECRET_WRITES = `
  action           anon   outsider  guest  member  editor  admin  netAdmin
  create           login  404       403    ok      ok      ok     ok
  createChild      login  404       403    ok      ok      ok     ok
  edit             login  404       403    ok      ok      ok     ok
  move             login  404       403    ok      ok      ok     ok
  deleteOwn        login  404       403    ok      ok      ok     ok
  deleteOthers     login  404       403    403     ok      ok     ok
  restoreRevision  login  404       403    403     ok      ok     ok
  restoreTrash     login  404       403    403     ok      ok     ok
`;

// Non-members of an open space (and the space's own members, had they a role) write nothing.
const OPEN_WRITES = `
  action           anon   outsider  guest  member  editor  admin  netAdmin
  create           login  403       403    403     403     403    ok
  createChild      login  403       403    403     403     403    ok
  edit             login  403       403    403     403     403    ok
  move             login  403       403    403     403     403    ok
  deleteOwn        login  403       403    403     403     403    ok
  deleteOthers     login  403       403    403     403     403    ok
  restoreRevision  login  403       403    403     403     403    ok
  restoreTrash     login  403       403    403     403     403    ok
`;

interface Attempt {
  path: string;
  fields: Record<string, string>;
  /** After a 302: the database shows the write. */
  check(res: HttpResponse): Promise<void>;
}

/** Arranges what the write needs (fresh pages for each attempt) and says how to check it succeeded. */
async function arrange(action: string, space: Space, actor: ActorName): Promise<Attempt> {
  const base = `/spaces/${space.slug}/wiki`;
  const owner = space.id === secret.id ? users.admin : users.openAdmin;
  const actorUser = actor === "anon" ? owner : users[actor];
  switch (action) {
    case "create":
    case "createChild": {
      const parent = action === "createChild" ? await seedPage(space, owner) : null;
      const title = `Creee par ${actor} ${next()}`;
      return {
        path: `${base}/new`,
        fields: { title, content: doc("nouvelle"), summary: "s", ...(parent ? { parentId: parent.id } : {}) },
        async check(res) {
          const row = await store.db.selectFrom("page").selectAll().where("space_id", "=", space.id).where("title", "=", title).executeTakeFirstOrThrow();
          expect(res.location).toBe(`${base}/${row.slug}`);
          expect(row.parent_id).toBe(parent?.id ?? null);
          expect(row.created_by).toBe(actorUser.id);
        },
      };
    }
    case "edit": {
      const page = await seedPage(space, owner);
      return {
        path: `${base}/${page.slug}/edit`,
        fields: { title: page.title, content: doc(`edite par ${actor}`), summary: "", baseRevision: "1" },
        async check() {
          const row = await pageRow(page.id);
          expect(row.revision).toBe(2);
          expect(row.updated_by).toBe(actorUser.id);
          expect(row.content_text).toBe(`edite par ${actor}`);
        },
      };
    }
    case "move": {
      const parent = await seedPage(space, owner);
      const page = await seedPage(space, owner, { parentId: parent.id });
      return {
        path: `${base}/${page.slug}/move`,
        fields: { parentId: "", index: "0" },
        async check() {
          expect((await pageRow(page.id)).parent_id).toBeNull();
        },
      };
    }
    case "deleteOwn":
    case "deleteOthers": {
      const page = await seedPage(space, action === "deleteOwn" ? actorUser : owner);
      return {
        path: `${base}/${page.slug}`,
        fields: { intent: "delete" },
        async check() {
          const row = await pageRow(page.id);
          expect(row.deleted_at).not.toBeNull();
          expect(row.deleted_by).toBe(actorUser.id);
        },
      };
    }
    case "restoreRevision": {
      const page = await seedPage(space, owner, { revisions: 2 });
      return {
        path: `${base}/${page.slug}/history`,
        fields: { intent: "restore", revision: "1" },
        async check() {
          const row = await pageRow(page.id);
          expect(row.revision).toBe(3);
          expect(row.content_text).toBe(`${page.title} version 1`);
        },
      };
    }
    case "restoreTrash": {
      const page = await seedPage(space, owner);
      await pages.trashPage(store.db, page.id, owner.id, Date.now());
      return {
        path: `${base}/trash`,
        fields: { intent: "restore", pageId: page.id },
        async check() {
          expect((await pageRow(page.id)).deleted_at).toBeNull();
        },
      };
    }
    default:
      throw new Error(`unknown action ${action}`);
  }
}

describe.each([
  ["secret", () => secret, SECRET_WRITES],
  ["open", () => open, OPEN_WRITES],
] as const)("writing in the wiki of the %s space", (_name, spaceOf, table) => {
  for (const { key, cells } of matrix<WriteCell>(table, WRITE_CELLS)) {
    test.each(ACTORS.map((a) => [a, cells[a]] as const))(`${key} as %s → %s`, async (actor, expected) => {
      const attempt = await arrange(key, spaceOf(), actor);
      const before = await everything();
      const res = await c[actor].post(attempt.path, attempt.fields);
      const what = `${key} as ${actor}: POST ${attempt.path} ${JSON.stringify(attempt.fields).slice(0, 200)}`;
      if (expected === "ok") {
        expect(res.status, what).toBe(302);
        await attempt.check(res);
        return;
      }
      if (expected === "login") expectLogin(res, what);
      else expect(res.status, what).toBe(Number(expected));
      expect(await everything(), `${what} must change nothing`).toEqual(before);
    });
  }
});

test("a cross-site POST to a wiki action is refused before the action runs", async () => {
  const page = await seedPage(secret, users.member, { title: `Cible croisee ${next()}` });
  const before = await everything();
  const evil = { origin: "https://evil.example", secFetchSite: "cross-site" };
  const base = `/spaces/${secret.slug}/wiki`;
  expect((await c.member.post(`${base}/new`, { title: "Croisee", content: doc("x"), summary: "" }, evil)).status).toBe(403);
  expect((await c.member.post(`${base}/${page.slug}/edit`, { title: page.title, content: doc("x"), summary: "", baseRevision: "1" }, evil)).status).toBe(403);
  expect((await c.member.post(`${base}/${page.slug}`, { intent: "delete" }, evil)).status).toBe(403);
  expect(await everything()).toEqual(before);
});

test("in an archived space the wiki is read-only, even for its admin", async () => {
  const archived = await createSpace(store.db, { createdBy: users.admin.id, slug: "wiki-archive", name: "Cercle Wiki Archive", visibility: "listed" });
  await addMember(store.db, { space: archived, user: users.member, role: "member" });
  const page = await seedPage(archived, users.member);
  await setArchived(store.db, archived.id, Date.now());
  const base = `/spaces/${archived.slug}/wiki`;
  expect((await c.member.get(`${base}/${page.slug}`)).status).toBe(200);
  expect((await c.member.get(`${base}/new`)).status).toBe(403);
  const before = await everything();
  for (const [cl, path, fields] of [
    [c.member, `${base}/new`, { title: "Archive", content: doc("x"), summary: "" }],
    [c.member, `${base}/${page.slug}/edit`, { title: page.title, content: doc("x"), summary: "", baseRevision: "1" }],
    [c.member, `${base}/${page.slug}`, { intent: "delete" }],
    [c.admin, `${base}/${page.slug}/edit`, { title: page.title, content: doc("x"), summary: "", baseRevision: "1" }],
  ] as const) {
    expect((await cl.post(path, { ...fields })).status, path).toBe(403);
  }
  expect(await everything()).toEqual(before);
});

// ---------------------------------------------------------------------------
// Ids of another space
// ---------------------------------------------------------------------------

describe("an id from another space, through this space's URLs, is not found", () => {
  // dual is an editor of both spaces: the 404s are about the URL, not about rights.
  let here: Page;
  let there: Page;
  let thereTrashed: Page;

  beforeAll(async () => {
    here = await seedPage(secret, users.dual, { title: `Ici ${next()}` });
    there = await seedPage(otherSpace, users.dual, { title: `La-bas ${next()}`, revisions: 3 });
    thereTrashed = await seedPage(otherSpace, users.dual, { title: `La-bas corbeille ${next()}` });
    await pages.trashPage(store.db, thereTrashed.id, users.dual.id, Date.now());
  });

  // The request is sent only once the snapshot is taken: reading rows is asynchronous too.
  async function expectNotFound(send: () => Promise<HttpResponse>, what: string, before?: Awaited<ReturnType<typeof everything>>) {
    const expected = before ?? (await everything());
    const answer = await send();
    expect(answer.status, what).toBe(404);
    expect(answer.text.includes(there.title), `${what} names the other space's page`).toBe(false);
    expect(await everything(), `${what} must change nothing`).toEqual(expected);
  }

  test("parentId of a new page", async () => {
    const before = await everything();
    await expectNotFound(() => c.dual.post(`/spaces/${secret.slug}/wiki/new`, { title: `Sous la-bas ${next()}`, content: doc("x"), summary: "", parentId: there.id }), "POST new", before);
    await expectNotFound(() => c.dual.get(`/spaces/${secret.slug}/wiki/new?parent=${there.id}`), "GET new?parent=", before);
  });

  test("parentId of a move", async () => {
    await expectNotFound(() => c.dual.post(`/spaces/${secret.slug}/wiki/${here.slug}/move`, { parentId: there.id, index: "0" }), "POST move");
    expect((await pageRow(here.id)).parent_id).toBeNull();
  });

  test("pageId of a trash restore", async () => {
    await expectNotFound(() => c.dual.post(`/spaces/${secret.slug}/wiki/trash`, { intent: "restore", pageId: thereTrashed.id }), "POST trash restore");
    expect((await pageRow(thereTrashed.id)).deleted_at).not.toBeNull();
  });

  test("a revision number only the other space's page has", async () => {
    await expectNotFound(() => c.dual.post(`/spaces/${secret.slug}/wiki/${here.slug}/history`, { intent: "restore", revision: "3" }), "POST history restore");
    await expectNotFound(() => c.dual.get(`/spaces/${secret.slug}/wiki/${here.slug}/history?from=1&to=3`), "GET history compare");
    expect((await pageRow(here.id)).revision).toBe(1);
  });

  test("the other space's page slug, under this space's URL", async () => {
    for (const suffix of ["", "/edit", "/history", "/move"]) {
      await expectNotFound(() => c.dual.get(`/spaces/${secret.slug}/wiki/${there.slug}${suffix}`), `GET ${suffix}`);
    }
    await expectNotFound(
      () => c.dual.post(`/spaces/${secret.slug}/wiki/${there.slug}/edit`, { title: "x", content: doc("x"), summary: "", baseRevision: "3" }),
      "POST edit",
    );
    await expectNotFound(() => c.dual.post(`/spaces/${secret.slug}/wiki/${there.slug}`, { intent: "delete" }), "POST delete");
  });

  test("tree ?parent= of the other space's page lists nothing", async () => {
    await seedPage(otherSpace, users.dual, { parentId: there.id, title: `Enfant la-bas ${next()}` });
    const res = await c.dual.get(`/spaces/${secret.slug}/wiki/tree?parent=${there.id}`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ pages: [] });
  });

  test("a page of a secret space through /pages/<id>, for a reader of another space only", async () => {
    await expectNotFound(() => c.member.get(`/pages/${there.id}`), "GET /pages/<id>");
    await expectNotFound(() => c.member.get(`/pages/nosuchpageatall0000`), "GET /pages/<unknown>");
  });
});
