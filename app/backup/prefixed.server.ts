import type { Readable } from "node:stream";
import { assertKey } from "#storage/keys.ts";
import type { ByteRange, StorageDriver, StoredObject } from "#storage/types.ts";

/**
 * A driver whose every key lives under `prefix/` in another driver: an S3
 * backup's copy of the objects under a prefix of the copy bucket. Only what
 * a copy needs (put, get, head, list, delete); uploads are never made there.
 */
export class PrefixedStorage implements StorageDriver {
  readonly kind: "local" | "s3";
  constructor(
    private readonly inner: StorageDriver,
    readonly prefix: string,
  ) {
    // The prefix is one or more key segments, so prefix/key is a key the driver accepts.
    assertKey(prefix);
    this.kind = inner.kind;
  }
  private full(key: string): string {
    assertKey(key);
    return `${this.prefix}/${key}`;
  }
  check() {
    return this.inner.check();
  }
  put(key: string, body: Readable | Uint8Array, options?: { contentType?: string }): Promise<StoredObject> {
    return this.inner.put(this.full(key), body, options).then((o) => ({ key, size: o.size }));
  }
  get(key: string, range?: ByteRange) {
    return this.inner.get(this.full(key), range);
  }
  async head(key: string): Promise<StoredObject | null> {
    const found = await this.inner.head(this.full(key));
    return found && { key, size: found.size };
  }
  delete(key: string) {
    return this.inner.delete(this.full(key));
  }
  async *list(prefix = ""): AsyncIterable<StoredObject> {
    const base = `${this.prefix}/`;
    for await (const object of this.inner.list(`${base}${prefix}`)) yield { key: object.key.slice(base.length), size: object.size };
  }
  uploadStore(): never {
    throw new Error("a backup copy takes no uploads");
  }
  uploadKey(uploadId: string): string {
    return this.inner.uploadKey(uploadId);
  }
  async discardUpload(): Promise<void> {}
}
