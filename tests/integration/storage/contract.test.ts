import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { Upload } from "@tus/utils";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { newId } from "#db/ids.ts";
import { createStorage } from "#storage/index.ts";
import { ObjectNotFoundError, type StorageDriver } from "#storage/types.ts";
import { rawClient, s3Config, startS3rver } from "#tests/helpers/s3rver.ts";

/** One driver under test, with ways to look behind its interface. */
interface Harness {
  driver: StorageDriver;
  /**
   * A driver of the same kind on which any I/O fails (a root under
   * /dev/null, an endpoint on a closed port): a call that fails there with a
   * key error provably refused before touching anything.
   */
  unreachable: StorageDriver;
  /**
   * Everything the backend holds, bookkeeping and temporary files included,
   * and multipart uploads still open (as `multipart:<id>`), sorted.
   */
  rawNames(): Promise<string[]>;
  close(): Promise<void>;
}

interface DriverCase {
  name: "local" | "s3";
  setup(): Promise<Harness>;
}

const localCase: DriverCase = {
  name: "local",
  async setup() {
    const root = await mkdtemp(path.join(os.tmpdir(), "cercle-storage-"));
    return {
      driver: createStorage({ driver: "local", root }),
      unreachable: createStorage({ driver: "local", root: "/dev/null/cercle" }),
      async rawNames() {
        const entries = await readdir(root, { recursive: true, withFileTypes: true });
        return entries
          .filter((e) => !e.isDirectory())
          .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
          .sort();
      },
      async close() {
        await rm(root, { recursive: true, force: true });
      },
    };
  },
};

const s3Case: DriverCase = {
  name: "s3",
  async setup() {
    const server = await startS3rver();
    const config = { driver: "s3" as const, ...s3Config(server) };
    const raw = rawClient(server);
    const closedPort = await freePort();
    return {
      driver: createStorage(config),
      unreachable: createStorage({ ...config, endpoint: `http://127.0.0.1:${closedPort}` }),
      async rawNames() {
        const page = await raw.send(new ListObjectsV2Command({ Bucket: server.bucket }));
        const keys = (page.Contents ?? []).map((item) => item.Key ?? "");
        const open = (await server.pendingMultipartUploads()).map((id) => `multipart:${id}`);
        return [...keys, ...open].sort();
      },
      async close() {
        raw.destroy();
        await server.close();
      },
    };
  },
};

const driverCases: DriverCase[] = [localCase, s3Case];

/** A port nothing listens on: bound by us a moment ago, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * A byte pattern that depends on every bit of the position, so a part
 * stored twice, dropped or out of order changes the bytes, yet any slice can
 * be regenerated to check a range without keeping the whole.
 */
function pattern(offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    const p = offset + i;
    out[i] = (Math.imul(p, 2654435761) >>> 24) ^ (p >>> 20);
  }
  return out;
}

const CHUNK = 256 * 1024;

function patternStream(size: number): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < size; offset += CHUNK) yield pattern(offset, Math.min(CHUNK, size - offset));
    })(),
    { objectMode: false },
  );
}

function patternDigest(size: number): string {
  const hash = createHash("sha256");
  for (let offset = 0; offset < size; offset += CHUNK) hash.update(pattern(offset, Math.min(CHUNK, size - offset)));
  return hash.digest("hex");
}

async function digestOf(body: Readable): Promise<{ digest: string; length: number }> {
  const hash = createHash("sha256");
  let length = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    length += chunk.length;
  }
  return { digest: hash.digest("hex"), length };
}

/** Gives `bytes`, then fails as a dropped connection would. */
function failingStream(bytes: number, message = "connection lost midway"): Readable {
  return Readable.from(
    (function* () {
      yield* patternChunks(bytes);
      throw new Error(message);
    })(),
    { objectMode: false },
  );
}

function* patternChunks(size: number): Generator<Buffer> {
  for (let offset = 0; offset < size; offset += CHUNK) yield pattern(offset, Math.min(CHUNK, size - offset));
}

const MiB = 1024 * 1024;
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

const HOSTILE_KEYS = [
  "../../etc/passwd",
  "/abs",
  "a//b",
  "a/../b",
  "a/./b",
  "a/",
  "A",
  "a b",
  "a\\b",
  "a\0b",
  "a\nb",
  "x".repeat(300),
  ".hidden",
  "-dash-first",
  "",
];

/** Three chunks at increasing offsets, as three PATCH requests would send them. */
async function uploadInChunks(driver: StorageDriver, id: string, chunks: Buffer[]): Promise<number[]> {
  const store = driver.uploadStore();
  const size = chunks.reduce((sum, c) => sum + c.length, 0);
  await store.create(new Upload({ id, size, offset: 0 }));
  const offsets: number[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    offset = await store.write(Readable.from([chunk], { objectMode: false }), id, offset);
    offsets.push((await store.getUpload(id)).offset);
  }
  return offsets;
}

describe.each(driverCases)("the $name driver", ({ setup }) => {
  let h: Harness;
  let driver: StorageDriver;
  beforeEach(async () => {
    h = await setup();
    driver = h.driver;
  });
  afterEach(async () => {
    await h.close();
  });

  test("gives back every byte value exactly, from bytes and from a stream", async () => {
    expect(await driver.put("bin/all-bytes", ALL_BYTES)).toEqual({ key: "bin/all-bytes", size: 256 });
    expect(await driver.put("bin/streamed", Readable.from([Buffer.from(ALL_BYTES)]))).toEqual({
      key: "bin/streamed",
      size: 256,
    });
    for (const key of ["bin/all-bytes", "bin/streamed"]) {
      const { body, size } = await driver.get(key);
      expect(size).toBe(256);
      expect(await readAll(body)).toEqual(Buffer.from(ALL_BYTES));
      expect(await driver.head(key)).toEqual({ key, size: 256 });
    }
  });

  test("stores an empty object", async () => {
    await driver.put("empty/bytes", new Uint8Array(0));
    await driver.put("empty/stream", Readable.from([], { objectMode: false }));
    for (const key of ["empty/bytes", "empty/stream"]) {
      expect(await driver.head(key)).toEqual({ key, size: 0 });
      const { body, size } = await driver.get(key);
      expect(size).toBe(0);
      expect((await readAll(body)).length).toBe(0);
    }
    expect(await collect(driver.list("empty/"))).toEqual([
      { key: "empty/bytes", size: 0 },
      { key: "empty/stream", size: 0 },
    ]);
  });

  test("streams 20 MiB (several S3 parts) through put and get intact", async () => {
    const size = 20 * MiB + 12345;
    expect(await driver.put("big/object", patternStream(size))).toEqual({ key: "big/object", size });
    expect(await driver.head("big/object")).toEqual({ key: "big/object", size });
    const { body, size: got } = await driver.get("big/object");
    expect(got).toBe(size);
    expect(await digestOf(body)).toEqual({ digest: patternDigest(size), length: size });
    // Across the first 8 MiB part boundary, where a misplaced part would show.
    const start = 8 * MiB - 100;
    const slice = await driver.get("big/object", { start, end: start + 199 });
    expect(slice.size).toBe(size);
    expect(await readAll(slice.body)).toEqual(pattern(start, 200));
  });

  test("reads ranges: first byte, a middle slice, the last byte, the whole, past the end", async () => {
    await driver.put("ranges/obj", ALL_BYTES);
    const cases: [number, number, number[]][] = [
      [0, 0, [0]],
      [100, 149, Array.from({ length: 50 }, (_, i) => 100 + i)],
      [255, 255, [255]],
      [0, 255, Array.from(ALL_BYTES)],
      // An end past the object is cut to its last byte, as in HTTP.
      [250, 9999, [250, 251, 252, 253, 254, 255]],
    ];
    for (const [start, end, expected] of cases) {
      const { body, size } = await driver.get("ranges/obj", { start, end });
      expect(size, `size for ${start}-${end}`).toBe(256);
      expect(Array.from(await readAll(body)), `bytes ${start}-${end}`).toEqual(expected);
    }
  });

  test("refuses ranges that cannot be served with a RangeError", async () => {
    await driver.put("ranges/obj", ALL_BYTES);
    await driver.put("ranges/empty", new Uint8Array(0));
    await expect(driver.get("ranges/obj", { start: 256, end: 300 })).rejects.toThrow(RangeError);
    await expect(driver.get("ranges/obj", { start: 10, end: 9 })).rejects.toThrow(RangeError);
    await expect(driver.get("ranges/obj", { start: -1, end: 9 })).rejects.toThrow(RangeError);
    await expect(driver.get("ranges/obj", { start: 0.5, end: 9 })).rejects.toThrow(RangeError);
    await expect(driver.get("ranges/empty", { start: 0, end: 0 })).rejects.toThrow(RangeError);
  });

  test("head, delete, and delete again", async () => {
    expect(await driver.head("del/obj")).toBeNull();
    await driver.put("del/obj", Buffer.from("hello"));
    expect(await driver.head("del/obj")).toEqual({ key: "del/obj", size: 5 });
    await driver.delete("del/obj");
    expect(await driver.head("del/obj")).toBeNull();
    await expect(driver.get("del/obj")).rejects.toThrow(ObjectNotFoundError);
    await expect(driver.delete("del/obj")).resolves.toBeUndefined();
    await expect(driver.delete("never/there")).resolves.toBeUndefined();
  });

  test("get of a missing key throws ObjectNotFoundError naming the key", async () => {
    const error = await driver.get("missing/key").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectNotFoundError);
    expect((error as ObjectNotFoundError).key).toBe("missing/key");
    // A folder that only exists because objects live under it is not an object.
    await driver.put("folder/inside", ALL_BYTES);
    await expect(driver.get("folder")).rejects.toThrow(ObjectNotFoundError);
    expect(await driver.head("folder")).toBeNull();
  });

  test("refuses hostile keys before any I/O", async () => {
    for (const key of HOSTILE_KEYS) {
      const label = JSON.stringify(key.slice(0, 20));
      // On the unreachable driver any I/O would fail with ENOTDIR or
      // ECONNREFUSED; failing on the key instead proves nothing was tried.
      for (const d of [h.unreachable, driver]) {
        await expect(d.put(key, ALL_BYTES), `put ${label}`).rejects.toThrow(/storage key/);
        await expect(d.put(key, Readable.from([Buffer.from("x")])), `put stream ${label}`).rejects.toThrow(/storage key/);
        await expect(d.get(key), `get ${label}`).rejects.toThrow(/storage key/);
        await expect(d.get(key, { start: 0, end: 1 }), `get range ${label}`).rejects.toThrow(/storage key/);
        await expect(d.head(key), `head ${label}`).rejects.toThrow(/storage key/);
        await expect(d.delete(key), `delete ${label}`).rejects.toThrow(/storage key/);
        if (d.presignedGetUrl) {
          await expect(
            d.presignedGetUrl(key, { contentDisposition: "inline", contentType: "text/plain", expiresInSeconds: 60 }),
          ).rejects.toThrow(/storage key/);
        }
      }
    }
    for (const prefix of ["../", "/", "a//", "A"]) {
      await expect(collect(h.unreachable.list(prefix))).rejects.toThrow(/storage key/);
    }
    for (const id of ["../x", "ABCDEFGHIJKL", "short", "abcdefghij/klmnop", "abcdefghijkl.json"]) {
      expect(() => driver.uploadKey(id)).toThrow(/upload id/);
      await expect(h.unreachable.discardUpload(id)).rejects.toThrow(/upload id/);
    }
    expect(await h.rawNames()).toEqual([]);
  });

  test("a body that fails midway leaves nothing behind (one part, and several)", async () => {
    // 3 bytes fit one PutObject; 9 MiB makes S3 start a multipart upload
    // that must then be aborted.
    for (const [key, bytes] of [
      ["fail/small", 3],
      ["fail/multipart", 9 * MiB],
    ] as const) {
      await expect(driver.put(key, failingStream(bytes))).rejects.toThrow(/connection lost midway/);
      expect(await driver.head(key)).toBeNull();
      await expect(driver.get(key)).rejects.toThrow(ObjectNotFoundError);
    }
    expect(await collect(driver.list())).toEqual([]);
    // No temporary file, no part, no open multipart upload.
    expect(await h.rawNames()).toEqual([]);
  });

  test("an object is invisible until put() has finished", async () => {
    const body = new PassThrough();
    const putting = driver.put("slow/obj", body);
    body.write(pattern(0, 1000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await driver.head("slow/obj")).toBeNull();
    expect(await collect(driver.list("slow/"))).toEqual([]);
    body.end(pattern(1000, 24));
    await putting;
    expect(await driver.head("slow/obj")).toEqual({ key: "slow/obj", size: 1024 });
  });

  test("a new put replaces the object whole", async () => {
    await driver.put("replace/obj", pattern(0, 5000));
    await driver.put("replace/obj", Buffer.from("short"));
    const { body, size } = await driver.get("replace/obj");
    expect(size).toBe(5);
    expect((await readAll(body)).toString()).toBe("short");
  });

  test("lists by prefix, without upload bookkeeping or unfinished uploads", async () => {
    await driver.put("list-test/a/1", Buffer.from("1"));
    await driver.put("list-test/a/2", Buffer.from("22"));
    await driver.put("list-test/b/1", Buffer.from("333"));
    await driver.put("list-testx/1", Buffer.from("4444"));
    const finished = newId();
    const unfinished = newId();
    await uploadInChunks(driver, finished, [Buffer.from("done")]);
    const store = driver.uploadStore();
    await store.create(new Upload({ id: unfinished, size: 10, offset: 0 }));
    await store.write(Readable.from([Buffer.from("half")]), unfinished, 0);

    expect(await collect(driver.list("list-test/a/"))).toEqual([
      { key: "list-test/a/1", size: 1 },
      { key: "list-test/a/2", size: 2 },
    ]);
    // A prefix is a string prefix, not a folder, as in S3.
    expect((await collect(driver.list("list-test"))).map((o) => o.key).sort()).toEqual([
      "list-test/a/1",
      "list-test/a/2",
      "list-test/b/1",
      "list-testx/1",
    ]);
    expect(await collect(driver.list("nothing-under-here/"))).toEqual([]);
    const all = await collect(driver.list());
    expect(all.map((o) => o.key).sort()).toEqual(
      ["list-test/a/1", "list-test/a/2", "list-test/b/1", "list-testx/1", finished].sort(),
    );
    expect(all.find((o) => o.key === finished)).toEqual({ key: finished, size: 4 });
    // The bookkeeping is really there, only hidden.
    expect((await h.rawNames()).some((name) => name.startsWith(`${finished}.`))).toBe(true);
  });

  describe("tus uploads", () => {
    test("uploadStore() is one store per driver; uploadKey is the id", () => {
      expect(driver.uploadStore()).toBe(driver.uploadStore());
      const id = newId();
      expect(driver.uploadKey(id)).toBe(id);
    });

    test("three chunks at increasing offsets become exactly those bytes", async () => {
      const id = newId();
      const chunks = [pattern(0, 1000), pattern(1000, 2000), pattern(3000, 77)];
      expect(await uploadInChunks(driver, id, chunks)).toEqual([1000, 3000, 3077]);
      const { body, size } = await driver.get(driver.uploadKey(id));
      expect(size).toBe(3077);
      expect(await readAll(body)).toEqual(pattern(0, 3077));
      expect(await driver.head(id)).toEqual({ key: id, size: 3077 });
    });

    test("chunks of part size (6 + 6 + 1 MiB) are assembled in order", async () => {
      const id = newId();
      const sizes = [6 * MiB, 6 * MiB, MiB];
      const chunks = [pattern(0, sizes[0]), pattern(sizes[0], sizes[1]), pattern(sizes[0] + sizes[1], sizes[2])];
      expect(await uploadInChunks(driver, id, chunks)).toEqual([6 * MiB, 12 * MiB, 13 * MiB]);
      expect(await digestOf((await driver.get(id)).body)).toEqual({ digest: patternDigest(13 * MiB), length: 13 * MiB });
      const across = await driver.get(id, { start: 6 * MiB - 3, end: 6 * MiB + 2 });
      expect(await readAll(across.body)).toEqual(pattern(6 * MiB - 3, 6));
    });

    test("an unfinished upload is not an object", async () => {
      const id = newId();
      const store = driver.uploadStore();
      await store.create(new Upload({ id, size: 100, offset: 0 }));
      await store.write(Readable.from([pattern(0, 40)]), id, 0);
      expect((await store.getUpload(id)).offset).toBe(40);
      expect(await driver.head(id)).toBeNull();
      await expect(driver.get(id)).rejects.toThrow(ObjectNotFoundError);
      expect(await collect(driver.list())).toEqual([]);
    });

    test("discardUpload with keepObject keeps only the bytes", async () => {
      const id = newId();
      await uploadInChunks(driver, id, [pattern(0, 10), pattern(10, 10), pattern(20, 10)]);
      await driver.discardUpload(id, { keepObject: true });
      expect(await h.rawNames()).toEqual([id]);
      expect(await readAll((await driver.get(id)).body)).toEqual(pattern(0, 30));
      await expect(driver.uploadStore().getUpload(id)).rejects.toBeTruthy();
    });

    test("discardUpload removes a finished upload whole, and may be repeated", async () => {
      const id = newId();
      await uploadInChunks(driver, id, [pattern(0, 10), pattern(10, 10), pattern(20, 10)]);
      await driver.discardUpload(id);
      expect(await h.rawNames()).toEqual([]);
      expect(await driver.head(id)).toBeNull();
      await expect(driver.uploadStore().getUpload(id)).rejects.toBeTruthy();
      await expect(driver.discardUpload(id)).resolves.toBeUndefined();
      await expect(driver.discardUpload(newId())).resolves.toBeUndefined();
    });

    test("an unfinished upload that is discarded leaves nothing, even with keepObject", async () => {
      const id = newId();
      const store = driver.uploadStore();
      await store.create(new Upload({ id, size: 20 * MiB, offset: 0 }));
      // One full part (stored as a multipart part on S3) and a short tail
      // (the `.part` object on S3).
      let offset = await store.write(Readable.from([pattern(0, 6 * MiB)]), id, 0);
      offset = await store.write(Readable.from([pattern(offset, 1000)]), id, offset);
      expect((await store.getUpload(id)).offset).toBe(6 * MiB + 1000);
      expect((await h.rawNames()).length).toBeGreaterThan(0);
      await driver.discardUpload(id, { keepObject: true });
      expect(await collect(driver.list())).toEqual([]);
      expect(await h.rawNames()).toEqual([]);
      await expect(store.getUpload(id)).rejects.toBeTruthy();
    });
  });
});
