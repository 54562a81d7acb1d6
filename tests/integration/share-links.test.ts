import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page, ShareLink, Space } from "#db/schema.ts";
import { translate, type MessageKey } from "#app/i18n/index.ts";
import { pageText, type HttpResponse } from "#tests/helpers/http.ts";
import { doc, image, link, pageLink, paragraph } from "#tests/helpers/lexical.ts";
import { gradientPng, minimalPdf } from "#tests/helpers/fixtures.ts";
import { fetchBytes, type RawResponse } from "#tests/helpers/tus.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Share links (issue 19) over real HTTP against the built server, with real
 * session cookies and an anonymous client: the admins' switch (off by
 * default), a member sharing a wiki page with an image and a PDF, what the
 * outsider sees and may load through each link (and nothing more), the
 * token kept only as a hash, openings counted and audited, and every way a
 * link stops: expiry, revoking (by whom), the trash, the switch, archiving.
 */

type P = "admin" | "member" | "other" | "guest" | "olga" | "netAdmin";
type S = "club" | "secret" | "autre" | "archive";
let w: World<P, S>;
let club: Space;

const fr = (key: MessageKey, params?: Record<string, string | number>) => translate("fr", key, params);

let png: Buffer;
let otherPng: Buffer;
const pdf = minimalPdf();
let pngId: string;
let otherPngId: string;
let pdfId: string;
let page: Page;
const PAGE_TEXT = "Calendrier des achats groupés pour le client";

beforeAll(async () => {
  w = await world<P, S>({
    domain: "share.test",
    people: {
      admin: { displayName: "Ana Admin", locale: "fr" },
      member: { displayName: "Mia Membre", locale: "fr" },
      other: { displayName: "Oscar Autre", locale: "fr" },
      guest: { displayName: "Gus Invité", locale: "fr" },
      olga: { displayName: "Olga Dehors", locale: "fr" },
      netAdmin: { displayName: "Nadia Réseau", locale: "fr", isNetworkAdmin: true },
    },
    spaces: {
      club: { createdBy: "admin", slug: "club", name: "Club Achats", visibility: "listed", members: { member: "member", other: "member", guest: "guest" } },
      secret: { createdBy: "admin", slug: "secret", name: "Club Secret", visibility: "secret", members: { member: "member" } },
      autre: { createdBy: "olga", slug: "autre", name: "Autre Club", visibility: "listed" },
      archive: { createdBy: "admin", slug: "archive", name: "Club Bientôt Archivé", visibility: "listed", members: { member: "member" } },
    },
  });
  club = w.spaces.club;
  png = await gradientPng(40, 30, 10);
  otherPng = await gradientPng(20, 20, 200);
  pngId = (await w.tus.member.upload("club", png, { filename: "schema.png" })).fileId;
  otherPngId = (await w.tus.member.upload("club", otherPng, { filename: "confidentiel.png" })).fileId;
  pdfId = (await w.tus.member.upload("club", pdf, { filename: "devis.pdf" })).fileId;
  page = await createPage("member", "club", "Planning client", doc(
    paragraph(PAGE_TEXT),
    image(`/files/${pngId}/inline`, "Schéma du planning"),
    paragraph("Voir ", link("https://exemple.fr/tarifs", "les tarifs"), " et ", link(`/files/${otherPngId}`, "la pièce"), "."),
  ));
}, 120_000);
afterAll(() => w?.close());

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

async function createPage(who: P, space: S, title: string, content: string): Promise<Page> {
  const slug = w.spaces[space].slug;
  const res = await w.c[who].post(`/spaces/${slug}/wiki/new`, { title, content, summary: "" });
  expect(res.status, `create “${title}”: ${pageText(res.text).slice(0, 300)}`).toBe(302);
  const pageSlug = res.location!.replace(`/spaces/${slug}/wiki/`, "");
  return w.store.db.selectFrom("page").selectAll().where("space_id", "=", w.spaces[space].id).where("slug", "=", pageSlug).executeTakeFirstOrThrow();
}

const sharesPath = (space: S, kind: "page" | "file", id: string) => `/spaces/${w.spaces[space].slug}/shares?${kind}=${id}`;

/** POST intent=create as `who`; the answer as is. */
function postCreate(who: P, space: S, kind: "page" | "file", item: string, duration = "2d") {
  return w.c[who].post(sharesPath(space, kind, item), { intent: "create", kind, item, duration });
}

/** Creates a link that must be made: its token (read from the page that shows it once) and its row. */
async function share(who: P, space: S, kind: "page" | "file", item: string, duration = "2d"): Promise<{ token: string; row: ShareLink }> {
  const before = Date.now();
  const res = await postCreate(who, space, kind, item, duration);
  expect(res.status, pageText(res.text).slice(0, 400)).toBe(200);
  const url = /value="(https?:\/\/[^"]+\/s\/([a-z0-9]+))"/.exec(res.text);
  expect(url, "the new link is shown in the answer").not.toBeNull();
  expect(new URL(url![1]).pathname).toBe(`/s/${url![2]}`);
  const token = url![2];
  const row = await w.store.db
    .selectFrom("share_link")
    .selectAll()
    .where("created_by", "=", w.people[who].id)
    .where("item_id", "=", item)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  expect(row.created_at).toBeGreaterThanOrEqual(before - 5);
  return { token, row };
}

const linkRow = (id: string) => w.store.db.selectFrom("share_link").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const bytes = (path: string): Promise<RawResponse> => fetchBytes(w.server.url, null, path);

function expectGone(res: HttpResponse, why: string) {
  expect(res.status, why).toBe(410);
  // The token is in this address too: no Referer carries it on.
  expect(res.headers["referrer-policy"], why).toBe("no-referrer");
  expect(pageText(res.text), why).toContain(fr("shared.goneTitle"));
  expect(pageText(res.text), why).toContain(fr("shared.goneText"));
}

async function setSharing(who: P, space: S, allowed: boolean) {
  return w.c[who].post(`/spaces/${w.spaces[space].slug}/settings`, allowed ? { intent: "share-links", allowed: "on" } : { intent: "share-links" });
}

const spaceRow = (space: S) => w.store.db.selectFrom("space").selectAll().where("id", "=", w.spaces[space].id).executeTakeFirstOrThrow();

// ---------------------------------------------------------------------------
// The switch
// ---------------------------------------------------------------------------

describe("the admins' switch", () => {
  test("off by default: no share action on the page or the file, and making a link is refused", async () => {
    expect((await spaceRow("club")).share_links).toBe(0);
    const pageHtml = await w.c.member.get(`/spaces/club/wiki/${page.slug}`);
    expect(pageHtml.status).toBe(200);
    expect(pageText(pageHtml.text)).not.toContain(fr("share.action"));
    const fileHtml = await w.c.member.get(`/spaces/club/files/${pdfId}`);
    expect(fileHtml.status).toBe(200);
    expect(pageText(fileHtml.text)).not.toContain(fr("share.action"));
    expect((await postCreate("member", "club", "page", page.id)).status).toBe(403);
    expect((await postCreate("admin", "club", "file", pdfId)).status).toBe(403);
    expect(await w.store.db.selectFrom("share_link").select("id").execute()).toEqual([]);
  });

  test("a member may not turn it on; the admin turns it on in a listed club and in a secret one", async () => {
    expect((await setSharing("member", "club", true)).status).toBe(403);
    expect((await spaceRow("club")).share_links).toBe(0);
    const on = await setSharing("admin", "club", true);
    expect(on.status).toBe(302);
    expect((await spaceRow("club")).share_links).toBe(1);
    expect((await setSharing("admin", "secret", true)).status).toBe(302);
    expect((await spaceRow("secret")).share_links).toBe(1);
    // Now the member is offered it, on the page and on the file.
    expect(pageText((await w.c.member.get(`/spaces/club/wiki/${page.slug}`)).text)).toContain(fr("share.action"));
    expect(pageText((await w.c.member.get(`/spaces/club/files/${pdfId}`)).text)).toContain(fr("share.action"));
    // A guest is not.
    expect(pageText((await w.c.guest.get(`/spaces/club/wiki/${page.slug}`)).text)).not.toContain(fr("share.action"));
  });
});

// ---------------------------------------------------------------------------
// A page and a file shared
// ---------------------------------------------------------------------------

describe("a shared page and a shared file, as the outsider sees them", () => {
  let pageToken: string;
  let pageLinkRow: ShareLink;
  let fileToken: string;
  let fileLinkRow: ShareLink;

  test("a member makes a 2-day link for the page and one for the PDF; the link is shown once", async () => {
    const made = await share("member", "club", "page", page.id, "2d");
    pageToken = made.token;
    pageLinkRow = made.row;
    expect(pageLinkRow.kind).toBe("page");
    expect(pageLinkRow.space_id).toBe(club.id);
    expect(pageLinkRow.expires_at - pageLinkRow.created_at).toBe(2 * 86_400_000);
    const file = await share("member", "club", "file", pdfId, "2d");
    fileToken = file.token;
    fileLinkRow = file.row;
    expect(fileLinkRow.kind).toBe("file");
    // The shares page, read again, does not show the token any more.
    const again = await w.c.member.get(sharesPath("club", "page", page.id));
    expect(again.status).toBe(200);
    expect(again.text).not.toContain(pageToken);
  });

  test("a duration not in the list is refused beside the choice, nothing made", async () => {
    const count = (await w.store.db.selectFrom("share_link").select("id").execute()).length;
    const res = await postCreate("member", "club", "page", page.id, "365d");
    expect(res.status).toBe(400);
    expect(pageText(res.text)).toContain(fr("share.badDuration"));
    expect((await w.store.db.selectFrom("share_link").select("id").execute()).length).toBe(count);
  });

  test("the anonymous client opens the page: its title and text, the sharer and the club; nothing else of the site", async () => {
    const res = await w.anonymous.get(`/s/${pageToken}`);
    expect(res.status).toBe(200);
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(String(res.headers["cache-control"])).toContain("no-store");
    expect(String(res.headers["x-robots-tag"])).toContain("noindex");
    // No app runs for the outsider: not one script.
    expect(res.text).not.toMatch(/<script\b/i);
    const text = pageText(res.text);
    expect(text).toContain("Planning client");
    expect(text).toContain(PAGE_TEXT);
    expect(text).toContain(fr("shared.by", { name: "Mia Membre", space: "Club Achats" }));
    // Links made inert: their words stay, no <a href> leads anywhere from the body.
    expect(text).toContain("les tarifs");
    expect(text).toContain("la pièce");
    const bodyHtml = /<body[^>]*>([\s\S]*)<\/body>/.exec(res.text)?.[1] ?? "";
    expect(bodyHtml.length).toBeGreaterThan(0);
    expect(bodyHtml).not.toMatch(/<a\b[^>]*\bhref=/i);
    expect(bodyHtml).not.toContain("exemple.fr");
    expect(bodyHtml).not.toContain(`/files/${otherPngId}`);
    // Nothing of the space or the network around it: no menus, no way into the club.
    expect(bodyHtml).not.toMatch(/<nav\b/i);
    expect(res.text).not.toContain("/spaces/club");
    expect(text).not.toContain(fr("share.action"));
    // The image is served through the link itself.
    expect(res.text).toContain(`src="/s/${pageToken}/files/${pngId}"`);
    expect(res.text).not.toContain(`/files/${pngId}/inline`);
  });

  test("the page's image loads through the link; another file of the club does not, nor the image through the file's link", async () => {
    const img = await bytes(`/s/${pageToken}/files/${pngId}`);
    expect(img.status).toBe(200);
    expect(img.headers["content-type"]).toBe("image/png");
    expect(img.body.equals(png)).toBe(true);
    // The other image of the club (linked from the page, not shown by it), and the PDF: not through this link.
    expect((await bytes(`/s/${pageToken}/files/${otherPngId}`)).status).toBe(404);
    expect((await bytes(`/s/${pageToken}/files/${pdfId}`)).status).toBe(404);
    expect((await bytes(`/s/${pageToken}/wiki/${pngId}`)).status).toBe(404);
    // The file's link shows no page image, and the page's link downloads nothing.
    expect((await bytes(`/s/${fileToken}/files/${pngId}`)).status).toBe(404);
    expect((await bytes(`/s/${pageToken}/download`)).status).toBe(404);
  });

  test("the file's link shows its card and downloads its exact bytes as an attachment, sandboxed", async () => {
    const card = await w.anonymous.get(`/s/${fileToken}`);
    expect(card.status).toBe(200);
    expect(card.headers["referrer-policy"]).toBe("no-referrer");
    expect(pageText(card.text)).toContain("devis.pdf");
    expect(pageText(card.text)).toContain(fr("shared.by", { name: "Mia Membre", space: "Club Achats" }));
    expect(card.text).toContain(`href="/s/${fileToken}/download"`);
    const download = await bytes(`/s/${fileToken}/download`);
    expect(download.status).toBe(200);
    expect(String(download.headers["content-disposition"])).toMatch(/^attachment/);
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    const csp = String(download.headers["content-security-policy"] ?? "");
    expect(csp.split(";").map((d) => d.trim().split(/\s+/)[0].toLowerCase())).toContain("sandbox");
    expect(download.body.equals(pdf)).toBe(true);
  });

  test("the token is stored nowhere: no row of any table holds it; only its hash", async () => {
    // Kysely's introspection: the tables of either engine (SQLite's catalogue, PostgreSQL's).
    const tables = (await w.store.db.introspection.getTables()).map((t) => ({ name: t.name, table: t.schema ? `${t.schema}.${t.name}` : t.name }));
    expect(tables.map((t) => t.name)).toContain("share_link");
    for (const { name, table } of tables) {
      // Every row of every table, whole: the token must be in none.
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(w.store.db);
      const dump = JSON.stringify(rows.rows, (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v));
      expect(dump.includes(pageToken), `table ${name} holds the page link's token`).toBe(false);
      expect(dump.includes(fileToken), `table ${name} holds the file link's token`).toBe(false);
    }
    const row = await linkRow(pageLinkRow.id);
    expect(row.token_hash).not.toBe(pageToken);
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("open_count counts landing openings, not images or downloads", async () => {
    const before = (await linkRow(pageLinkRow.id)).open_count;
    await w.anonymous.get(`/s/${pageToken}`);
    await w.anonymous.get(`/s/${pageToken}`);
    await bytes(`/s/${pageToken}/files/${pngId}`);
    const after = await linkRow(pageLinkRow.id);
    expect(after.open_count).toBe(before + 2);
    expect(after.last_opened_at).not.toBeNull();
    const fileBefore = (await linkRow(fileLinkRow.id)).open_count;
    await bytes(`/s/${fileToken}/download`);
    expect((await linkRow(fileLinkRow.id)).open_count).toBe(fileBefore);
    // The page read by the club shows how often.
    const list = await w.c.member.get(sharesPath("club", "page", page.id));
    expect(pageText(list.text)).toContain(fr("share.opened", { count: after.open_count }));
  });

  test("audit rows for made and opened links, without the token", async () => {
    const rows = await w.store.db.selectFrom("audit_log").selectAll().where("event", "like", "share_link_%").execute();
    const of = (event: string, linkId: string) => rows.filter((r) => r.event === event && (JSON.parse(r.data) as { link?: string }).link === linkId);
    expect(of("share_link_created", pageLinkRow.id)).toHaveLength(1);
    expect(of("share_link_created", pageLinkRow.id)[0].actor_id).toBe(w.people.member.id);
    expect(of("share_link_created", fileLinkRow.id)).toHaveLength(1);
    expect(of("share_link_opened", pageLinkRow.id).length).toBe((await linkRow(pageLinkRow.id)).open_count);
    expect(of("share_link_opened", pageLinkRow.id)[0].actor_id).toBeNull();
    for (const r of rows) {
      expect(r.data).not.toContain(pageToken);
      expect(r.data).not.toContain(fileToken);
    }
  });
});

// ---------------------------------------------------------------------------
// Who may make and revoke links
// ---------------------------------------------------------------------------

describe("who makes and revokes", () => {
  test("a guest may not make one", async () => {
    expect((await postCreate("guest", "club", "page", page.id)).status).toBe(403);
    expect((await postCreate("guest", "club", "file", pdfId)).status).toBe(403);
  });

  test("a member of another club may not make one for this club's item, nor with this club's page id in their own club", async () => {
    const refused = await postCreate("olga", "club", "page", page.id);
    expect([403, 404]).toContain(refused.status);
    expect((await setSharing("olga", "autre", true)).status).toBe(302);
    expect((await postCreate("olga", "autre", "page", page.id)).status).toBe(404);
    expect((await postCreate("olga", "autre", "file", pdfId)).status).toBe(404);
    const made = await w.store.db.selectFrom("share_link").select("id").where("created_by", "=", w.people.olga.id).execute();
    expect(made).toEqual([]);
  });

  test("an item named with the wrong kind, or unknown: 404, nothing made", async () => {
    expect((await postCreate("member", "club", "file", page.id)).status).toBe(404);
    expect((await postCreate("member", "club", "page", pdfId)).status).toBe(404);
    expect((await postCreate("member", "club", "page", "zzzzzzzzzzzzzzzzzzzzzzzz")).status).toBe(404);
    expect((await postCreate("member", "club", "page", "x".repeat(65))).status).toBe(400);
  });

  test("each member's list holds their own links, the admin's every link; another club cannot revoke one", async () => {
    const { row } = await share("member", "club", "page", page.id);
    const own = await w.c.member.get("/spaces/club/shares");
    expect(own.status).toBe(200);
    expect(own.text).toContain(`value="${row.id}"`);
    const others = await w.c.other.get("/spaces/club/shares");
    expect(others.status).toBe(200);
    expect(others.text).not.toContain(row.id);
    expect((await w.c.admin.get("/spaces/club/shares")).text).toContain(`value="${row.id}"`);
    // Olga, admin of her own club, names this club's link there: it is not one of hers.
    expect((await w.c.olga.post("/spaces/autre/shares", { intent: "revoke", link: row.id })).status).toBe(404);
    expect((await linkRow(row.id)).revoked_at).toBeNull();
  });

  test("revoked by its sharer: 410 at once, for the page, its images and the audit", async () => {
    const { token, row } = await share("member", "club", "page", page.id);
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
    const res = await w.c.member.post(sharesPath("club", "page", page.id), { intent: "revoke", link: row.id });
    expect(res.status).toBe(302);
    expectGone(await w.anonymous.get(`/s/${token}`), "revoked by its sharer");
    expect((await bytes(`/s/${token}/files/${pngId}`)).status).toBe(404);
    const revoked = await linkRow(row.id);
    // One opening before, none counted after.
    expect(revoked.open_count).toBe(1);
    expect(revoked.revoked_by).toBe(w.people.member.id);
    const audits = await w.store.db.selectFrom("audit_log").select(["data", "actor_id"]).where("event", "=", "share_link_revoked").execute();
    const mine = audits.filter((a) => (JSON.parse(a.data) as { link?: string }).link === row.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].actor_id).toBe(w.people.member.id);
    expect(mine[0].data).not.toContain(token);
  });

  test("another member may not revoke it (403); the club's admin may", async () => {
    const { token, row } = await share("member", "club", "file", pdfId);
    expect((await w.c.other.post(`/spaces/club/shares`, { intent: "revoke", link: row.id })).status).toBe(403);
    expect((await linkRow(row.id)).revoked_at).toBeNull();
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
    expect((await w.c.admin.post(`/spaces/club/shares`, { intent: "revoke", link: row.id })).status).toBe(302);
    expectGone(await w.anonymous.get(`/s/${token}`), "revoked by the admin");
    expect((await bytes(`/s/${token}/download`)).status).toBe(404);
  });
});

// ---------------------------------------------------------------------------
// Every way a link stops
// ---------------------------------------------------------------------------

describe("a link stops", () => {
  test("at its expiry: 410 with the words that it no longer works", async () => {
    const { token, row } = await share("member", "club", "page", page.id, "1h");
    expect(row.expires_at - row.created_at).toBe(3_600_000);
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
    // The clock moved on: the link's time is past.
    await w.store.db.updateTable("share_link").set({ expires_at: Date.now() - 1000 }).where("id", "=", row.id).execute();
    expectGone(await w.anonymous.get(`/s/${token}`), "expired");
    expect((await bytes(`/s/${token}/files/${pngId}`)).status).toBe(404);
  });

  test("when its page goes to the trash, and coming back from the trash does not bring it back", async () => {
    const extra = await createPage("member", "club", "Page à jeter", doc(paragraph("Bientôt à la corbeille")));
    const { token, row } = await share("member", "club", "page", extra.id);
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
    const trashed = await w.c.member.post(`/spaces/club/wiki/${extra.slug}`, { intent: "delete" });
    expect(trashed.status).toBe(302);
    expectGone(await w.anonymous.get(`/s/${token}`), "page in the trash");
    expect((await linkRow(row.id)).revoked_at).not.toBeNull();
    const restored = await w.c.admin.post(`/spaces/club/wiki/trash`, { intent: "restore", pageId: extra.id });
    expect(restored.status).toBe(302);
    expect((await w.store.db.selectFrom("page").select("deleted_at").where("id", "=", extra.id).executeTakeFirstOrThrow()).deleted_at).toBeNull();
    expectGone(await w.anonymous.get(`/s/${token}`), "page restored from the trash");
  });

  test("when its sharer leaves the club: they share nothing of it any more", async () => {
    const { token } = await share("other", "club", "page", page.id);
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
    const left = await w.c.other.post(`/spaces/club/members`, { intent: "leave" });
    expect(left.status).toBe(302);
    expectGone(await w.anonymous.get(`/s/${token}`), "sharer left");
    expect((await bytes(`/s/${token}/files/${pngId}`)).status).toBe(404);
    // Back in the club (the fixture as it was), the link works again until its time: it was never revoked.
    await w.store.db.insertInto("space_member").values({ space_id: club.id, user_id: w.people.other.id, role: "member", sponsor_id: w.people.admin.id, joined_at: Date.now() }).execute();
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
  });

  test("when its file goes to the trash", async () => {
    const id = (await w.tus.member.upload("club", minimalPdf(), { filename: "a-jeter.pdf" })).fileId;
    const { token, row } = await share("member", "club", "file", id);
    expect((await bytes(`/s/${token}/download`)).status).toBe(200);
    const trashed = await w.c.member.post("/spaces/club/files?index", { intent: "trash-file", id });
    expect(trashed.status).toBe(302);
    expectGone(await w.anonymous.get(`/s/${token}`), "file in the trash");
    expect((await bytes(`/s/${token}/download`)).status).toBe(404);
    expect((await linkRow(row.id)).revoked_at).not.toBeNull();
  });

  test("when the folder holding its file goes to the trash, and not back with it", async () => {
    const made = await w.c.admin.post("/spaces/club/files?index", { intent: "create-folder", name: "Dossier client" });
    expect(made.status).toBe(302);
    const folderId = made.location!.split("/").at(-1)!;
    const id = (await w.tus.member.upload("club", minimalPdf(), { filename: "dans-le-dossier.pdf", folderId })).fileId;
    const { token } = await share("member", "club", "file", id);
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
    expect((await w.c.admin.post("/spaces/club/files?index", { intent: "trash-folder", id: folderId })).status).toBe(302);
    expectGone(await w.anonymous.get(`/s/${token}`), "folder in the trash");
    const restored = await w.c.admin.post("/spaces/club/files/trash", { intent: "restore", kind: "folder", id: folderId });
    expect(restored.status).toBeLessThan(400);
    expect((await w.store.db.selectFrom("file").select("deleted_at").where("id", "=", id).executeTakeFirstOrThrow()).deleted_at).toBeNull();
    expectGone(await w.anonymous.get(`/s/${token}`), "folder restored");
  });

  test("an image taken out of the page is no longer served through its link", async () => {
    const withImage = await createPage("member", "club", "Page illustrée", doc(paragraph("Avec image"), image(`/files/${otherPngId}/inline`, "Illustration")));
    const { token } = await share("member", "club", "page", withImage.id);
    expect((await bytes(`/s/${token}/files/${otherPngId}`)).status).toBe(200);
    const saved = await w.c.member.post(`/spaces/club/wiki/${withImage.slug}/edit`, {
      pageId: withImage.id,
      title: withImage.title,
      content: doc(paragraph("Sans image désormais")),
      summary: "",
      baseRevision: String(withImage.revision),
    });
    expect(saved.status).toBe(302);
    expect((await bytes(`/s/${token}/files/${otherPngId}`)).status).toBe(404);
    expect(pageText((await w.anonymous.get(`/s/${token}`)).text)).toContain("Sans image désormais");
  });

  test("when the admin turns sharing off: every link of the club at once", async () => {
    const a = await share("member", "club", "page", page.id);
    const b = await share("admin", "club", "file", pdfId);
    expect((await w.anonymous.get(`/s/${a.token}`)).status).toBe(200);
    expect((await w.anonymous.get(`/s/${b.token}`)).status).toBe(200);
    expect((await setSharing("admin", "club", false)).status).toBe(302);
    expect((await spaceRow("club")).share_links).toBe(0);
    expectGone(await w.anonymous.get(`/s/${a.token}`), "sharing off (page)");
    expectGone(await w.anonymous.get(`/s/${b.token}`), "sharing off (file)");
    expect((await bytes(`/s/${a.token}/files/${pngId}`)).status).toBe(404);
    expect((await bytes(`/s/${b.token}/download`)).status).toBe(404);
    // And no new one is made.
    expect((await postCreate("member", "club", "page", page.id)).status).toBe(403);
  });

  test("when its club is archived", async () => {
    expect((await setSharing("admin", "archive", true)).status).toBe(302);
    const archived = await createPage("member", "archive", "Note d’archive", doc(paragraph("Dans un club bientôt archivé")));
    const { token } = await share("member", "archive", "page", archived.id);
    expect((await w.anonymous.get(`/s/${token}`)).status).toBe(200);
    const res = await w.c.netAdmin.post(`/spaces/archive/settings`, { intent: "archive" });
    expect(res.status).toBe(302);
    expect((await spaceRow("archive")).archived_at).not.toBeNull();
    expectGone(await w.anonymous.get(`/s/${token}`), "club archived");
  });

  test("a link of the secret club works while its admin allows it, and says the club's name", async () => {
    const secretPage = await createPage("member", "secret", "Page secrète partagée", doc(paragraph("Pour le client seulement")));
    const { token } = await share("member", "secret", "page", secretPage.id);
    const res = await w.anonymous.get(`/s/${token}`);
    expect(res.status).toBe(200);
    expect(pageText(res.text)).toContain(fr("shared.by", { name: "Mia Membre", space: "Club Secret" }));
    expect(pageText(res.text)).toContain("Pour le client seulement");
  });
});

describe("tokens that open nothing", () => {
  test("an unknown token: 404, with the same words", async () => {
    const res = await w.anonymous.get(`/s/${"a".repeat(32)}`);
    expect(res.status).toBe(404);
    expect(pageText(res.text)).toContain(fr("shared.goneTitle"));
    expect((await bytes(`/s/${"a".repeat(32)}/download`)).status).toBe(404);
    expect((await bytes(`/s/${"a".repeat(32)}/files/${pngId}`)).status).toBe(404);
  });

  test("an over-long or odd token: 404, never a 500", async () => {
    for (const token of ["a".repeat(65), "a".repeat(5000), "%E2%80%AE%00x", "..%2F..%2Fsecret"]) {
      expect((await w.anonymous.get(`/s/${token}`)).status, token.slice(0, 20)).toBe(404);
      expect((await bytes(`/s/${token}/download`)).status, token.slice(0, 20)).toBe(404);
      expect((await bytes(`/s/${token}/files/${pngId}`)).status, token.slice(0, 20)).toBe(404);
    }
  });
});
