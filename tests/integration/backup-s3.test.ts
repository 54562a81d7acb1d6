import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openDatabase } from "#db/client.ts";
import { runScheduledBackup } from "#app/backup/job.server.ts";
import { closeDb } from "#app/utils/db.server.ts";
import type { Client } from "#tests/helpers/http.ts";
import { doc, paragraph } from "#tests/helpers/lexical.ts";
import { rawClient, startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";
import { repoRoot } from "#tests/helpers/server.ts";
import { sha256Hex } from "#tests/helpers/tus.ts";
import { world, type World } from "#tests/helpers/world.ts";

/**
 * Backups on the S3 driver (s3rver on loopback), as an operator runs them:
 * while people write, `npm run backup -- --copy-to-bucket` lists every object
 * with its size and SHA-256 and copies them to another bucket; the snapshot
 * restores into an empty bucket and passes `storage:check --verify-hashes`
 * with every write acknowledged before the backup began. A manifest-only
 * snapshot (no copy) restores against the live bucket, which still holds
 * the objects. A bucket that is not empty is refused.
 */

const MB = 1024 * 1024;
let s3: TestS3Server;
let raw: S3Client;
let w: World<"admin" | "alice" | "bob", "space">;
let tmp: string;
let backupDir: string;

const COPY_BUCKET = "cercle-copies";
const RESTORE_BUCKET = "cercle-restored";

beforeAll(async () => {
  s3 = await startS3rver({ bucket: "cercle-live" });
  raw = rawClient(s3);
  for (const Bucket of [COPY_BUCKET, RESTORE_BUCKET]) await raw.send(new CreateBucketCommand({ Bucket }));
  tmp = await mkdtemp(path.join(os.tmpdir(), "cercle-backup-s3-"));
  backupDir = path.join(tmp, "scheduled");
  w = await world({
    env: { ...s3Env(s3.bucket), BACKUP_DIR: backupDir, BACKUP_KEEP: "1", BACKUP_COPY_BUCKET: COPY_BUCKET },
    people: { admin: {}, alice: { email: "alice@backup-s3.test" }, bob: { email: "bob@backup-s3.test" } },
    spaces: { space: { createdBy: "admin", slug: "archives-s3", visibility: "secret", storageQuotaBytes: 4096 * MB, members: { alice: "member", bob: "member" } } },
    signIn: ["alice", "bob"],
  });
}, 60_000);

afterAll(async () => {
  // runScheduledBackup opened the source modules' own connection (the build's is the server's).
  await closeDb();
  await w?.close();
  raw?.destroy();
  await s3?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function s3Env(bucket: string): Record<string, string> {
  return {
    STORAGE_DRIVER: "s3",
    S3_BUCKET: bucket,
    S3_REGION: s3.region,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: "1",
  };
}

function run(script: "backup" | "restore" | "storage-check", args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "server", `${script}.ts`), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

interface Acked {
  kind: "page" | "comment" | "file";
  ref: string;
  sha256?: string;
  at: number;
}

async function writePage(cl: Client, title: string): Promise<Acked> {
  const res = await cl.post(`/spaces/${w.spaces.space.slug}/wiki/new`, { title, content: doc(paragraph(title)), summary: "" });
  if (res.status !== 302) throw new Error(`page “${title}”: ${res.status}`);
  return { kind: "page", ref: title, at: Date.now() };
}

async function writeComment(cl: Client, pageId: string, text: string): Promise<Acked> {
  const res = await cl.post(`/spaces/${w.spaces.space.slug}/comments`, { intent: "create", targetType: "page", targetId: pageId, body: doc(paragraph(text)) });
  const id = /#comment-([a-z0-9]+)$/.exec(res.location ?? "")?.[1];
  if (res.status !== 303 || !id) throw new Error(`comment: ${res.status}`);
  return { kind: "comment", ref: id, at: Date.now() };
}

async function writeFile(who: "alice" | "bob", size: number, name: string): Promise<Acked> {
  const bytes = randomBytes(size);
  const done = await w.tus[who].upload(w.spaces.space.slug, bytes, { filename: name });
  return { kind: "file", ref: done.fileId, sha256: sha256Hex(bytes), at: Date.now() };
}

async function keysIn(Bucket: string, Prefix?: string): Promise<string[]> {
  const listed = await raw.send(new ListObjectsV2Command({ Bucket, Prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

async function expectAllBefore(dataDir: string, acked: Acked[], began: number) {
  const db = openDatabase(path.join(dataDir, "cercle.db"));
  try {
    expect((await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db.db)).rows).toEqual([{ integrity_check: "ok" }]);
    const titles = new Set((await db.db.selectFrom("page").select("title").execute()).map((p) => p.title));
    const comments = new Set((await db.db.selectFrom("comment").select("id").execute()).map((c) => c.id));
    const versions = new Map((await db.db.selectFrom("file_version").select(["file_id", "sha256"]).execute()).map((v) => [v.file_id, v.sha256]));
    const before = acked.filter((a) => a.at < began);
    for (const a of before) {
      if (a.kind === "page") expect(titles.has(a.ref), `page “${a.ref}”`).toBe(true);
      if (a.kind === "comment") expect(comments.has(a.ref), `comment ${a.ref}`).toBe(true);
      if (a.kind === "file") expect(versions.get(a.ref), `file ${a.ref}`).toBe(a.sha256);
    }
    return before;
  } finally {
    await db.close();
  }
}

describe("S3: a backup with a copy to another bucket, taken while people write, restored into an empty bucket", () => {
  const acked: Acked[] = [];
  let began: number;
  let snapshot: string;

  test("npm run backup -- --copy-to-bucket lists and copies every object while three writers write", async () => {
    acked.push(await writePage(w.c.alice, "Charte"));
    const pageId = (await w.store.db.selectFrom("page").select("id").where("title", "=", "Charte").executeTakeFirstOrThrow()).id;
    for (let i = 0; i < 6; i++) acked.push(await writeFile(i % 2 ? "alice" : "bob", 512 * 1024 + i, `piece-${i}.bin`));
    for (let i = 0; i < 3; i++) acked.push(await writePage(w.c.bob, `Séance ${i}`), await writeComment(w.c.alice, pageId, `Avis ${i}`));

    let stop = false;
    const loop = async (write: (i: number) => Promise<Acked>) => {
      for (let i = 0; !stop; i++) acked.push(await write(i));
    };
    const writers = [
      loop((i) => writePage(w.c.alice, `Brouillon ${i}`)),
      loop((i) => writeComment(w.c.bob, pageId, `Réponse ${i}`)),
      loop((i) => writeFile("bob", 128 * 1024 + i, `pendant-${i}.bin`)),
    ];
    await new Promise((r) => setTimeout(r, 300));
    began = Date.now();
    const res = await run("backup", ["--to", path.join(tmp, "snapshots"), "--copy-to-bucket", COPY_BUCKET, "--copy-to-prefix", "nuit/lundi"], {
      DATA_DIR: w.server.dataDir,
      ...s3Env(s3.bucket),
    });
    const ended = Date.now();
    stop = true;
    await Promise.all(writers);

    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain(`copied to s3://${COPY_BUCKET}/nuit/lundi/`);
    expect(acked.some((a) => a.at > began && a.at < ended && a.kind === "file")).toBe(true);
    snapshot = /^Backup written and verified: (.+)$/m.exec(res.out)![1];

    const manifest = JSON.parse(await readFile(path.join(snapshot, "manifest.json"), "utf8"));
    expect(manifest.storage).toEqual({ driver: "s3", copy: { kind: "bucket", bucket: COPY_BUCKET, prefix: "nuit/lundi" } });
    // Every object listed with its size and SHA-256, and copied under the prefix.
    const objects = (await readFile(path.join(snapshot, "objects.jsonl"), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const copied = await keysIn(COPY_BUCKET, "nuit/lundi/");
    expect(copied).toEqual(objects.map((o: { key: string }) => `nuit/lundi/${o.key}`).sort());
    for (const a of acked.filter((x) => x.kind === "file" && x.at < began)) {
      expect(objects.some((o: { kind: string; sha256: string }) => o.kind === "file_version" && o.sha256 === a.sha256), `file ${a.ref}`).toBe(true);
    }
  }, 60_000);

  test("restore into a bucket that is not empty is refused; into an empty one it passes storage:check --verify-hashes and holds every earlier write", async () => {
    const dataDir = path.join(tmp, "restored");
    const [refused, res] = await Promise.all([
      run("restore", ["--from", snapshot], { DATA_DIR: path.join(tmp, "refused"), ...s3Env(s3.bucket) }),
      run("restore", ["--from", snapshot], { DATA_DIR: dataDir, ...s3Env(RESTORE_BUCKET) }),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("The configured S3 bucket is not empty");
    expect(res.code, res.err + res.out).toBe(0);
    const check = await run("storage-check", ["--verify-hashes"], { DATA_DIR: dataDir, ...s3Env(RESTORE_BUCKET) });
    expect(check.code, check.out + check.err).toBe(0);
    expect(check.out).toContain("Result: OK");
    const before = await expectAllBefore(dataDir, acked, began);
    expect(before.filter((a) => a.kind === "file").length).toBeGreaterThanOrEqual(6);
  }, 60_000);
});

describe("S3: a manifest-only backup", () => {
  test("lists the objects with their hashes and restores against the live bucket while it holds them; once one is purged there, it is refused", async () => {
    const acked = [await writeFile("alice", 300 * 1024, "seul.bin")];
    const began = Date.now();
    const res = await run("backup", ["--to", path.join(tmp, "manifest-only")], { DATA_DIR: w.server.dataDir, ...s3Env(s3.bucket) });
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain(`they stay only in bucket "${s3.bucket}"`);
    const snapshot = /^Backup written and verified: (.+)$/m.exec(res.out)![1];
    const objects = (await readFile(path.join(snapshot, "objects.jsonl"), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(objects.find((o: { sha256: string }) => o.sha256 === acked[0].sha256)).toMatchObject({ kind: "file_version", size: 300 * 1024 });

    const dataDir = path.join(tmp, "restored-manifest-only");
    const restored = await run("restore", ["--from", snapshot], { DATA_DIR: dataDir, ...s3Env(s3.bucket) });
    expect(restored.code, restored.err + restored.out).toBe(0);
    expect(restored.out).toContain(`they stay in bucket "${s3.bucket}"`);
    await expectAllBefore(dataDir, acked, began);

    // Such a snapshot depends on the live bucket: once an object it names is purged there, it is
    // refused whole (exit 1, naming the object) rather than restored pointing at nothing.
    const key = (await w.store.db.selectFrom("file_version").select("storage_key").where("file_id", "=", acked[0].ref).executeTakeFirstOrThrow()).storage_key;
    const admin = await w.as(w.people.admin);
    expect((await admin.post(`/spaces/${w.spaces.space.slug}/files`, { intent: "trash-file", id: acked[0].ref })).status).toBe(302);
    expect((await admin.post(`/spaces/${w.spaces.space.slug}/files/trash`, { intent: "purge", kind: "file", id: acked[0].ref })).status).toBe(302);
    expect(await keysIn(s3.bucket, key)).toEqual([]);
    const gone = path.join(tmp, "restored-after-purge");
    const refused = await run("restore", ["--from", snapshot], { DATA_DIR: gone, ...s3Env(s3.bucket) });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${key} (file_version) is missing`);
    expect(existsSync(path.join(gone, "cercle.db"))).toBe(false);
  }, 60_000);

  test("--copy-to-prefix alone, into the live bucket, is refused with the reason (exit 2)", async () => {
    const res = await run("backup", ["--to", path.join(tmp, "never"), "--copy-to-prefix", "sauvegardes"], { DATA_DIR: w.server.dataDir, ...s3Env(s3.bucket) });
    expect(res.code).toBe(2);
    expect(res.err.split("\n")[0]).toContain("--copy-to-prefix needs --copy-to-bucket");
  }, 30_000);
});

describe("S3: scheduled backups with BACKUP_COPY_BUCKET", () => {
  test("copy the objects under the snapshot's own name; keeping one deletes the older snapshot and its copy, nothing else", async () => {
    const first = (await runScheduledBackup())!;
    const firstName = path.basename(first.dir);
    expect(first.manifest.storage.copy).toEqual({ kind: "bucket", bucket: COPY_BUCKET, prefix: firstName });
    expect(first.manifest.objects.count).toBeGreaterThan(5);
    expect(await keysIn(COPY_BUCKET, `${firstName}/`)).toHaveLength(first.manifest.objects.count);

    const second = (await runScheduledBackup())!;
    const secondName = path.basename(second.dir);
    expect(secondName).not.toBe(firstName);
    expect((await readdir(backupDir)).sort()).toEqual([secondName]);
    expect(await keysIn(COPY_BUCKET, `${firstName}/`)).toEqual([]);
    expect(await keysIn(COPY_BUCKET, `${secondName}/`)).toHaveLength(second.manifest.objects.count);
    // The command-line backup's copy is no scheduled snapshot's: untouched.
    expect((await keysIn(COPY_BUCKET, "nuit/lundi/")).length).toBeGreaterThan(0);
  }, 60_000);
});
