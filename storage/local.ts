import { randomBytes } from "node:crypto";
import { createReadStream, mkdirSync, type Dirent } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, statfs, unlink, writeFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FileStore } from "@tus/file-store";
import type { DataStore } from "@tus/utils";
import { assertByteRange, assertKey, isUploadId } from "./keys.ts";
import { ObjectNotFoundError, StorageConfigError, type ByteRange, type StorageDriver, type StoredObject } from "./types.ts";

/**
 * The default driver: objects are files under one root folder, and tus
 * uploads are written by @tus/file-store straight into that same root, so a
 * finished upload needs no copy to become an object.
 */
export class LocalDriver implements StorageDriver {
  readonly kind = "local" as const;
  readonly root: string;
  private store: FileStore | undefined;

  constructor({ root }: { root: string }) {
    this.root = path.resolve(root);
  }

  async check(): Promise<void> {
    const where = `The storage folder ${this.root}`;
    try {
      await mkdir(this.root, { recursive: true });
    } catch (error) {
      // mkdir says EEXIST or ENOTDIR when a file stands where a folder should.
      const info = await stat(this.root).catch(() => null);
      if (info && !info.isDirectory()) throw new StorageConfigError(`${where} is a file, not a folder.`, { cause: error });
      throw new StorageConfigError(`${where} cannot be created (${codeOf(error)}).`, { cause: error });
    }
    const info = await stat(this.root);
    if (!info.isDirectory()) throw new StorageConfigError(`${where} is a file, not a folder.`);
    // A dot name is never a valid key, so the probe can never clash with an
    // object nor show up in list().
    const probe = path.join(this.root, `.cercle-probe-${randomBytes(8).toString("hex")}`);
    const bytes = randomBytes(32);
    try {
      await writeFile(probe, bytes, { flag: "wx" });
      const back = await readFile(probe);
      if (!back.equals(bytes)) throw new StorageConfigError(`${where} does not give back what was written to it.`);
    } catch (error) {
      if (error instanceof StorageConfigError) throw error;
      throw new StorageConfigError(`${where} is not writable (${codeOf(error)}).`, { cause: error });
    } finally {
      await rm(probe, { force: true }).catch(() => {});
    }
  }

  async put(key: string, body: Readable | Uint8Array): Promise<StoredObject> {
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    // The temporary name starts with a dot so list() and every key check
    // ignore it, and it lives in the target's folder so rename() stays on
    // one file system and is atomic.
    const temporary = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await mkdir(dir, { recursive: true });
      if (body instanceof Uint8Array) {
        await writeFile(temporary, body, { flag: "wx" });
      } else {
        // Opening the file ourselves (rather than letting createWriteStream
        // open it lazily) means that once pipeline() settles no open is still
        // in flight that could recreate the file after we remove it.
        const handle = await open(temporary, "wx");
        try {
          await pipeline(body, handle.createWriteStream());
        } finally {
          // The stream closes the handle when it ends or is destroyed; this
          // only covers a pipeline that failed before the stream took it.
          await handle.close().catch(() => {});
        }
      }
      const { size } = await stat(temporary);
      await rename(temporary, target);
      return { key, size };
    } catch (error) {
      if (!(body instanceof Uint8Array)) body.destroy();
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<{ body: Readable; size: number }> {
    const file = this.pathOf(key);
    if (range) assertByteRange(range);
    // Open first and size the open file: a delete racing with us then cannot
    // turn a found object into a stream that fails later.
    let handle: FileHandle;
    try {
      handle = await open(file, "r");
    } catch (error) {
      if (isMissing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile() || !(await this.isVisible(key, info.size))) throw new ObjectNotFoundError(key);
      if (!range) return { body: handle.createReadStream(), size: info.size };
      if (range.start >= info.size) throw new RangeError(`range starts at ${range.start}, past the end of ${key}`);
      const end = Math.min(range.end, info.size - 1);
      return { body: handle.createReadStream({ start: range.start, end }), size: info.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async head(key: string): Promise<StoredObject | null> {
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      if (!info.isFile() || !(await this.isVisible(key, info.size))) return null;
      return { key, size: info.size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await unlinkIfThere(this.pathOf(key));
  }

  async *list(prefix = ""): AsyncIterable<StoredObject> {
    // Any prefix a key could start with passes; anything path-like does not.
    if (prefix !== "") assertKey(`${prefix}x`);
    // Walk only the folder the prefix fully names, not the whole root.
    const slash = prefix.lastIndexOf("/");
    const start = slash === -1 ? "" : prefix.slice(0, slash);
    yield* this.walk(start, prefix);
  }

  uploadStore(): DataStore {
    if (!this.store) {
      // FileStore creates its folder from a callback that throws where
      // nobody can catch it; making the folder first keeps a bad root a
      // plain exception here instead of a crashed process.
      mkdirSync(this.root, { recursive: true });
      this.store = new FileStore({ directory: this.root });
    }
    return this.store;
  }

  async freeBytes(): Promise<number> {
    const { bavail, bsize } = await statfs(this.root);
    return Number(bavail) * Number(bsize);
  }

  uploadKey(uploadId: string): string {
    if (!isUploadId(uploadId)) throw new Error("invalid upload id");
    return uploadId;
  }

  async discardUpload(uploadId: string, options: { keepObject?: boolean } = {}): Promise<void> {
    const file = path.join(this.root, this.uploadKey(uploadId));
    const bookkeeping = `${file}.json`;
    // An unfinished upload's bytes are never kept, whatever keepObject says:
    // on S3 they do not exist as an object, and here they would otherwise
    // surface as a truncated object once the .json is gone.
    const finished = await this.uploadFinished(uploadId);
    if (!options.keepObject || finished === false) await unlinkIfThere(file);
    await unlinkIfThere(bookkeeping);
  }

  private pathOf(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  /**
   * A tus upload's file sits under its id at the top of the root from its
   * first byte; until it is complete it must not pass for an object (on S3
   * it only becomes one when the multipart upload completes).
   */
  private async isVisible(key: string, size: number): Promise<boolean> {
    if (!isUploadId(key)) return true;
    const finished = await this.uploadFinished(key, size);
    return finished !== false;
  }

  /** null: no upload bookkeeping under this id; otherwise whether all bytes arrived. */
  private async uploadFinished(uploadId: string, knownSize?: number): Promise<boolean | null> {
    let declared: unknown;
    try {
      declared = JSON.parse(await readFile(path.join(this.root, `${uploadId}.json`), "utf8"));
    } catch (error) {
      if (isMissing(error)) return null;
      // A torn .json (a crash mid-write) means the upload is not usable.
      return false;
    }
    const total = (declared as { size?: unknown } | null)?.size;
    if (typeof total !== "number") return false;
    const size = knownSize ?? (await stat(path.join(this.root, uploadId)).then((s) => s.size, () => -1));
    return size === total;
  }

  private async *walk(relativeDir: string, prefix: string): AsyncIterable<StoredObject> {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(this.root, ...relativeDir.split("/").filter(Boolean)), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === "ENOTDIR") return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const key = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      // Dot names (temporary files, probes) and anything else no key could
      // name are not objects; symbolic links are never followed.
      if (!isKey(key)) continue;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix);
        continue;
      }
      if (!entry.isFile() || !key.startsWith(prefix)) continue;
      if (relativeDir === "" && isUploadBookkeeping(entry.name)) continue;
      let size: number;
      try {
        size = (await stat(path.join(this.root, ...key.split("/")))).size;
      } catch (error) {
        if (isMissing(error)) continue;
        throw error;
      }
      if (!(await this.isVisible(key, size))) continue;
      yield { key, size };
    }
  }
}

function isUploadBookkeeping(name: string): boolean {
  return name.endsWith(".json") && isUploadId(name.slice(0, -".json".length));
}

function isKey(key: string): boolean {
  try {
    assertKey(key);
    return true;
  } catch {
    return false;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? String(error);
}

async function unlinkIfThere(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    // EISDIR/EPERM: a folder stands under that name, so no object does.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "EISDIR" && code !== "EPERM") throw error;
  }
}
