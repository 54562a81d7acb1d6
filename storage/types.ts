import type { Readable } from "node:stream";
import type { DataStore } from "@tus/utils";

/** Bytes first..last, both included (as in an HTTP Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  key: string;
  size: number;
}

/**
 * Where a file's bytes live. Keys are made by the server only
 * (storage/keys.ts); every driver refuses anything else. Objects are
 * immutable: a new version of a file is a new key.
 */
export interface StorageDriver {
  readonly kind: "local" | "s3";
  /**
   * Proves the configuration works before the server accepts requests: the
   * folder is writable, or the bucket exists and these credentials may write,
   * read and delete in it. Throws StorageConfigError with a message for people.
   */
  check(): Promise<void>;
  /** Stores a whole object from a stream in bounded memory; a reader never sees it half-written. */
  put(key: string, body: Readable | Uint8Array, options?: { contentType?: string }): Promise<StoredObject>;
  /**
   * The object's bytes, or one range of them; `size` is always the whole
   * object's. A range's end past the last byte is cut to it. Throws
   * ObjectNotFoundError, or RangeError for a range that is malformed or
   * starts past the end (HTTP's 416). Destroy `body` if it is not read.
   */
  get(key: string, range?: ByteRange): Promise<{ body: Readable; size: number }>;
  /** Size of the object, or null if there is none. */
  head(key: string): Promise<StoredObject | null>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Every object whose key starts with `prefix` (a string prefix, as in S3),
   * in no promised order. Upload bookkeeping, unfinished uploads, temporary
   * files and anything no server-made key could name are left out.
   */
  list(prefix?: string): AsyncIterable<StoredObject>;
  /**
   * The tus data store that writes resumable uploads straight into this
   * storage. A finished upload's bytes are the object `uploadKey(id)`.
   */
  uploadStore(): DataStore;
  /** Key of the object a finished tus upload left. Throws unless `uploadId` passes isUploadId(). */
  uploadKey(uploadId: string): string;
  /**
   * Removes a tus upload's parts and bookkeeping, and its object unless
   * `keepObject`. An unfinished upload's bytes always go: they never were an
   * object. Discarding an upload that is not there is not an error.
   */
  discardUpload(uploadId: string, options?: { keepObject?: boolean }): Promise<void>;
  /**
   * Local only: bytes the file system holding the objects still has for us
   * (statfs: blocks available to an unprivileged writer). S3 has no such limit.
   */
  freeBytes?(): Promise<number>;
  /** S3 only: a short-lived URL that serves the object with these headers. */
  presignedGetUrl?(key: string, options: PresignOptions): Promise<string>;
}

export interface PresignOptions {
  contentDisposition: string;
  contentType: string;
  expiresInSeconds: number;
}

export class StorageConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageConfigError";
  }
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no stored object under ${key}`);
    this.name = "ObjectNotFoundError";
  }
}

export type StorageConfig =
  | { driver: "local"; root: string }
  | {
      driver: "s3";
      bucket: string;
      region: string;
      endpoint: string | null;
      accessKeyId: string | null;
      secretAccessKey: string | null;
      forcePathStyle: boolean;
    };

/** S3 credentials are both given or both left to the SDK's chain (S3Driver's first check, kept light for createStorage). */
export function assertS3Credentials(config: { accessKeyId: string | null; secretAccessKey: string | null }): void {
  if ((config.accessKeyId === null) !== (config.secretAccessKey === null)) {
    throw new StorageConfigError("S3 storage: give both an access key id and a secret access key, or neither.");
  }
}
