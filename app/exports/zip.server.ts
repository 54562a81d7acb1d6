import { pipeline, Transform, type Readable } from "node:stream";
import yazl from "yazl";
import type { StorageDriver } from "#storage/types.ts";
import type { ExportContent, ExportFile } from "./content.server.ts";
import { readmeText } from "./readme.ts";

/**
 * Writes a member's export as one zip, straight into storage: yazl makes the
 * zip as a stream (Zip64 once an entry or the whole passes 4 GB), and the
 * storage driver's put() takes that stream in bounded memory (to disk or S3).
 * Each file is opened only when its turn comes (addReadStreamLazy), so a
 * thousand files are never a thousand open handles or S3 connections, and no
 * file is ever held whole in memory whatever its size.
 *
 * Text-like files and the JSON documents are deflated; anything else (images,
 * video, archives, office documents that are zips already, and unknown bytes)
 * is stored as it is: deflating compressed bytes only costs time.
 */

export interface ZipProgress {
  done: number;
  total: number;
}

export interface WrittenZip {
  size: number;
  files: number;
  missing: number;
}

const DEFLATED_TYPES = new Set(["application/json", "application/xml", "image/svg+xml", "application/rtf", "application/x-ndjson", "application/javascript"]);

export function shouldDeflate(contentType: string): boolean {
  const type = contentType.split(";")[0].trim().toLowerCase();
  return type.startsWith("text/") || DEFLATED_TYPES.has(type);
}

export async function writeExportZip(
  storage: StorageDriver,
  key: string,
  content: ExportContent,
  options: { network: string; madeAt: Date; onProgress?: (progress: ZipProgress) => void; signal?: AbortSignal },
): Promise<WrittenZip> {
  // What is really there now: an object gone from storage (a damaged store) is named in files.json, not a failed export.
  const present: Array<ExportFile & { size: number }> = [];
  const missing = new Set<string>();
  for (const file of content.files) {
    // Thousands of files on S3 take a while to look up: the builder's claim is kept alive meanwhile.
    options.onProgress?.({ done: 0, total: 0 });
    const head = await storage.head(file.storageKey);
    if (head) present.push({ ...file, size: head.size });
    else missing.add(file.path);
  }
  const documents = content.documents.map(({ name, data }) => {
    const marked = name === "files.json" && missing.size > 0 ? markMissing(data, missing) : data;
    return { name, bytes: Buffer.from(`${JSON.stringify(marked, null, 2)}\n`, "utf8") };
  });
  const readme = Buffer.from(
    readmeText({ network: options.network, member: content.displayName, madeAt: options.madeAt, files: present.length, missing: missing.size }),
    "utf8",
  );

  const progress: ZipProgress = { done: 0, total: readme.length + documents.reduce((n, d) => n + d.bytes.length, 0) + present.reduce((n, f) => n + f.size, 0) };
  const report = () => options.onProgress?.({ ...progress });

  const zip = new yazl.ZipFile();
  const mtime = options.madeAt;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    output.destroy(failure);
  };
  const output = zip.outputStream as unknown as Readable;
  // A failure may come before put() listens to the stream: it is kept in `failure`, and put() then fails on the destroyed stream.
  output.on("error", () => {});
  zip.on("error", fail);
  const onAbort = () => fail(options.signal?.reason instanceof Error ? options.signal.reason : new Error("export aborted"));
  options.signal?.addEventListener("abort", onAbort, { once: true });

  zip.addBuffer(readme, "README.txt", { mtime, compress: true });
  progress.done += readme.length;
  for (const d of documents) {
    zip.addBuffer(d.bytes, d.name, { mtime, compress: true });
    progress.done += d.bytes.length;
  }
  report();
  for (const file of present) {
    zip.addReadStreamLazy(file.path, { mtime, compress: shouldDeflate(file.contentType), size: file.size }, (callback) => {
      storage.get(file.storageKey).then(
        ({ body }) => callback(null, counted(body, (n) => (progress.done += n), fail)),
        (error: unknown) => {
          const asError = error instanceof Error ? error : new Error(String(error));
          fail(asError);
          callback(asError, undefined as unknown as Readable);
        },
      );
    });
  }
  zip.end();

  const ticker = setInterval(report, 500);
  try {
    const stored = await storage.put(key, output, { contentType: "application/zip" });
    if (failure) throw failure;
    report();
    return { size: stored.size, files: present.length, missing: missing.size };
  } catch (error) {
    throw failure ?? error;
  } finally {
    clearInterval(ticker);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** The file's bytes on their way into the zip, counted as they pass; a read error fails the whole zip. */
function counted(body: Readable, add: (n: number) => void, fail: (error: Error) => void): Readable {
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      add(chunk.length);
      done(null, chunk);
    },
  });
  return pipeline(body, counter, (error) => {
    if (error) fail(error);
  });
}

function markMissing(data: unknown, missing: Set<string>): unknown {
  const doc = data as { files?: Array<{ path: string }>; wiki_images?: Array<{ path: string }> };
  const mark = (items: Array<{ path: string }> | undefined) => items?.map((item) => (missing.has(item.path) ? { ...item, missing: true } : item));
  return { ...doc, files: mark(doc.files), wiki_images: mark(doc.wiki_images) };
}
