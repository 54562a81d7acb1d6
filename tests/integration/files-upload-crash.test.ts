import { mkdtempSync, rmSync } from "node:fs";
import { stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { freePort, spawnServer, waitFor, type ServerProcess } from "#tests/helpers/process.ts";
import { binaryBytes, fetchBytes, sha256Hex } from "#tests/helpers/tus.ts";
import { world } from "#tests/helpers/world.ts";

/**
 * A server killed (SIGKILL, no shutdown) between an upload's last byte landing
 * on disk and its file row: the real built server (build/server.js) in a child
 * process, one process (WEB_CONCURRENCY=1). CERCLE_TEST_CRASH_BEFORE_FILE_ROW=1
 * makes it kill itself at exactly that point; the restarted server must turn
 * the complete upload into its file, and HEAD must say so.
 */

const cleanup: Array<() => void> = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});

function start(env: Record<string, string>): ServerProcess {
  const server = spawnServer({ NODE_ENV: "production", WEB_CONCURRENCY: "1", ...env });
  cleanup.push(() => server.child.kill("SIGKILL"));
  return server;
}

test("killed between the last byte and the file row: at restart the upload becomes its file, with its bytes, and HEAD says complete", { timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cercle-crash-"));
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", BASE_URL: origin };

  const first = start({ ...env, CERCLE_TEST_CRASH_BEFORE_FILE_ROW: "1" });
  await waitFor(() => first.output().includes("listening"), "the server to listen");

  const w = await world({
    attach: { url: origin, dbFile: path.join(dataDir, "cercle.db") },
    people: { admin: { email: "admin@crash.test" }, alice: { email: "alice@crash.test", displayName: "Alice Crash" } },
    spaces: { space: { createdBy: "admin", slug: "atelier-crash", members: { alice: "member" } } },
    signIn: ["alice"],
  });
  cleanup.push(() => void w.close());
  const { store: db, spaces: { space }, people: { alice }, c: { alice: browser }, tus: { alice: tus } } = w;

  const bytes = binaryBytes(300_000, "crash");
  const { location, uploadId } = await tus.start(space.slug, bytes.length, { filename: "rapport.bin" });
  expect((await tus.patch(location, 0, bytes.subarray(0, 100_000))).status).toBe(204);
  // The last PATCH never gets its answer: the process dies once the bytes are on disk.
  await expect(tus.patch(location, 100_000, bytes.subarray(100_000))).rejects.toThrow();
  expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
  expect((await stat(path.join(dataDir, "files", uploadId))).size).toBe(bytes.length);
  expect(await db.db.selectFrom("file").selectAll().execute()).toEqual([]);

  const second = start(env);
  await waitFor(() => second.output().includes("listening"), "the restarted server to listen");

  const files = await db.db.selectFrom("file").selectAll().where("space_id", "=", space.id).execute();
  expect(files).toHaveLength(1);
  expect(files[0]).toMatchObject({ name: "rapport.bin", size: bytes.length, created_by: alice.id });
  const versions = await db.db.selectFrom("file_version").selectAll().where("file_id", "=", files[0].id).execute();
  expect(versions).toMatchObject([{ size: bytes.length, sha256: sha256Hex(bytes) }]);

  // The browser's tus client, retrying, asks how far it got: all the way, and which file it made.
  const head = await tus.head(location);
  expect(head.status).toBe(200);
  expect(head.headers["upload-offset"]).toBe(String(bytes.length));
  expect(head.headers["upload-length"]).toBe(String(bytes.length));
  expect(head.headers["upload-file-id"]).toBe(files[0].id);

  const got = await fetchBytes(origin, browser, `/spaces/${space.slug}/files/${files[0].id}/download`);
  expect(got.status).toBe(200);
  expect(sha256Hex(got.body)).toBe(sha256Hex(bytes));
  // Its room in the quota is the file's now, not the upload's as well.
  const upload = await db.db.selectFrom("upload").selectAll().where("id", "=", uploadId).executeTakeFirst();
  expect(upload?.finished_file_id ?? null).toBe(files[0].id);
});
