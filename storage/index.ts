import { LocalDriver } from "./local.ts";
import { S3Driver } from "./s3.ts";
import type { StorageConfig, StorageDriver } from "./types.ts";

export { LocalDriver } from "./local.ts";
export { S3Driver } from "./s3.ts";

/**
 * The driver for a configuration. Builds clients only: nothing is touched
 * until the first call, and check() is the caller's to run at boot.
 */
export function createStorage(config: StorageConfig): StorageDriver {
  switch (config.driver) {
    case "local":
      return new LocalDriver({ root: config.root });
    case "s3": {
      const { driver: _driver, ...s3 } = config;
      return new S3Driver(s3);
    }
  }
}
