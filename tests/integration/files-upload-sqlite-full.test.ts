import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import { addMember, createNetwork, createSpace, createUser, signIn } from "#tests/factories.ts";
import { openTestDb } from "#tests/helpers/db.ts";
import { client } from "#tests/helpers/http.ts";
import { startServer, type TestServer } from "#tests/helpers/server.ts";
import { binaryBytes, cookieHeader, Tus, type RawResponse } from "#tests/helpers/tus.ts";

/**
 * An upload's bytes fit, but the database's write does not: DATA_DIR (the
 * database and the files) on a 24 MB tmpfs, filled to the last byte while an
 * upload is under way. The last bytes of an upload land in the page its file
 * already holds, so the disk takes them; then the file row (the finish) or
 * the upload's lock row cannot be written: SQLITE_FULL, which must answer 507
 * as tus's other disk-full refusals do, never 500. Needs root to mount, as
 * CI has.
 */

let mountPoint: string;
let server: TestServer;
let store: OpenedDatabase;
let space: Space;
let tus: Tus;
let cookies: Record<string, string>;
const fillers: string[] = [];

/** Writes zeros into a new file until the file system has not one byte left. */
function fillDisk() {
  const file = path.join(mountPoint, `filler-${fillers.length}.bin`);
  fillers.push(file);
  for (const size of [64 * 1024, 512, 1]) {
    const fd = openSync(file, "a");
    try {
      for (;;) writeSync(fd, Buffer.alloc(size));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
    } finally {
      closeSync(fd);
    }
  }
}

/** The WAL back to nothing, so the server's next write must grow it on the full disk. */
async function truncateWal() {
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
}

beforeAll(async () => {
  mountPoint = mkdtempSync(path.join(os.tmpdir(), "cercle-sqlite-full-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint]);
  // No margin: the creations below are tiny and must not be refused ahead.
  server = await startServer({ env: { DATA_DIR: mountPoint, STORAGE_FREE_MARGIN_MB: "0" } });
  store = openTestDb(path.join(mountPoint, "cercle.db"));
  await createNetwork(store.db);
  const admin = await createUser(store.db, { email: "admin@sqlite-full.test" });
  const alice = await createUser(store.db, { email: "alice@sqlite-full.test" });
  space = await createSpace(store.db, { createdBy: admin.id, slug: "atelier-plein" });
  await addMember(store.db, { space, user: alice, role: "member" });
  const browser = client(server.url);
  await signIn(browser, alice.email, alice.password);
  tus = new Tus(server.url, browser);
  cookies = cookieHeader(browser);
}, 60_000);

afterAll(async () => {
  for (const file of fillers) rmSync(file, { force: true });
  await store?.close();
  await server?.close();
  if (mountPoint) {
    execFileSync("umount", [mountPoint]);
    rmdirSync(mountPoint);
  }
});

// 12,388 bytes: the first PATCH leaves the file inside its fourth 4 KiB page, and the last 10 bytes go into that same page.
const SIZE = 3 * 4096 + 100;
const LAST = 10;

/** A PATCH whose last bytes are held back until `beforeLast` has run (the server reading its body meanwhile). */
function patchInTwo(location: string, offset: number, bytes: Buffer, beforeLast: () => Promise<void>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(tus.url(location), {
      method: "PATCH",
      agent: false,
      headers: {
        ...cookies,
        "Tus-Resumable": "1.0.0",
        Origin: new URL(server.url).origin,
        "Sec-Fetch-Site": "same-origin",
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(offset),
        "Content-Length": String(bytes.length),
      },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), text, json: () => JSON.parse(text) });
      });
    });
    req.write(bytes.subarray(0, bytes.length - 1));
    void beforeLast().then(
      () => req.end(bytes.subarray(bytes.length - 1)),
      (error: unknown) => {
        req.destroy();
        reject(error);
      },
    );
  });
}

async function lockHeld(uploadId: string) {
  return Boolean(await store.db.selectFrom("upload_lock").select("upload_id").where("upload_id", "=", uploadId).executeTakeFirst());
}

test("the PATCH carrying the last bytes, when the file row cannot be written (SQLITE_FULL) → 507 disk_full, no file, the bytes kept", async () => {
  const bytes = binaryBytes(SIZE, "finish-full");
  const { location, uploadId } = await tus.start(space.slug, SIZE, { filename: "fin.bin" });
  expect((await tus.patch(location, 0, bytes.subarray(0, SIZE - LAST))).status).toBe(204);

  // The last PATCH is under way (tus holds the upload's lock and reads its body) when the disk fills.
  const res = await patchInTwo(location, SIZE - LAST, bytes.subarray(SIZE - LAST), async () => {
    const until = Date.now() + 10_000;
    while (!(await lockHeld(uploadId))) {
      if (Date.now() > until) throw new Error("the PATCH never took the upload's lock");
      await new Promise((r) => setTimeout(r, 20));
    }
    await truncateWal();
    fillDisk();
  });
  expect(res.status, res.text).toBe(507);
  expect(res.json()).toEqual({ error: "disk_full" });
  expect(await store.db.selectFrom("file").select("id").where("space_id", "=", space.id).execute()).toEqual([]);
  const upload = await store.db.selectFrom("upload").select(["finished_file_id"]).where("id", "=", uploadId).executeTakeFirst();
  expect(upload).toEqual({ finished_file_id: null });
});

test("a HEAD whose lock row cannot be written (SQLITE_FULL, the reserve already spent) → 507 disk_full, not 500", async () => {
  // Room again: /healthz makes the disk reserve anew, and uploads are taken again.
  for (const file of fillers.splice(0)) rmSync(file);
  expect((await client(server.url).get("/healthz")).status).toBe(200);
  const { location } = await tus.start(space.slug, SIZE, { filename: "verrou.bin" });
  expect((await tus.patch(location, 0, binaryBytes(100, "lock-full"))).status).toBe(204);
  // Full: the first write that meets it spends the reserve (and goes through on the room it gives back)…
  await truncateWal();
  fillDisk();
  expect((await tus.head(location)).status).toBe(200);
  // …and once that room is taken too, the lock cannot be written at all.
  await truncateWal();
  fillDisk();
  const res = await tus.head(location);
  expect(res.status, res.text).toBe(507);
});
