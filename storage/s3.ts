import { randomBytes } from "node:crypto";
import { Readable, Transform, pipeline } from "node:stream";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { S3Store, type MetadataValue } from "@tus/s3-store";
import { MemoryKvStore, type DataStore } from "@tus/utils";
import { assertByteRange, assertKey, isUploadId } from "./keys.ts";
import {
  assertS3Credentials,
  ObjectNotFoundError,
  StorageConfigError,
  type ByteRange,
  type PresignOptions,
  type StorageConfig,
  type StorageDriver,
  type StoredObject,
} from "./types.ts";

export type S3Config = Omit<Extract<StorageConfig, { driver: "s3" }>, "driver">;

const MiB = 1024 * 1024;
/**
 * 8 MiB parts, 4 in flight: at most ~40 MiB of one put() in memory whatever
 * its size; S3's 10,000 parts then cap a put() at ~78 GiB (tus uploads pick
 * larger parts themselves when they must).
 */
const PART_SIZE = 8 * MiB;
const PARTS_IN_FLIGHT = 4;
/** The whole of check() must answer within this, so a bad endpoint fails boot fast. */
const CHECK_DEADLINE_MS = 5_000;

/**
 * Any S3-compatible store (AWS S3, MinIO, Ceph, s3rver). Objects live under
 * their key in one bucket; tus uploads are written by @tus/s3-store as
 * multipart uploads to the key `<id>`, beside `<id>.info` (its bookkeeping)
 * and, between PATCH requests, `<id>.part` (a tail shorter than a part).
 */
export class S3Driver implements StorageDriver {
  readonly kind = "s3" as const;
  readonly bucket: string;
  private readonly config: S3Config;
  private readonly clientConfig: S3ClientConfig;
  private readonly client: S3Client;
  private store: S3Store | undefined;
  /** S3Store's metadata cache, kept so discardUpload can drop an entry. */
  private readonly uploadCache = new MemoryKvStore<MetadataValue>();

  constructor(config: S3Config) {
    assertS3Credentials(config);
    this.config = config;
    this.bucket = config.bucket;
    this.clientConfig = {
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      // null means the SDK's own chain (environment, profile, instance role).
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
      // The SDK's default streams bodies with CRC32 trailers; stores that do
      // not know aws-chunked framing (s3rver, older MinIO/Ceph) keep the
      // framing inside the object. Only checksum where the API demands one.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    };
    this.client = new S3Client(this.clientConfig);
  }

  /** Where, in words people recognise in their own configuration. */
  private get where(): string {
    const endpoint = this.config.endpoint ?? `AWS S3 (region ${this.config.region})`;
    return `bucket "${this.bucket}" at ${endpoint}`;
  }

  async check(): Promise<void> {
    // A client of its own: one attempt and short timeouts, so an unreachable
    // endpoint fails boot in seconds instead of after the SDK's retries.
    const client = new S3Client({
      ...this.clientConfig,
      maxAttempts: 1,
      // Without throwOnRequestTimeout the handler only logs a warning when
      // requestTimeout passes and keeps waiting.
      requestHandler: { connectionTimeout: 2_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
    });
    const abortSignal = AbortSignal.timeout(CHECK_DEADLINE_MS);
    const probeKey = `.cercle-probe/${randomBytes(8).toString("hex")}`;
    const probe = randomBytes(32);
    let step = "reaching the bucket";
    let probeLeft = false;
    try {
      await client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal });
      step = "writing a probe object";
      // Raw commands, not put(): the probe key starts with a dot on purpose,
      // so it can never be mistaken for (or collide with) a real object.
      await client.send(new PutObjectCommand({ Bucket: this.bucket, Key: probeKey, Body: probe }), { abortSignal });
      probeLeft = true;
      step = "reading the probe object back";
      const got = await client.send(new GetObjectCommand({ Bucket: this.bucket, Key: probeKey }), { abortSignal });
      const back = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
      if (!back.equals(probe)) {
        throw new StorageConfigError(
          `The S3 storage (${this.where}) gave back different bytes than were written ` +
            `(${back.length} bytes for ${probe.length}). If it is not AWS, it may not understand ` +
            `the SDK's streaming checksums; check its version.`,
        );
      }
      step = "deleting the probe object";
      await client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probeKey }), { abortSignal });
      probeLeft = false;
    } catch (error) {
      if (error instanceof StorageConfigError) throw error;
      throw new StorageConfigError(this.explain(error, step), { cause: error });
    } finally {
      // Best effort, on its own short clock (the main one may have run out):
      // a failed read should not leave probes piling up in the bucket.
      if (probeLeft) {
        await client
          .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probeKey }), { abortSignal: AbortSignal.timeout(2_000) })
          .catch(() => {});
      }
      client.destroy();
    }
  }

  private explain(error: unknown, step: string): string {
    const { name, code, status, message } = describeError(error);
    const base = `The S3 storage (${this.where}) failed while ${step}`;
    // Answers to HEAD have no body, so the SDK cannot name the error: the
    // status is then all there is to show.
    const label = name === "Unknown" || name === "Error" ? `HTTP ${status ?? "error"}` : name;
    if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || name === "AbortError") {
      const endpoint = this.config.endpoint ?? `AWS S3 in region ${this.config.region}`;
      if (TIMEOUTS.has(code) || TIMEOUTS.has(name)) {
        return (
          `The S3 endpoint ${endpoint} cannot be reached: it did not answer in time ` +
          `(${code || name}) for bucket "${this.bucket}". Check the endpoint address and the network between us.`
        );
      }
      return (
        `The S3 endpoint ${endpoint} cannot be reached (${code || name}) to use bucket "${this.bucket}". ` +
        `Check the endpoint address and that the service is running.`
      );
    }
    if (name === "NoSuchBucket" || (step === "reaching the bucket" && status === 404)) {
      return `The bucket "${this.bucket}" does not exist at ${this.config.endpoint ?? "AWS S3"}. Create it, or fix the bucket name.`;
    }
    if (CREDENTIAL_ERRORS.has(name) || status === 403) {
      return `${base}: the credentials were refused (${label}). Check the access key id and secret access key, and that they may read, write and delete in this bucket.`;
    }
    if (name === "CredentialsProviderError") {
      return `${base}: no credentials were given and none were found in the environment.`;
    }
    if (name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed" || status === 301) {
      return `${base}: the bucket lives in another region than "${this.config.region}".`;
    }
    return `${base}: ${label}${status && label !== `HTTP ${status}` ? ` (HTTP ${status})` : ""}: ${message}`;
  }

  async put(key: string, body: Readable | Uint8Array, options: { contentType?: string } = {}): Promise<StoredObject> {
    assertKey(key);
    let size = 0;
    let source: Buffer | Readable;
    if (body instanceof Uint8Array) {
      size = body.byteLength;
      source = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    } else {
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          callback(null, chunk);
        },
      });
      // pipeline() carries an error in `body` on to `counter`, which is
      // what lib-storage reads from, so the upload fails instead of
      // completing with what arrived so far.
      pipeline(body, counter, () => {});
      source = counter;
    }
    // lib-storage sends one PutObject when the body fits in a part and a
    // multipart upload otherwise; on failure it aborts the multipart upload
    // (leavePartsOnError: false), so no object and no parts remain.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: source, ContentType: options.contentType },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      if (source instanceof Readable) source.destroy();
      if (!(body instanceof Uint8Array)) body.destroy();
      throw error;
    }
    return { key, size };
  }

  async get(key: string, range?: ByteRange): Promise<{ body: Readable; size: number }> {
    assertKey(key);
    if (range) assertByteRange(range);
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      const body = out.Body as Readable | undefined;
      if (!body) throw new Error(`S3 returned no body for ${key}`);
      if (!range) return { body, size: out.ContentLength ?? 0 };
      // With a range, Content-Length is the slice; the whole size is only in
      // Content-Range ("bytes 0-9/1234").
      const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(out.ContentRange ?? "");
      if (!served) {
        body.destroy();
        throw new Error(`S3 did not answer the range asked for ${key} (Content-Range: ${out.ContentRange})`);
      }
      const [servedStart, servedEnd, total] = served.slice(1).map(Number);
      // S3 answers 416 here; s3rver serves an empty object's "bytes 0-0/0".
      if (range.start >= total) {
        body.destroy();
        throw new RangeError(`range starts at ${range.start}, past the end of ${key}`);
      }
      if (servedStart !== range.start) {
        body.destroy();
        throw new Error(`S3 served bytes ${servedStart}- of ${key} for a range starting at ${range.start}`);
      }
      // s3rver 3.7.1 reads "bytes=N-0" as "bytes=N-" (it tests `end ||
      // Infinity`), so a one-byte range at 0 comes back whole. Trimming what
      // overshoots keeps the promise of exactly start..end whatever the store.
      const wanted = Math.min(range.end, total - 1) - range.start + 1;
      const length = servedEnd - servedStart + 1;
      return { body: length > wanted ? Readable.from(take(body, wanted), { objectMode: false }) : body, size: total };
    } catch (error) {
      const { name, status } = describeError(error);
      if (name === "NoSuchKey" || (status === 404 && name !== "NoSuchBucket")) throw new ObjectNotFoundError(key);
      if (name === "InvalidRange" || status === 416) {
        throw new RangeError(`range starts past the end of ${key}`);
      }
      throw error;
    }
  }

  async head(key: string): Promise<StoredObject | null> {
    assertKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, size: out.ContentLength ?? 0 };
    } catch (error) {
      // A HEAD answer has no body, so a 404 cannot say which of key or bucket
      // is missing; check() is where a missing bucket is reported.
      if (describeError(error).status === 404) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix = ""): AsyncIterable<StoredObject> {
    if (prefix !== "") assertKey(`${prefix}x`);
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix || undefined, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        const key = item.Key;
        // Probes and anything else not server-made are not objects; tus's
        // `<id>.info` and `<id>.part` are bookkeeping. Multipart uploads in
        // progress are never listed by S3 in the first place.
        if (!key || !isKey(key) || isUploadBookkeeping(key)) continue;
        yield { key, size: item.Size ?? 0 };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  uploadStore(): DataStore {
    if (!this.store) {
      this.store = new S3Store({
        partSize: PART_SIZE,
        maxConcurrentPartUploads: PARTS_IN_FLIGHT,
        cache: this.uploadCache,
        s3ClientConfig: { ...this.clientConfig, bucket: this.bucket },
      });
    }
    return this.store;
  }

  uploadKey(uploadId: string): string {
    if (!isUploadId(uploadId)) throw new Error("invalid upload id");
    return uploadId;
  }

  /**
   * Done by hand rather than with S3Store.remove(), which fails on a
   * finished upload (it aborts first, S3 answers NoSuchUpload, and it gives up
   * before deleting anything), always deletes the object, and leaves
   * `<id>.part` behind.
   */
  async discardUpload(uploadId: string, options: { keepObject?: boolean } = {}): Promise<void> {
    const key = this.uploadKey(uploadId);
    const multipartId = await this.multipartIdOf(key);
    if (multipartId) {
      try {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: multipartId }));
      } catch (error) {
        // Already completed or aborted: nothing left to abort.
        const { name, status } = describeError(error);
        if (name !== "NoSuchUpload" && status !== 404) throw error;
      }
    }
    const doomed = [`${key}.part`, `${key}.info`];
    // An unfinished upload has no object (it only appears when the multipart
    // upload completes), so keepObject can only ever keep a finished one.
    if (!options.keepObject) doomed.unshift(key);
    for (const doomedKey of doomed) {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: doomedKey }));
    }
    await this.uploadCache.delete(key);
  }

  /** The multipart upload id S3Store recorded in `<id>.info`, if the upload is known. */
  private async multipartIdOf(key: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: `${key}.info` }));
      return out.Metadata?.["upload-id"];
    } catch (error) {
      if (describeError(error).status === 404) return undefined;
      throw error;
    }
  }

  async presignedGetUrl(key: string, options: PresignOptions): Promise<string> {
    assertKey(key);
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: options.contentDisposition,
        ResponseContentType: options.contentType,
      }),
      { expiresIn: options.expiresInSeconds },
    );
  }

  /** Lets tests and shutdown close the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "TimeoutError",
  "RequestTimeout",
]);

const TIMEOUTS = new Set(["ETIMEDOUT", "TimeoutError", "RequestTimeout", "AbortError"]);

const CREDENTIAL_ERRORS = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "Forbidden",
  "InvalidToken",
  "ExpiredToken",
  "TokenRefreshRequired",
]);

function describeError(error: unknown): { name: string; code: string; status: number | undefined; message: string } {
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    errors?: { code?: string }[];
    Code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return {
    name: e.Code ?? e.name ?? "Error",
    // Node's happy-eyeballs connect fails with an AggregateError whose own
    // code may be missing; the first attempt's code says what happened.
    code: e.code ?? e.errors?.[0]?.code ?? "",
    status: e.$metadata?.httpStatusCode,
    message: e.message ?? String(error),
  };
}

/** The first `count` bytes of `source`; ending early destroys the source. */
async function* take(source: Readable, count: number): AsyncGenerator<Buffer> {
  let remaining = count;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (chunk.length >= remaining) {
      yield chunk.subarray(0, remaining);
      return;
    }
    remaining -= chunk.length;
    yield chunk;
  }
}

function isKey(key: string): boolean {
  try {
    assertKey(key);
    return true;
  } catch {
    return false;
  }
}

function isUploadBookkeeping(key: string): boolean {
  const match = /^(.*)\.(info|part)$/.exec(key);
  return match !== null && isUploadId(match[1]);
}
