import { Readable } from "node:stream";
import type { StoredFile } from "#db/schema.ts";
import { findVersion } from "#db/queries/files.ts";
import { ObjectNotFoundError, type ByteRange } from "#storage/types.ts";
import { getDb } from "#app/utils/db.server.ts";
import { attachment, notFound } from "#app/utils/http.server.ts";
import { getStorage } from "#app/utils/storage.server.ts";
import { isPreviewable } from "./content-type.server.ts";

/**
 * Headers every stored byte goes out with. The type is the one sniffed from
 * the bytes at upload; nosniff stops the browser from guessing another, and
 * the sandbox CSP keeps anything that still renders (a PDF, an image opened
 * directly) away from the app's origin: no scripts, no forms, no cookies.
 */
const FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'";
const FILE_SECURITY = {
  "X-Content-Type-Options": "nosniff",
  // This policy replaces the app's, so it repeats that no page may frame the bytes.
  "Content-Security-Policy": `${FILE_CSP}; frame-ancestors 'none'`,
  "Cross-Origin-Resource-Policy": "same-origin",
};

/**
 * A preview the file page shows in an <iframe>: our own pages may frame it,
 * nobody else's (frame-ancestors for today's browsers, X-Frame-Options for
 * older ones). The sandbox still keeps the framed document away from the app.
 */
const FRAMEABLE_PREVIEW = {
  "Content-Security-Policy": `${FILE_CSP}; frame-ancestors 'self'`,
  "X-Frame-Options": "SAMEORIGIN",
};

/**
 * One version of a file, whole or a range of it, as an attachment unless a
 * safe preview was asked for. `frameable`: the preview may be shown in a frame
 * of our own pages (the file page's PDF preview); only a real preview is.
 */
export async function serveVersion(request: Request, file: StoredFile, options: { version?: number; inline: boolean; frameable?: boolean }) {
  if (options.version !== undefined && (!Number.isInteger(options.version) || options.version < 1)) notFound();
  const version = await findVersion(getDb(), file, options.version);
  if (!version) notFound();
  const etag = `"${version.sha256}"`;
  const inline = options.inline && isPreviewable(version.content_type);
  const headers = new Headers({
    ...FILE_SECURITY,
    ...(inline && options.frameable ? FRAMEABLE_PREVIEW : {}),
    // A preview asked of what never previews (an <img> naming an HTML file) gets opaque bytes, not its type.
    "Content-Type": options.inline && !inline ? "application/octet-stream" : version.content_type,
    "Content-Disposition": attachment(file.name, inline ? "inline" : "attachment"),
    "Accept-Ranges": "bytes",
    ETag: etag,
    // A numbered version never changes; "the current one" does. no-transform keeps compression off ranges.
    "Cache-Control": options.version !== undefined ? "private, max-age=31536000, immutable, no-transform" : "private, no-cache, no-transform",
  });
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });

  const size = version.size;
  const range = parseRange(request.headers.get("Range"), size, request.headers.get("If-Range"), etag);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  if (size === 0 || request.method === "HEAD") {
    // Nothing to read: a HEAD must not open the object (a file handle, an S3 connection) and leave it open.
    if (range) headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    headers.set("Content-Length", String(range ? range.end - range.start + 1 : size));
    return new Response(null, { status: range && size > 0 ? 206 : 200, headers });
  }
  const stored = await getStorage()
    .get(version.storage_key, range ?? undefined)
    .catch((error: unknown) => (error instanceof ObjectNotFoundError ? notFound() : Promise.reject(error)));
  const body = Readable.toWeb(stored.body) as ReadableStream;
  if (range) {
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
    return new Response(body, { status: 206, headers });
  }
  headers.set("Content-Length", String(size));
  return new Response(body, { status: 200, headers });
}

/**
 * One byte range from a Range header (RFC 9110 §14): "bytes=a-b", "bytes=a-"
 * or "bytes=-n". Several ranges, another unit, a stale If-Range or nonsense
 * mean the whole file, as the RFC allows; a start past the end is 416.
 */
export function parseRange(header: string | null, size: number, ifRange: string | null, etag: string): ByteRange | null | "unsatisfiable" {
  if (!header || (ifRange !== null && ifRange !== etag)) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  if (end < start) return null;
  return { start, end };
}

export async function serveThumbnail(request: Request, file: StoredFile, number?: number) {
  if (number !== undefined && (!Number.isInteger(number) || number < 1)) notFound();
  const version = await findVersion(getDb(), file, number);
  if (!version?.thumbnail_key) notFound();
  const etag = `"t-${version.sha256}"`;
  const headers = new Headers({
    ...FILE_SECURITY,
    "Content-Type": "image/webp",
    "Content-Disposition": "inline",
    ETag: etag,
    "Cache-Control": "private, max-age=86400",
  });
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  const stored = await getStorage()
    .get(version.thumbnail_key)
    .catch((error: unknown) => (error instanceof ObjectNotFoundError ? notFound() : Promise.reject(error)));
  headers.set("Content-Length", String(stored.size));
  return new Response(Readable.toWeb(stored.body) as ReadableStream, { status: 200, headers });
}
