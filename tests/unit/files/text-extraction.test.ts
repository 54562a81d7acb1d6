import { describe, expect, test } from "vitest";
import { extractText, type ExtractResult } from "#app/files/text-extract.ts";
import { extractInWorker } from "#app/files/text-extract-pool.server.ts";
import { makeCircularPdf, makeDocx, makeEndlessPdf, makeOdt, makePdf, makePptx, makeXlsx, makeZipBombDocx } from "#tests/helpers/documents.ts";

/**
 * Text extraction for search (app/files/text-extract*.ts), on documents the
 * tests make: each format gives back the French text it was made with, in
 * its order; hostile documents are given up within their bounds, and the
 * thread pool stays usable after one is stopped.
 */

const FRENCH = ["Été 2026 : négociation annuelle", "L'atelier « achats responsables »", "Mise en œuvre — 12 € par mois"];

const text = (result: ExtractResult) => {
  if (!result.ok) throw new Error(`extraction failed: ${result.reason}`);
  return result.text;
};
const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);

describe("each format gives back its text", () => {
  test("PDF: every page, every line, accents and ligatures", async () => {
    const pdf = makePdf([FRENCH.slice(0, 2), [FRENCH[2]]]);
    const out = text(await extractText({ bytes: pdf, contentType: "application/pdf", name: "compte-rendu.pdf" }));
    for (const line of FRENCH) expect(out).toContain(line);
    expect(out.indexOf(FRENCH[0])).toBeLessThan(out.indexOf(FRENCH[2]));
  });

  test("Word, tabs and line breaks inside a paragraph keeping words apart", async () => {
    const out = text(await extractText({ bytes: makeDocx(FRENCH), contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", name: "note.docx" }));
    expect(lines(out)).toEqual(FRENCH);
    const tabbed = text(await extractText({ bytes: makeDocx(["Nom\tPrénom\nAdresse"]), contentType: "", name: "fiche.docx" }));
    expect(tabbed.split(/\s+/)).toEqual(["Nom", "Prénom", "Adresse"]);
  });

  test("Excel: every cell's text", async () => {
    const rows = [["Fournisseur", "Délai"], ["Société Générale d'Emballage", "Été"], ["Œuvre & Fils", "3 semaines"]];
    const out = text(await extractText({ bytes: makeXlsx(rows), contentType: "application/octet-stream", name: "grille.xlsx" }));
    for (const cell of rows.flat()) expect(out).toContain(cell);
  });

  test("PowerPoint: slides in their order, whatever the zip's", async () => {
    const slides = [["Première diapositive"], ["Deuxième : négociation"], ["Troisième, « la fin »"]];
    const out = text(await extractText({ bytes: makePptx(slides), contentType: "", name: "support.pptx" }));
    expect(lines(out)).toEqual(slides.flat());
  });

  test("OpenDocument text", async () => {
    const out = text(await extractText({ bytes: makeOdt(FRENCH), contentType: "application/vnd.oasis.opendocument.text", name: "note.odt" }));
    expect(lines(out)).toEqual(FRENCH);
  });

  test("plain text and Markdown, by type or by name; invalid UTF-8 kept as far as it goes", async () => {
    const md = new TextEncoder().encode("# Été\n\nNégociation **annuelle**");
    expect(text(await extractText({ bytes: md, contentType: "text/markdown", name: "x" }))).toContain("Négociation **annuelle**");
    expect(text(await extractText({ bytes: md, contentType: "application/octet-stream", name: "notes.md" }))).toContain("# Été");
    const broken = new Uint8Array([...new TextEncoder().encode("début "), 0xff, 0xfe, ...new TextEncoder().encode(" fin")]);
    const out = text(await extractText({ bytes: broken, contentType: "text/plain", name: "x.txt" }));
    expect(out.startsWith("début")).toBe(true);
    expect(out.endsWith("fin")).toBe(true);
  });
});

describe("what is not read", () => {
  test("an image, an archive, a file without a known kind: unsupported", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(await extractText({ bytes: png, contentType: "image/png", name: "photo.png" })).toEqual({ ok: false, reason: "unsupported" });
    const { zipSync, strToU8 } = await import("fflate");
    const archive = zipSync({ "a.bin": strToU8("x") });
    expect(await extractText({ bytes: archive, contentType: "application/zip", name: "a.zip" })).toEqual({ ok: false, reason: "unsupported" });
  });

  test("a name that lies: a .pdf that is a Word file is read as Word", async () => {
    const out = text(await extractText({ bytes: makeDocx(["Déguisé"]), contentType: "application/pdf", name: "faux.pdf" }));
    expect(out).toBe("Déguisé");
  });

  test("a file above the size limit is not read; text above the text limit is cut and says so", async () => {
    const big = new TextEncoder().encode("mot ".repeat(1000));
    expect(await extractText({ bytes: big, contentType: "text/plain", name: "x.txt" }, { maxInputBytes: 100 })).toEqual({ ok: false, reason: "too_large" });
    const cut = await extractText({ bytes: big, contentType: "text/plain", name: "x.txt" }, { maxTextChars: 50 });
    expect(cut.ok && cut.truncated).toBe(true);
    expect(cut.ok && cut.text.length).toBe(50);
  });

  test("truncated or garbled office files are malformed, not a crash", async () => {
    const docx = makeDocx(FRENCH);
    const result = await extractText({ bytes: docx.subarray(0, Math.floor(docx.length / 2)), contentType: "", name: "x.docx" });
    expect(result.ok).toBe(false);
  });
});

describe("hostile documents are given up within their bounds", () => {
  test("a zip bomb (150 MB declared as 4 KB) is too large, and never held whole in memory", async () => {
    const bomb = makeZipBombDocx(150);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const heapBefore = process.memoryUsage().arrayBuffers;
    const result = await extractText({ bytes: bomb, contentType: "", name: "bombe.docx" }, { maxInflatedBytes: 20 * 1024 * 1024 });
    expect(result).toEqual({ ok: false, reason: "too_large" });
    // Never the 150 MB in memory at once. (No time bound here: on a busy CI machine it measured the machine.)
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(80 * 1024 * 1024);
  });

  test("a PDF with 64 MB of drawing operators is stopped at its time limit, in its thread", async () => {
    const started = performance.now();
    const result = await extractInWorker({ bytes: makeEndlessPdf(64), contentType: "application/pdf", name: "sans-fin.pdf" }, { timeMs: 3000 });
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(false);
    expect(!result.ok && ["timeout", "memory", "malformed"]).toContain(!result.ok && result.reason);
    // Stopped, not left to run: the bound is loose, a busy machine starts threads slowly.
    expect(elapsed).toBeLessThan(3000 + 12_000);
  });

  test("a PDF whose page tree holds itself is answered, not followed for ever", async () => {
    const started = performance.now();
    const result = await extractInWorker({ bytes: makeCircularPdf(), contentType: "application/pdf", name: "cercle.pdf" }, { timeMs: 5000 });
    expect(performance.now() - started).toBeLessThan(5000 + 12_000);
    // Either pdf.js sees the cycle (no page, no text) or it is stopped: never a hang, never text it made up.
    if (result.ok) expect(result.text).toBe("");
  });

  test("a small PDF whose page inflates to 300 MB is stopped by its buffers' limit, before its time limit", async () => {
    const result = await extractInWorker({ bytes: makeEndlessPdf(300, " "), contentType: "application/pdf", name: "bombe.pdf" }, { timeMs: 20_000, bufferMb: 64 });
    // "memory", not "timeout": the buffers' limit stopped it first.
    expect(result).toEqual({ ok: false, reason: "memory" });
  });

  test("after a thread was stopped, the next file is extracted as usual", async () => {
    const stopped = await extractInWorker({ bytes: makeEndlessPdf(64), contentType: "application/pdf", name: "sans-fin.pdf" }, { timeMs: 500 });
    expect(stopped).toEqual({ ok: false, reason: "timeout" });
    const out = text(await extractInWorker({ bytes: makePdf([["Après l’arrêt : tout va bien"]]), contentType: "application/pdf", name: "ok.pdf" }));
    expect(out).toContain("Après l’arrêt : tout va bien");
  });
});
