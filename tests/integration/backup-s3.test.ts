import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runScheduledBackup } from "#app/backup/job.server.ts";
import { closeDb } from "#app/utils/db.server.ts";
import { expectWritesBefore, runCommand, whileWriting, writersOf, type Acked } from "#tests/helpers/backup-load.ts";
import { rawClient, startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";
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
  write = writersOf(w);
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

let write: ReturnType<typeof writersOf>;

async function keysIn(Bucket: string, Prefix?: string): Promise<string[]> {
  const listed = await raw.send(new ListObjectsV2Command({ Bucket, Prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

describe("S3: a backup with a copy to another bucket, taken while people write, restored into an empty bucket", () => {
  const acked: Acked[] = [];
  let began: number;
  let snapshot: string;

  test("npm run backup -- --copy-to-bucket lists and copies every object while three writers write", async () => {
    acked.push(await write.page(w.c.alice, "Charte"));
    const pageId = (await w.store.db.selectFrom("page").select("id").where("title", "=", "Charte").executeTakeFirstOrThrow()).id;
    for (let i = 0; i < 6; i++) acked.push(await write.file(i % 2 ? "alice" : "bob", 512 * 1024 + i, `piece-${i}.bin`));
    for (let i = 0; i < 3; i++) acked.push(await write.page(w.c.bob, `Séance ${i}`), await write.comment(w.c.alice, pageId, `Avis ${i}`));

    const { result: res, ended, ...moment } = await whileWriting(
      acked,
      [(i) => write.page(w.c.alice, `Brouillon ${i}`), (i) => write.comment(w.c.bob, pageId, `Réponse ${i}`), (i) => write.file("bob", 128 * 1024 + i, `pendant-${i}.bin`)],
      () =>
        runCommand("backup", ["--to", path.join(tmp, "snapshots"), "--copy-to-bucket", COPY_BUCKET, "--copy-to-prefix", "nuit/lundi"], {
          DATA_DIR: w.server.dataDir,
          ...s3Env(s3.bucket),
        }),
    );
    began = moment.began;

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
      runCommand("restore", ["--from", snapshot], { DATA_DIR: path.join(tmp, "refused"), ...s3Env(s3.bucket) }),
      runCommand("restore", ["--from", snapshot], { DATA_DIR: dataDir, ...s3Env(RESTORE_BUCKET) }),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("The configured S3 bucket is not empty");
    expect(res.code, res.err + res.out).toBe(0);
    const check = await runCommand("storage-check", ["--verify-hashes"], { DATA_DIR: dataDir, ...s3Env(RESTORE_BUCKET) });
    expect(check.code, check.out + check.err).toBe(0);
    expect(check.out).toContain("Result: OK");
    const before = await expectWritesBefore(dataDir, acked, began);
    expect(before.filter((a) => a.kind === "file").length).toBeGreaterThanOrEqual(6);
  }, 60_000);
});

describe("S3: a manifest-only backup", () => {
  test("lists the objects with their hashes and restores against the live bucket while it holds them; once one is purged there, it is refused", async () => {
    const acked = [await write.file("alice", 300 * 1024, "seul.bin")];
    const began = Date.now();
    const res = await runCommand("backup", ["--to", path.join(tmp, "manifest-only")], { DATA_DIR: w.server.dataDir, ...s3Env(s3.bucket) });
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain(`they stay only in bucket "${s3.bucket}"`);
    const snapshot = /^Backup written and verified: (.+)$/m.exec(res.out)![1];
    const objects = (await readFile(path.join(snapshot, "objects.jsonl"), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    expect(objects.find((o: { sha256: string }) => o.sha256 === acked[0].sha256)).toMatchObject({ kind: "file_version", size: 300 * 1024 });

    const dataDir = path.join(tmp, "restored-manifest-only");
    const restored = await runCommand("restore", ["--from", snapshot], { DATA_DIR: dataDir, ...s3Env(s3.bucket) });
    expect(restored.code, restored.err + restored.out).toBe(0);
    expect(restored.out).toContain(`they stay in bucket "${s3.bucket}"`);
    await expectWritesBefore(dataDir, acked, began);

    // Such a snapshot depends on the live bucket: once an object it names is purged there, it is
    // refused whole (exit 1, naming the object) rather than restored pointing at nothing.
    const key = (await w.store.db.selectFrom("file_version").select("storage_key").where("file_id", "=", acked[0].ref).executeTakeFirstOrThrow()).storage_key;
    const admin = await w.as(w.people.admin);
    expect((await admin.post(`/spaces/${w.spaces.space.slug}/files`, { intent: "trash-file", id: acked[0].ref })).status).toBe(302);
    expect((await admin.post(`/spaces/${w.spaces.space.slug}/files/trash`, { intent: "purge", kind: "file", id: acked[0].ref })).status).toBe(302);
    expect(await keysIn(s3.bucket, key)).toEqual([]);
    const gone = path.join(tmp, "restored-after-purge");
    const refused = await runCommand("restore", ["--from", snapshot], { DATA_DIR: gone, ...s3Env(s3.bucket) });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${key} (file_version) is missing`);
    expect(existsSync(path.join(gone, "cercle.db"))).toBe(false);
  }, 60_000);

  test("--copy-to-prefix alone, into the live bucket, is refused with the reason (exit 2)", async () => {
    const res = await runCommand("backup", ["--to", path.join(tmp, "never"), "--copy-to-prefix", "sauvegardes"], { DATA_DIR: w.server.dataDir, ...s3Env(s3.bucket) });
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
