import { createStorage } from "#storage/index.ts";
import { assertKey } from "#storage/keys.ts";
import type { StorageConfig, StorageDriver } from "#storage/types.ts";
import { PrefixedStorage } from "./prefixed.server.ts";

/** A prefix made of key segments (lower-case letters, digits, `.`, `-`, `_`), so prefix/key is a valid key. */
export function isKeySegments(prefix: string): boolean {
  try {
    assertKey(prefix);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where an S3 backup copies its objects: another bucket at the same endpoint,
 * with the same credentials, under `prefix/`. Restore reads it back the same way.
 */
export function s3CopyDriver(live: Extract<StorageConfig, { driver: "s3" }>, bucket: string, prefix: string): { driver: StorageDriver; bucket: string; prefix: string } {
  const inner = createStorage({ ...live, bucket });
  const driver = new PrefixedStorage(inner, prefix);
  // Shutting the copy down closes the inner client's sockets.
  (driver as PrefixedStorage & { destroy?: () => void }).destroy = () => (inner as StorageDriver & { destroy?: () => void }).destroy?.();
  return { driver, bucket, prefix };
}

/** Deletes a snapshot's copy: every object under bucket/prefix (pruneSnapshots' deleteCopy). */
export function copyDeleter(live: Extract<StorageConfig, { driver: "s3" }>) {
  return async (copy: { bucket: string; prefix: string }) => {
    const { driver } = s3CopyDriver(live, copy.bucket, copy.prefix);
    try {
      for await (const object of driver.list()) await driver.delete(object.key);
    } finally {
      (driver as StorageDriver & { destroy?: () => void }).destroy?.();
    }
  };
}
