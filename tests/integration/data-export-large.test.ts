import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, expect, test } from "vitest";
import { newId } from "#db/ids.ts";
import { migrateToLatest } from "#db/migrations/index.ts";
import { findForUser } from "#db/queries/data-exports.ts";
import { transact } from "#db/transact.ts";
import { createStorage } from "#storage/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import { requestExport } from "#app/exports/commands.server.ts";
import { buildNextExport } from "#app/exports/job.server.ts";
import { addMember, createNetwork, createSpace, createUser } from "#tests/factories.ts";
import { tempDatabase } from "#tests/helpers/db.ts";
import { readZip } from "#tests/helpers/data-export-zip.ts";

/**
 * A 1 GB upload goes into the export in bounded memory: made from a generated
 * stream (never a 1 GB buffer), copied into the zip as a stream, stored (not
 * deflated: video and archives are compressed already, and it keeps this
 * fast), and read back through its central directory and a hash.
 */

const GB = 1024 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const MB = 1024 * 1024;

let store: Awaited<ReturnType<typeof tempDatabase>>;
let root: string;
let storage: StorageDriver;

beforeAll(async () => {
  store = await tempDatabase();
  await migrateToLatest(store.db);
  root = await mkdtemp(path.join(os.tmpdir(), "cercle-export-large-"));
  storage = createStorage({ driver: "local", root });
  await createNetwork(store.db);
});

afterAll(async () => {
  await store?.remove();
  if (root) await rm(root, { recursive: true, force: true });
});

/** `size` bytes from one random megabyte, each copy stamped with its number: hashed as they are made. */
function generated(size: number, hash: ReturnType<typeof createHash>): Readable {
  const block = randomBytes(CHUNK);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const chunk = Buffer.from(block.subarray(0, Math.min(CHUNK, size - sent)));
      chunk.writeUInt32BE(sent / CHUNK, 0);
      sent += chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

test("a 1 GB file goes into the zip whole, in bounded memory", { timeout: 180_000 }, async () => {
  const user = await createUser(store.db, { displayName: "Hugo Vidéo" });
  const space = await createSpace(store.db, { createdBy: user.id, slug: "video-export", name: "Club Vidéo" });
  await addMember(store.db, { space, user: await createUser(store.db) });

  const hash = createHash("sha256");
  const key = `objects/${newId()}`;
  const stored = await storage.put(key, generated(GB, hash));
  expect(stored.size).toBe(GB);
  const sha256 = hash.digest("hex");
  const now = Date.now();
  const fileId = newId();
  await store.db
    .insertInto("file")
    .values({
      id: fileId,
      space_id: space.id,
      folder_id: null,
      name: "captation-assemblée.mp4",
      name_key: "captation-assemblée.mp4",
      version: 1,
      size: GB,
      content_type: "video/mp4",
      has_thumbnail: 0,
      created_by: user.id,
      created_at: now,
      updated_by: user.id,
      updated_at: now,
      deleted_at: null,
      deleted_by: null,
      trashed_with: null,
    })
    .execute();
  await store.db
    .insertInto("file_version")
    .values({ id: newId(), file_id: fileId, space_id: space.id, number: 1, storage_key: key, size: GB, content_type: "video/mp4", sha256, thumbnail_key: null, original_name: "captation-assemblée.mp4", uploaded_by: user.id, created_at: now })
    .execute();

  const asked = await transact(store.db, (trx) => requestExport(trx, { user, ip: "192.0.2.1", now: Date.now() }));
  globalThis.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const outcome = await buildNextExport({
    db: store.db,
    storage,
    letterhead: { network: { name: "Réseau", locale: "fr" }, baseUrl: new URL("https://cercle.example.test"), mailConfigured: false, mailFrom: "c@example.test", mailReplyTo: null },
    sendMails: () => {},
  });
  clearInterval(sampler);
  expect(outcome?.state).toBe("ready");
  // The export's progress was written as it went (its last write is the whole).
  const row = await findForUser(store.db, user.id, asked.export.id);
  expect(row!.done).toBe(row!.total);
  expect(row!.total).toBeGreaterThan(GB);
  expect(row!.size).toBeGreaterThan(GB);

  const rssGrowth = (peakRss - before.rss) / MB;
  const heapGrowth = (peakHeap - before.heapUsed) / MB;
  console.log(`1 GB export: RSS +${rssGrowth.toFixed(1)} MB, heap +${heapGrowth.toFixed(1)} MB at the peak`);
  expect(rssGrowth).toBeLessThan(150);
  expect(heapGrowth).toBeLessThan(150);

  // Read back from disk: the central directory names it at its size, stored, and its bytes hash the same.
  const zip = await readZip(path.join(root, row!.storage_key!), (name) => (name.endsWith(".mp4") ? "hash" : "skip"));
  const entry = zip.entries.find((e) => e.name === "files/Club Vidéo/captation-assemblée.mp4");
  expect(entry).toMatchObject({ size: GB, compressedSize: GB, method: 0 });
  expect(zip.hashes.get(entry!.name)).toEqual({ sha256, size: GB });
});
