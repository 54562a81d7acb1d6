import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrateToLatest } from "#db/migrations/index.ts";
import * as exportsQ from "#db/queries/data-exports.ts";
import { transact } from "#db/transact.ts";
import { createStorage } from "#storage/index.ts";
import { exportKey } from "#storage/keys.ts";
import type { StorageDriver } from "#storage/types.ts";
import { requestExport } from "#app/exports/commands.server.ts";
import { checkStorage } from "#app/files/integrity.server.ts";
import { deleteExportsOf, purgeExpiredExports } from "#app/exports/expiry.server.ts";
import { buildNextExport, CLAIM_MS, EXPORT_KEPT_MS, type BuildDeps } from "#app/exports/job.server.ts";
import { DOCUMENTED } from "#app/exports/readme.ts";
import type { Letterhead } from "#app/utils/acting.server.ts";
import { createNetwork } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { PAUL_PRIVATE, seedMember, type Seeded } from "#tests/helpers/data-export-seed.ts";
import { readZip } from "#tests/helpers/data-export-zip.ts";

/**
 * A member's export, built by the real job against a real SQLite file and
 * the local storage driver, read back with yauzl: every kind of their data is
 * there, documented, and nothing private of anyone else is — checked in
 * every byte of the zip, compressed entries included.
 */

let store: Awaited<ReturnType<typeof tempDatabase>>;
let root: string;
let storage: StorageDriver;
let seeded: Seeded;
const mailed: string[][] = [];

const head: Letterhead = {
  network: { name: "Réseau des acheteurs", locale: "fr" },
  baseUrl: new URL("https://cercle.example.test"),
  mailConfigured: false,
  mailFrom: "cercle@example.test",
  mailReplyTo: null,
};
const deps = (over: Partial<BuildDeps> = {}): BuildDeps => ({ db: store.db, storage, letterhead: head, by: "builder-a", sendMails: (ids) => mailed.push(ids), ...over });
const ask = (userId: string, now = Date.now()) => transact(store.db, (trx) => requestExport(trx, { user: { id: userId }, ip: "192.0.2.7", now }));

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  root = await mkdtemp(path.join(os.tmpdir(), "cercle-export-"));
  storage = createStorage({ driver: "local", root });
  await createNetwork(store.db, { name: "Réseau des acheteurs" });
  seeded = await seedMember(store.db, storage);
});

afterAll(async () => {
  await store?.remove();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("the export of a seeded member", () => {
  let zip: Awaited<ReturnType<typeof readZip>>;
  let raw: Buffer;
  let json: (name: string) => any;

  beforeAll(async () => {
    const asked = await ask(seeded.lea.id);
    expect(asked.created).toBe(true);
    const outcome = await buildNextExport(deps());
    expect(outcome?.state).toBe("ready");
    const row = await exportsQ.findForUser(store.db, seeded.lea.id, asked.export.id);
    expect(row?.storage_key).toBe(exportKey(seeded.lea.id, asked.export.id));
    raw = await readFile(path.join(root, row!.storage_key!));
    expect(row?.size).toBe(raw.length);
    zip = await readZip(raw);
    json = (name) => JSON.parse(zip.bytes.get(name)!.toString("utf8"));
  });

  test("a README in French and English describes every JSON document, and every one is there", () => {
    const readme = zip.bytes.get("README.txt")!.toString("utf8");
    expect(readme).toContain("Vos données sur Réseau des acheteurs — Léa Fontaine");
    expect(readme).toContain("Your data on Réseau des acheteurs");
    const jsonNames = zip.entries.map((e) => e.name).filter((n) => n.endsWith(".json"));
    expect(jsonNames.sort()).toEqual([...DOCUMENTED].sort());
    for (const name of jsonNames) expect(readme).toContain(`  ${name} :`);
  });

  test("every kind of her data is in it", () => {
    expect(json("profile.json")).toMatchObject({ email: "lea.fontaine@example.test", display_name: "Léa Fontaine", city: "Lyon", skills: ["Négociation"], photo: "photo/photo.webp" });
    expect(json("memberships.json").clubs).toEqual([expect.objectContaining({ club: "Club Achats", role: "member", co_opted_by: "Paul Mercier" })]);
    const wiki = json("wiki.json");
    expect(wiki.pages_created.map((p: { title: string }) => p.title)).toEqual(["Charte des achats"]);
    expect(wiki.revisions_written[0]).toMatchObject({ revision: 1, summary: "Première version", text: "Nos engagements d’acheteurs.", address: "https://cercle.example.test/spaces/achats-export/wiki/charte-achats" });
    expect(json("articles.json").articles[0]).toMatchObject({ title: "Retour du salon des achats", tags: ["Salon"], state: "published" });
    const comments = json("comments.json");
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ text: "Merci pour vos retours !", on: { kind: "article", title: "Retour du salon des achats", club: "Club Achats" } });
    expect(comments[0].on.address).toMatch(/^https:\/\/cercle\.example\.test\/spaces\/achats-export\/blog\/retour-salon#comment-/);
    expect(json("asks.json")[0]).toMatchObject({ title: "Qui connaît les clauses environnementales ?", thanked: ["Paul Mercier"] });
    expect(json("workshops.json").registrations[0]).toMatchObject({ workshop: "Atelier sourcing local", answer: "going", note: "Je viendrai avec une collègue.", came: false });
    const conversation = json("conversations.json").conversations[0];
    expect(conversation.with).toEqual(["Paul Mercier"]);
    expect(conversation.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([
      ["Paul Mercier", "Bonjour Léa, on déjeune jeudi ?"],
      ["me", "Avec plaisir, à jeudi."],
    ]);
    expect(json("settings.json")).toMatchObject({ language: "fr", notification_choices: [expect.objectContaining({ kind: "reply", delivery: "mail" })] });
    expect(json("notifications.json")).toEqual([expect.objectContaining({ kind: "commentOnMine", about: "Retour du salon des achats", from: "Paul Mercier", read_at: null })]);
  });

  test("every file she uploaded, byte for byte, named as in the club; the trash apart; a hostile name made harmless", () => {
    const names = zip.entries.map((e) => e.name);
    for (const [name, bytes] of seeded.files) {
      expect(names, name).toContain(name);
      expect(zip.bytes.get(name)?.equals(bytes), name).toBe(true);
    }
    // No entry climbs out of the folder it is unpacked in, nor hides itself.
    for (const name of names) {
      expect(name.split("/")).not.toContain("..");
      expect(name.startsWith("/")).toBe(false);
      expect(name.split("/").some((segment) => segment.startsWith("."))).toBe(false);
    }
    const manifest = json("files.json");
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual([...seeded.files.keys()].filter((n) => n.startsWith("files")).sort());
    expect(manifest.files.find((f: { path: string }) => f.path.startsWith("files-in-trash/"))).toMatchObject({ in_trash: true });
    // Text is deflated, the rest stored as it is.
    expect(zip.entries.find((e) => e.name === "files/Club Achats/budget.csv")?.method).toBe(8);
    expect(zip.entries.find((e) => e.name === "photo/photo.webp")?.method).toBe(0);
  });

  test("nothing private of anyone else: not Paul's profile, address, comment or file, in any entry", () => {
    for (const [name, bytes] of zip.bytes) {
      const text = bytes.toString("utf8");
      for (const secret of PAUL_PRIVATE) expect(text.includes(secret), `${secret} in ${name}`).toBe(false);
    }
    expect(zip.entries.map((e) => e.name)).not.toContain("files/Club Achats/paul.txt");
  });

  test("made ready once: audited, mailed with a link to the settings page (not to the file)", async () => {
    const audits = await store.db.selectFrom("audit_log").select(["event", "actor_id", "target_user_id", "ip"]).where("target_user_id", "=", seeded.lea.id).orderBy("created_at").execute();
    expect(audits.map((a) => a.event)).toEqual(["data_export_requested", "data_export_ready"]);
    expect(audits[0]).toMatchObject({ actor_id: seeded.lea.id, ip: "192.0.2.7" });
    const mails = await store.db.selectFrom("mail_outbox").select(["id", "recipient", "payload"]).where("recipient", "=", "lea.fontaine@example.test").execute();
    expect(mails).toHaveLength(1);
    expect(mailed).toEqual([[mails[0].id]]);
    const payload = JSON.parse(mails[0].payload!) as { subject: string; text: string };
    expect(payload.subject).toBe("Vos données sur Réseau des acheteurs sont prêtes");
    expect(payload.text).toContain("https://cercle.example.test/settings/data\n");
    expect(payload.text).not.toContain("/download");
    // Nothing else waits: a second sweep finds no work.
    expect(await buildNextExport(deps())).toBeNull();
  });
});

describe("one export under way per member, built exactly once", () => {
  test("asking again while one waits answers that one; the database refuses a second all the same", async () => {
    const first = await ask(seeded.paul.id);
    const again = await ask(seeded.paul.id);
    expect(again).toMatchObject({ created: false, export: { id: first.export.id } });
    await expect(exportsQ.insertRequest(store.db, seeded.paul.id, Date.now())).rejects.toThrow(/UNIQUE constraint failed|duplicate key value violates unique constraint/);
    // Two builders sweep: one gets it, the other nothing.
    const [a, b] = await Promise.all([buildNextExport(deps({ by: "builder-a" })), buildNextExport(deps({ by: "builder-b" }))]);
    expect([a?.state, b?.state].sort()).toEqual(["ready", undefined]);
    expect(await exportsQ.findUnderWay(store.db, seeded.paul.id)).toBeUndefined();
  });

  test("an export whose builder died is taken up again once its claim runs out, and the dead one's late write is refused", async () => {
    const asked = await ask(seeded.lea.id);
    const t0 = Date.now();
    // Builder A claims it, then "dies" (never writes again).
    const claimed = await exportsQ.claimNext(store.db, { by: "dead-builder", now: t0, claimMs: CLAIM_MS, maxAttempts: 3 });
    expect(claimed?.id).toBe(asked.export.id);
    // Before the claim runs out nobody else takes it.
    expect(await buildNextExport(deps({ by: "builder-b", now: () => t0 + CLAIM_MS - 1 }))).toBeNull();
    // After, builder B does, and finishes it.
    const taken = await buildNextExport(deps({ by: "builder-b", now: () => t0 + CLAIM_MS + 1 }));
    expect(taken).toMatchObject({ state: "ready", export: { id: asked.export.id, attempts: 2 } });
    // The dead builder, back from the dead, can neither report progress nor finish it.
    expect(await exportsQ.recordProgress(store.db, { id: asked.export.id, by: "dead-builder", done: 1, total: 2, until: t0 })).toBe(false);
    expect(await exportsQ.markFailed(store.db, { id: asked.export.id, by: "dead-builder", error: "late" })).toBe(false);
    expect((await exportsQ.findForUser(store.db, seeded.lea.id, asked.export.id))?.state).toBe("ready");
  });

  test("an export whose builders keep dying is failed after three tries, and the member may ask again", async () => {
    const asked = await ask(seeded.paul.id);
    let t = Date.now();
    for (let i = 0; i < 3; i++) {
      expect((await exportsQ.claimNext(store.db, { by: `dying-${i}`, now: t, claimMs: CLAIM_MS, maxAttempts: 3 }))?.id).toBe(asked.export.id);
      t += CLAIM_MS + 1;
    }
    expect(await exportsQ.claimNext(store.db, { by: "next", now: t, claimMs: CLAIM_MS, maxAttempts: 3 })).toBeUndefined();
    expect(await exportsQ.findForUser(store.db, seeded.paul.id, asked.export.id)).toMatchObject({ state: "failed", error: "attempts" });
    expect((await ask(seeded.paul.id)).created).toBe(true);
  });

  test("a build that fails leaves no zip, a failed row, and the member may ask again", async () => {
    // Her photo's object is there, but reading it fails mid-way: a store that breaks during the build.
    const broken: StorageDriver = Object.create(storage) as StorageDriver;
    broken.get = async () => {
      throw new Error("the store is down");
    };
    // Paul's pending export from the previous test, built against the broken store.
    const outcome = await buildNextExport(deps({ storage: broken, by: "builder-c" }));
    expect(outcome).toMatchObject({ state: "failed" });
    expect(await storage.head(exportKey(seeded.paul.id, outcome!.export.id))).toBeNull();
    expect(await exportsQ.findForUser(store.db, seeded.paul.id, outcome!.export.id)).toMatchObject({ state: "failed", error: "build" });
    expect((await ask(seeded.paul.id)).created).toBe(true);
    expect((await buildNextExport(deps()))?.state).toBe("ready");
  });
});

test("storage:check counts a ready export's zip as owned, never as an orphan to delete", async () => {
  const report = await checkStorage(store.db, storage, { verifyHashes: false, deleteOrphans: false });
  const zips = (await store.db.selectFrom("data_export").select("storage_key").where("state", "=", "ready").execute()).map((r) => r.storage_key);
  expect(zips.length).toBeGreaterThan(0);
  expect(report.orphans.map((o) => o.key).filter((key) => key.startsWith("exports/"))).toEqual([]);
});

test("housekeeping deletes an export past its 7 days, with its zip, and keeps a fresh one", async () => {
  const rows = await store.db.selectFrom("data_export").selectAll().where("state", "=", "ready").orderBy("ready_at").execute();
  expect(rows.length).toBeGreaterThanOrEqual(2);
  const [old, fresh] = [rows[0], rows[rows.length - 1]];
  expect(old.expires_at! - old.ready_at!).toBe(EXPORT_KEPT_MS);
  await store.db.updateTable("data_export").set({ expires_at: Date.now() - 1 }).where("id", "=", old.id).execute();
  expect(await storage.head(old.storage_key!)).not.toBeNull();
  expect(await purgeExpiredExports(store.db, storage, Date.now())).toBe(1);
  expect(await storage.head(old.storage_key!)).toBeNull();
  expect(await store.db.selectFrom("data_export").select("id").where("id", "=", old.id).executeTakeFirst()).toBeUndefined();
  expect(await storage.head(fresh.storage_key!)).not.toBeNull();
});

test("an account's deletion can take its exports with it, zips first", async () => {
  const rows = await store.db.selectFrom("data_export").select(["id", "storage_key"]).where("user_id", "=", seeded.paul.id).execute();
  const zips = rows.flatMap((r) => (r.storage_key ? [r.storage_key] : []));
  expect(zips.length).toBeGreaterThan(0);
  for (const key of zips) expect(await storage.head(key)).not.toBeNull();
  expect(await deleteExportsOf(store.db, storage, seeded.paul.id)).toBe(rows.length);
  for (const key of zips) expect(await storage.head(key)).toBeNull();
  expect(await store.db.selectFrom("data_export").select("id").where("user_id", "=", seeded.paul.id).execute()).toEqual([]);
  // Léa's stay.
  expect(await store.db.selectFrom("data_export").select("id").where("user_id", "=", seeded.lea.id).execute()).not.toEqual([]);
});
