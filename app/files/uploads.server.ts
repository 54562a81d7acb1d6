import { createHash, type Hash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Server } from "@tus/server";
import { DataStore, type Upload as TusUpload } from "@tus/utils";
import type { Space, StoredFile } from "#db/schema.ts";
import { newId } from "#db/ids.ts";
import { recordActivity } from "#db/queries/activity.ts";
import {
  addVersion,
  createFile,
  createUpload,
  deleteUpload,
  findFileByName,
  findLiveFile,
  findLiveFolder,
  findUpload,
  freeFileName,
  spaceUsage,
  type StoredObjectFacts,
} from "#db/queries/files.ts";
import { thumbnailKey } from "#storage/keys.ts";
import type { StorageDriver } from "#storage/types.ts";
import type { Actor, MembershipFacts } from "#app/policies/space.ts";
import { canEditFile, canUploadFiles } from "#app/policies/file.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { SNIFF_BYTES, isThumbnailable, sniffContentType } from "./content-type.server.ts";
import { cleanName, fitFileName } from "./names.ts";
import { makeThumbnail } from "./thumbnails.server.ts";
import { SqliteLocker } from "./upload-locker.server.ts";

/**
 * Resumable uploads with the tus protocol (@tus/server), inside the Remix
 * route /spaces/:space/files/uploads/*. The route authenticates and checks
 * the space; the hooks here check the metadata, the file size and the quota
 * (reserved in the `upload` table for as long as the upload runs), and when
 * the last byte is in, record the file in one transaction. Until then
 * nothing is visible; an upload left unfinished expires and its parts go.
 */

export const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** What the route learnt about the request before handing it to tus. */
export interface UploadRequest {
  space: Space;
  actor: Actor;
  membership: MembershipFacts;
}

const requests = new WeakMap<Request, UploadRequest>();

/** A refusal tus sends as is: a status and a JSON body the browser turns into a message. */
function refuse(status: number, error: string, extra: Record<string, unknown> = {}): never {
  throw { status_code: status, body: JSON.stringify({ error, ...extra }) };
}

export type ConflictChoice = "version" | "copy";

interface UploadMetadata {
  name: string;
  folderId: string | null;
  fileId: string | null;
  onConflict: ConflictChoice | null;
}

function readMetadata(raw: TusUpload["metadata"]): UploadMetadata {
  const name = cleanName(raw?.filename ?? "");
  if (!name) refuse(400, "name_missing");
  const onConflict = raw?.onConflict ?? null;
  if (onConflict !== null && onConflict !== "version" && onConflict !== "copy") refuse(400, "bad_conflict_choice");
  return { name: fitFileName(name), folderId: raw?.folderId || null, fileId: raw?.fileId || null, onConflict };
}

async function onUploadCreate(req: Request, upload: TusUpload) {
  const context = requests.get(req);
  if (!context) refuse(500, "no_context");
  const { space, actor, membership } = context;
  if (!canUploadFiles(actor, membership, space)) refuse(403, "forbidden");
  if (upload.sizeIsDeferred || upload.size === undefined) refuse(400, "length_required");
  const size = upload.size;
  const maxFileBytes = getEnv().maxFileBytes;
  if (size > maxFileBytes) refuse(413, "file_too_large", { maxBytes: maxFileBytes });
  const meta = readMetadata(upload.metadata);
  const db = getDb();
  const now = Date.now();

  await db.transaction().execute(async (trx) => {
    if (meta.folderId && !(await findLiveFolder(trx, space.id, meta.folderId))) refuse(404, "folder_not_found");
    if (meta.fileId) {
      const target = await findLiveFile(trx, space.id, meta.fileId);
      if (!target) refuse(404, "file_not_found");
      if (!canEditFile(actor, membership, space, target)) refuse(403, "forbidden");
    } else {
      const existing = await findFileByName(trx, space.id, meta.folderId, meta.name);
      if (existing) {
        if (meta.onConflict === null) refuse(409, "name_taken", { fileId: existing.id, canVersion: canEditFile(actor, membership, space, existing) });
        if (meta.onConflict === "version" && !canEditFile(actor, membership, space, existing)) refuse(403, "forbidden");
      }
    }
    // Checked and reserved in one write transaction: two uploads racing for the last gigabyte cannot both get it.
    const usage = await spaceUsage(trx, space.id, now);
    const remaining = space.storage_quota_bytes - usage.stored - usage.reserved;
    if (size > remaining) refuse(413, "quota_exceeded", { remainingBytes: Math.max(0, remaining), quotaBytes: space.storage_quota_bytes });
    await createUpload(trx, {
      id: upload.id,
      spaceId: space.id,
      folderId: meta.folderId,
      userId: actor.id,
      fileId: meta.fileId,
      name: meta.name,
      size,
      now,
      expiresAt: now + UPLOAD_TTL_MS,
    });
  });
  return { metadata: { ...upload.metadata, filename: meta.name, onConflict: meta.onConflict ?? "" } };
}

async function onUploadFinish(req: Request, upload: TusUpload) {
  const context = requests.get(req);
  if (!context) refuse(500, "no_context");
  const storage = getStorage();
  const db = getDb();
  const row = await findUpload(db, upload.id);
  if (!row || row.space_id !== context.space.id) refuse(410, "upload_gone");

  const object = await describeObject(storage, row.space_id, upload.id, row.size, hashes.take(upload.id, row.size));
  const choice = (upload.metadata?.onConflict || null) as ConflictChoice | null;
  const now = Date.now();
  const { space, actor, membership } = context;

  const recorded = await db.transaction().execute(async (trx) => {
    // Things may have moved while the bytes came in: a folder trashed means the top level, not a lost file.
    const folderId = row.folder_id && (await findLiveFolder(trx, space.id, row.folder_id)) ? row.folder_id : null;
    let target: StoredFile | undefined = row.file_id ? await findLiveFile(trx, space.id, row.file_id) : undefined;
    let name = row.name;
    if (!target) {
      const existing = await findFileByName(trx, space.id, folderId, name);
      if (existing && choice === "version" && canEditFile(actor, membership, space, existing)) target = existing;
      else if (existing) name = await freeFileName(trx, space.id, folderId, name);
    }
    const facts = { userId: actor.id, now, object, originalName: row.name };
    let file: Pick<StoredFile, "id" | "name">;
    if (target) {
      await addVersion(trx, target, facts);
      file = target;
    } else {
      file = (await createFile(trx, { ...facts, spaceId: space.id, folderId, name })).file;
    }
    await deleteUpload(trx, upload.id);
    await recordActivity(trx, {
      spaceId: space.id,
      actorId: actor.id,
      verb: target ? "file_versioned" : "file_added",
      data: { fileId: file.id, name: file.name },
      now,
    });
    return file;
  });
  // The bytes stay where they are, as the version's object; only tus's bookkeeping goes.
  await storage.discardUpload(upload.id, { keepObject: true }).catch((error: unknown) => console.error("upload bookkeeping left behind", upload.id, error));
  return { headers: { "Upload-File-Id": recorded.id } };
}

/** Type from the first bytes, checksum, thumbnail: everything the version records about its object. */
async function describeObject(storage: StorageDriver, spaceId: string, uploadId: string, size: number, sha256: string | null): Promise<StoredObjectFacts> {
  const key = storage.uploadKey(uploadId);
  const head = size > 0 ? await readAll((await storage.get(key, { start: 0, end: Math.min(size, SNIFF_BYTES) - 1 })).body) : new Uint8Array();
  const contentType = await sniffContentType(head);
  const checksum = sha256 ?? (await hashObject(storage, key));
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

async function hashObject(storage: StorageDriver, key: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of (await storage.get(key)).body) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * SHA-256 computed as the bytes stream in, per upload, in this process.
 * A resumed upload whose earlier part went through another worker (or before
 * a restart) has no running hash here; it is then hashed from storage once
 * complete — slower, never wrong.
 */
class RunningHashes {
  private readonly running = new Map<string, { hash: Hash; offset: number }>();

  start(id: string) {
    this.running.set(id, { hash: createHash("sha256"), offset: 0 });
  }

  /** A stream to write through, if this process saw every byte before `offset`. */
  tap(id: string, offset: number): { through: Transform; commit: (newOffset: number) => void } | null {
    const state = this.running.get(id);
    if (!state || state.offset !== offset) {
      this.running.delete(id);
      return null;
    }
    let seen = 0;
    // A Transform, not a PassThrough with a "data" listener: the listener
    // starts the stream flowing at once, and S3Store reads it only after a
    // few round trips to S3 (metadata, ListParts, the incomplete part): every
    // byte that flowed by meanwhile was hashed but never stored.
    const through = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        state.hash.update(chunk);
        seen += chunk.length;
        callback(null, chunk);
      },
    });
    return {
      through,
      // The store may keep fewer bytes than it was handed (an aborted request): then the hash is no good.
      commit: (newOffset) => {
        if (newOffset === offset + seen) state.offset = newOffset;
        else this.running.delete(id);
      },
    };
  }

  take(id: string, size: number): string | null {
    const state = this.running.get(id);
    this.running.delete(id);
    return state && state.offset === size ? state.hash.digest("hex") : null;
  }

  drop(id: string) {
    this.running.delete(id);
  }
}

const hashes = new RunningHashes();

/** The storage driver's tus store, with the running hash on the way in. */
class HashingStore extends DataStore {
  constructor(private readonly inner: DataStore) {
    super();
    this.extensions = inner.extensions;
  }

  override async create(upload: TusUpload) {
    const created = await this.inner.create(upload);
    hashes.start(upload.id);
    return created;
  }

  override async write(stream: Readable, id: string, offset: number) {
    const tap = hashes.tap(id, offset);
    if (!tap) return this.inner.write(stream, id, offset);
    const [newOffset] = await Promise.all([this.inner.write(tap.through, id, offset), pipeline(stream, tap.through)]);
    tap.commit(newOffset);
    return newOffset;
  }

  override getUpload(id: string) {
    return this.inner.getUpload(id);
  }

  override async remove(id: string) {
    hashes.drop(id);
    return this.inner.remove(id);
  }

  override declareUploadLength(id: string, length: number) {
    return this.inner.declareUploadLength(id, length);
  }

  override deleteExpired() {
    return this.inner.deleteExpired();
  }

  override getExpiration() {
    return this.inner.getExpiration();
  }
}

let server: Server | undefined;

function tusServer(): Server {
  server ??= new Server({
    // Only used to parse ids; the real address carries the space (generateUrl).
    path: "/uploads",
    datastore: new HashingStore(getStorage().uploadStore()),
    namingFunction: () => newId(),
    getFileIdFromRequest: (req) => new URL(req.url).pathname.split("/").filter(Boolean).at(-1),
    generateUrl: (req, { id }) => `/spaces/${requests.get(req)?.space.slug ?? ""}/files/uploads/${id}`,
    relativeLocation: true,
    // Same origin only (the app's origin check runs first anyway); tus would say "*".
    allowedOrigins: [getEnv().baseUrl.origin],
    // No `maxSize`: onUploadCreate refuses an oversized length with a message the page can show,
    // and tus itself never takes a byte past the declared length.
    // A finished upload is a file now; deleting it goes through the file's own trash.
    disableTerminationForFinishedUploads: true,
    locker: new SqliteLocker(getDb()),
    onUploadCreate,
    onUploadFinish,
  });
  return server;
}

/** Hands an authorised request to tus. */
export function handleUpload(request: Request, context: UploadRequest): Promise<Response> {
  requests.set(request, context);
  return tusServer().handleWeb(request);
}

/** An abandoned upload gives its room in the quota back at once. */
export async function forgetUpload(uploadId: string) {
  await deleteUpload(getDb(), uploadId);
}

/** The upload row if it is this user's, in this space, and still running. */
export async function findOwnUpload(uploadId: string, context: UploadRequest) {
  const row = await findUpload(getDb(), uploadId);
  if (!row || row.space_id !== context.space.id || row.user_id !== context.actor.id) return undefined;
  return row;
}
