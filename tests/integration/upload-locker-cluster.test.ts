import type { ChildProcess } from "node:child_process";
import { getEventListeners } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import { freshPostgres, onPostgres } from "#tests/helpers/postgres.ts";
import { binaryBytes, cookieHeader, sha256Hex, sleep, Tus } from "#tests/helpers/tus.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { freePort, spawnServer, waitFor } from "#tests/helpers/process.ts";

/**
 * tus's locker (app/files/upload-locker.server.ts) through the built server
 * with two worker processes sharing one database (the SQLite file, or in the
 * PostgreSQL run one PostgreSQL database, as several servers would): a
 * client's HEAD sent while its PATCH is still streaming waits for that PATCH,
 * whichever worker each lands on. (The locker on two connections, with short
 * timings: upload-locker.test.ts.)
 */

// ---------------------------------------------------------------------------
// The built server, two worker processes
// ---------------------------------------------------------------------------

describe("through the built server with two worker processes", () => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let output = "";
  let dataDir: string;
  let origin: string;
  let store: OpenedDatabase;
  let tus: Tus;
  let spaceSlug: string;
  let w: World<"admin" | "alice", "space">;
  // The PostgreSQL run: both workers share a fresh PostgreSQL database, as several servers would.
  let postgres: Awaited<ReturnType<typeof freshPostgres>> | null = null;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-locker-"));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    postgres = onPostgres() ? await freshPostgres() : null;
    const env = {
      NODE_ENV: "production",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      BASE_URL: origin,
      WEB_CONCURRENCY: "2",
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    };
    const server = spawnServer(env, (chunk) => (output += chunk));
    child = server.child;
    exited = server.exited.then(({ code }) => code);
    await waitFor(() => output.includes("listening") || child.exitCode !== null, "the cluster to listen", 20_000, () => output);
    if (!output.includes("listening")) throw new Error(`the cluster did not start:\n${output}`);
    expect(output).toContain("2 worker processes");

    w = await world({
      attach: { url: origin, dbFile: postgres?.url ?? path.join(dataDir, "cercle.db") },
      people: { admin: { email: "admin@locker.test", displayName: "Admin Verrou" }, alice: { email: "alice@locker.test", displayName: "Alice Verrou" } },
      spaces: { space: { createdBy: "admin", slug: "verrou", visibility: "secret", members: { alice: "member" } } },
      signIn: ["alice"],
    });
    store = w.store;
    spaceSlug = w.spaces.space.slug;
    tus = w.tus.alice;
  }, 60_000);

  afterAll(async () => {
    await w?.close();
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      const code = await Promise.race([exited, sleep(12_000).then(() => "stuck" as const)]);
      if (code === "stuck") child.kill("SIGKILL");
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await postgres?.drop();
  });

  /** A PATCH whose body the test writes piece by piece, on a connection of its own. */
  function openPatch(location: string, offset: number, length: number) {
    const req = http.request(new URL(location, origin), {
      method: "PATCH",
      agent: false,
      headers: {
        ...cookieHeader(tus.who),
        "Tus-Resumable": "1.0.0",
        Origin: origin,
        "Sec-Fetch-Site": "same-origin",
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": String(offset),
        "Content-Length": String(length),
      },
    });
    let ended = false;
    const done = new Promise<void>((resolve) => {
      const end = () => {
        ended = true;
        resolve();
      };
      req.on("response", (res) => {
        res.resume();
        res.on("end", end);
        res.on("error", end);
      });
      req.on("error", end);
      req.on("close", end);
    });
    req.flushHeaders();
    return {
      done,
      get ended() {
        return ended;
      },
      // Resolves once written, or soon anyway: a write on a connection the server closed may never call back.
      write: (bytes: Buffer) => Promise.race([new Promise<void>((resolve) => req.write(bytes, () => resolve())), sleep(500)]),
      destroy: () => req.destroy(),
    };
  }

  const partSize = (uploadId: string) => stat(path.join(dataDir, "files", uploadId)).then((s) => s.size, () => -1);

  test("a HEAD sent while the PATCH is still streaming, landing on either worker, waits for that PATCH to let go and reports where it really stopped; resuming from there gives the exact file", async () => {
    const bytes = binaryBytes(400_000, "verrou");
    const { location, uploadId } = await tus.start(spaceSlug, bytes.length, { filename: "enregistrement.bin" });

    // The first PATCH announces everything, sends 50 000 bytes, then keeps trickling, as a slow link would.
    const first = openPatch(location, 0, bytes.length);
    let sent = 50_000;
    await first.write(bytes.subarray(0, sent));
    const arrived = Date.now() + 5_000;
    while ((await partSize(uploadId)) < sent && Date.now() < arrived) await sleep(10);
    expect(await partSize(uploadId)).toBe(sent);
    let trickling = true;
    const trickle = (async () => {
      while (trickling && !first.ended && sent < 300_000) {
        await first.write(bytes.subarray(sent, sent + 500));
        sent += 500;
        await sleep(40);
      }
    })();

    // The client retries: two HEADs on connections of their own. The primary hands new connections
    // to the workers in turn, so one lands on the worker streaming the PATCH and one on the other.
    const askedAt = Date.now();
    const heads = await Promise.all(
      [0, 1].map(async () => {
        const res = await tus.head(location);
        return { status: res.status, offset: Number(res.headers["upload-offset"]), waited: Date.now() - askedAt };
      }),
    );
    trickling = false;
    await trickle;
    first.destroy();
    await first.done;
    await sleep(200);
    const stored = await partSize(uploadId);

    expect(heads.map((h) => h.status)).toEqual([200, 200]);
    // Neither answered while the PATCH was still writing: tus cancels the holder lockDrainTimeout (3 s)
    // after being asked, and the HEADs got the lock only then. (With a per-process lock, the HEAD on the
    // other worker answered at once, with an offset the PATCH then went past.)
    for (const head of heads) expect(head.waited).toBeGreaterThan(2_500);
    expect(heads.map((h) => h.offset)).toEqual([stored, stored]);
    expect(stored).toBeGreaterThan(50_000);
    expect((await tus.head(location)).headers["upload-offset"]).toBe(String(stored));

    // The retry resumes from there and the file is exactly the bytes sent.
    const rest = await tus.patch(location, stored, bytes.subarray(stored));
    expect(rest.status, rest.text).toBe(204);
    const fileId = rest.headers["upload-file-id"] as string;
    expect(fileId).toBeTruthy();
    const version = await store.db.selectFrom("file_version").selectAll().where("file_id", "=", fileId).executeTakeFirstOrThrow();
    expect(version).toMatchObject({ size: bytes.length, sha256: sha256Hex(bytes) });
    // Every lock was let go.
    expect(await store.db.selectFrom("upload_lock").selectAll().execute()).toEqual([]);
  });
});
