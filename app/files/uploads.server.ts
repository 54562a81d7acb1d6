import { createHash, type Hash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Server } from "@tus/server";
import { DataStore, ERRORS, type Upload as TusUpload } from "@tus/utils";
import type { Upload } from "#db/schema.ts";
import { newId } from "#db/ids.ts";
import { deleteUpload, findUpload, touchUpload } from "#db/queries/files.ts";
import { transact } from "#db/transact.ts";
import { canUploadFiles } from "#app/policies/file.ts";
import type { ActingParts } from "#app/utils/acting.server.ts";
import { getDb } from "#app/utils/db.server.ts";
import { getEnv } from "#app/utils/env.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { cleanName, fitFileName } from "./names.ts";
import { reserveUpload, resumeUpload, type ConflictChoice, type ReserveRefusal } from "./commands.server.ts";
import { diskFullAs507, isDiskFull, refuse, UPLOAD_TTL_MS } from "./reservations.server.ts";
import { finishUpload, storedProgress } from "./upload-finish.server.ts";
import { SqliteLocker } from "./upload-locker.server.ts";
import { uploadsUrl } from "#app/urls.ts";

/**
 * Resumable uploads with the tus protocol (@tus/server), inside the Remix
 * route /spaces/:space/files/uploads/*. The route authenticates and checks
 * the space; the hooks here check the metadata and the file size, reserve
 * the upload's room in the quota and on the disk (reserveUpload in
 * commands.server.ts; the `upload` table holds it while the upload is alive:
 * reservations.server.ts), and when the last byte is in, record the file
 * (upload-finish.server.ts). Until then nothing is visible; an upload left
 * unfinished lapses, then its parts go.
 */

export { UPLOAD_TTL_MS };

/** What the route learnt about the request before handing it to tus. */
export type UploadRequest = ActingParts<"space" | "actor" | "membership">;

const requests = new WeakMap<Request, UploadRequest>();

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
  const storage = getStorage();
  const now = Date.now();

  const reserved = await diskFullAs507(async () => {
    // Measured before the transaction: a file system call has no place inside one.
    const freeBytes = storage.freeBytes ? await storage.freeBytes() : null;
    return transact(db, (trx) =>
      reserveUpload(trx, { space, actor, membership, now }, { uploadId: upload.id, ...meta, size, freeBytes, marginBytes: getEnv().storageFreeMarginBytes }),
    );
  });
  if (!reserved.ok) refuseAsTus(reserved);
  return { metadata: { ...upload.metadata, filename: meta.name, onConflict: meta.onConflict ?? "" } };
}

async function onUploadFinish(req: Request, upload: TusUpload) {
  const context = requests.get(req);
  if (!context) refuse(500, "no_context");
  const row = await findUpload(getDb(), upload.id);
  if (!row || row.space_id !== context.space.id) refuse(410, "upload_gone");
  const finished = await finishUpload(getDb(), getStorage(), upload.id, {
    sha256: hashes.take(upload.id, row.size),
    onConflict: conflictChoice(upload.metadata),
    crashBeforeFileRow: getEnv().testCrashBeforeFileRow,
  });
  if (!finished) refuse(410, "upload_gone");
  return { headers: { "Upload-File-Id": finished.fileId } };
}

/** HTTP statuses of the commands' refusals, as tus answers them. */
const REFUSAL_STATUS: Record<ReserveRefusal["error"], number> = {
  folder_not_found: 404,
  file_not_found: 404,
  forbidden: 403,
  name_taken: 409,
  quota_exceeded: 413,
  uploads_pending: 413,
  disk_full: 507,
};

function refuseAsTus(refusal: ReserveRefusal): never {
  const { ok: _ok, error, ...extra } = refusal;
  refuse(REFUSAL_STATUS[error], error, extra);
}

function conflictChoice(metadata: TusUpload["metadata"]): ConflictChoice | null {
  const choice = metadata?.onConflict;
  return choice === "version" || choice === "copy" ? choice : null;
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
    const created = await diskFullAs507(() => this.inner.create(upload));
    hashes.start(upload.id);
    return created;
  }

  /**
   * The bytes of one PATCH. While they come in, the upload is alive (its
   * reservation does not lapse under a long PATCH); once they are in, the
   * bytes received are recorded. (A full disk: onResponseError.)
   */
  override async write(stream: Readable, id: string, offset: number) {
    const db = getDb();
    const beat = setInterval(() => {
      const now = Date.now();
      touchUpload(db, id, { now, expiresAt: now + UPLOAD_TTL_MS }).catch((error: unknown) => console.error("upload activity not recorded", id, error));
    }, ACTIVITY_BEAT_MS);
    beat.unref();
    try {
      const newOffset = await this.writeHashed(stream, id, offset);
      const now = Date.now();
      // The bytes are stored whatever happens to this bookkeeping; failing the PATCH for it would only make the client resend them.
      await touchUpload(db, id, { received: newOffset, now, expiresAt: now + UPLOAD_TTL_MS }).catch((error: unknown) =>
        console.error("upload progress not recorded", id, error),
      );
      return newOffset;
    } finally {
      clearInterval(beat);
    }
  }

  private async writeHashed(stream: Readable, id: string, offset: number) {
    const tap = hashes.tap(id, offset);
    if (!tap) return this.inner.write(stream, id, offset);
    const [newOffset] = await Promise.all([this.inner.write(tap.through, id, offset), pipeline(stream, tap.through)]);
    tap.commit(newOffset);
    return newOffset;
  }

  override getUpload(id: string) {
    return diskFullAs507(() => this.inner.getUpload(id));
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

/** Below this, a failed write is taken for a full disk (a write fails with ENOSPC when less than a block is left). */
const FULL_DISK_SLACK_BYTES = 1024 * 1024;

/**
 * Any request tus fails because the disk is full answers 507 with our JSON
 * body, not 500. The ENOSPC may reach tus as itself (it destroys the request
 * stream, which tus's pipeline reports first) or hidden in @tus/file-store's
 * own FILE_WRITE_ERROR: then a disk left with (almost) nothing free says what it was.
 */
async function onResponseError(_req: Request, error: unknown) {
  const fileWriteError = (error as { status_code?: unknown; body?: unknown } | null)?.body === ERRORS.FILE_WRITE_ERROR.body;
  if (isDiskFull(error) || (fileWriteError && (await diskLooksFull()))) {
    return { status_code: 507, body: JSON.stringify({ error: "disk_full" }) };
  }
  return undefined;
}

async function diskLooksFull(): Promise<boolean> {
  const storage = getStorage();
  if (!storage.freeBytes) return false;
  return (await storage.freeBytes().catch(() => Infinity)) < FULL_DISK_SLACK_BYTES;
}

/** How often a PATCH under way says its upload is alive: well within UPLOAD_IDLE_MS. */
const ACTIVITY_BEAT_MS = 60_000;

let server: Server | undefined;

function tusServer(): Server {
  server ??= new Server({
    // Only used to parse ids; the real address carries the space (generateUrl).
    path: "/uploads",
    datastore: new HashingStore(getStorage().uploadStore()),
    namingFunction: () => newId(),
    getFileIdFromRequest: (req) => new URL(req.url).pathname.split("/").filter(Boolean).at(-1),
    generateUrl: (req, { id }) => uploadsUrl(requests.get(req)?.space.slug ?? "", id),
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
    onResponseError,
  });
  return server;
}

/** Hands an authorised request to tus. */
export function handleUpload(request: Request, context: UploadRequest): Promise<Response> {
  requests.set(request, context);
  return tusServer().handleWeb(request);
}

/**
 * A PATCH on one's own upload, before tus takes its bytes: the upload is alive
 * again, and one that had lapsed takes room in the quota again if there is
 * some. A refusal is answered as tus would (status and JSON body).
 */
export async function beforePatch(row: Upload, context: UploadRequest): Promise<Response | null> {
  try {
    const now = Date.now();
    const resumed = await diskFullAs507(() => transact(getDb(), (trx) => resumeUpload(trx, { space: context.space, now }, { upload: row })));
    if (!resumed.ok) refuseAsTus(resumed);
    return null;
  } catch (error) {
    return refusalResponse(error);
  }
}

/**
 * HEAD on one's own upload, answered here when it is complete: a finished one
 * names its file (a client whose last PATCH lost its answer learns it is
 * done), and one whose every byte is stored but that has no file yet (its
 * process died in between) becomes its file now — once, however many HEADs
 * race. Otherwise tus answers (null).
 */
export async function headOfComplete(row: Upload): Promise<Response | null> {
  try {
    let fileId = row.finished_file_id;
    if (!fileId) {
      const storage = getStorage();
      const progress = await diskFullAs507(() => storedProgress(storage, row.id));
      if (!progress || progress.offset !== progress.size) return null;
      const finished = await diskFullAs507(() =>
        finishUpload(getDb(), storage, row.id, {
          sha256: hashes.take(row.id, row.size),
          onConflict: conflictChoice(progress.metadata),
          crashBeforeFileRow: getEnv().testCrashBeforeFileRow,
        }),
      );
      if (!finished) return null;
      fileId = finished.fileId;
    }
    return new Response(null, {
      status: 200,
      headers: {
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": String(row.size),
        "Upload-Length": String(row.size),
        "Upload-File-Id": fileId,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return refusalResponse(error);
  }
}

/** One of our refusals as tus would send it; anything else is thrown on. */
function refusalResponse(error: unknown): Response {
  const refusal = error as { status_code?: unknown; body?: unknown } | null;
  if (typeof refusal?.status_code !== "number" || typeof refusal.body !== "string") throw error;
  return new Response(refusal.body, { status: refusal.status_code, headers: { "Tus-Resumable": "1.0.0", "Content-Type": "application/json" } });
}

/** An abandoned upload gives its room in the quota back at once. */
export async function forgetUpload(uploadId: string) {
  await deleteUpload(getDb(), uploadId);
}

/** The upload row if it is this user's, in this space (running, or finished in the last day). */
export async function findOwnUpload(uploadId: string, context: UploadRequest) {
  const row = await findUpload(getDb(), uploadId);
  if (!row || row.space_id !== context.space.id || row.user_id !== context.actor.id) return undefined;
  return row;
}
