import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { freePort } from "#tests/helpers/process.ts";
import { openDatabase } from "#db/client.ts";
import { addMember, createNetwork, createSpace, createUser, signIn } from "#tests/factories.ts";
import { client } from "#tests/helpers/http.ts";
import { binaryBytes, sha256Hex, Tus } from "#tests/helpers/tus.ts";

/**
 * Two server processes (the real build/server.js, one process each) on one
 * DATA_DIR, as two machines behind a load balancer sharing a disk would be,
 * or a worker and a restarted primary: uploads whose every byte is stored but
 * that have no file yet (the process that took their last bytes died before
 * writing the file row — here the last bytes are appended to the upload's
 * file directly, the state files-upload-crash.test.ts reaches with a kill)
 * are asked about by both at once. Each HEAD finishes a complete upload
 * (app/files/upload-finish.server.ts); the claim in the write transaction
 * must let exactly one of them make the file, and every answer name it.
 */

const root = path.resolve(import.meta.dirname, "../..");
const serverJs = path.join(root, "build", "server.js");
const cleanup: Array<() => void> = [];
afterAll(() => {
  while (cleanup.length) cleanup.pop()!();
});


async function startProcess(dataDir: string): Promise<{ origin: string; child: ChildProcess; output: () => string }> {
  if (!existsSync(serverJs)) throw new Error("build/server.js is missing: run npm run build first");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let out = "";
  const child = spawn(process.execPath, [serverJs], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", WEB_CONCURRENCY: "1", DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  cleanup.push(() => child.kill("SIGKILL"));
  const until = Date.now() + 30_000;
  while (!out.includes("listening")) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { origin, child, output: () => out };
}

// Large enough that finishing one (reading and hashing its bytes) outlasts the
// moment both processes take to reach it: they do overlap (with the claim
// removed, this test makes a second file of the same upload).
const UPLOADS = 6;
const SIZE = 6 * 1024 * 1024;
const HELD_BACK = 1_000;

test("two processes finishing the same complete uploads at once make exactly one file each, and both name it", { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-race-"));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // The first migrates; the second starts on a database already up to date.
  const a = await startProcess(dataDir);
  const store = openDatabase(path.join(dataDir, "cercle.db"));
  cleanup.push(() => void store.close());
  await createNetwork(store.db);
  const admin = await createUser(store.db, { email: "admin@race.test" });
  const alice = await createUser(store.db, { email: "alice@race.test", displayName: "Alice Course" });
  const space = await createSpace(store.db, { createdBy: admin.id, slug: "atelier-course" });
  await addMember(store.db, { space, user: alice, role: "member" });
  const b = await startProcess(dataDir);

  // One session, good on both: they share the database.
  const browser = client(a.origin);
  await signIn(browser, alice.email, alice.password);
  const viaA = new Tus(a.origin, browser);
  const viaB = new Tus(b.origin, browser);

  const uploads = [];
  for (let i = 0; i < UPLOADS; i++) {
    const bytes = binaryBytes(SIZE, `race-${i}`);
    const { location, uploadId } = await viaA.start(space.slug, SIZE, { filename: `rapport-${i}.bin` });
    expect((await viaA.patch(location, 0, bytes.subarray(0, SIZE - HELD_BACK))).status).toBe(204);
    uploads.push({ location, uploadId, bytes });
  }
  // Every byte stored, no file yet.
  for (const u of uploads) appendFileSync(path.join(dataDir, "files", u.uploadId), u.bytes.subarray(SIZE - HELD_BACK));
  expect(await store.db.selectFrom("file").select("id").execute()).toEqual([]);

  // Both processes asked at once, twice each, for every upload.
  const answers = await Promise.all(uploads.flatMap((u) => [viaA, viaB, viaA, viaB].map((tus) => tus.head(u.location))));

  const files = await store.db.selectFrom("file").select(["id", "name", "size"]).where("space_id", "=", space.id).orderBy("name").execute();
  expect(files.map((f) => f.name)).toEqual(uploads.map((_, i) => `rapport-${i}.bin`));
  const versions = await store.db.selectFrom("file_version").select(["file_id", "sha256", "size"]).execute();
  expect(versions).toHaveLength(UPLOADS);
  const added = await store.db.selectFrom("activity").select("id").where("verb", "=", "file_added").execute();
  expect(added).toHaveLength(UPLOADS);

  for (const [i, u] of uploads.entries()) {
    const row = await store.db.selectFrom("upload").select("finished_file_id").where("id", "=", u.uploadId).executeTakeFirstOrThrow();
    const file = files.find((f) => f.id === row.finished_file_id);
    expect(file?.name).toBe(`rapport-${i}.bin`);
    expect(versions.find((v) => v.file_id === file!.id)).toEqual({ file_id: file!.id, sha256: sha256Hex(u.bytes), size: SIZE });
    // All four answers: complete, and the same file.
    const mine = answers.slice(i * 4, i * 4 + 4);
    expect(mine.map((r) => [r.status, r.headers["upload-offset"], r.headers["upload-file-id"]])).toEqual(Array(4).fill([200, String(SIZE), file!.id]));
  }
  expect(a.output()).not.toMatch(/Error/);
  expect(b.output()).not.toMatch(/Error/);
});
