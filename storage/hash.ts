import { createHash } from "node:crypto";
import type { StorageDriver } from "./types.ts";

/** SHA-256 and size of a stored object, streamed: memory stays at one chunk whatever its size. */
export async function hashObject(storage: StorageDriver, key: string): Promise<{ sha256: string; size: number }> {
  const { body } = await storage.get(key);
  const hash = createHash("sha256");
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
  } finally {
    body.destroy();
  }
  return { sha256: hash.digest("hex"), size };
}

/** Runs `run` over the items, at most `limit` at a time (object storage answers many requests at once, not unboundedly many). */
export async function forEachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
