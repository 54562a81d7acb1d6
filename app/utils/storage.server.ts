import path from "node:path";
import { LocalStorage } from "#storage/local.ts";
import { getEnv } from "./env.server.ts";

let storage: LocalStorage | undefined;

/** Files under DATA_DIR/files (the S3 driver comes with the files section). */
export function getStorage(): LocalStorage {
  storage ??= new LocalStorage(path.join(getEnv().dataDir, "files"));
  return storage;
}
