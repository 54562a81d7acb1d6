import path from "node:path";
import { createStorage } from "#storage/index.ts";
import type { StorageDriver } from "#storage/types.ts";
import { getEnv } from "./env.server.ts";

let storage: StorageDriver | undefined;

/** The process's storage driver, from the validated environment: DATA_DIR/files or the S3 bucket. */
export function getStorage(): StorageDriver {
  if (!storage) {
    const { storage: settings, dataDir } = getEnv();
    storage = createStorage(settings.driver === "s3" ? settings : { driver: "local", root: path.join(dataDir, "files") });
  }
  return storage;
}
