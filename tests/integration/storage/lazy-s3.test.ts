import { S3Store } from "@tus/s3-store";
import { describe, expect, test } from "vitest";
import { createStorage, S3_UPLOAD_EXTENSIONS } from "#storage/index.ts";
import { StorageConfigError } from "#storage/types.ts";

/** createStorage's S3 driver loads ./s3.ts (the AWS SDK) at its first call; what it says before that must be S3Store's. */
describe("the S3 driver before it loads", () => {
  const config = {
    driver: "s3" as const,
    bucket: "cercle",
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
    forcePathStyle: true,
    accessKeyId: "key",
    secretAccessKey: "secret",
  };

  test("its upload store declares @tus/s3-store's extensions and expiration", () => {
    const real = new S3Store({ s3ClientConfig: { bucket: "cercle", region: "us-east-1" } });
    const store = createStorage(config).uploadStore();
    expect(store.extensions).toEqual(real.extensions);
    expect([...S3_UPLOAD_EXTENSIONS]).toEqual(real.extensions);
    expect(store.getExpiration()).toBe(real.getExpiration());
  });

  test("half a pair of credentials is refused at creation, as before", () => {
    expect(() => createStorage({ ...config, secretAccessKey: null })).toThrow(StorageConfigError);
  });

  test("upload keys follow S3Driver's rule without loading it", () => {
    const storage = createStorage(config);
    expect(() => storage.uploadKey("../x")).toThrow("invalid upload id");
  });
});
