import { crc32, deflateRawSync, deflateSync } from "node:zlib";
import { strToU8, zipSync, type Zippable } from "fflate";

/**
 * Real documents made in memory for the tests of text extraction: a PDF
 * written by hand (one Helvetica text line per line, WinAnsi encoding so
 * French accents survive), and the zip-of-XML office formats with the parts
 * each needs to open in its program. Plus hostile ones: a Word file whose
 * text part inflates to far more than it says, and PDFs that make a reader
 * work without end.
 */

const WIN_ANSI: Record<string, number> = { "€": 0x80, "‚": 0x82, "„": 0x84, "…": 0x85, "Œ": 0x8c, "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "–": 0x96, "—": 0x97, "œ": 0x9c };

/** A PDF string literal in WinAnsi: ASCII as is, the rest as octal escapes. */
function pdfString(text: string): string {
  let out = "(";
  for (const ch of text) {
    const code = WIN_ANSI[ch] ?? ch.codePointAt(0)!;
    if (ch === "(" || ch === ")" || ch === "\\") out += `\\${ch}`;
    else if (code >= 32 && code < 127) out += ch;
    else if (code < 256) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += "?";
  }
  return `${out})`;
}

/** Assembles numbered objects into a PDF with a correct cross-reference table. */
function assemble(objects: string[]): Uint8Array {
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, "latin1"));
}

/** A PDF of one page per entry, each page's text as lines. */
export function makePdf(pages: string[][]): Uint8Array {
  const objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"];
  const kids: string[] = [];
  for (const lines of pages) {
    const stream = `BT /F1 12 Tf 72 780 Td 16 TL ${lines.map((l) => `${pdfString(l)} Tj T*`).join(" ")} ET`;
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
    const contents = objects.length;
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contents} 0 R >>`);
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${pages.length} >>`;
  return assemble(objects);
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function contentTypes(overrides: Record<string, string>): string {
  return `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${Object.entries(
    overrides,
  )
    .map(([part, type]) => `<Override PartName="/${part}" ContentType="${type}"/>`)
    .join("")}</Types>`;
}

const rels = (target: string, type: string) =>
  `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${type}" Target="${target}"/></Relationships>`;
const OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

export function makeDocx(paragraphs: string[]): Uint8Array {
  // A tab or a line break inside a paragraph is an element of its own in Word's XML, between runs of text.
  const run = (text: string) => `<w:t xml:space="preserve">${escapeXml(text)}</w:t>`;
  const body = paragraphs
    .map((p) => `<w:p><w:r>${p.split(/(\t|\n)/).map((part) => (part === "\t" ? "<w:tab/>" : part === "\n" ? "<w:br/>" : run(part))).join("")}</w:r></w:p>`)
    .join("");
  const files: Zippable = {
    "[Content_Types].xml": strToU8(contentTypes({ "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" })),
    "_rels/.rels": strToU8(rels("word/document.xml", OFFICE_DOCUMENT)),
    "word/document.xml": strToU8(`${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`),
  };
  return zipSync(files);
}

export function makeXlsx(rows: string[][]): Uint8Array {
  const strings = [...new Set(rows.flat())];
  const col = (i: number) => String.fromCharCode(65 + i);
  const sheet = rows
    .map((row, r) => `<row r="${r + 1}">${row.map((cell, c) => `<c r="${col(c)}${r + 1}" t="s"><v>${strings.indexOf(cell)}</v></c>`).join("")}</row>`)
    .join("");
  const files: Zippable = {
    "[Content_Types].xml": strToU8(
      contentTypes({
        "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        "xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
      }),
    ),
    "_rels/.rels": strToU8(rels("xl/workbook.xml", OFFICE_DOCUMENT)),
    "xl/workbook.xml": strToU8(
      `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuille1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    "xl/_rels/workbook.xml.rels": strToU8(
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    "xl/worksheets/sheet1.xml": strToU8(`${XML}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`),
    "xl/sharedStrings.xml": strToU8(
      `${XML}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join("")}</sst>`,
    ),
  };
  return zipSync(files);
}

export function makePptx(slides: string[][]): Uint8Array {
  const files: Zippable = {
    "[Content_Types].xml": strToU8(
      contentTypes({
        "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        ...Object.fromEntries(slides.map((_, i) => [`ppt/slides/slide${i + 1}.xml`, "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"])),
      }),
    ),
    "_rels/.rels": strToU8(rels("ppt/presentation.xml", OFFICE_DOCUMENT)),
    "ppt/presentation.xml": strToU8(`${XML}<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`),
  };
  // Written in reverse, so that reading them in the zip's order would give the wrong order.
  for (let i = slides.length - 1; i >= 0; i--) {
    const paragraphs = slides[i].map((line) => `<a:p><a:r><a:t>${escapeXml(line)}</a:t></a:r></a:p>`).join("");
    files[`ppt/slides/slide${i + 1}.xml`] = strToU8(
      `${XML}<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>${paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`,
    );
  }
  return zipSync(files);
}

export function makeOdt(paragraphs: string[]): Uint8Array {
  const body = paragraphs.map((p) => `<text:p>${escapeXml(p)}</text:p>`).join("");
  // The mimetype first and stored, as ODF requires.
  return zipSync(
    {
      mimetype: [strToU8("application/vnd.oasis.opendocument.text"), { level: 0 }],
      "META-INF/manifest.xml": strToU8(
        `${XML}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
      ),
      "content.xml": strToU8(
        `${XML}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
      ),
    },
    { level: 6 },
  );
}

/** A zip written by hand: each entry deflated, its declared size what the caller says (a bomb lies). */
function rawZip(entries: Array<{ name: string; data: Uint8Array; declaredSize?: number }>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const name = Buffer.from(entry.name, "utf8");
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/**
 * A Word file whose text part inflates to `megabytes` (default 300 MB of
 * spaces inside a paragraph) while claiming a few kilobytes: about 300 KB on
 * disk. Made in well under a second.
 */
export function makeZipBombDocx(megabytes = 300): Uint8Array {
  const filler = Buffer.alloc(megabytes * 1024 * 1024, 0x20);
  const head = Buffer.from(`${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`);
  return rawZip([
    { name: "[Content_Types].xml", data: strToU8(contentTypes({})) },
    { name: "word/document.xml", data: Buffer.concat([head, filler]), declaredSize: 4096 },
  ]);
}

/**
 * A PDF whose one page's content stream inflates to `megabytes` of text
 * operators — a reader has either to give up or to work through millions of
 * them: hostile by cost, not by syntax.
 */
export function makeEndlessPdf(megabytes = 64, filler?: string): Uint8Array {
  const op = Buffer.from("(zorglub) Tj T* ");
  // With a filler (" "), the page is mostly that byte: it compresses a thousand to one, a bomb.
  const ops = Buffer.alloc(megabytes * 1024 * 1024, filler ?? 0);
  if (filler === undefined) for (let at = 0; at + op.length <= ops.length; at += op.length) op.copy(ops, at);
  const stream = Buffer.concat([Buffer.from("BT /F1 12 Tf 72 780 Td 16 TL "), ops, Buffer.from(" ET")]);
  // The zlib format (FlateDecode): a two-byte header, the raw deflate, an Adler-32.
  const compressed = deflateSync(stream, { level: 9 });
  const head = "%PDF-1.4\n";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
  ];
  const parts: Buffer[] = [Buffer.from(head, "latin1")];
  const offsets: number[] = [];
  let size = head.length;
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
  };
  objects.forEach((body, i) => {
    offsets.push(size);
    push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, "latin1"));
  });
  offsets.push(size);
  push(Buffer.from(`5 0 obj\n<< /Length ${compressed.length} /Filter /FlateDecode >>\nstream\n`, "latin1"));
  push(compressed);
  push(Buffer.from("\nendstream\nendobj\n", "latin1"));
  const xref = size;
  let table = `xref\n0 6\n0000000000 65535 f \n`;
  for (const offset of offsets) table += `${String(offset).padStart(10, "0")} 00000 n \n`;
  push(Buffer.from(`${table}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, "latin1"));
  return new Uint8Array(Buffer.concat(parts));
}

/** A PDF whose page tree holds itself: a reader that follows it naively never ends. */
export function makeCircularPdf(): Uint8Array {
  return assemble(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]);
}
