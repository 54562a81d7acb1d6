import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createStorage } from "#storage/index.ts";
import { LocalDriver } from "#storage/local.ts";
import { S3Driver, type S3Config } from "#storage/s3.ts";
import { StorageConfigError } from "#storage/types.ts";
import { rawClient, s3Config, startS3rver, type TestS3Server } from "#tests/helpers/s3rver.ts";

/** Rejects with what check() threw, failing the test if it resolved. */
async function checkFailure(check: Promise<void>): Promise<StorageConfigError> {
  const error = await check.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageConfigError);
  return error as StorageConfigError;
}

async function listen(server: http.Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A real HTTP server on 127.0.0.1 that refuses as S3 does, for `use`'s duration. */
async function withRefusingServer(
  options: { refuseHead: boolean; code: string },
  use: (endpoint: string) => Promise<void>,
): Promise<void> {
  const refusing = http.createServer((req, res) => {
    req.resume();
    if (req.method === "HEAD" && !options.refuseHead) {
      res.writeHead(200, { "x-amz-bucket-region": "us-east-1" });
      res.end();
      return;
    }
    res.writeHead(403, { "Content-Type": "application/xml", "x-amz-request-id": "test" });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${options.code}</Code>` +
        "<Message>Refused by the test server.</Message><RequestId>test</RequestId></Error>",
    );
  });
  const port = await listen(refusing);
  try {
    await use(`http://127.0.0.1:${port}`);
  } finally {
    refusing.closeAllConnections();
    await new Promise((resolve) => refusing.close(resolve));
  }
}

describe("local check()", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "cercle-check-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("creates a missing root, proves it writable, and leaves no probe", async () => {
    const root = path.join(dir, "data", "files");
    await createStorage({ driver: "local", root }).check();
    expect((await stat(root)).isDirectory()).toBe(true);
    expect(await readdir(root)).toEqual([]);
  });

  test("a root that is a file is refused, naming the path", async () => {
    const root = path.join(dir, "a-file");
    await writeFile(root, "not a folder");
    const error = await checkFailure(new LocalDriver({ root }).check());
    expect(error.message).toContain(root);
    expect(error.message).toMatch(/is a file, not a folder/);
  });

  test("a root below a file is refused, naming the path", async () => {
    const file = path.join(dir, "another-file");
    await writeFile(file, "");
    const root = path.join(file, "files");
    const error = await checkFailure(new LocalDriver({ root }).check());
    expect(error.message).toContain(root);
  });

  // A folder the process may not write to is not tested: these tests run
  // as root here, and root writes through any permission bits.
});

describe("S3 check()", () => {
  let server: TestS3Server;
  let config: S3Config;
  beforeAll(async () => {
    server = await startS3rver({ bucket: "cercle-check" });
    config = s3Config(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  test("passes on a bucket it may use, and removes its probe", async () => {
    await new S3Driver(config).check();
    const raw = rawClient(server);
    const listed = await raw.send(new ListObjectsV2Command({ Bucket: server.bucket }));
    raw.destroy();
    expect(listed.Contents ?? []).toEqual([]);
  });

  test("a bucket that does not exist is named as such", async () => {
    const error = await checkFailure(new S3Driver({ ...config, bucket: "no-such-bucket" }).check());
    expect(error.message).toMatch(/bucket "no-such-bucket" does not exist/);
    expect(error.message).toContain(server.endpoint);
  });

  test("an access key id the server does not know is a credentials problem", async () => {
    // s3rver refuses unknown access key ids with 403 InvalidAccessKeyId.
    const error = await checkFailure(new S3Driver({ ...config, accessKeyId: "NOT-A-KEY" }).check());
    expect(error.message).toMatch(/credentials were refused/);
    expect(error.message).toContain(`bucket "${server.bucket}"`);
    expect(error.message).toContain(server.endpoint);
  });

  test("a wrong secret is a credentials problem", async () => {
    // s3rver does not verify v4 signatures, so a wrong secret gets into it.
    // This real HTTP server answers as S3 does to a bad signature: 403, with
    // SignatureDoesNotMatch in the body (which a HEAD answer cannot carry).
    await withRefusingServer({ refuseHead: true, code: "SignatureDoesNotMatch" }, async (endpoint) => {
      const error = await checkFailure(new S3Driver({ ...config, endpoint, secretAccessKey: "wrong" }).check());
      expect(error.message).toMatch(/reaching the bucket: the credentials were refused \(HTTP 403\)/);
      expect(error.message).toContain(endpoint);
    });
  });

  test("credentials that may look but not write are a credentials problem", async () => {
    // HeadBucket passes, the probe's PutObject gets S3's AccessDenied XML.
    await withRefusingServer({ refuseHead: false, code: "AccessDenied" }, async (endpoint) => {
      const error = await checkFailure(new S3Driver({ ...config, endpoint }).check());
      expect(error.message).toMatch(/writing a probe object: the credentials were refused \(AccessDenied\)/);
      expect(error.message).toContain(`bucket "${server.bucket}"`);
    });
  });

  test("a closed port is reported as unreachable, fast", async () => {
    const probe = net.createServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const endpoint = `http://127.0.0.1:${port}`;
    const started = Date.now();
    const error = await checkFailure(new S3Driver({ ...config, endpoint }).check());
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(error.message).toMatch(/cannot be reached \(ECONNREFUSED\)/);
    expect(error.message).toContain(endpoint);
    expect(error.message).toContain(`bucket "${server.bucket}"`);
  });

  test("an endpoint that accepts connections but never answers times out within 6 s", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    const port = await listen(silent);
    try {
      const endpoint = `http://127.0.0.1:${port}`;
      const started = Date.now();
      const error = await checkFailure(new S3Driver({ ...config, endpoint }).check());
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(error.message).toMatch(/cannot be reached: it did not answer in time \(ETIMEDOUT\)/);
      expect(error.message).toContain(endpoint);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test("half a pair of credentials is refused up front", () => {
    expect(() => new S3Driver({ ...config, secretAccessKey: null })).toThrow(StorageConfigError);
    expect(() => createStorage({ driver: "s3", ...config, accessKeyId: null })).toThrow(/both/);
  });
});
