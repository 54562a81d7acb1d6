import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import yauzl from "yauzl";

/** One entry of a zip, from its central directory. */
export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflated. */
  method: number;
}

function open(source: Buffer | string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: yauzl.ZipFile) => (error || !zip ? reject(error ?? new Error("no zip")) : resolve(zip));
    if (typeof source === "string") yauzl.open(source, { lazyEntries: true, autoClose: false }, done);
    else yauzl.fromBuffer(source, { lazyEntries: true }, done);
  });
}

/**
 * Reads a zip's central directory, and for each entry either its bytes
 * (`read` says which: small ones) or its size and SHA-256, streamed (a big one).
 */
export async function readZip(
  source: Buffer | string,
  read: (name: string) => "bytes" | "hash" | "skip" = () => "bytes",
): Promise<{ entries: ZipEntry[]; bytes: Map<string, Buffer>; hashes: Map<string, { sha256: string; size: number }> }> {
  const zip = await open(source);
  const entries: ZipEntry[] = [];
  const bytes = new Map<string, Buffer>();
  const hashes = new Map<string, { sha256: string; size: number }>();
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.push({ name: entry.fileName, size: entry.uncompressedSize, compressedSize: entry.compressedSize, method: entry.compressionMethod });
      const how = read(entry.fileName);
      if (how === "skip") {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (error, stream?: Readable) => {
        if (error || !stream) return reject(error ?? new Error("no stream"));
        const hash = createHash("sha256");
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (how === "bytes") chunks.push(chunk);
          else hash.update(chunk);
        });
        stream.on("error", reject);
        stream.on("end", () => {
          if (how === "bytes") bytes.set(entry.fileName, Buffer.concat(chunks));
          else hashes.set(entry.fileName, { sha256: hash.digest("hex"), size });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  zip.close();
  return { entries, bytes, hashes };
}
