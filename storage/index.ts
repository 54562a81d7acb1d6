import type { Readable } from "node:stream";
import { DataStore, type Upload } from "@tus/utils";
import { isUploadId } from "./keys.ts";
import { LocalDriver } from "./local.ts";
import type { S3Config, S3Driver } from "./s3.ts";
import {
  assertS3Credentials,
  type ByteRange,
  type PresignOptions,
  type StorageConfig,
  type StorageDriver,
  type StoredObject,
} from "./types.ts";

export { LocalDriver } from "./local.ts";

/**
 * The driver for a configuration. Builds clients only: nothing is touched
 * until the first call, and check() is the caller's to run at boot.
 *
 * The S3 driver (the AWS SDK and @tus/s3-store: ~35 MB resident once
 * loaded) is loaded by its first call, so a server on local storage never
 * loads it. S3Driver itself is in ./s3.ts.
 */
export function createStorage(config: StorageConfig): StorageDriver {
  switch (config.driver) {
    case "local":
      return new LocalDriver({ root: config.root });
    case "s3": {
      const { driver: _driver, ...s3 } = config;
      return new LazyS3Driver(s3);
    }
  }
}

/** An S3Driver that imports ./s3.ts at its first call; each method is the S3Driver's own. */
class LazyS3Driver implements StorageDriver {
  readonly kind = "s3" as const;
  readonly bucket: string;
  private driver: S3Driver | undefined;
  private loading: Promise<S3Driver> | undefined;
  private store: LazyUploadStore | undefined;

  constructor(private readonly config: S3Config) {
    // What S3Driver's constructor refuses is refused now, as before.
    assertS3Credentials(config);
    this.bucket = config.bucket;
  }

  /** The S3Driver, once a call has loaded it. */
  get loaded(): S3Driver | undefined {
    return this.driver;
  }

  load(): Promise<S3Driver> {
    this.loading ??= import("./s3.ts").then(({ S3Driver }) => (this.driver = new S3Driver(this.config)));
    return this.loading;
  }

  async check(): Promise<void> {
    return (await this.load()).check();
  }
  async put(key: string, body: Readable | Uint8Array, options?: { contentType?: string }): Promise<StoredObject> {
    return (await this.load()).put(key, body, options);
  }
  async get(key: string, range?: ByteRange): Promise<{ body: Readable; size: number }> {
    return (await this.load()).get(key, range);
  }
  async head(key: string): Promise<StoredObject | null> {
    return (await this.load()).head(key);
  }
  async delete(key: string): Promise<void> {
    return (await this.load()).delete(key);
  }
  async *list(prefix?: string): AsyncIterable<StoredObject> {
    yield* (await this.load()).list(prefix);
  }
  uploadStore(): DataStore {
    this.store ??= new LazyUploadStore(this);
    return this.store;
  }
  uploadKey(uploadId: string): string {
    // The same rule as S3Driver's (an upload's key is its id), without loading it.
    return this.driver ? this.driver.uploadKey(uploadId) : uploadKeyOf(uploadId);
  }
  async discardUpload(uploadId: string, options?: { keepObject?: boolean }): Promise<void> {
    return (await this.load()).discardUpload(uploadId, options);
  }
  async presignedGetUrl(key: string, options: PresignOptions): Promise<string> {
    return (await this.load()).presignedGetUrl(key, options);
  }
  /** Lets tests and shutdown close the client's sockets (nothing to close if it never loaded). */
  destroy(): void {
    this.driver?.destroy();
  }
}

function uploadKeyOf(uploadId: string): string {
  if (!isUploadId(uploadId)) throw new Error("invalid upload id");
  return uploadId;
}

/**
 * The S3 driver's tus store, loaded at its first call. Its extensions are
 * @tus/s3-store's (tests/integration/storage check they match); getExpiration
 * is 0 as S3Store's is without an expiration period, which S3Driver never sets.
 */
class LazyUploadStore extends DataStore {
  constructor(private readonly owner: LazyS3Driver) {
    super();
    this.extensions = [...S3_UPLOAD_EXTENSIONS];
  }
  private async inner(): Promise<DataStore> {
    return (await this.owner.load()).uploadStore();
  }
  override async create(upload: Upload) {
    return (await this.inner()).create(upload);
  }
  override async write(stream: Readable, id: string, offset: number) {
    return (await this.inner()).write(stream, id, offset);
  }
  override async getUpload(id: string) {
    return (await this.inner()).getUpload(id);
  }
  override async remove(id: string) {
    return (await this.inner()).remove(id);
  }
  override async declareUploadLength(id: string, length: number) {
    return (await this.inner()).declareUploadLength(id, length);
  }
  override async deleteExpired() {
    return (await this.inner()).deleteExpired();
  }
  override getExpiration() {
    return this.owner.loaded?.uploadStore().getExpiration() ?? 0;
  }
}

/** What @tus/s3-store's S3Store declares (2.x). */
export const S3_UPLOAD_EXTENSIONS = ["creation", "creation-with-upload", "creation-defer-length", "termination", "expiration"] as const;
