import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OpenedDatabase } from "#db/client.ts";
import type { Space } from "#db/schema.ts";
import type { TestUser } from "#tests/factories.ts";
import type { Client } from "#tests/helpers/http.ts";
import { startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";
import type { TestServer } from "#tests/helpers/server.ts";
import { world, type World } from "#tests/helpers/world.ts";
import { binaryBytes, fetchBytes, sha256Hex, Tus } from "#tests/helpers/tus.ts";

/**
 * The app's own upload path with STORAGE_DRIVER=s3, against s3rver on
 * loopback: uploads of several megabytes in several PATCHes must arrive
 * whole, under the right checksum, and come back byte for byte. (The
 * storage contract suite talks to the drivers directly; this goes through
 * tus, the running hash and the upload hooks, where a stream that started
 * flowing before S3Store read it once lost megabytes silently.)
 */

let s3: TestS3Server;
let server: TestServer;
let store: OpenedDatabase;
let alice: TestUser;
let c: Client;
let tus: Tus;
let space: Space;

const MB = 1024 * 1024;

let w: World<"admin" | "alice", "space">;

beforeAll(async () => {
  s3 = await startS3rver();
  w = await world({
    env: {
      STORAGE_DRIVER: "s3",
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: "1",
    },
    people: { admin: {}, alice: { email: "alice@files-s3.test" } },
    spaces: { space: { createdBy: "admin", slug: "atelier-s3", visibility: "secret", storageQuotaBytes: 1024 * MB, members: { alice: "member" } } },
    signIn: ["alice"],
  });
  ({ server, store } = w);
  ({ alice } = w.people);
  ({ space } = w.spaces);
  c = w.c.alice;
  tus = w.tus.alice;
}, 60_000);

afterAll(async () => {
  await w?.close();
  await s3?.close();
});

async function recordedVersion(fileId: string) {
  return store.db.selectFrom("file_version").selectAll().where("file_id", "=", fileId).orderBy("number", "desc").executeTakeFirstOrThrow();
}

describe("uploads to S3 through the app", () => {
  test("a 20 MB file in three PATCHes arrives whole: offsets, size, SHA-256 and the bytes served back", async () => {
    const bytes = binaryBytes(20 * MB, "s3-three-patches");
    const { location } = await tus.start(space.slug, bytes.length, { filename: "enregistrement atelier.bin" });
    let offset = 0;
    let last;
    for (const end of [7 * MB, 14 * MB, bytes.length]) {
      last = await tus.patch(location, offset, bytes.subarray(offset, end));
      expect(last.status, last.text).toBe(204);
      // Every byte sent is stored before the next PATCH starts from here.
      expect(Number(last.headers["upload-offset"])).toBe(end);
      offset = end;
    }
    const fileId = last!.headers["upload-file-id"] as string;
    expect(fileId).toMatch(/^[a-z0-9]+$/);
    const version = await recordedVersion(fileId);
    expect(version.size).toBe(bytes.length);
    expect(version.sha256).toBe(sha256Hex(bytes));
    const download = await fetchBytes(server.url, c, `/spaces/${space.slug}/files/${fileId}/download`);
    expect(download.status).toBe(200);
    expect(download.body.length).toBe(bytes.length);
    expect(sha256Hex(download.body)).toBe(sha256Hex(bytes));
    expect(await s3.pendingMultipartUploads()).toEqual([]);
  }, 120_000);

  test("a file sent in one PATCH is stored and hashed exactly", async () => {
    const bytes = binaryBytes(12 * MB + 12345, "s3-one-patch");
    const done = await tus.upload(space.slug, bytes, { filename: "support.pdf.bin" });
    const version = await recordedVersion(done.fileId);
    expect(version.size).toBe(bytes.length);
    expect(version.sha256).toBe(sha256Hex(bytes));
    const range = await fetchBytes(server.url, c, `/spaces/${space.slug}/files/${done.fileId}/download`, { Range: "bytes=9437184-9437283" });
    expect(range.status).toBe(206);
    expect(Buffer.compare(range.body, bytes.subarray(9437184, 9437284))).toBe(0);
  }, 120_000);
});
