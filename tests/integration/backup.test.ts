import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile as writeFileOnDisk } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrations } from "#db/migrations/index.ts";
import { lastBackup } from "#db/queries/backups.ts";
import { backupJob, runScheduledBackup } from "#app/backup/job.server.ts";
import { createScheduler } from "#app/jobs/scheduler.server.ts";
import { closeDb } from "#app/utils/db.server.ts";
import { signIn } from "#tests/factories.ts";
import { client } from "#tests/helpers/http.ts";
import { expectWritesBefore, runCommand, whileWriting, writersOf, type Acked } from "#tests/helpers/backup-load.ts";
import { freePort, spawnServer, waitFor } from "#tests/helpers/process.ts";
import { fetchBytes } from "#tests/helpers/tus.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * `npm run backup` and `npm run restore` as an operator runs them, on the
 * local driver: the built server keeps taking pages, comments and uploads
 * over HTTP from several writers while the backup command (its own process)
 * runs; the snapshot is restored into an empty DATA_DIR by the restore
 * command, passes `storage:check --verify-hashes`, holds every write
 * acknowledged before the backup began, and serves them again from a server
 * started on it. Then what must be refused or caught: a non-empty target, a
 * snapshot with a file missing or cut short, bad arguments.
 */

const MB = 1024 * 1024;
let w: World<"admin" | "alice" | "bob", "space">;
let tmp: string;
let backupDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "cercle-backup-test-"));
  backupDir = path.join(tmp, "scheduled");
  w = await world({
    env: { BACKUP_DIR: backupDir, BACKUP_KEEP: "2", BACKUP_INTERVAL_HOURS: "24" },
    people: { admin: {}, alice: { email: "alice@backup.test" }, bob: { email: "bob@backup.test" } },
    spaces: { space: { createdBy: "admin", slug: "archives", visibility: "secret", storageQuotaBytes: 4096 * MB, members: { alice: "member", bob: "member" } } },
    signIn: ["alice", "bob"],
  });
  write = writersOf(w, { chunks: 2 });
}, 60_000);

afterAll(async () => {
  // runScheduledBackup opened the source modules' own connection (the build's is the server's).
  await closeDb();
  await w?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let write: ReturnType<typeof writersOf>;

describe("a backup taken while people write, restored", () => {
  const acked: Acked[] = [];
  let snapshot: string;
  let restored: string;
  let began: number;
  let ended: number;
  let backupRun: { code: number | null; out: string; err: string };

  test("npm run backup writes a verified snapshot while three writers keep writing", async () => {
    // What was there before: enough bytes that the copy takes a while.
    const firstPage = await write.page(w.c.alice, "Charte du réseau");
    acked.push(firstPage);
    const pageId = (await w.store.db.selectFrom("page").select("id").where("title", "=", "Charte du réseau").executeTakeFirstOrThrow()).id;
    for (let i = 0; i < 8; i++) acked.push(await write.file(i % 2 ? "alice" : "bob", 1 * MB + i * 1000, `rapport-${i}.bin`));
    for (let i = 0; i < 4; i++) acked.push(await write.page(w.c.bob, `Réunion ${i}`), await write.comment(w.c.alice, pageId, `Remarque ${i}`));

    // Writers that do not stop for the backup.
    ({ result: backupRun, began, ended } = await whileWriting(
      acked,
      [(i) => write.page(w.c.alice, `Note en cours ${i}`), (i) => write.comment(w.c.bob, pageId, `Réponse ${i}`), (i) => write.file("bob", 256 * 1024 + i, `pendant-${i}.bin`)],
      () => runCommand("backup", ["--to", path.join(tmp, "manual")], { DATA_DIR: w.server.dataDir }),
    ));

    expect(backupRun.code, backupRun.err).toBe(0);
    expect(backupRun.out).toMatch(/^Backup written and verified: /);
    // Progress went to stderr, stage by stage.
    expect(backupRun.err).toContain("Copying the database (SQLite online backup)");
    expect(backupRun.err).toContain("Verifying the snapshot");
    snapshot = /^Backup written and verified: (.+)$/m.exec(backupRun.out)![1];
    expect(path.basename(snapshot)).toMatch(/^cercle-\d{8}-\d{6}$/);
    // The writers really wrote while the backup ran: the test is about that.
    const during = acked.filter((a) => a.at > began && a.at < ended);
    expect(new Set(during.map((a) => a.kind))).toEqual(new Set(["page", "comment", "file"]));

    const manifest = JSON.parse(await readFile(path.join(snapshot, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ format: "cercle-backup", formatVersion: 1, storage: { driver: "local", copy: { kind: "snapshot" } } });
    // The database's last migration, whichever it is when the test runs.
    expect(manifest.migrations.last).toBe(Object.keys(migrations).sort().at(-1));
    const filesBefore = acked.filter((a) => a.kind === "file" && a.at < began).length;
    expect(manifest.counts.file_version).toBeGreaterThanOrEqual(filesBefore);
    expect(manifest.objects.count).toBeGreaterThanOrEqual(filesBefore);
    expect(manifest.objects.bytes).toBeGreaterThanOrEqual(8 * MB);
    // The backup is recorded for /healthz and the console.
    const last = await lastBackup(w.store.db);
    expect(last.lastSuccess).toMatchObject({ trigger: "cli", ok: true, location: snapshot, object_count: manifest.objects.count });
  }, 60_000);

  test("npm run restore puts it into an empty DATA_DIR; storage:check --verify-hashes passes; every write acknowledged before the backup is there", async () => {
    // After the backup, the first file goes to the trash and is purged by hand: rows and object
    // gone from the live storage. The snapshot holds its own copy, so the restore still has it.
    const purged = acked.find((a) => a.kind === "file")!;
    const key = (await w.store.db.selectFrom("file_version").select("storage_key").where("file_id", "=", purged.ref).executeTakeFirstOrThrow()).storage_key;
    const admin = await w.as(w.people.admin);
    expect((await admin.post(`/spaces/${w.spaces.space.slug}/files`, { intent: "trash-file", id: purged.ref })).status).toBe(302);
    expect((await admin.post(`/spaces/${w.spaces.space.slug}/files/trash`, { intent: "purge", kind: "file", id: purged.ref })).status).toBe(302);
    expect(existsSync(path.join(w.server.dataDir, "files", ...key.split("/")))).toBe(false);

    restored = path.join(tmp, "restored");
    const res = await runCommand("restore", ["--from", snapshot], { DATA_DIR: restored });
    expect(res.code, res.err + res.out).toBe(0);
    expect(res.out).toContain("and checked it");

    const check = await runCommand("storage-check", ["--verify-hashes"], { DATA_DIR: restored });
    expect(check.code, check.out + check.err).toBe(0);
    expect(check.out).toContain("Result: OK");
    expect(check.out).not.toContain("MISSING");

    const before = await expectWritesBefore(restored, acked, began);
    expect(before.filter((a) => a.kind === "page").length).toBeGreaterThan(5);
  }, 60_000);

  test("the restored copy serves: a server started on it signs Alice in and gives back her file (purged since from the live one), byte for byte", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = spawnServer({ DATA_DIR: restored, PORT: String(port), HOST: "127.0.0.1", BASE_URL: url, WEB_CONCURRENCY: "1", NODE_ENV: "production" });
    try {
      await waitFor(async () => (await fetch(`${url}/healthz`).catch(() => null))?.status === 200, "the restored server", 30_000, server.output);
      const alice = client(url);
      await signIn(alice, w.people.alice.email, w.people.alice.password);
      // The file purged from the live storage after the backup.
      const file = acked.find((a) => a.kind === "file")!;
      const download = await fetchBytes(url, alice, `/spaces/${w.spaces.space.slug}/files/${file.ref}/download`);
      expect(download.status).toBe(200);
      expect(createHash("sha256").update(download.body).digest("hex")).toBe(file.sha256);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  }, 60_000);

  test("a DATA_DIR that is not empty is refused (exit 2), and left as it was", async () => {
    const dbBefore = await readFile(path.join(restored, "cercle.db"));
    const res = await runCommand("restore", ["--from", snapshot], { DATA_DIR: restored });
    expect(res.code).toBe(2);
    expect(res.err).toContain("is not empty");
    expect(res.err).toContain("--force");
    expect((await readFile(path.join(restored, "cercle.db"))).equals(dbBefore)).toBe(true);
  }, 30_000);

  test("a snapshot with a file missing, or cut short, is caught before anything is restored (exit 1)", async () => {
    const fileKeys = (await readObjectLines(snapshot)).filter((o) => o.kind === "file_version");
    expect(fileKeys.length).toBeGreaterThan(2);

    const missing = path.join(tmp, "missing-copy");
    await cp(snapshot, missing, { recursive: true });
    await unlink(path.join(missing, "files", fileKeys[0].key));
    const truncated = path.join(tmp, "truncated-copy");
    await cp(snapshot, truncated, { recursive: true });
    await truncate(path.join(truncated, "files", fileKeys[1].key), 1000);
    const target1 = path.join(tmp, "target-missing");
    const target2 = path.join(tmp, "target-truncated");
    // Three commands at once (each its own process): restore each copy, and check one where it lies.
    const [res1, res2, verified] = await Promise.all([
      runCommand("restore", ["--from", missing], { DATA_DIR: target1 }),
      runCommand("restore", ["--from", truncated], { DATA_DIR: target2 }),
      runCommand("restore", ["--from", truncated, "--verify-only"], { DATA_DIR: path.join(tmp, "unused") }),
    ]);

    expect(res1.code).toBe(1);
    expect(res1.err).toContain(`${fileKeys[0].key} (file_version) is missing`);
    expect(existsSync(path.join(target1, "cercle.db"))).toBe(false);

    expect(res2.code).toBe(1);
    expect(res2.err).toContain(`${fileKeys[1].key} (file_version) has 1000 bytes, ${fileKeys[1].size} recorded`);
    expect(existsSync(path.join(target2, "cercle.db"))).toBe(false);

    // Checked where it lies, restoring nothing.
    expect(verified.code).toBe(1);
    expect(verified.err).toContain(`Snapshot DAMAGED: ${truncated}`);
    expect(verified.err).toContain(`${fileKeys[1].key} (file_version) has 1000 bytes`);
    expect(existsSync(path.join(tmp, "unused"))).toBe(false);
  }, 60_000);
});

async function readObjectLines(dir: string): Promise<{ key: string; kind: string; size: number; sha256: string }[]> {
  return (await readFile(path.join(dir, "objects.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe("the commands' answers", () => {
  test("backup without --to, or on a DATA_DIR with no database, exits 2 with one clear line", async () => {
    const empty = path.join(tmp, "nothing-here");
    const [noTo, noDb, inside] = await Promise.all([
      runCommand("backup", [], { DATA_DIR: w.server.dataDir }),
      runCommand("backup", ["--to", path.join(tmp, "x")], { DATA_DIR: empty }),
      runCommand("backup", ["--to", path.join(w.server.dataDir, "bk")], { DATA_DIR: w.server.dataDir }),
    ]);
    expect(noTo.code).toBe(2);
    expect(noTo.err.split("\n")[0]).toBe("--to DIR is required: the folder the snapshot goes in.");
    expect(noDb.code).toBe(2);
    expect(noDb.err.trim()).toBe(`No database at ${path.join(empty, "cercle.db")}. Is DATA_DIR right?`);
    expect(inside.code).toBe(2);
    expect(inside.err).toContain("is inside DATA_DIR");
  }, 30_000);

  test("restore of a folder that is no snapshot exits 2; without --from, 2 with the usage", async () => {
    const [notOne, none] = await Promise.all([
      runCommand("restore", ["--from", tmp], { DATA_DIR: path.join(tmp, "t3") }),
      runCommand("restore", [], { DATA_DIR: path.join(tmp, "t3") }),
    ]);
    expect(notOne.code).toBe(2);
    expect(notOne.err).toContain("is not a Cercle snapshot (no manifest.json)");
    expect(none.code).toBe(2);
    expect(none.err).toContain("Usage: npm run restore");
  }, 30_000);
});

describe("scheduled backups", () => {
  test("the job claims each slot once across schedulers, keeps the newest BACKUP_KEEP, and /healthz?details shows the last success", async () => {
    const job = backupJob();
    expect(job).toMatchObject({ name: "backup", everyMs: 24 * 60 * 60 * 1000 });
    // Two processes' schedulers on one database: one slot, one backup.
    const at = Date.now();
    const first = createScheduler({ db: () => w.store.db, by: "primary-1", log: () => {} });
    const second = createScheduler({ db: () => w.store.db, by: "primary-2", log: () => {} });
    first.register(job!);
    second.register(job!);
    const outcomes = await Promise.all([first.runSlot("backup", at), second.runSlot("backup", at)]);
    expect(outcomes.sort()).toEqual(["ran", "taken"]);
    expect((await readdir(backupDir)).filter((n) => /^cercle-\d{8}-\d{6}(-\d+)?$/.test(n))).toHaveLength(1);

    // Two more: only the newest two are kept.
    await runScheduledBackup();
    await runScheduledBackup();
    const kept = (await readdir(backupDir)).filter((n) => n.startsWith("cercle-")).sort();
    expect(kept).toHaveLength(2);
    const last = await lastBackup(w.store.db);
    expect(last.lastSuccess).toMatchObject({ trigger: "schedule", ok: true, location: path.join(path.resolve(backupDir), kept[1]) });
    expect(last.failedSince).toBeNull();

    const health = await w.anonymous.get("/healthz?details");
    expect(health.status).toBe(200);
    const details = JSON.parse(health.text);
    expect(details).toMatchObject({ status: "ok", database: "ok", backup: { scheduled: true, intervalHours: 24, keep: 2, overdue: false, lastFailureAt: null } });
    expect(details.backup.lastSuccessAt).toBe(new Date(last.lastSuccess!.finished_at).toISOString());
    // No paths to people who are not signed in.
    expect(health.text).not.toContain(backupDir);
  }, 60_000);

  test("a failed scheduled backup is recorded, and /healthz?details says so after the last success", async () => {
    // A file where the folder should be: the backup cannot write.
    await rm(backupDir, { recursive: true, force: true });
    await mkdir(path.dirname(backupDir), { recursive: true });
    await writeFileOnDisk(backupDir, "not a folder");
    await expect(runScheduledBackup()).rejects.toThrow();
    const last = await lastBackup(w.store.db);
    expect(last.lastSuccess).not.toBeNull();
    expect(last.failedSince).toMatchObject({ trigger: "schedule", ok: false });
    const details = JSON.parse((await w.anonymous.get("/healthz?details")).text);
    expect(details.backup.lastFailureAt).toBe(new Date(last.failedSince!.finished_at).toISOString());
    await rm(backupDir, { force: true });
  }, 30_000);
});
