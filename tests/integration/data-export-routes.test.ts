import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createStorage } from "#storage/index.ts";
import { pageText } from "#tests/helpers/http.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { PAUL_PRIVATE, seedMember, type Seeded } from "#tests/helpers/data-export-seed.ts";
import { readZip } from "#tests/helpers/data-export-zip.ts";

/**
 * "Mes données" over real HTTP against the built server, with real session
 * cookies and a real SMTP server: a member asks, follows the progress, is
 * told by mail, downloads the zip (streamed, as an attachment) — and nobody
 * else, the network admin included, can download it.
 */

let w: World<"admin" | "netAdmin", never>;
let seeded: Seeded;
let exportId = "";

beforeAll(async () => {
  w = await world({
    smtp: true,
    network: { name: "Réseau des acheteurs" },
    domain: "export.test",
    people: { admin: {}, netAdmin: { isNetworkAdmin: true } },
  });
  // The server's own storage (DATA_DIR/files), so the seeded files are there for the export.
  seeded = await seedMember(w.store.db, createStorage({ driver: "local", root: path.join(w.server.dataDir, "files") }));
});
afterAll(() => w?.close());

/** The download's bytes (the test client reads text; a zip is not). */
async function download(cookieFrom: { cookies: Map<string, string> } | null, id: string) {
  const cookie = cookieFrom ? [...cookieFrom.cookies].map(([k, v]) => `${k}=${v}`).join("; ") : "";
  const res = await fetch(`${w.server.url}/settings/data/${id}/download`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

test("a member asks, watches it being built, is told by mail, and downloads the zip", async () => {
  const lea = await w.as(seeded.lea);
  const first = await lea.get("/settings/data");
  expect(first.status).toBe(200);
  expect(pageText(first.text)).toContain("Vous n’avez pas encore demandé d’export.");
  expect(first.text).toContain('href="/settings/data"');

  const asked = await lea.post("/settings/data", { intent: "export" });
  expect(asked.status).toBe(302);
  expect(asked.location).toBe("/settings/data");

  // The page follows it until it is ready (built in the background).
  let page = "";
  const deadline = Date.now() + 20_000;
  for (;;) {
    page = (await lea.get("/settings/data")).text;
    if (pageText(page).includes("Votre export est prêt.") || Date.now() > deadline) break;
    expect(page).toContain('role="status"');
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(pageText(page)).toContain("Votre export est prêt.");
  exportId = /\/settings\/data\/([a-z0-9]+)\/download/.exec(page)?.[1] ?? "";
  expect(exportId).not.toBe("");

  const mail = await w.smtp.waitForMail((m) => m.to.includes("lea.fontaine@example.test"), 10_000);
  expect(mail.subject).toBe("Vos données sur Réseau des acheteurs sont prêtes");
  expect(mail.text).toContain(`${w.server.url}/settings/data`);
  expect(mail.text).not.toContain("/download");

  // Told in the app too: the bell counts it and the notifications page heads with it, until downloaded.
  const bell = async () => Number(/data-unread="(\d+)"/.exec((await lea.get("/settings/data")).text)?.[1]);
  const withExport = await bell();
  expect(withExport).toBeGreaterThanOrEqual(1);
  const told = await lea.get("/notifications");
  expect(pageText(told.text)).toContain("Votre export de données est prêt : le télécharger");
  expect(told.text).toMatch(/<a class="notification-link"[^>]* href="\/settings\/data"/);

  const got = await download(lea, exportId);
  expect(got.status).toBe(200);
  // One line fewer: the export's, and only it (her seeded notifications stay unread).
  expect(await bell()).toBe(withExport - 1);
  expect(pageText((await lea.get("/notifications")).text)).not.toContain("Votre export de données est prêt");
  expect(got.headers.get("content-type")).toBe("application/zip");
  expect(got.headers.get("content-disposition")).toMatch(/^attachment; filename="cercle-mes-donnees-\d{4}-\d{2}-\d{2}\.zip"/);
  expect(got.headers.get("x-content-type-options")).toBe("nosniff");
  expect(got.headers.get("content-security-policy")).toContain("sandbox");
  expect(got.headers.get("cache-control")).toContain("no-store");
  expect(Number(got.headers.get("content-length"))).toBe(got.bytes.length);
  const zip = await readZip(got.bytes);
  expect(JSON.parse(zip.bytes.get("profile.json")!.toString("utf8"))).toMatchObject({ email: "lea.fontaine@example.test" });
  for (const [name, bytes] of seeded.files) expect(zip.bytes.get(name)?.equals(bytes), name).toBe(true);
  for (const [name, bytes] of zip.bytes) for (const secret of PAUL_PRIVATE) expect(bytes.toString("utf8").includes(secret), `${secret} in ${name}`).toBe(false);

  // Request, ready and download, each in the audit log.
  const audits = await w.store.db.selectFrom("audit_log").select("event").where("target_user_id", "=", seeded.lea.id).orderBy("created_at").execute();
  expect(audits.map((a) => a.event)).toEqual(["data_export_requested", "data_export_ready", "data_export_downloaded"]);
  expect(pageText((await lea.get("/settings/data")).text)).toContain("Dernier téléchargement le");
  // A HEAD says what it is without counting as a download.
  const cookie = [...lea.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const head = await fetch(`${w.server.url}/settings/data/${exportId}/download`, { method: "HEAD", headers: { Cookie: cookie } });
  expect(head.status).toBe(200);
  expect(head.headers.get("content-length")).toBe(String(got.bytes.length));
  expect(await w.store.db.selectFrom("audit_log").select("id").where("event", "=", "data_export_downloaded").execute()).toHaveLength(1);
});

test("nobody else downloads it: not another member, not the network admin, not without a session", async () => {
  expect(exportId).not.toBe("");
  const paul = await w.as(seeded.paul);
  expect((await download(paul, exportId)).status).toBe(404);
  expect((await download(w.c.netAdmin, exportId)).status).toBe(404);
  const anonymous = await download(null, exportId);
  expect(anonymous.status).toBe(302);
  expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  // Nothing of it shows on another member's page.
  expect((await paul.get("/settings/data")).text).not.toContain(exportId);
  const downloads = await w.store.db.selectFrom("audit_log").select("actor_id").where("event", "=", "data_export_downloaded").execute();
  expect(downloads.map((d) => d.actor_id)).toEqual([seeded.lea.id]);
});

test("a request the page does not make is refused and starts nothing", async () => {
  const paul = await w.as(seeded.paul);
  for (const fields of [{ intent: "delete" }, {}, { intent: "EXPORT" }] as Array<Record<string, string>>) expect((await paul.post("/settings/data", fields)).status).toBe(400);
  expect(await w.store.db.selectFrom("data_export").select("id").where("user_id", "=", seeded.paul.id).execute()).toEqual([]);
});

test("after 7 days it is gone: the page says so, the address answers 404", async () => {
  const lea = await w.as(seeded.lea);
  await w.store.db.updateTable("data_export").set({ expires_at: Date.now() - 1 }).where("id", "=", exportId).execute();
  expect((await download(lea, exportId)).status).toBe(404);
  const page = pageText((await lea.get("/settings/data")).text);
  expect(page).toContain("Votre dernier export a expiré.");
  expect(page).toContain("Faire un nouvel export");
});

test("while it is built the page shows how far it got, announces it, and reloads itself without JavaScript", async () => {
  const paul = await w.as(seeded.paul);
  // An export another process is building (its claim far ahead: this server leaves it alone).
  await w.store.db
    .insertInto("data_export")
    .values({ id: "buildingexport000000001", user_id: seeded.paul.id, state: "building", done: 1_300_000, total: 4_000_000, claimed_by: "elsewhere", claimed_until: Date.now() + 3_600_000, created_at: Date.now() })
    .execute();
  const page = (await paul.get("/settings/data")).text;
  expect(pageText(page)).toContain("Préparation de votre export : 32 %");
  expect(page).toMatch(/<progress[^>]*aria-label="Avancement de l’export"[^>]*value="32"|<progress[^>]*value="32"[^>]*aria-label="Avancement de l’export"/);
  expect(page).toMatch(/<div role="status" aria-live="polite"/);
  expect(page).toMatch(/<noscript><meta http-equiv="refresh" content="3"\/?>/);
  // Asking again while it is built shows it, and makes no second one.
  const again = await paul.post("/settings/data", { intent: "export" });
  expect(again.status).toBe(302);
  expect(pageText((await paul.get("/settings/data")).text)).toContain("Un export est déjà en préparation : le voici.");
  expect(await w.store.db.selectFrom("data_export").select("id").where("user_id", "=", seeded.paul.id).execute()).toHaveLength(1);
  // No download of something not ready.
  expect((await download(paul, "buildingexport000000001")).status).toBe(404);
});
