import contentDisposition from "content-disposition";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { trashFile } from "#db/queries/files.ts";
import type { Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import { gradientPng, minimalPdf } from "#tests/helpers/fixtures.ts";
import type { Client } from "#tests/helpers/http.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { binaryBytes, fetchBytes, sha256Hex, Tus, type RawResponse } from "#tests/helpers/tus.ts";
import { named, world, type World } from "#tests/helpers/world.ts";

/**
 * Serving stored files over real HTTP: the Content-Disposition of hostile
 * names, the type sniffed at upload and never trusted from the name
 * (HTML or SVG never inline, nosniff, a sandbox CSP), previews and
 * thumbnails of real images and PDFs, byte ranges and conditional requests,
 * and who may download what. Files get in through the real tus endpoint.
 * (The upload side: files-upload.test.ts.)
 */

let server: TestServer;
let store: OpenedDatabase;

const roles = ["admin", "editor", "alice", "bob", "guest", "dave", "outsider"] as const;
type Who = (typeof roles)[number];
const people = {} as Record<Who, TestUser>;
const c = {} as Record<Who, Client>;
const tus = {} as Record<Who, Tus>;

let atelier: Space; // secret: admin, editor, alice & bob (members), guest, dave
let other: Space; // secret: dave and outsider
let listed: Space; // listed: admin only
let open: Space; // open: admin only

let w: World<Who, "atelier" | "other" | "listed" | "open">;

beforeAll(async () => {
  w = await world({
    domain: "files-download.test",
    displayName: (who) => `${who} Download`,
    people: named(roles),
    spaces: {
      atelier: { createdBy: "admin", slug: "atelier-dl", visibility: "secret", members: { editor: "editor", alice: "member", bob: "member", guest: "guest", dave: "member" } },
      other: { createdBy: "admin", slug: "autre-dl", visibility: "secret", members: { dave: "member", outsider: "member" } },
      listed: { createdBy: "admin", slug: "liste-dl", visibility: "listed" },
      open: { createdBy: "admin", slug: "ouvert-dl", visibility: "open" },
    },
  });
  ({ server, store } = w);
  ({ atelier, other, listed, open } = w.spaces);
  Object.assign(people, w.people);
  Object.assign(c, w.c);
  Object.assign(tus, w.tus);
});

afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers (private to this file)
// ---------------------------------------------------------------------------

let seq = 0;
const unique = (stem: string, ext: string) => `${stem} ${(seq++).toString(36)}${Date.now().toString(36).slice(-4)}${ext}`;

const fileRow = (id: string) => store.db.selectFrom("file").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const versionsOf = (fileId: string) => store.db.selectFrom("file_version").selectAll().where("file_id", "=", fileId).orderBy("number").execute();

const downloadPath = (space: Space, fileId: string, query = "") => `/spaces/${space.slug}/files/${fileId}/download${query}`;
const thumbnailPath = (space: Space, fileId: string, query = "") => `/spaces/${space.slug}/files/${fileId}/thumbnail${query}`;

function get(who: Who | null, p: string, headers: Record<string, string> = {}, method = "GET") {
  return fetchBytes(server.url, who ? c[who] : null, p, headers, method);
}

async function put(bytes: Buffer, name: string, space: Space = atelier, who: Who = "alice") {
  const up = await tus[who].upload(space.slug, bytes, { filename: name });
  return up.fileId;
}

/** Every value a header was sent with (a repeated header shows up more than once). */
function headerValues(res: RawResponse, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() === name) out.push(res.rawHeaders[i + 1]);
  return out;
}

/** The decoded filename* (RFC 8187 ext-value) of a Content-Disposition, or undefined. */
function extendedFilename(header: string): string | undefined {
  const m = /(?:^|;)\s*filename\*\s*=\s*([^;]*)/i.exec(header);
  if (!m) return undefined;
  const ext = /^UTF-8'[A-Za-z0-9-]*'(.*)$/i.exec(m[1].trim());
  expect(ext, `filename* is not UTF-8''…: ${m[1]}`).not.toBeNull();
  expect(ext![1], "filename* holds characters that must be percent-encoded").toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]*$/);
  return decodeURIComponent(ext![1]);
}

/** What every served file carries, whatever its type. */
function expectFileSecurity(res: RawResponse) {
  expect(res.headers["x-content-type-options"]).toBe("nosniff");
  const csp = headerValues(res, "content-security-policy");
  expect(csp.length, `Content-Security-Policy sent ${csp.length} times: ${JSON.stringify(csp)}`).toBe(1);
  expect(csp[0].split(";").map((d) => d.trim().split(/\s+/)[0].toLowerCase())).toContain("sandbox");
}

function dispositionType(res: RawResponse): string {
  const header = res.headers["content-disposition"];
  expect(typeof header, "no Content-Disposition").toBe("string");
  return contentDisposition.parse(header as string).type;
}



// ---------------------------------------------------------------------------
// 4. Names in Content-Disposition
// ---------------------------------------------------------------------------

describe("Content-Disposition of hostile names", () => {
  const names: Array<[label: string, sent: string, stored: string | null]> = [
    ["a path climbing out", "../../etc/passwd", "../../etc/passwd"],
    ["semicolon, quote, equals", "a;b'c=.pdf", "a;b'c=.pdf"],
    ["a right-to-left override", "facture\u202Efdp.exe", "facturefdp.exe"],
    ["accents and quotes", 'Été « devis » "final" l\'an.pdf', 'Été « devis » "final" l\'an.pdf'],
    ["double quote, backslash and semicolon", 'x"; filename="evil.html\\y.txt', 'x"; filename="evil.html\\y.txt'],
    ["percent escapes", "%41%2F%2e%2e.txt", "%41%2F%2e%2e.txt"],
    ["Japanese and an emoji", "資料 📎.pdf", "資料 📎.pdf"],
    ["500 characters", `${"é".repeat(200)}${"n".repeat(296)}.pdf`, null],
  ];

  test.each(names)("%s: attachment, with a filename* that decodes to the stored name", async (_label, sent, expected) => {
    const fileId = await put(Buffer.from(`bytes of ${sent}`), sent);
    const stored = (await fileRow(fileId)).name;
    if (expected !== null) expect(stored).toBe(expected);
    else {
      expect([...stored].length).toBeLessThanOrEqual(255);
      expect(stored.endsWith(".pdf")).toBe(true);
    }

    const res = await get("bob", downloadPath(atelier, fileId));
    expect(res.status).toBe(200);
    const header = res.headers["content-disposition"] as string;
    expect(headerValues(res, "content-disposition")).toHaveLength(1);
    // One well-formed header: parsing it does not throw, and nothing broke out of it.
    const parsed = contentDisposition.parse(header);
    expect(parsed.type).toBe("attachment");
    expect(Object.keys(parsed.parameters)).toEqual(["filename"]);
    // Only printable ASCII on the wire (RFC 6266 appendix D): the real name travels percent-encoded in filename*.
    // Soft, so that both this and the filename* check are reported.
    expect.soft(header, "raw 8-bit bytes in Content-Disposition").toMatch(/^[\x20-\x7e]+$/);
    expect.soft(extendedFilename(header), `Content-Disposition: ${header}`).toBe(stored);
  });
});

// ---------------------------------------------------------------------------
// 5. The type comes from the bytes
// ---------------------------------------------------------------------------

describe("content-type spoofing", () => {
  test("HTML named photo.png is stored as text/html and always downloaded as an attachment, nosniff, sandboxed", async () => {
    const html = Buffer.from("<!doctype html><html><body><script>fetch('/spaces').then(r=>r.text()).then(alert)</script></body></html>");
    const fileId = await put(html, unique("photo", ".png"));
    expect(await fileRow(fileId)).toMatchObject({ content_type: "text/html", has_thumbnail: 0 });
    expect((await versionsOf(fileId))[0].content_type).toBe("text/html");
    for (const query of ["", "?inline=1"]) {
      const res = await get("bob", downloadPath(atelier, fileId, query));
      expect(res.status).toBe(200);
      // Its own type for a download; opaque bytes when a preview was asked of it.
      expect(res.headers["content-type"]).toMatch(query ? /^application\/octet-stream$/ : /^text\/html\b/);
      expect(dispositionType(res), query).toBe("attachment");
      expectFileSecurity(res);
      expect(res.body.equals(html)).toBe(true);
    }
    expect((await get("bob", thumbnailPath(atelier, fileId))).status).toBe(404);
  });

  test.each([
    ["a bare <svg>", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/></svg>'],
    ["an <svg> after an XML declaration", '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'],
    ["an <svg> after a DOCTYPE", '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(3)</script></svg>'],
  ])("SVG named .png (%s) is image/svg+xml and never inline", async (_label, text) => {
    const svg = Buffer.from(text);
    const fileId = await put(svg, unique("logo", ".png"));
    const row = await fileRow(fileId);
    expect(row.has_thumbnail).toBe(0);
    // Soft: whatever the type recorded, the security of the answer is checked below.
    expect.soft(row.content_type, "the type sniffed").toBe("image/svg+xml");
    for (const query of ["", "?inline=1"]) {
      const res = await get("bob", downloadPath(atelier, fileId, query));
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toBe(query ? "application/octet-stream" : row.content_type);
      expect(dispositionType(res), query).toBe("attachment");
      expectFileSecurity(res);
    }
    expect((await get("bob", thumbnailPath(atelier, fileId))).status).toBe(404);
  });

  test("a real PNG (named .jpg) is image/png, inline on ?inline=1, attachment otherwise, and gets a WebP thumbnail", async () => {
    const png = await gradientPng(800, 500);
    const fileId = await put(png, unique("vue du salon", ".jpg"));
    expect(await fileRow(fileId)).toMatchObject({ content_type: "image/png", has_thumbnail: 1 });

    const inline = await get("bob", downloadPath(atelier, fileId, "?inline=1"));
    expect(inline.status).toBe(200);
    expect(inline.headers["content-type"]).toBe("image/png");
    expect(dispositionType(inline)).toBe("inline");
    expectFileSecurity(inline);
    expect(inline.body.equals(png)).toBe(true);

    const attached = await get("bob", downloadPath(atelier, fileId));
    expect(dispositionType(attached)).toBe("attachment");

    const thumb = await get("guest", thumbnailPath(atelier, fileId));
    expect(thumb.status).toBe(200);
    expect(thumb.headers["content-type"]).toBe("image/webp");
    expectFileSecurity(thumb);
    const meta = await sharp(thumb.body).metadata();
    expect(meta.format).toBe("webp");
    expect(meta.width).toBeLessThanOrEqual(320);
    expect(meta.height).toBeLessThanOrEqual(320);
    expect(Math.max(meta.width!, meta.height!)).toBe(320);
    // Conditional request on the thumbnail.
    const again = await get("guest", thumbnailPath(atelier, fileId), { "If-None-Match": thumb.headers.etag as string });
    expect(again.status).toBe(304);
  });

  test("a real PDF is application/pdf, inline on ?inline=1, without a thumbnail", async () => {
    const pdf = minimalPdf();
    const fileId = await put(pdf, unique("statuts", ".txt"));
    expect(await fileRow(fileId)).toMatchObject({ content_type: "application/pdf", has_thumbnail: 0 });
    const res = await get("bob", downloadPath(atelier, fileId, "?inline=1"));
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(dispositionType(res)).toBe("inline");
    expectFileSecurity(res);
    expect(res.body.equals(pdf)).toBe(true);
    expect(dispositionType(await get("bob", downloadPath(atelier, fileId)))).toBe("attachment");
    expect((await get("bob", thumbnailPath(atelier, fileId))).status).toBe(404);
  });

  test("a preview may be framed by Cercle's own pages only; nothing else may be framed", async () => {
    const pdfId = await put(minimalPdf(), unique("apercu", ".pdf"));
    const pngId = await put(await gradientPng(32, 32), unique("image", ".png"));
    const textId = await put(Buffer.from("pas un aperçu\n"), unique("texte", ".pdf"));
    const directives = (res: RawResponse) =>
      new Map(headerValues(res, "content-security-policy")[0].split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name.toLowerCase(), values]));
    // The file page frames the inline preview of the version it shows.
    for (const p of [downloadPath(atelier, pdfId, "?version=1&inline=frame"), downloadPath(atelier, pngId, "?inline=frame")]) {
      const res = await get("bob", p);
      expect(res.status, p).toBe(200);
      expect(directives(res).get("frame-ancestors"), p).toEqual(["'self'"]);
      expect(headerValues(res, "x-frame-options"), p).toEqual(["SAMEORIGIN"]);
      expectFileSecurity(res);
    }
    // The same preview opened in a tab, the bytes as a download, what is never previewed (even asked
    // for a frame), thumbnails and the wiki's image route: framed by no one.
    for (const p of [
      downloadPath(atelier, pdfId, "?version=1&inline=1"),
      downloadPath(atelier, textId, "?inline=frame"),
      downloadPath(atelier, pdfId),
      downloadPath(atelier, pdfId, "?version=1"),
      downloadPath(atelier, textId, "?inline=1"),
      thumbnailPath(atelier, pngId),
      `/files/${pngId}/inline`,
    ]) {
      const res = await get("bob", p);
      expect(res.status, p).toBe(200);
      expect(directives(res).get("frame-ancestors"), p).toEqual(["'none'"]);
      expect(headerValues(res, "x-frame-options"), p).toEqual(["DENY"]);
    }
    // The app's pages stay unframeable, and may frame their own origin (frame-src falls back to default-src 'self').
    const page = await get("bob", `/spaces/${atelier.slug}/files/${pdfId}`);
    expect(page.status).toBe(200);
    const pageCsp = directives(page);
    expect(pageCsp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(headerValues(page, "x-frame-options")).toEqual(["DENY"]);
    expect(pageCsp.get("frame-src") ?? pageCsp.get("child-src") ?? pageCsp.get("default-src")).toEqual(["'self'"]);
  });

  test("plain text and unknown bytes are never inline", async () => {
    for (const [bytes, type] of [
      [Buffer.from("juste du texte\n"), "text/plain"],
      [binaryBytes(512, "opaque"), "application/octet-stream"],
    ] as const) {
      const fileId = await put(bytes, unique("fichier", ".png"));
      const res = await get("bob", downloadPath(atelier, fileId, "?inline=1"));
      expect(res.headers["content-type"]).toBe("application/octet-stream");
      expect(dispositionType(res)).toBe("attachment");
      const download = await get("bob", downloadPath(atelier, fileId));
      expect(download.headers["content-type"]).toMatch(new RegExp(`^${type.replace("/", "\\/")}\\b`));
      expectFileSecurity(res);
    }
  });
});

// ---------------------------------------------------------------------------
// 6. Ranges and conditional requests
// ---------------------------------------------------------------------------

describe("ranges and conditional requests", () => {
  const SIZE = 1000;
  let bytes: Buffer;
  let fileId: string;
  let etag: string;

  beforeAll(async () => {
    bytes = binaryBytes(SIZE, "ranges");
    fileId = await put(bytes, unique("plages", ".bin"));
  });

  test("the whole file: 200, Accept-Ranges: bytes, Content-Length, an ETag", async () => {
    const res = await get("bob", downloadPath(atelier, fileId));
    expect(res.status).toBe(200);
    expect(res.headers["accept-ranges"]).toBe("bytes");
    expect(res.headers["content-length"]).toBe(String(SIZE));
    expect(res.headers.etag).toMatch(/^(W\/)?"[^"]+"$/);
    expect(res.body.equals(bytes)).toBe(true);
    etag = res.headers.etag as string;
    // Strong, and tied to these bytes.
    expect(etag).toBe(`"${sha256Hex(bytes)}"`);
  });

  test.each([
    ["bytes=0-9", 0, 9],
    ["bytes=10-", 10, SIZE - 1],
    ["bytes=-5", SIZE - 5, SIZE - 1],
    ["bytes=990-5000", 990, SIZE - 1],
    ["bytes=-5000", 0, SIZE - 1],
    ["bytes=999-999", 999, 999],
  ])("Range: %s → 206 with exactly those bytes", async (range, start, end) => {
    const res = await get("bob", downloadPath(atelier, fileId), { Range: range });
    expect(res.status).toBe(206);
    expect(res.headers["content-range"]).toBe(`bytes ${start}-${end}/${SIZE}`);
    expect(res.headers["content-length"]).toBe(String(end - start + 1));
    expect(res.headers["accept-ranges"]).toBe("bytes");
    expect(res.body.equals(bytes.subarray(start, end + 1))).toBe(true);
    expectFileSecurity(res);
  });

  test.each(["bytes=1000-", "bytes=5000-6000", "bytes=1000-1000"])("Range: %s, past the end → 416 with Content-Range: bytes */size", async (range) => {
    const res = await get("bob", downloadPath(atelier, fileId), { Range: range });
    expect(res.status).toBe(416);
    expect(res.headers["content-range"]).toBe(`bytes */${SIZE}`);
    expect(res.body.length).toBe(0);
  });

  test("a Range header that is not a single byte range is ignored: the whole file", async () => {
    for (const range of ["items=0-9", "bytes=abc", "bytes=9-0"]) {
      const res = await get("bob", downloadPath(atelier, fileId), { Range: range });
      expect(res.status, range).toBe(200);
      expect(res.body.equals(bytes)).toBe(true);
    }
  });

  test("If-Range with a stale ETag → the whole file, 200; with the current one → the range", async () => {
    const stale = await get("bob", downloadPath(atelier, fileId), { Range: "bytes=0-9", "If-Range": '"not-the-current-one"' });
    expect(stale.status).toBe(200);
    expect(stale.headers["content-range"]).toBeUndefined();
    expect(stale.body.equals(bytes)).toBe(true);
    const fresh = await get("bob", downloadPath(atelier, fileId), { Range: "bytes=0-9", "If-Range": etag });
    expect(fresh.status).toBe(206);
    expect(fresh.body.equals(bytes.subarray(0, 10))).toBe(true);
  });

  test("If-None-Match with the ETag → 304 without a body; with another → 200", async () => {
    const res = await get("bob", downloadPath(atelier, fileId), { "If-None-Match": etag });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(etag);
    const other = await get("bob", downloadPath(atelier, fileId), { "If-None-Match": '"something-else"' });
    expect(other.status).toBe(200);
    expect(other.body.equals(bytes)).toBe(true);
  });

  test("HEAD gives the headers without the bytes", async () => {
    const res = await get("bob", downloadPath(atelier, fileId), {}, "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe(String(SIZE));
    expect(res.headers.etag).toBe(etag);
    expect(res.body.length).toBe(0);
  });

  test("a new version changes the current ETag; ?version=1 keeps the old one and serves ranges of the old bytes", async () => {
    const v2 = binaryBytes(SIZE + 234, "ranges-v2");
    await tus.alice.upload(atelier.slug, v2, { filename: "ignored.bin", fileId });
    const current = await get("bob", downloadPath(atelier, fileId), { "If-None-Match": etag });
    expect(current.status).toBe(200);
    expect(current.headers.etag).toBe(`"${sha256Hex(v2)}"`);
    expect(current.body.equals(v2)).toBe(true);
    expect(current.headers["cache-control"]).toMatch(/no-cache/);

    const old = await get("bob", downloadPath(atelier, fileId, "?version=1"), { "If-None-Match": etag });
    expect(old.status).toBe(304);
    const oldRange = await get("bob", downloadPath(atelier, fileId, "?version=1"), { Range: "bytes=-5" });
    expect(oldRange.status).toBe(206);
    expect(oldRange.headers["content-range"]).toBe(`bytes ${SIZE - 5}-${SIZE - 1}/${SIZE}`);
    expect(oldRange.body.equals(bytes.subarray(SIZE - 5))).toBe(true);
    // A stale If-Range against the current version: whole file.
    const stale = await get("bob", downloadPath(atelier, fileId), { Range: "bytes=0-9", "If-Range": etag });
    expect(stale.status).toBe(200);
    expect(stale.body.equals(v2)).toBe(true);
  });

  test("an empty file downloads as 200 with Content-Length: 0", async () => {
    const { res: created } = await tus.alice.start(atelier.slug, 0, { filename: unique("vide", ".txt") });
    // No byte to wait for: the POST itself finishes it.
    const id = created.headers["upload-file-id"] as string;
    expect(id, "a zero-length upload is a file as soon as it is created").toBeTruthy();
    expect(await fileRow(id)).toMatchObject({ size: 0, content_type: "application/octet-stream" });
    expect((await versionsOf(id))[0].sha256).toBe(sha256Hex(Buffer.alloc(0)));
    const res = await get("bob", downloadPath(atelier, id));
    expect(res.status).toBe(200);
    expect(res.headers["content-length"]).toBe("0");
    expect(res.body.length).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// 8. Who may download what
// ---------------------------------------------------------------------------

describe("rights", () => {
  let bytes: Buffer;
  let fileId: string;
  let pngId: string;

  beforeAll(async () => {
    bytes = Buffer.from("réservé aux membres de l'atelier\n");
    fileId = await put(bytes, unique("interne", ".txt"));
    pngId = await put(await gradientPng(64, 64), unique("vignette", ".png"));
  });

  test.each(["guest", "alice", "bob", "editor", "admin", "dave"] as const)("%s, in the space, downloads", async (who) => {
    const res = await get(who, downloadPath(atelier, fileId));
    expect(res.status).toBe(200);
    expect(res.body.equals(bytes)).toBe(true);
    expect((await get(who, thumbnailPath(atelier, pngId))).status).toBe(200);
  });

  test("an outsider of a secret space gets 404 on the download and thumbnail URLs", async () => {
    for (const p of [downloadPath(atelier, fileId), downloadPath(atelier, fileId, "?inline=1&version=1"), thumbnailPath(atelier, pngId)]) {
      const res = await get("outsider", p);
      expect(res.status, p).toBe(404);
      expect(res.body.includes(bytes)).toBe(false);
    }
  });

  test("a file id of another space in the URL → 404, even for someone in both spaces", async () => {
    const elsewhere = await put(Buffer.from("dans l'autre espace"), unique("ailleurs", ".txt"), other, "dave");
    expect((await get("dave", downloadPath(other, elsewhere))).status).toBe(200);
    expect((await get("dave", downloadPath(atelier, elsewhere))).status).toBe(404);
    expect((await get("dave", downloadPath(other, fileId))).status).toBe(404);
    expect((await get("dave", thumbnailPath(other, pngId))).status).toBe(404);
    expect((await get("dave", downloadPath(atelier, "nosuchfile000000000000"))).status).toBe(404);
  });

  test("anonymous: sent to sign in, never the bytes", async () => {
    for (const p of [downloadPath(atelier, fileId), thumbnailPath(atelier, pngId)]) {
      const res = await get(null, p);
      expect(res.status, p).toBe(302);
      expect(res.headers.location).toBe(`/login?redirectTo=${encodeURIComponent(p)}`);
      expect(res.body.includes(bytes)).toBe(false);
    }
  });

  test("a listed space's files are for its members: a signed-in non-member is refused; an open space's are readable by the network", async () => {
    const inListed = await put(Buffer.from("liste"), unique("liste", ".txt"), listed, "admin");
    const res = await get("bob", downloadPath(listed, inListed));
    expect([403, 404]).toContain(res.status);
    const inOpen = await put(Buffer.from("ouvert"), unique("ouvert", ".txt"), open, "admin");
    const ok = await get("bob", downloadPath(open, inOpen));
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("ouvert");
    // Reading is not uploading.
    const up = await tus.bob.create(open.slug, { length: 3, metadata: { filename: "non.txt" } });
    expect(up.status).toBe(403);
  });

  test("a file in the trash: 404 for members, still downloadable by those who run the trash", async () => {
    const trashed = await put(Buffer.from("à la corbeille"), unique("jete", ".txt"));
    await trashFile(store.db, trashed, people.editor.id, Date.now());
    expect((await get("alice", downloadPath(atelier, trashed))).status).toBe(404);
    expect((await get("guest", downloadPath(atelier, trashed))).status).toBe(404);
    const editor = await get("editor", downloadPath(atelier, trashed));
    expect(editor.status).toBe(200);
    expect(editor.text).toBe("à la corbeille");
  });
});
