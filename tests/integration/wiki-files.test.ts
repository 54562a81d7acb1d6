import path from "node:path";
import contentDisposition from "content-disposition";
import { decode } from "turbo-stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { createFolder } from "#db/queries/files.ts";
import { newId } from "#db/ids.ts";
import type { Page, Space } from "#db/schema.ts";
import { createStorage } from "#storage/index.ts";
import { wikiImageKey } from "#storage/keys.ts";
import type { StorageDriver } from "#storage/types.ts";
import { addMember, createSpace, type TestUser } from "#tests/factories.ts";
import { gradientPng, minimalPdf } from "#tests/helpers/fixtures.ts";
import { pageText, type Client } from "#tests/helpers/http.ts";
import { doc, image, link, paragraph } from "#tests/helpers/lexical.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { binaryBytes, fetchBytes, sha256Hex, sleep, Tus, type RawResponse } from "#tests/helpers/tus.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * The wiki and the space's files over real HTTP, with real session cookies,
 * the real SQLite file and the local storage driver: content names files by
 * id alone (/files/:id for a link, /files/:id/inline for an image), saving a
 * page records which of its own space's files it uses (page_file), those
 * addresses answer with the usual space checks (secret space: 404 to
 * outsiders; trash: 404 to everyone), the editor's picker, the warnings
 * before a used file goes to the trash, and the images of pages written
 * before files existed (wiki_image). Files get in through the real tus
 * endpoint; pages through the real forms.
 */

let server: TestServer;
let store: OpenedDatabase;
let storage: StorageDriver;

const roles = ["admin", "editor", "alice", "guest", "dave", "outsider"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
const tus = {} as Record<Who, Tus>;

let club: Space; // secret: admin, editor, alice (member), guest, dave (member)
let other: Space; // secret: admin, dave (member), outsider (member)

let w: World<Who, "club" | "other">;

beforeAll(async () => {
  w = await world({
    domain: "wiki-files.test",
    displayName: (who) => `${who} WikiFiles`,
    people: named(roles),
    spaces: {
      club: { createdBy: "admin", slug: "club-wf", name: "Club Fichiers", visibility: "secret", members: { editor: "editor", alice: "member", guest: "guest", dave: "member" } },
      other: { createdBy: "admin", slug: "autre-wf", name: "Autre Club", visibility: "secret", members: { dave: "member", outsider: "member" } },
    },
  });
  ({ server, store } = w);
  storage = createStorage({ driver: "local", root: path.join(server.dataDir, "files") });
  ({ club, other } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);
  Object.assign(tus, w.tus);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

let seq = 0;
const unique = (stem: string, ext = "") => `${stem} ${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}${ext}`;

const wiki = (space: Space) => `/spaces/${space.slug}/wiki`;
const inlineUrl = (fileId: string) => `/files/${fileId}/inline`;
const linkUrl = (fileId: string) => `/files/${fileId}`;



/** Uploads through tus and returns the new file's id. */
async function put(who: Who, space: Space, bytes: Buffer, name: string, folderId: string | null = null): Promise<string> {
  const done = await tus[who].upload(space.slug, bytes, { filename: name, folderId });
  return done.fileId;
}

function get(who: Who | null, p: string, headers: Record<string, string> = {}) {
  return fetchBytes(server.url, who ? c[who] : null, p, headers);
}

const pageBySlug = (space: Space, slug: string) =>
  store.db.selectFrom("page").selectAll().where("space_id", "=", space.id).where("slug", "=", slug).executeTakeFirst();
const pageRow = (id: string) => store.db.selectFrom("page").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const filesOfPage = async (pageId: string) =>
  (await store.db.selectFrom("page_file").select("file_id").where("page_id", "=", pageId).execute()).map((r) => r.file_id).sort();
const pagesOfFile = async (fileId: string) =>
  (await store.db.selectFrom("page_file").select("page_id").where("file_id", "=", fileId).execute()).map((r) => r.page_id).sort();

/** Creates a page through the real form (POST …/wiki/new); returns its row. */
async function createPage(who: Who, space: Space, title: string, content: string): Promise<Page> {
  const res = await c[who].post(`${wiki(space)}/new`, { title, content, summary: "" });
  expect(res.status, `create “${title}”: ${pageText(res.text).slice(0, 300)}`).toBe(302);
  const slug = res.location!.replace(`${wiki(space)}/`, "");
  const row = await pageBySlug(space, slug);
  expect(row, `no page row at ${res.location}`).toBeDefined();
  return row!;
}

/** Saves through the real edit form (POST …/:page/edit with the revision it started from). */
async function savePage(who: Who, space: Space, page: Page, content: string): Promise<Page> {
  const res = await c[who].post(`${wiki(space)}/${page.slug}/edit`, {
    pageId: page.id,
    title: page.title,
    content,
    summary: "",
    baseRevision: String(page.revision),
  });
  expect(res.status, `save “${page.title}”: ${pageText(res.text).slice(0, 300)}`).toBe(302);
  const saved = await pageRow(page.id);
  expect(saved.revision).toBe(page.revision + 1);
  return saved;
}

/** What every file answer carries: nosniff and a sandbox CSP. */
function expectFileSecurity(res: RawResponse) {
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  const csp = String(res.headers["content-security-policy"] ?? "");
  expect(csp.split(";").map((d) => d.trim().split(/\s+/)[0].toLowerCase())).toContain("sandbox");
}

function dispositionType(res: RawResponse): string {
  const header = res.headers["content-disposition"];
  expect(typeof header, "no Content-Disposition").toBe("string");
  return contentDisposition.parse(header as string).type;
}

/** Where an anonymous visitor is sent: the sign-in form, coming back here afterwards. */
function expectSignInRedirect(res: RawResponse, from: string) {
  expect(res.status).toBe(302);
  const location = new URL(String(res.headers.location), server.url);
  expect(location.pathname).toBe("/login");
  expect(location.searchParams.get("redirectTo")).toBe(from);
}

interface PickedFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  folder: string | null;
  thumbnail: string | null;
  src: string;
  href: string;
}

async function pick(who: Who, space: Space, query = ""): Promise<PickedFile[]> {
  const res = await get(who, `/spaces/${space.slug}/files/pick${query}`);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^application\/json\b/);
  const body = res.json<{ files: PickedFile[] }>();
  expect(body?.files, res.text.slice(0, 300)).toBeInstanceOf(Array);
  return body!.files;
}

/** The data of one route, as the browser's client-side navigation asks for it (single fetch: GET <path>.data). */
async function routeData<T>(who: Who, urlPath: string, routeId: string): Promise<T> {
  const res = await get(who, `${urlPath}.data`);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(res.body));
      controller.close();
    },
  });
  const decoded = await decode(stream);
  await decoded.done;
  const routes = decoded.value as Record<string, { data?: unknown }>;
  expect(Object.keys(routes), `no ${routeId} in the .data answer`).toContain(routeId);
  return routes[routeId].data as T;
}

// ---------------------------------------------------------------------------
// A page showing an image and linking to a file
// ---------------------------------------------------------------------------

describe("a page with an image and a link to files of its space", () => {
  let png: Buffer;
  let pdf: Buffer;
  let pngId: string;
  let pdfId: string;
  let page: Page;

  beforeAll(async () => {
    png = await gradientPng(40, 30, 1);
    pdf = minimalPdf();
    pngId = await put("alice", club, png, unique("schéma", ".png"));
    pdfId = await put("alice", club, pdf, unique("statuts", ".pdf"));
    page = await createPage(
      "alice",
      club,
      unique("Organisation"),
      doc(paragraph("Le schéma :"), image(inlineUrl(pngId), "Schéma de l’organisation"), paragraph("Voir les ", link(linkUrl(pdfId), "statuts signés"), ".")),
    );
  });

  test("saving the page records both files in page_file", async () => {
    expect(await filesOfPage(page.id)).toEqual([pngId, pdfId].sort());
  });

  test("the rendered page holds the <img> by /files/:id/inline and the link by /files/:id", async () => {
    const res = await c.guest.get(`${wiki(club)}/${page.slug}`);
    expect(res.status).toBe(200);
    const img = res.text.match(new RegExp(`<img\\b[^>]*\\bsrc="/files/${pngId}/inline"[^>]*>`))?.[0];
    expect(img, "no <img src=/files/:id/inline> in the page").toBeDefined();
    expect(img).toContain('alt="Schéma de l’organisation"');
    expect(res.text).toMatch(new RegExp(`<a\\b[^>]*\\bhref="/files/${pdfId}"[^>]*>\\s*statuts signés\\s*</a>`));
  });

  test("a guest of the space gets the image inline: its type, nosniff, a sandbox CSP, the very bytes", async () => {
    const res = await get("guest", inlineUrl(pngId));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expect(dispositionType(res)).toBe("inline");
    expectFileSecurity(res);
    expect(sha256Hex(res.body)).toBe(sha256Hex(png));
    expect(res.body.equals(png)).toBe(true);
  });

  test("the PDF shows inline too; its link address redirects to the file's page in its space", async () => {
    const inline = await get("guest", inlineUrl(pdfId));
    expect(inline.status).toBe(200);
    expect(inline.headers["content-type"]).toBe("application/pdf");
    expect(dispositionType(inline)).toBe("inline");
    expectFileSecurity(inline);
    expect(inline.body.equals(pdf)).toBe(true);

    const res = await get("guest", linkUrl(pdfId));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/spaces/${club.slug}/files/${pdfId}`);
    // …where the guest may indeed look.
    expect((await get("guest", String(res.headers.location))).status).toBe(200);
  });

  test("an outsider (member of another space) gets 404 at both addresses, as for an id that does not exist", async () => {
    for (const p of [inlineUrl(pngId), linkUrl(pdfId), inlineUrl(pdfId), linkUrl(pngId)]) {
      const res = await get("outsider", p);
      expect(res.status, p).toBe(404);
      expect(res.body.equals(png), p).toBe(false);
    }
    for (const p of [inlineUrl("zzzzzzzzzzzzzzzzzzzzzzzz"), linkUrl("zzzzzzzzzzzzzzzzzzzzzzzz")]) {
      expect((await get("outsider", p)).status, p).toBe(404);
    }
  });

  test("an anonymous visitor is sent to sign in, and comes back to the file afterwards", async () => {
    expectSignInRedirect(await get(null, inlineUrl(pngId)), inlineUrl(pngId));
    expectSignInRedirect(await get(null, linkUrl(pdfId)), linkUrl(pdfId));
  });
});

// ---------------------------------------------------------------------------
// What is never served inline
// ---------------------------------------------------------------------------

describe("files that must not render", () => {
  test("HTML uploaded as “photo.png” is not served as text/html nor inline at /files/:id/inline", async () => {
    const html = Buffer.from("<!doctype html><html><body><script>fetch('/spaces').then(r=>r.text()).then(alert)</script></body></html>");
    const id = await put("alice", club, html, unique("photo", ".png"));
    // The type recorded is the one the bytes show, whatever the name said.
    const row = await store.db.selectFrom("file").select("content_type").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.content_type).toBe("text/html");
    const res = await get("guest", inlineUrl(id));
    expect(res.status).toBe(200);
    expect(dispositionType(res)).toBe("attachment");
    expectFileSecurity(res);
    expect(String(res.headers["content-type"])).not.toMatch(/^text\/html\b/i);
  });

  test("SVG uploaded as “logo.png” is never inline at /files/:id/inline", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/></svg>');
    const id = await put("alice", club, svg, unique("logo", ".png"));
    const res = await get("guest", inlineUrl(id));
    expect(res.status).toBe(200);
    expect(dispositionType(res)).toBe("attachment");
    expectFileSecurity(res);
  });
});

// ---------------------------------------------------------------------------
// page_file follows the content
// ---------------------------------------------------------------------------

describe("page_file follows what the page names", () => {
  test("editing the page to drop the image removes its row and keeps the link's", async () => {
    const pngId = await put("alice", club, await gradientPng(20, 20, 2), unique("plan", ".png"));
    const pdfId = await put("alice", club, minimalPdf(), unique("annexe", ".pdf"));
    const page = await createPage("alice", club, unique("Plan d’accès"), doc(image(inlineUrl(pngId), "Plan"), paragraph(link(linkUrl(pdfId), "annexe"))));
    expect(await filesOfPage(page.id)).toEqual([pngId, pdfId].sort());

    // Someone else edits it: the image goes, the link stays.
    const saved = await savePage("dave", club, page, doc(paragraph("Plan retiré. ", link(linkUrl(pdfId), "annexe"))));
    expect(await filesOfPage(page.id)).toEqual([pdfId]);
    expect(saved.content_html).not.toContain(inlineUrl(pngId));

    // Putting it back records it again; dropping everything leaves no row.
    const again = await savePage("alice", club, saved, doc(image(inlineUrl(pngId), "Plan"), paragraph(link(linkUrl(pdfId), "annexe"))));
    expect(await filesOfPage(page.id)).toEqual([pngId, pdfId].sort());
    await savePage("alice", club, again, doc(paragraph("Plus rien.")));
    expect(await filesOfPage(page.id)).toEqual([]);
  });

  test("the same file named twice (image and link) is one row", async () => {
    const pngId = await put("alice", club, await gradientPng(16, 16, 3), unique("double", ".png"));
    const page = await createPage("alice", club, unique("Deux fois"), doc(image(inlineUrl(pngId), "Une"), paragraph(link(linkUrl(pngId), "la même")), image(inlineUrl(pngId), "Deux")));
    expect(await filesOfPage(page.id)).toEqual([pngId]);
  });

  test("a file of another space saves fine but is not recorded, and stays 404 to readers who are not members there", async () => {
    const foreignBytes = await gradientPng(24, 24, 4);
    const foreignId = await put("dave", other, foreignBytes, unique("ailleurs", ".png"));
    const ownId = await put("alice", club, await gradientPng(24, 24, 5), unique("ici", ".png"));
    const page = await createPage(
      "dave",
      club,
      unique("Mélange"),
      doc(image(inlineUrl(foreignId), "D’ailleurs"), image(inlineUrl(ownId), "D’ici"), paragraph(link(linkUrl(foreignId), "ailleurs"))),
    );
    expect(await filesOfPage(page.id)).toEqual([ownId]);
    expect(await pagesOfFile(foreignId)).toEqual([]);
    // Saving again (as another member) records it no more.
    const saved = await savePage("alice", club, page, doc(image(inlineUrl(foreignId), "D’ailleurs"), paragraph(link(linkUrl(foreignId), "ailleurs"))));
    expect(await filesOfPage(saved.id)).toEqual([]);

    // The page's readers who are not members of the other space do not get the file.
    for (const who of ["guest", "alice", "editor"] as const) {
      expect((await get(who, inlineUrl(foreignId))).status, who).toBe(404);
      expect((await get(who, linkUrl(foreignId))).status, who).toBe(404);
    }
    // Its own members do, at the same address.
    const res = await get("outsider", inlineUrl(foreignId));
    expect(res.status).toBe(200);
    expect(res.body.equals(foreignBytes)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// The editor's picker
// ---------------------------------------------------------------------------

describe("the file picker (GET /spaces/:slug/files/pick)", () => {
  let pickSpace: Space;
  const ids = {} as Record<"photo" | "rapportPng" | "rapportPdf" | "notes" | "fakePng" | "percent" | "trashed", string>;

  beforeAll(async () => {
    pickSpace = await createSpace(store.db, { createdBy: people.admin.id, slug: "choix-wf", visibility: "secret" });
    await addMember(store.db, { space: pickSpace, user: people.alice, role: "member" });
    await addMember(store.db, { space: pickSpace, user: people.guest, role: "guest" });
    const uploads: Array<[keyof typeof ids, Buffer, string]> = [
      ["photo", await gradientPng(30, 20, 10), "Photo équipe.png"],
      ["rapportPdf", minimalPdf(), "Rapport annuel.pdf"],
      ["trashed", await gradientPng(30, 20, 11), "Rapport jeté.png"],
      ["notes", Buffer.from("Ordre du jour : budget, calendrier.\n"), "notes de réunion.txt"],
      ["fakePng", Buffer.from("<!doctype html><html><body>pas une image</body></html>"), "rapport piégé.png"],
      ["percent", await gradientPng(30, 20, 12), "100% prêt.png"],
      ["rapportPng", await gradientPng(30, 20, 13), "Rapport Été 2026.png"],
    ];
    for (const [key, bytes, name] of uploads) {
      ids[key] = await put("alice", pickSpace, bytes, name);
      // Distinct update times, so “newest first” is an order and not a tie.
      await sleep(5);
    }
    const trash = await c.alice.post(`/spaces/${pickSpace.slug}/files`, { intent: "trash-file", id: ids.trashed });
    expect(trash.status, trash.text).toBe(302);
  });

  test("?kind=image lists only the images a page can show, newest first, never a trashed one", async () => {
    const files = await pick("guest", pickSpace, "?kind=image");
    expect(files.map((f) => f.id)).toEqual([ids.rapportPng, ids.percent, ids.photo]);
    expect(files.map((f) => f.contentType)).toEqual(["image/png", "image/png", "image/png"]);
  });

  test("without kind: every live file, newest first, trashed ones left out", async () => {
    const files = await pick("alice", pickSpace);
    expect(files.map((f) => f.id)).toEqual([ids.rapportPng, ids.percent, ids.fakePng, ids.notes, ids.rapportPdf, ids.photo]);
    expect(files.map((f) => f.name)).not.toContain("Rapport jeté.png");
  });

  test("every item carries the /files/ addresses content uses, and its name", async () => {
    const files = await pick("alice", pickSpace);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.src).toBe(`/files/${f.id}/inline`);
      expect(f.href).toBe(`/files/${f.id}`);
    }
    expect(files.find((f) => f.id === ids.rapportPng)).toMatchObject({ name: "Rapport Été 2026.png", contentType: "image/png", folder: null });
  });

  test("?q= matches part of the name, whatever the case and the accents", async () => {
    const names = async (query: string) => (await pick("guest", pickSpace, query)).map((f) => f.name);
    expect(await names(`?q=${encodeURIComponent("RAPPORT")}`)).toEqual(["Rapport Été 2026.png", "rapport piégé.png", "Rapport annuel.pdf"]);
    expect(await names(`?q=${encodeURIComponent("rapport")}&kind=image`)).toEqual(["Rapport Été 2026.png"]);
    expect(await names(`?q=${encodeURIComponent("ÉTÉ")}`)).toEqual(["Rapport Été 2026.png"]);
    // The same word typed with combining accents (NFD), as some keyboards and macOS send it.
    expect(await names(`?q=${encodeURIComponent("e\u0301te\u0301")}`)).toEqual(["Rapport Été 2026.png"]);
    expect(await names(`?q=${encodeURIComponent("  Équipe ")}`)).toEqual(["Photo équipe.png"]);
    // Typed without accents, as people do in a search box.
    expect(await names(`?q=${encodeURIComponent("ete")}`)).toEqual(["Rapport Été 2026.png"]);
    expect(await names(`?q=${encodeURIComponent("PIEGE")}`)).toEqual(["rapport piégé.png"]);
    // The query is text, not a pattern.
    expect(await names(`?q=${encodeURIComponent("%")}`)).toEqual(["100% prêt.png"]);
    expect(await names(`?q=${encodeURIComponent("_")}`)).toEqual([]);
    expect(await names(`?q=${encodeURIComponent("jeté")}`)).toEqual([]);
    expect(await names(`?q=${encodeURIComponent("introuvable")}`)).toEqual([]);
  });

  test("a restored file appears again", async () => {
    const restore = await c.admin.post(`/spaces/${pickSpace.slug}/files/trash`, { intent: "restore", kind: "file", id: ids.trashed });
    expect(restore.status, restore.text).toBe(302);
    expect((await pick("guest", pickSpace, "?kind=image")).map((f) => f.id)).toContain(ids.trashed);
    const again = await c.alice.post(`/spaces/${pickSpace.slug}/files`, { intent: "trash-file", id: ids.trashed });
    expect(again.status).toBe(302);
    expect((await pick("guest", pickSpace, "?kind=image")).map((f) => f.id)).not.toContain(ids.trashed);
  });

  test("outsiders get 404, anonymous visitors are sent to sign in, guests (who read files) get the list", async () => {
    expect((await get("outsider", `/spaces/${pickSpace.slug}/files/pick?kind=image`)).status).toBe(404);
    // The editor of another space of theirs is an outsider here too.
    expect((await get("editor", `/spaces/${pickSpace.slug}/files/pick`)).status).toBe(404);
    expectSignInRedirect(await get(null, `/spaces/${pickSpace.slug}/files/pick?kind=image`), `/spaces/${pickSpace.slug}/files/pick?kind=image`);
    const res = await get("guest", `/spaces/${pickSpace.slug}/files/pick`);
    expect(res.status).toBe(200);
    expect(String(res.headers["cache-control"])).toContain("no-store");
  });

  test("only this space's files, 40 at most", async () => {
    const many = await createSpace(store.db, { createdBy: people.admin.id, slug: "beaucoup-wf", visibility: "secret" });
    await addMember(store.db, { space: many, user: people.alice, role: "member" });
    const uploaded: string[] = [];
    for (let i = 0; i < 42; i++) uploaded.push(await put("alice", many, binaryBytes(64, `many-${i}`), `piece ${String(i).padStart(2, "0")}.bin`));
    const files = await pick("alice", many);
    expect(files).toHaveLength(40);
    for (const f of files) expect(uploaded).toContain(f.id);
    // The picker of the other space knows nothing of these.
    const picked = (await pick("alice", pickSpace)).map((f) => f.id);
    for (const id of uploaded) expect(picked).not.toContain(id);
  });
});

// ---------------------------------------------------------------------------
// A file in the trash
// ---------------------------------------------------------------------------

describe("a file the page uses goes to the trash and comes back", () => {
  test("trashed: 404 to every reader at both addresses, the page still records it; restored: served again", async () => {
    const png = await gradientPng(32, 32, 20);
    const id = await put("alice", club, png, unique("affiche", ".png"));
    const page = await createPage("alice", club, unique("Affiche"), doc(image(inlineUrl(id), "Affiche"), paragraph(link(linkUrl(id), "l’affiche"))));
    expect((await get("guest", inlineUrl(id))).status).toBe(200);

    const trash = await c.alice.post(`/spaces/${club.slug}/files`, { intent: "trash-file", id });
    expect(trash.status, trash.text).toBe(302);
    for (const who of ["guest", "alice", "editor", "admin"] as const) {
      expect((await get(who, inlineUrl(id))).status, who).toBe(404);
      expect((await get(who, linkUrl(id))).status, who).toBe(404);
    }
    expect(await filesOfPage(page.id)).toEqual([id]);
    // The page itself still opens (with a broken image).
    expect((await c.guest.get(`${wiki(club)}/${page.slug}`)).status).toBe(200);

    const restore = await c.editor.post(`/spaces/${club.slug}/files/trash`, { intent: "restore", kind: "file", id });
    expect(restore.status, restore.text).toBe(302);
    const res = await get("guest", inlineUrl(id));
    expect(res.status).toBe(200);
    expect(res.body.equals(png)).toBe(true);
    expect((await get("guest", linkUrl(id))).status).toBe(302);
    expect(await filesOfPage(page.id)).toEqual([id]);
  });

  test("a new version of the file is what /files/:id/inline serves next", async () => {
    const first = await gradientPng(12, 12, 30);
    const second = await gradientPng(14, 14, 31);
    const name = unique("logo", ".png");
    const id = await put("alice", club, first, name);
    await createPage("alice", club, unique("Logo"), doc(image(inlineUrl(id), "Logo")));
    expect((await get("guest", inlineUrl(id))).body.equals(first)).toBe(true);
    // A new version of the same file, as the file page uploads it.
    const up = await tus.alice.upload(club.slug, second, { filename: name, fileId: id });
    expect(up.fileId).toBe(id);
    expect((await store.db.selectFrom("file").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version).toBe(2);
    const res = await get("guest", inlineUrl(id));
    expect(res.status).toBe(200);
    expect(res.body.equals(second)).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Warnings before a used file goes to the trash
// ---------------------------------------------------------------------------

interface ListingFiles {
  files: Array<{ id: string; usedByPages: number }>;
  folders: Array<{ id: string; usedFiles: number }>;
}

describe("the listing and the file page say which pages use a file", () => {
  let usedId: string;
  let unusedId: string;
  let folderId: string;
  let inFolderId: string;
  let pageA: Page;
  let pageB: Page;

  beforeAll(async () => {
    const folder = await createFolder(store.db, { spaceId: club.id, parentId: null, name: unique("Visuels"), userId: people.admin.id, now: Date.now() });
    folderId = folder.id;
    usedId = await put("alice", club, await gradientPng(18, 18, 40), unique("bandeau", ".png"));
    unusedId = await put("alice", club, await gradientPng(18, 18, 41), unique("inutilisé", ".png"));
    inFolderId = await put("alice", club, await gradientPng(18, 18, 42), unique("dans le dossier", ".png"), folderId);
    pageA = await createPage("alice", club, unique("Accueil du club"), doc(image(inlineUrl(usedId), "Bandeau"), image(inlineUrl(inFolderId), "Visuel")));
    pageB = await createPage("dave", club, unique("Charte graphique"), doc(paragraph(link(linkUrl(usedId), "le bandeau"))));
  });

  test("the file page lists the pages that use the file, linked; an unused file has no such list", async () => {
    const res = await c.guest.get(`/spaces/${club.slug}/files/${usedId}`);
    expect(res.status).toBe(200);
    const start = res.text.indexOf('id="used-title"');
    expect(start, "the file page has no “used in” section").toBeGreaterThan(-1);
    const section = res.text.slice(start, res.text.indexOf("</section>", start));
    // Users without a locale of their own read the network's language: French in these tests.
    expect(pageText(section)).toContain("Utilisé dans ces pages du wiki");
    for (const p of [pageA, pageB]) {
      expect(section).toContain(`href="/spaces/${club.slug}/wiki/${p.slug}"`);
      expect(pageText(section)).toContain(p.title);
    }
    const unused = await c.guest.get(`/spaces/${club.slug}/files/${unusedId}`);
    expect(unused.status).toBe(200);
    expect(unused.text).not.toContain('id="used-title"');
    expect(pageText(unused.text)).not.toContain("Utilisé dans ces pages du wiki");
  });

  test("the listing's data counts the live pages using each file, and the used files below each folder", async () => {
    const top = await routeData<ListingFiles>("editor", `/spaces/${club.slug}/files`, "routes/spaces.$space.files._index");
    expect(top.files.find((f) => f.id === usedId)?.usedByPages).toBe(2);
    expect(top.files.find((f) => f.id === unusedId)?.usedByPages).toBe(0);
    expect(top.folders.find((f) => f.id === folderId)?.usedFiles).toBe(1);
    const inside = await routeData<ListingFiles>("editor", `/spaces/${club.slug}/files/folders/${folderId}`, "routes/spaces.$space.files.folders.$folder");
    expect(inside.files.find((f) => f.id === inFolderId)?.usedByPages).toBe(1);
  });

  test("a page in the wiki trash no longer counts", async () => {
    const del = await c.dave.post(`${wiki(club)}/${pageB.slug}`, { intent: "delete" });
    expect(del.status, del.text.slice(0, 300)).toBe(302);
    const top = await routeData<ListingFiles>("editor", `/spaces/${club.slug}/files`, "routes/spaces.$space.files._index");
    expect(top.files.find((f) => f.id === usedId)?.usedByPages).toBe(1);
    const res = await c.guest.get(`/spaces/${club.slug}/files/${usedId}`);
    expect(res.text).toContain(`href="/spaces/${club.slug}/wiki/${pageA.slug}"`);
    expect(res.text).not.toContain(`href="/spaces/${club.slug}/wiki/${pageB.slug}"`);
  });
});

// ---------------------------------------------------------------------------
// Images of pages written before files existed
// ---------------------------------------------------------------------------

describe("legacy wiki images (/spaces/:slug/wiki/images/:id)", () => {
  let imageId: string;
  let bytes: Buffer;

  beforeAll(async () => {
    bytes = await gradientPng(10, 10, 50);
    imageId = newId();
    await storage.put(wikiImageKey(club.id, imageId), bytes, { contentType: "image/png" });
    await store.db
      .insertInto("wiki_image")
      .values({ id: imageId, space_id: club.id, content_type: "image/png", size: bytes.length, sha256: sha256Hex(bytes), uploaded_by: people.alice.id, created_at: Date.now() })
      .execute();
  });

  test("a page written with one still saves, and its readers still get the image", async () => {
    const src = `/spaces/${club.slug}/wiki/images/${imageId}`;
    const page = await createPage("alice", club, unique("Ancienne page"), doc(image(src, "Ancienne image")));
    expect(await filesOfPage(page.id)).toEqual([]);
    const view = await c.guest.get(`${wiki(club)}/${page.slug}`);
    expect(view.text).toMatch(new RegExp(`<img\\b[^>]*\\bsrc="${src}"`));
    const res = await get("guest", src);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("image/png");
    expectFileSecurity(res);
    expect(res.body.equals(bytes)).toBe(true);
  });

  test("outsiders get 404, under the space's slug and under their own space's", async () => {
    expect((await get("outsider", `/spaces/${club.slug}/wiki/images/${imageId}`)).status).toBe(404);
    expect((await get("outsider", `/spaces/${other.slug}/wiki/images/${imageId}`)).status).toBe(404);
    // Even a member of both spaces does not get it under the other space's address.
    expect((await get("dave", `/spaces/${other.slug}/wiki/images/${imageId}`)).status).toBe(404);
    expectSignInRedirect(await get(null, `/spaces/${club.slug}/wiki/images/${imageId}`), `/spaces/${club.slug}/wiki/images/${imageId}`);
  });

  test("uploading one is gone: POST to the old address creates nothing", async () => {
    const before = await store.db.selectFrom("wiki_image").select("id").execute();
    const body = new FormData();
    body.append("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "x.png");
    const res = await fetch(`${server.url}/spaces/${club.slug}/wiki/images`, {
      method: "POST",
      body,
      headers: { Origin: server.url, "Sec-Fetch-Site": "same-origin", Cookie: [...c.alice.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    await res.arrayBuffer();
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await store.db.selectFrom("wiki_image").select("id").execute()).toEqual(before);
  });
});
