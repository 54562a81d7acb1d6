import { sql } from "kysely";
import type { DB } from "#db/client.ts";
import { beginReadSnapshot } from "#db/dialect.ts";
import { photoKey, thumbnailKey, wikiImageKey } from "#storage/keys.ts";
import { forEachLimited, hashObject } from "#storage/hash.ts";
import { ObjectNotFoundError, type StorageDriver } from "#storage/types.ts";

/**
 * `npm run storage:check`: does every row that names a stored object have
 * it, with the size (and, when asked, the SHA-256) recorded at upload? And
 * which objects does no row name (orphans)? Takes a database and a driver;
 * reads no environment, so it runs the same from the CLI and from tests.
 *
 * Orphan deletion never touches an object a row names, including a row
 * written while the check runs:
 *
 * 1. The storage is listed *before* the database is read. An object that
 *    appears after the listing is never a candidate; one that was listed is
 *    a candidate only if no row named it when the database was read.
 * 2. The database is read in one read transaction (one SQLite snapshot), so
 *    an upload that finishes meanwhile — its `upload` row swapped for a
 *    `file_version` row in one transaction — is seen under one or the other,
 *    never under neither.
 * 3. Writers that store the object first and write its row just after
 *    (wiki images) leave a short window with an object and no row. The
 *    drivers give no object time (`list()` yields key and size only), so
 *    the grace period is measured from the end of the listing instead:
 *    nothing is deleted before `orphanGraceMs` has passed since the listing
 *    ended. Every listed object was complete before then, so any writer that
 *    writes its row within the grace period of its object has written it by
 *    the time of step 4.
 * 4. Right before deleting, each candidate is checked again against a fresh
 *    read of every reference (re-read at least every RECHECK_EVERY_MS while
 *    deleting), and kept if a row now names it.
 *
 * Missing objects are confirmed with head() (the listing may have passed
 * before an object was stored), and every error found is checked against a
 * fresh read of the references at the end, so a version purged while the
 * check ran is not reported missing.
 */

/** Default wait between the end of the listing and the first orphan deletion. */
export const ORPHAN_GRACE_MS = 60_000;
/** While deleting orphans, the references are re-read at least this often. */
const RECHECK_EVERY_MS = 1_000;
/** Objects hashed at once: hides S3 latency, keeps memory to a few stream buffers. */
const HASH_CONCURRENCY = 4;

export type ReferenceKind = "file_version" | "thumbnail" | "wiki_image" | "upload" | "upload_thumbnail" | "data_export" | "photo" | "logo";

/** One object some row names. */
export interface Reference {
  key: string;
  kind: ReferenceKind;
  /**
   * required: absent is an error (a file or image that cannot be served);
   * expected: absent is a warning (a thumbnail, made again on demand or not at all);
   * optional: may not exist (an upload under way has no object until its last byte).
   */
  presence: "required" | "expected" | "optional";
  /** Recorded size and SHA-256 (hex), when the row keeps them. */
  size: number | null;
  sha256: string | null;
  /** The row, in words and ids an admin can look up. */
  owner: Owner;
}

export interface Owner {
  /** Id of the row that names the key (file_version, wiki_image or upload). */
  rowId: string;
  spaceId: string;
  spaceSlug: string | null;
  fileId?: string;
  fileName?: string;
  versionNumber?: number;
  /** The file is in the space's trash. */
  inTrash?: boolean;
  /** The upload's row is past its expiry (the sweep will remove it). */
  expired?: boolean;
}

/**
 * Every object the database names, read in one snapshot. THE one place that
 * knows which tables point at storage: a new table that keeps storage keys
 * adds its rows here, and both the check and orphan deletion follow.
 */
export async function collectReferences(db: DB, storage: StorageDriver, now = Date.now()): Promise<Reference[]> {
  return readSnapshot(db, async (conn) => {
    const refs: Reference[] = [];

    const versions = await conn
      .selectFrom("file_version as v")
      .innerJoin("file as f", "f.id", "v.file_id")
      .leftJoin("space as s", "s.id", "v.space_id")
      .select([
        "v.id",
        "v.storage_key",
        "v.thumbnail_key",
        "v.size",
        "v.sha256",
        "v.number",
        "v.space_id",
        "f.id as file_id",
        "f.name as file_name",
        "f.deleted_at",
        "s.slug",
      ])
      .execute();
    for (const v of versions) {
      const owner: Owner = {
        rowId: v.id,
        spaceId: v.space_id,
        spaceSlug: v.slug,
        fileId: v.file_id,
        fileName: v.file_name,
        versionNumber: v.number,
        inTrash: v.deleted_at !== null,
      };
      refs.push({ key: v.storage_key, kind: "file_version", presence: "required", size: v.size, sha256: v.sha256, owner });
      if (v.thumbnail_key) refs.push({ key: v.thumbnail_key, kind: "thumbnail", presence: "expected", size: null, sha256: null, owner });
    }

    const images = await conn
      .selectFrom("wiki_image as w")
      .leftJoin("space as s", "s.id", "w.space_id")
      .select(["w.id", "w.space_id", "w.size", "w.sha256", "s.slug"])
      .execute();
    for (const w of images) {
      const key = keyOrNull(() => wikiImageKey(w.space_id, w.id));
      // An id no key could be made from names no object either.
      if (key === null) continue;
      refs.push({
        key,
        kind: "wiki_image",
        presence: "required",
        size: w.size,
        sha256: w.sha256,
        owner: { rowId: w.id, spaceId: w.space_id, spaceSlug: w.slug },
      });
    }

    // Uploads under way own their bytes (the object `uploadKey(id)` once
    // complete) and the thumbnail made just before the row becomes a
    // file_version (thumbnailKey(space, upload id)); neither need exist yet.
    const uploads = await conn
      .selectFrom("upload as u")
      .leftJoin("space as s", "s.id", "u.space_id")
      .select(["u.id", "u.space_id", "u.expires_at", "s.slug"])
      // A finished upload's bytes and thumbnail are its file version's now, checked as such.
      .where("u.finished_file_id", "is", null)
      .execute();
    for (const u of uploads) {
      const owner: Owner = { rowId: u.id, spaceId: u.space_id, spaceSlug: u.slug, expired: u.expires_at <= now };
      const key = keyOrNull(() => storage.uploadKey(u.id));
      if (key !== null) refs.push({ key, kind: "upload", presence: "optional", size: null, sha256: null, owner });
      const thumb = keyOrNull(() => thumbnailKey(u.space_id, u.id));
      if (thumb !== null) refs.push({ key: thumb, kind: "upload_thumbnail", presence: "optional", size: null, sha256: null, owner });
    }

    // A member's data export (app/exports/) owns its zip until housekeeping deletes both; one
    // being built has none yet. Not about a space: no space id.
    const dataExports = await conn.selectFrom("data_export").select(["id", "storage_key", "size"]).where("storage_key", "is not", null).execute();
    for (const e of dataExports) {
      if (e.storage_key) refs.push({ key: e.storage_key, kind: "data_export", presence: "optional", size: e.size, sha256: null, owner: { rowId: e.id, spaceId: "", spaceSlug: null } });
    }

    // A member's profile photo, in each of its sizes. Without these rows, --delete-orphans took
    // every photo for an orphan, and a backup left them out. Expected, not required: a missing one
    // is a warning, as a thumbnail is (no file is lost). Not about a space: no space id.
    const photos = await conn.selectFrom("user").select(["id", "photo_id"]).where("photo_id", "is not", null).execute();
    for (const u of photos) {
      for (const size of ["s", "l"] as const) {
        const key = keyOrNull(() => photoKey(u.id, u.photo_id!, size));
        if (key !== null) refs.push({ key, kind: "photo", presence: "expected", size: null, sha256: null, owner: { rowId: u.id, spaceId: "", spaceSlug: null } });
      }
    }

    // The network's logo (app/admin/logo.server.ts): one object, shown on every page's header and
    // the sign-in page. Expected, as a photo is: without it the header falls back to the mark.
    const network = await conn.selectFrom("network").select(["id", "logo_key"]).executeTakeFirst();
    if (network?.logo_key) refs.push({ key: network.logo_key, kind: "logo", presence: "expected", size: null, sha256: null, owner: { rowId: network.id, spaceId: "", spaceSlug: null } });

    return refs;
  });
}

/**
 * Runs `read` inside a read-only transaction on one connection
 * (db/dialect.ts beginReadSnapshot): every SELECT in it sees the same
 * snapshot, and unlike db.transaction() (BEGIN IMMEDIATE on SQLite,
 * serializable on PostgreSQL) it takes no write lock and is never refused,
 * so the app keeps writing.
 */
async function readSnapshot<T>(db: DB, read: (conn: DB) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await beginReadSnapshot(conn).execute(conn);
    try {
      const result = await read(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn).catch(() => {});
      throw error;
    }
  });
}

function keyOrNull(make: () => string): string | null {
  try {
    return make();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------

export interface ObjectProblem {
  key: string;
  kind: ReferenceKind;
  owner: Owner;
  expectedSize: number | null;
  /** Size found in storage; null when the object is missing. */
  actualSize: number | null;
  expectedSha256?: string | null;
  actualSha256?: string | null;
  /** For objects that exist but could not be read. */
  error?: string;
}

export interface OrphanObject {
  key: string;
  size: number;
}

export interface StorageReport {
  driver: "local" | "s3";
  startedAt: number;
  finishedAt: number;
  verifiedHashes: boolean;
  counts: {
    /** Objects the storage listed. */
    objects: number;
    objectBytes: number;
    fileVersions: number;
    thumbnails: number;
    wikiImages: number;
    /** Rows in `upload` (uploads under way), and how many of them are past expiry. */
    uploads: number;
    expiredUploads: number;
    /** Objects read whole and hashed (verifyHashes only). */
    hashed: number;
    hashedBytes: number;
  };
  /** Errors: a file version or wiki image whose object is not there. */
  missing: ObjectProblem[];
  /** Errors: the object's size is not the recorded one. */
  sizeMismatches: ObjectProblem[];
  /** Errors: the object's SHA-256 is not the recorded one (verifyHashes only). */
  hashMismatches: ObjectProblem[];
  /** Errors: the object is there but reading it failed. */
  unreadable: ObjectProblem[];
  /** Warnings: a version's thumbnail is not there (the file itself is fine). */
  missingThumbnails: ObjectProblem[];
  /** Objects no row names, found by this run (deleted ones included). */
  orphans: OrphanObject[];
  orphanBytes: number;
  /** With deleteOrphans: orphans removed, and those whose removal failed. */
  deletedOrphans: OrphanObject[];
  failedDeletions: (OrphanObject & { error: string })[];
  /** Listed as orphans, then named by a row written while the check ran: kept, not reported as orphans. */
  adoptedDuringCheck: OrphanObject[];
  /** No error: every file version and wiki image has its object, intact as far as checked, and no deletion failed. */
  ok: boolean;
}

export type CheckStage = "listing" | "reading-database" | "checking" | "waiting-grace" | "deleting-orphans" | "done";

export interface CheckOptions {
  /** Read every object whole and compare its SHA-256 with the recorded one. */
  verifyHashes: boolean;
  /** Delete orphans (after the grace period, each re-checked just before). */
  deleteOrphans: boolean;
  /** Called as each referenced object is checked (hashed, with verifyHashes). */
  onProgress?: (done: number, total: number) => void;
  /** Called (and awaited) as each stage begins. */
  onStage?: (stage: CheckStage) => void | Promise<void>;
  /** Wait after the listing before deleting anything; default ORPHAN_GRACE_MS. */
  orphanGraceMs?: number;
  /** Clock, for the expiry of uploads; default Date.now. */
  now?: () => number;
}

export async function checkStorage(db: DB, storage: StorageDriver, options: CheckOptions): Promise<StorageReport> {
  const now = options.now ?? Date.now;
  const graceMs = options.orphanGraceMs ?? ORPHAN_GRACE_MS;
  const stage = async (s: CheckStage) => {
    await options.onStage?.(s);
  };
  const startedAt = now();

  // 1. The listing, first.
  await stage("listing");
  const listed = new Map<string, number>();
  let objectBytes = 0;
  for await (const object of storage.list()) {
    listed.set(object.key, object.size);
    objectBytes += object.size;
  }
  const listingEndedAt = Date.now();

  // 2. Then what the rows name, in one snapshot.
  await stage("reading-database");
  const refs = await collectReferences(db, storage, now());

  const report: StorageReport = {
    driver: storage.kind,
    startedAt,
    finishedAt: startedAt,
    verifiedHashes: options.verifyHashes,
    counts: {
      objects: listed.size,
      objectBytes,
      fileVersions: 0,
      thumbnails: 0,
      wikiImages: 0,
      uploads: 0,
      expiredUploads: 0,
      hashed: 0,
      hashedBytes: 0,
    },
    missing: [],
    sizeMismatches: [],
    hashMismatches: [],
    unreadable: [],
    missingThumbnails: [],
    orphans: [],
    orphanBytes: 0,
    deletedOrphans: [],
    failedDeletions: [],
    adoptedDuringCheck: [],
    ok: true,
  };
  for (const ref of refs) {
    if (ref.kind === "file_version") report.counts.fileVersions++;
    else if (ref.kind === "thumbnail") report.counts.thumbnails++;
    else if (ref.kind === "wiki_image") report.counts.wikiImages++;
    else if (ref.kind === "upload") {
      report.counts.uploads++;
      if (ref.owner.expired) report.counts.expiredUploads++;
    }
  }

  // 3. Each named object: there, of its size, of its hash.
  await stage("checking");
  const toCheck = refs.filter((r) => r.presence !== "optional");
  let done = 0;
  options.onProgress?.(0, toCheck.length);
  await forEachLimited(toCheck, options.verifyHashes ? HASH_CONCURRENCY : 8, async (ref) => {
    await checkOne(storage, ref, listed, options.verifyHashes, report);
    options.onProgress?.(++done, toCheck.length);
  });

  // Errors about rows deleted meanwhile (a purge) are not errors.
  const errorLists = [report.missing, report.sizeMismatches, report.hashMismatches, report.unreadable, report.missingThumbnails];
  if (errorLists.some((list) => list.length > 0)) {
    const still = new Set((await collectReferences(db, storage, now())).map(refIdentity));
    for (const list of errorLists) {
      const kept = list.filter((p) => still.has(refIdentity(p)));
      list.splice(0, list.length, ...kept);
    }
  }

  // 4. Orphans: listed, named by no row.
  const named = new Set(refs.map((r) => r.key));
  let candidates: OrphanObject[] = [];
  for (const [key, size] of listed) if (!named.has(key)) candidates.push({ key, size });
  candidates.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  if (candidates.length > 0 && options.deleteOrphans) {
    await stage("waiting-grace");
    const wait = listingEndedAt + graceMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await stage("deleting-orphans");
    let fresh: Set<string> | null = null;
    let freshAt = 0;
    const orphans: OrphanObject[] = [];
    for (const candidate of candidates) {
      if (!fresh || Date.now() - freshAt > RECHECK_EVERY_MS) {
        freshAt = Date.now();
        fresh = new Set((await collectReferences(db, storage, now())).map((r) => r.key));
      }
      if (fresh.has(candidate.key)) {
        report.adoptedDuringCheck.push(candidate);
        continue;
      }
      orphans.push(candidate);
      try {
        await storage.delete(candidate.key);
        report.deletedOrphans.push(candidate);
      } catch (error) {
        report.failedDeletions.push({ ...candidate, error: errorText(error) });
      }
    }
    candidates = orphans;
  } else if (candidates.length > 0) {
    // Nothing deleted, but rows written since the first read still take
    // their objects out of the list, so the report names true orphans.
    const fresh = new Set((await collectReferences(db, storage, now())).map((r) => r.key));
    const orphans: OrphanObject[] = [];
    for (const candidate of candidates) (fresh.has(candidate.key) ? report.adoptedDuringCheck : orphans).push(candidate);
    candidates = orphans;
  }
  report.orphans = candidates;
  report.orphanBytes = candidates.reduce((sum, o) => sum + o.size, 0);

  report.ok =
    report.missing.length === 0 &&
    report.sizeMismatches.length === 0 &&
    report.hashMismatches.length === 0 &&
    report.unreadable.length === 0 &&
    report.failedDeletions.length === 0;
  report.finishedAt = now();
  await stage("done");
  return report;
}

/** The same row naming the same key (what a re-read must still find for a problem to stand). */
function refIdentity(r: { key: string; kind: ReferenceKind; owner: Owner }): string {
  return `${r.kind}\u0000${r.owner.rowId}\u0000${r.key}`;
}

async function checkOne(storage: StorageDriver, ref: Reference, listed: Map<string, number>, verifyHashes: boolean, report: StorageReport) {
  const problem = (actualSize: number | null, extra: Partial<ObjectProblem> = {}): ObjectProblem => ({
    key: ref.key,
    kind: ref.kind,
    owner: ref.owner,
    expectedSize: ref.size,
    actualSize,
    ...extra,
  });
  const missing = () => (ref.presence === "required" ? report.missing : report.missingThumbnails).push(problem(null));

  let size = listed.get(ref.key);
  if (size === undefined) {
    // Not listed: perhaps stored after the listing went past it.
    try {
      const head = await storage.head(ref.key);
      if (!head) return missing();
      size = head.size;
    } catch (error) {
      report.unreadable.push(problem(null, { error: errorText(error) }));
      return;
    }
  }
  if (ref.size !== null && size !== ref.size) {
    report.sizeMismatches.push(problem(size));
    return;
  }
  if (!verifyHashes || ref.sha256 === null) return;

  let hashed: { sha256: string; size: number };
  try {
    hashed = await hashObject(storage, ref.key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return missing();
    report.unreadable.push(problem(size, { error: errorText(error) }));
    return;
  }
  report.counts.hashed++;
  report.counts.hashedBytes += hashed.size;
  if (ref.size !== null && hashed.size !== ref.size) {
    report.sizeMismatches.push(problem(hashed.size));
  } else if (hashed.sha256 !== ref.sha256.toLowerCase()) {
    report.hashMismatches.push(problem(hashed.size, { expectedSha256: ref.sha256, actualSha256: hashed.sha256 }));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
