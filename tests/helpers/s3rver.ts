import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import type { S3Config } from "#storage/s3.ts";

/**
 * s3rver 3.7.1 ships no types and is CommonJS; loading it through require keeps
 * this file free of an ambient declaration and describes only what we use.
 */
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void;
interface S3rverInstance {
  middleware: Middleware[];
  httpServer?: Server;
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
  vhostBuckets: boolean;
}
const require = createRequire(import.meta.url);
const S3rver = require("s3rver") as new (options: S3rverOptions) => S3rverInstance;
const S3Error = require("s3rver/lib/models/error") as new (code: string, message: string, detail?: object) => Error;

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where s3rver keeps its files, to look behind the protocol in tests. */
  directory: string;
  /** Ids of multipart uploads started and neither completed nor aborted. */
  pendingMultipartUploads(): Promise<string[]>;
  close(): Promise<void>;
}

export interface StartOptions {
  bucket?: string;
  /**
   * Answer ListParts and AbortMultipartUpload (default true). s3rver 3.7.1
   * has neither (it answers 405 MethodNotAllowed), yet @tus/s3-store calls
   * ListParts on every write and lib-storage aborts with the other; see
   * multipartCompletions below. Off only to show what plain s3rver does.
   */
  completeMultipart?: boolean;
}

/**
 * A real S3-protocol server on 127.0.0.1, on a free port, storing in a fresh
 * temp folder, with `bucket` already created. s3rver accepts any request
 * signed with access key id "S3RVER"; it refuses unknown access key ids
 * (InvalidAccessKeyId) but does not verify v4 signatures, so a wrong secret
 * with the right id still gets in.
 */
export async function startS3rver(options: StartOptions = {}): Promise<TestS3Server> {
  const bucket = options.bucket ?? "cercle-test";
  const directory = await mkdtemp(path.join(os.tmpdir(), "cercle-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
    // Requests come to an IP address anyway; this keeps s3rver from reading
    // a Host header as a bucket name.
    vhostBuckets: false,
  });
  if (options.completeMultipart !== false) {
    // Koa composes its middleware list when the server starts listening, so
    // inserting before the router (always last) puts these answers in front
    // of s3rver's 405 while keeping its logging and error-to-XML handling.
    server.middleware.splice(server.middleware.length - 1, 0, multipartCompletions(directory));
  }
  const address = await server.run();
  const uploadsDir = path.join(directory, bucket, "._S3rver_uploads");

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    directory,
    async pendingMultipartUploads() {
      try {
        return (await readdir(uploadsDir)).sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
    },
    async close() {
      // Keep-alive sockets from the SDK's agent would hold close() open.
      server.httpServer?.closeAllConnections();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The two multipart operations s3rver 3.7.1 lacks, answered from the files
 * s3rver itself writes for a multipart upload
 * (`<bucket>/._S3rver_uploads/<uploadId>/{key,<n>,<n>.md5}`), so parts are
 * still stored and assembled by s3rver; only the listing and the abort are
 * ours. Errors go through s3rver's own S3Error so the SDK sees S3's XML.
 */
function multipartCompletions(directory: string): Middleware {
  return async (ctx, next) => {
    const uploadId = ctx.query.uploadId;
    const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (typeof uploadId !== "string" || !match || (ctx.method !== "GET" && ctx.method !== "DELETE")) return next();
    const bucket = decodeURIComponent(match[1]);
    const key = decodeURIComponent(match[2]);
    if (!/^[a-f0-9]{32}$/.test(uploadId)) throw new S3Error("NoSuchUpload", "The specified upload does not exist.");
    const uploadDir = path.join(directory, bucket, "._S3rver_uploads", uploadId);
    let storedKey: string;
    try {
      storedKey = await readFile(path.join(uploadDir, "key"), "utf8");
    } catch {
      throw new S3Error("NoSuchUpload", "The specified upload does not exist.", { UploadId: uploadId });
    }
    if (storedKey !== key) throw new S3Error("NoSuchUpload", "The specified upload does not exist.", { UploadId: uploadId });

    if (ctx.method === "DELETE") {
      await rm(uploadDir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
      return;
    }

    const numbers = (await readdir(uploadDir))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => a - b);
    const parts = await Promise.all(
      numbers.map(async (n) => {
        const [info, md5] = await Promise.all([
          stat(path.join(uploadDir, String(n))),
          readFile(path.join(uploadDir, `${n}.md5`), "utf8"),
        ]);
        return { PartNumber: n, LastModified: info.mtime.toISOString(), ETag: JSON.stringify(md5), Size: info.size };
      }),
    );
    // A plain object: s3rver's own middleware turns it into XML.
    ctx.body = {
      ListPartsResult: {
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumberMarker: 0,
        NextPartNumberMarker: numbers.at(-1) ?? 0,
        MaxParts: 10000,
        IsTruncated: false,
        Part: parts,
      },
    };
  };
}

/** The S3 driver's settings for this server (path-style: a localhost endpoint has no bucket subdomains). */
export function s3Config(server: TestS3Server): S3Config {
  return {
    bucket: server.bucket,
    region: server.region,
    endpoint: server.endpoint,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    forcePathStyle: true,
  };
}

/** The variables that point a server process (build/server.js) at this server's bucket. */
export function s3Env(server: TestS3Server): Record<string, string> {
  return {
    STORAGE_DRIVER: "s3",
    S3_BUCKET: server.bucket,
    S3_REGION: server.region,
    S3_ENDPOINT: server.endpoint,
    S3_ACCESS_KEY_ID: server.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.secretAccessKey,
    S3_FORCE_PATH_STYLE: "1",
  };
}

/** A plain SDK client of this server, to look behind the driver. */
export function rawClient(server: TestS3Server): S3Client {
  return new S3Client({
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
}
