import { Unzip, UnzipInflate, type UnzipFile } from "fflate";

/**
 * The text inside an uploaded file, for search: PDF (pdf.js, through unpdf),
 * Word, Excel and PowerPoint (OOXML), OpenDocument (ODF), plain text and
 * Markdown. Office formats are zip files of XML: a small reader over fflate
 * takes the parts that hold text, counting every byte it inflates (a zip's
 * declared sizes can lie), so a zip bomb is given up after the first
 * megabytes, not after filling the memory. Runs in a worker thread
 * (text-extract-pool.server.ts) that bounds time and memory on top.
 */

export type ExtractFailure = "unsupported" | "too_large" | "malformed" | "timeout" | "memory";
export type ExtractResult = { ok: true; text: string; truncated: boolean } | { ok: false; reason: ExtractFailure };

export interface ExtractLimits {
  /** Bytes of the file itself: beyond, it is not read at all. */
  maxInputBytes: number;
  /** Characters of text kept: the index keeps a document's first million (db/search/indexer.ts). */
  maxTextChars: number;
  /** Bytes inflated from a zip, all parts together: office files of real text stay far below. */
  maxInflatedBytes: number;
  /** Parts in a zip: a presentation of 500 slides has some 2,000. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxInputBytes: 50 * 1024 * 1024,
  maxTextChars: 1_000_000,
  maxInflatedBytes: 100 * 1024 * 1024,
  maxEntries: 10_000,
};

class TooLarge extends Error {}
class Malformed extends Error {}

type Kind = "pdf" | "zip" | "text";

const TEXT_TYPES = new Set(["text/plain", "text/markdown", "text/x-markdown", "text/csv"]);
const TEXT_NAMES = /\.(txt|md|markdown|csv)$/i;

/** What the bytes are: their first bytes first, the name and type only for plain text (which has no signature). */
function kindOf(bytes: Uint8Array, contentType: string, name: string): Kind | null {
  if (bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === "%PDF-") return "pdf";
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return "zip";
  if (TEXT_TYPES.has(contentType.split(";")[0]!.trim().toLowerCase()) || TEXT_NAMES.test(name)) return "text";
  return null;
}

export async function extractText(input: { bytes: Uint8Array; contentType: string; name: string }, limits: Partial<ExtractLimits> = {}): Promise<ExtractResult> {
  const l = { ...DEFAULT_LIMITS, ...limits };
  if (input.bytes.length > l.maxInputBytes) return { ok: false, reason: "too_large" };
  const kind = kindOf(input.bytes, input.contentType, input.name);
  if (!kind) return { ok: false, reason: "unsupported" };
  try {
    const text = kind === "pdf" ? await pdfText(input.bytes, l.maxTextChars) : kind === "zip" ? officeText(input.bytes, l) : plainText(input.bytes);
    if (text === null) return { ok: false, reason: "unsupported" };
    const clean = text
      .replace(/\r\n?/g, "\n")
      // Control characters other than tabs and line breaks say nothing to a reader or the index.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, " ")
      .replace(/[ \t]+\n/g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    return clean.length > l.maxTextChars ? { ok: true, text: clean.slice(0, l.maxTextChars), truncated: true } : { ok: true, text: clean, truncated: false };
  } catch (error) {
    if (error instanceof TooLarge) return { ok: false, reason: "too_large" };
    return { ok: false, reason: "malformed" };
  }
}

function plainText(bytes: Uint8Array): string {
  // Invalid bytes become U+FFFD rather than failing: a Latin-1 file is still mostly found.
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
}

async function pdfText(bytes: Uint8Array, maxChars: number): Promise<string> {
  const { getDocumentProxy } = await import("unpdf");
  // pdf.js takes the buffer over: a copy, so the caller's bytes stay theirs.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  try {
    const pages: string[] = [];
    let size = 0;
    for (let n = 1; n <= pdf.numPages && size <= maxChars; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        text += item.hasEOL ? "\n" : item.str.endsWith(" ") ? "" : " ";
      }
      pages.push(text);
      size += text.length;
      page.cleanup();
    }
    return pages.join("\n\n");
  } finally {
    await pdf.destroy();
  }
}

/** The parts of a zip whose names `wanted` accepts, inflated within the limits. */
function unzipParts(bytes: Uint8Array, wanted: (name: string) => boolean, l: ExtractLimits): Map<string, Uint8Array> {
  const parts = new Map<string, Uint8Array>();
  let inflated = 0;
  let entries = 0;
  let failure: Error | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (++entries > l.maxEntries) failure ??= new TooLarge("entries");
    if (failure || !wanted(file.name)) return;
    if (file.originalSize !== undefined && file.originalSize > l.maxInflatedBytes) {
      failure = new TooLarge(file.name);
      return;
    }
    const chunks: Uint8Array[] = [];
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = new Malformed(error.message);
        return;
      }
      inflated += chunk.length;
      if (inflated > l.maxInflatedBytes) {
        failure = new TooLarge(file.name);
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) parts.set(file.name, Buffer.concat(chunks));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  // Fed in pieces, so that a bomb stops at the piece where it crosses the limit.
  const PIECE = 64 * 1024;
  for (let at = 0; at < bytes.length && !failure; at += PIECE) unzip.push(bytes.subarray(at, at + PIECE), at + PIECE >= bytes.length);
  if (failure) throw failure;
  return parts;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : " ";
    }
    return ENTITIES[name] ?? whole;
  });
}

const utf8 = (bytes: Uint8Array | undefined) => (bytes ? new TextDecoder("utf-8").decode(bytes) : "");

/** The text of elements `tag` (e.g. "w:t"), one line per `paragraph` element. */
function xmlText(xml: string, paragraph: string, tag: string): string {
  const lines: string[] = [];
  // Tabs and line breaks inside a paragraph separate words ("Nom<tab/>Prénom"): a space each.
  xml = xml.replace(/<(?:w:tab|w:br|w:cr|a:br)(?:\s[^>]*)?\/>/g, `<${tag}> </${tag}>`);
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, "g");
  for (const chunk of xml.split(`</${paragraph}>`)) {
    let line = "";
    for (const m of chunk.matchAll(pattern)) line += m[1];
    if (line.trim()) lines.push(decodeXml(line));
  }
  return lines.join("\n");
}

/** Word, Excel, PowerPoint and OpenDocument files: the parts that hold their text. */
function officeText(bytes: Uint8Array, l: ExtractLimits): string | null {
  const names = new Set<string>();
  const parts = unzipParts(
    bytes,
    (name) => {
      names.add(name);
      return (
        name === "word/document.xml" ||
        name === "xl/sharedStrings.xml" ||
        /^xl\/worksheets\/sheet\d+\.xml$/.test(name) ||
        /^ppt\/slides\/slide\d+\.xml$/.test(name) ||
        name === "content.xml" ||
        name === "mimetype"
      );
    },
    l,
  );
  if (parts.has("word/document.xml")) return xmlText(utf8(parts.get("word/document.xml")), "w:p", "w:t");
  if (names.has("xl/workbook.xml")) {
    const shared = xmlText(utf8(parts.get("xl/sharedStrings.xml")), "si", "t");
    // Strings typed into cells without the shared table ("inline strings").
    const inline = [...parts.entries()]
      .filter(([name]) => name.startsWith("xl/worksheets/"))
      .map(([, xml]) => xmlText(utf8(xml), "is", "t"))
      .filter(Boolean);
    return [shared, ...inline].filter(Boolean).join("\n");
  }
  const slides = [...parts.keys()].filter((name) => name.startsWith("ppt/slides/"));
  if (slides.length) {
    const number = (name: string) => Number(name.match(/(\d+)\.xml$/)![1]);
    return slides
      .sort((a, b) => number(a) - number(b))
      .map((name) => xmlText(utf8(parts.get(name)), "a:p", "a:t"))
      .join("\n\n");
  }
  if (utf8(parts.get("mimetype")).startsWith("application/vnd.oasis.opendocument") && parts.has("content.xml")) {
    const xml = utf8(parts.get("content.xml"))
      .replace(/<text:(?:tab|line-break)\s*\/>/g, " ")
      .replace(/<text:s(?:\s[^>]*)?\/>/g, " ")
      .replace(/<\/(?:text:p|text:h|table:table-cell|draw:page)>/g, "\n");
    return decodeXml(xml.replace(/<[^>]+>/g, ""));
  }
  // Any other zip (an archive, an EPUB): not something whose text we read.
  return null;
}
