import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { DB } from "#db/client.ts";
import { claimFileTexts, deferFileText, fileTextBacklog, finishFileText, type ClaimedVersion } from "#db/queries/file-text.ts";
import { transact } from "#db/transact.ts";
import { ObjectNotFoundError, type StorageDriver } from "#storage/types.ts";
import type { Job } from "#app/jobs/scheduler.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { DEFAULT_LIMITS, type ExtractResult } from "./text-extract.ts";
import { extractInWorker } from "./text-extract-pool.server.ts";

/**
 * The text inside uploaded files, for search: each new version waits in
 * file_text (a trigger puts it there, migration 20261206_0900) until this
 * job reads its bytes from storage, whichever driver, and extracts its text
 * in a worker thread bounded in time and memory (text-extract*.ts). Versions are
 * claimed for a while before the work, so several processes never extract
 * the same one, and a process that dies mid-way leaves it to be claimed
 * again once the claim runs out; after three tries it is given up. The text
 * is saved through transact(), which indexes it in the same transaction.
 */

const EVERY_MS = 10_000;
/** Long enough for the slowest extraction the limits allow, and a margin. */
const CLAIM_MS = 5 * 60_000;
/** Versions taken per run, one after another: extraction runs beside the requests, never many at once. */
const PER_RUN = 4;
const MAX_ATTEMPTS = 3;
/** When the store could not be read: tried again after this, the try not counted. */
const STORE_RETRY_MS = 60_000;

const worker = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

async function readAll(body: Readable, max: number): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * A version's bytes, or why there are none. No object (a purge between the
 * claim and the read, or a damaged store: storage:check says which) is for
 * good; "down" is the store failing, to be tried again later.
 */
async function readVersion(storage: StorageDriver, version: ClaimedVersion): Promise<Uint8Array | "missing" | "too_large" | "down"> {
  try {
    const { body } = await storage.get(version.storageKey);
    return (await readAll(body, DEFAULT_LIMITS.maxInputBytes)) ?? "too_large";
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return "missing";
    console.error(`File text of version ${version.versionId}: the store could not be read; tried again in ${STORE_RETRY_MS / 1000} s.`, error);
    return "down";
  }
}

/** Extracts the text of what waits, up to PER_RUN versions; answers what became of each. */
export async function extractPending(db: DB, storage: StorageDriver, now = Date.now()): Promise<Array<{ versionId: string; state: string; reason: string | null }>> {
  const claimed = await claimFileTexts(db, { by: worker, now, claimMs: CLAIM_MS, limit: PER_RUN, maxAttempts: MAX_ATTEMPTS });
  const done: Array<{ versionId: string; state: string; reason: string | null }> = [];
  for (const version of claimed) {
    let result: ExtractResult | { ok: false; reason: "missing" };
    if (!version.current) result = { ok: false, reason: "unsupported" };
    else if (version.size > DEFAULT_LIMITS.maxInputBytes) result = { ok: false, reason: "too_large" };
    else {
      const bytes = await readVersion(storage, version);
      if (bytes === "down") {
        await deferFileText(db, { versionId: version.versionId, by: worker, until: Date.now() + STORE_RETRY_MS });
        continue;
      }
      if (typeof bytes === "string") result = { ok: false, reason: bytes };
      else {
        try {
          result = await extractInWorker({ bytes, contentType: version.contentType, name: version.name });
        } catch (error) {
          // The thread itself failed to start or answer: the claim runs out and the next try (counted) has it.
          console.error(`File text of version ${version.versionId}: extraction failed.`, error);
          continue;
        }
      }
    }
    const outcome = result.ok
      ? { state: "done" as const, text: result.text, truncated: result.truncated, reason: null }
      : { state: result.reason === "unsupported" ? ("unsupported" as const) : ("failed" as const), text: "", truncated: false, reason: result.reason };
    await transact(db, async (trx) => {
      await finishFileText(trx, { versionId: version.versionId, by: worker, now: Date.now(), ...outcome });
      return { ok: true as const };
    });
    done.push({ versionId: version.versionId, state: outcome.state, reason: outcome.reason });
  }
  return done;
}

export const fileTextJob: Job = {
  name: "file-text",
  everyMs: EVERY_MS,
  run: async ({ now }) => {
    const db = getDb();
    if ((await fileTextBacklog(db, now)) === 0) return [];
    return extractPending(db, getStorage(), now);
  },
};
