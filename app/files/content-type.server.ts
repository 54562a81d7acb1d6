
/** How many first bytes the type is read from. */
export const SNIFF_BYTES = 4100;

/**
 * The type a file's bytes show, whatever its name or the browser said:
 * magic numbers first (file-type), then a look at text, which file-type
 * leaves alone — so an HTML page named "photo.png" is text/html here and is
 * never served inline.
 */
export async function sniffContentType(head: Uint8Array): Promise<string> {
  // Loaded at the first upload, not at start.
  const { fileTypeFromBuffer } = await import("file-type");
  const detected = await fileTypeFromBuffer(head);
  // file-type calls anything opening with <?xml "XML"; an SVG is one of those, and must be known as one.
  if (detected && detected.mime !== "application/xml" && detected.mime !== "text/xml") return detected.mime;
  if (head.length === 0) return "application/octet-stream";
  if (!looksLikeText(head)) return "application/octet-stream";
  const start = new TextDecoder("utf-8").decode(head.subarray(0, 1024)).replace(/^\ufeff/, "").trimStart().toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(start)) return "image/svg+xml";
  if (/^(<!--[\s\S]*?-->\s*)*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>])/.test(start)) return "text/html";
  if (start.startsWith("<?xml")) return "application/xml";
  return "text/plain";
}

/** Valid UTF-8 (a cut last character allowed) without NUL bytes. */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/** Raster images a browser decodes itself: shown inline, in pages too. Never SVG. */
export const INLINE_IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"] as const;

/** Types a browser may show inline: those images, and PDF in its viewer. Never SVG or HTML. */
const PREVIEWABLE = new Set<string>([...INLINE_IMAGE_TYPES, "application/pdf"]);

export function isPreviewable(contentType: string): boolean {
  return PREVIEWABLE.has(contentType);
}

/** Raster images the server makes a thumbnail of. */
export function isThumbnailable(contentType: string): boolean {
  return contentType !== "application/pdf" && PREVIEWABLE.has(contentType);
}
