import type { Readable } from "node:stream";
import type { DB } from "#db/client.ts";
import { findUpload, listUnfinishedUploads, type StoredObjectFacts } from "#db/queries/files.ts";
import { transact } from "#db/transact.ts";
import { thumbnailKey } from "#storage/keys.ts";
import { hashObject } from "#storage/hash.ts";
import type { StorageDriver } from "#storage/types.ts";
import { recordUpload, type ConflictChoice } from "./commands.server.ts";
import { SNIFF_BYTES, isThumbnailable, sniffContentType } from "./content-type.server.ts";
import { makeThumbnail } from "./thumbnails.server.ts";

/**
 * An upload whose every byte is stored becomes its file — whoever gets there
 * first: the PATCH that carried the last byte (tus's onUploadFinish), a HEAD
 * that finds it complete (its PATCH died with its process, or its answer was
 * lost), the primary process at start for those complete since the last
 * run, or the housekeeping sweep for one complete whose day is over. All of
 * them call finishUpload, and so the one command that records the file
 * (recordUpload, commands.server.ts).
 *
 * The order is what keeps an upload invisible until it is complete: first
 * the bytes — read back to learn the type, hashed if need be, a thumbnail
 * stored — outside any transaction (storage is not transactional, and the
 * one SQLite connection must not wait on it); then the file row, in one
 * write transaction. Finishing is claimed once: that transaction sets the
 * upload's finished_file_id only if it is still empty, and a second
 * finisher's transaction rolls back and answers with the first's file.
 * The upload row stays a day after (UPLOAD_TTL_MS) so HEAD can still name the
 * file; it holds no room in the quota any more.
 */

export type { ConflictChoice };

export type Finished = { fileId: string; name: string };

export interface FinishOptions {
  /** The upload's SHA-256 if this process hashed every byte as it came in. */
  sha256?: string | null;
  /** What the uploader chose if the name is taken (from tus's metadata); null: a copy. */
  onConflict?: ConflictChoice | null;
  /** Fault injection for the crash test: dies here, between the last byte and the file row. */
  crashBeforeFileRow?: boolean;
  /** When the file is recorded; the demo network back-dates its files (server/demo-files.ts). */
  now?: number;
}

/**
 * Records the file (or new version) a complete upload makes, once. Returns
 * the file, or undefined if there is no such upload (cancelled, swept).
 * The caller has checked that every byte is stored.
 */
export async function finishUpload(db: DB, storage: StorageDriver, uploadId: string, options: FinishOptions = {}): Promise<Finished | undefined> {
  const row = await findUpload(db, uploadId);
  if (!row) return undefined;
  if (row.finished_file_id) return { fileId: row.finished_file_id, name: row.name };

  const object = await describeObject(storage, row.space_id, uploadId, row.size, options.sha256 ?? null);
  if (options.crashBeforeFileRow) process.kill(process.pid, "SIGKILL");

  const recorded = await transact(db, (trx) => recordUpload(trx, { now: options.now ?? Date.now() }, { uploadId, object, onConflict: options.onConflict ?? null }));
  if (!recorded.ok) {
    if (recorded.error === "already_finished") return { fileId: recorded.fileId, name: row.name };
    const again = await findUpload(db, uploadId);
    return again?.finished_file_id ? { fileId: again.finished_file_id, name: again.name } : undefined;
  }
  // The bytes stay where they are, as the version's object; only tus's bookkeeping goes.
  await storage.discardUpload(uploadId, { keepObject: true }).catch((error: unknown) => console.error("upload bookkeeping left behind", uploadId, error));
  return { fileId: recorded.fileId, name: recorded.name };
}

/** Offset and declared length as the storage has them, or null when it has no such upload. */
export async function storedProgress(
  storage: StorageDriver,
  uploadId: string,
): Promise<{ offset: number; size: number; metadata: Record<string, string | null> | undefined } | null> {
  try {
    const upload = await storage.uploadStore().getUpload(uploadId);
    if (upload.size === undefined) return null;
    return { offset: upload.offset, size: upload.size, metadata: upload.metadata };
  } catch (error) {
    const status = (error as { status_code?: unknown } | null)?.status_code;
    if (status === 404 || status === 410) return null;
    throw error;
  }
}

/**
 * At the primary's start: every upload whose bytes are all stored but that
 * has no file yet (the process died between the two) becomes its file. One
 * that fails is said and left for its HEAD, or the next start.
 */
export async function finishCompleteUploads(db: DB, storage: StorageDriver, options: Pick<FinishOptions, "crashBeforeFileRow"> = {}) {
  let finished = 0;
  for (const { id } of await listUnfinishedUploads(db)) {
    try {
      const progress = await storedProgress(storage, id);
      if (!progress || progress.offset !== progress.size) continue;
      const onConflict = progress.metadata?.onConflict;
      if (await finishUpload(db, storage, id, { ...options, onConflict: onConflict === "version" || onConflict === "copy" ? onConflict : null })) finished++;
    } catch (error) {
      console.error(`upload ${id}: complete but not made a file at start; its HEAD will try again`, error);
    }
  }
  if (finished > 0) console.log(`Uploads: ${finished} complete upload(s) made into files at start.`);
  return finished;
}

/** Type from the first bytes, checksum, thumbnail: everything the version records about its object. */
async function describeObject(storage: StorageDriver, spaceId: string, uploadId: string, size: number, sha256: string | null): Promise<StoredObjectFacts> {
  const key = storage.uploadKey(uploadId);
  const head = size > 0 ? await readAll((await storage.get(key, { start: 0, end: Math.min(size, SNIFF_BYTES) - 1 })).body) : new Uint8Array();
  const contentType = await sniffContentType(head);
  const checksum = sha256 ?? (await hashObject(storage, key)).sha256;
  let thumbnail: string | null = null;
  if (isThumbnailable(contentType) && size > 0) {
    const image = await makeThumbnail((await storage.get(key)).body);
    if (image) {
      thumbnail = thumbnailKey(spaceId, uploadId);
      await storage.put(thumbnail, image, { contentType: "image/webp" });
    }
  }
  return { storageKey: key, size, contentType, sha256: checksum, thumbnailKey: thumbnail };
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
