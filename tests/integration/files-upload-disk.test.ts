import { execFileSync } from "node:child_process";
import { readdir, statfs, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { binaryBytes, Tus } from "#tests/helpers/tus.ts";

/**
 * Uploads on a disk that cannot hold them: the local driver's folder
 * (DATA_DIR/files) is a 20 MiB tmpfs mounted for this file (we run as root;
 * the database stays on the real disk). A creation the free space cannot hold
 * is refused with 507 and a message, before a byte is taken; a PATCH that
 * fills the disk answers 507, not 500.
 */

const MiB = 1024 * 1024;
const MARGIN_MB = 2;

let server: TestServer;
let store: OpenedDatabase;
let filesRoot: string;
let mounted = false;
let space: Space;
let tus: Tus;

let w: World<"admin" | "alice", "space">;

beforeAll(async () => {
  w = await world({
    env: { MAX_FILE_MB: "64", STORAGE_FREE_MARGIN_MB: String(MARGIN_MB) },
    people: { admin: { email: "admin@disk.test" }, alice: { email: "alice@disk.test" } },
    spaces: { space: { createdBy: "admin", slug: "atelier-disk", storageQuotaBytes: 10 * 1024 * MiB, members: { alice: "member" } } },
    signIn: ["alice"],
  });
  ({ server, store } = w);
  ({ space } = w.spaces);
  tus = w.tus.alice;
  filesRoot = path.join(server.dataDir, "files");
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=20m", "tmpfs", filesRoot]);
  mounted = true;
});
afterAll(async () => {
  if (mounted) execFileSync("umount", [filesRoot]);
  await w?.close();
});

const uploadCount = async () => Number((await store.db.selectFrom("upload").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

test("a creation larger than the free space (less a margin) → 507 disk_full, nothing reserved nor written", async () => {
  const before = await uploadCount();
  const res = await tus.create(space.slug, { length: 30 * MiB, metadata: { filename: "trop-gros.iso" } });
  expect(res.status).toBe(507);
  expect(res.json()).toEqual({ error: "disk_full" });
  expect(res.headers.location).toBeUndefined();
  expect(await uploadCount()).toBe(before);
  expect(await readdir(filesRoot)).toEqual([]);
});

test("uploads under way count: a second upload that would not fit beside the first's missing bytes → 507", async () => {
  const first = await tus.start(space.slug, 10 * MiB, { filename: "premier.bin" });
  const second = await tus.create(space.slug, { length: 10 * MiB, metadata: { filename: "second.bin" } });
  expect(second.status).toBe(507);
  expect(second.json()).toEqual({ error: "disk_full" });
  expect((await tus.delete(first.location)).status).toBe(204);
  const fits = await tus.create(space.slug, { length: 10 * MiB, metadata: { filename: "second.bin" } });
  expect(fits.status, fits.text).toBe(201);
  expect((await tus.delete(fits.headers.location as string)).status).toBe(204);
});

test("a PATCH that meets a full disk → 507 disk_full, not 500; what was stored is still reported by HEAD", async () => {
  const { location } = await tus.start(space.slug, 8 * MiB, { filename: "coupe.bin" });
  // Something else fills the disk meanwhile: about 1 MiB stays free.
  const { bavail, bsize } = await statfs(filesRoot);
  const filler = path.join(filesRoot, ".remplissage");
  await writeFile(filler, Buffer.alloc(Number(bavail) * Number(bsize) - MiB));
  try {
    const res = await tus.patch(location, 0, binaryBytes(8 * MiB, "disk-full"));
    expect(res.status, res.text).toBe(507);
    expect(res.json()).toEqual({ error: "disk_full" });
    const head = await tus.head(location);
    expect(head.status).toBe(200);
    expect(Number(head.headers["upload-offset"])).toBeLessThan(8 * MiB);
  } finally {
    execFileSync("rm", ["-f", filler]);
  }
  expect((await tus.delete(location)).status).toBe(204);
});
