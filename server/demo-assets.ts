/**
 * The demo's files, made at load time rather than committed: small pictures
 * drawn from SVG by sharp (already the thumbnailer's library), a real PDF
 * written by hand, and text files. Each is a few kilobytes, and each goes
 * through the upload path like any member's file (demo-files.ts), so the
 * thumbnails and previews are the ones an upload gets.
 */

const FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif";

/** A cover: a gradient and a few shapes in the club's colours, 1200 × 630 like a social card. */
function coverSvg(from: string, to: string, motif: "waves" | "bars" | "circles" | "grid"): string {
  const shapes = {
    waves: [0, 1, 2, 3, 4]
      .map((i) => `<path d="M0 ${330 + i * 60} C 300 ${250 + i * 60}, 600 ${430 + i * 60}, 1200 ${300 + i * 60}" stroke="#fff" stroke-opacity="${0.18 + i * 0.06}" stroke-width="18" fill="none"/>`)
      .join(""),
    bars: [140, 220, 180, 300, 260, 380, 340, 450]
      .map((h, i) => `<rect x="${150 + i * 115}" y="${560 - h}" width="70" height="${h}" rx="8" fill="#fff" fill-opacity="${0.2 + i * 0.07}"/>`)
      .join(""),
    circles: [
      [300, 300, 190],
      [620, 260, 140],
      [880, 360, 210],
      [480, 470, 90],
    ]
      .map(([x, y, r], i) => `<circle cx="${x}" cy="${y}" r="${r}" fill="#fff" fill-opacity="${0.14 + i * 0.06}"/>`)
      .join(""),
    grid: Array.from({ length: 6 }, (_, row) =>
      Array.from({ length: 10 }, (_, col) => `<rect x="${100 + col * 102}" y="${60 + row * 86}" width="70" height="56" rx="10" fill="#fff" fill-opacity="${((row * 10 + col) % 7) * 0.05 + 0.08}"/>`).join(""),
    ).join(""),
  }[motif];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
<rect width="1200" height="630" fill="url(#g)"/>${shapes}</svg>`;
}

/** The Kraljic matrix the purchasing club's wiki shows: four quadrants, their labels, the two axes. */
function kraljicSvg(): string {
  const quadrant = (x: number, y: number, fill: string, title: string, line: string) =>
    `<rect x="${x}" y="${y}" width="380" height="230" rx="14" fill="${fill}"/>` +
    `<text x="${x + 190}" y="${y + 105}" font-family="${FONT}" font-size="30" font-weight="bold" fill="#1f2937" text-anchor="middle">${title}</text>` +
    `<text x="${x + 190}" y="${y + 145}" font-family="${FONT}" font-size="20" fill="#374151" text-anchor="middle">${line}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600" viewBox="0 0 900 600">
<rect width="900" height="600" fill="#ffffff"/>
${quadrant(100, 40, "#fde68a", "Stratégiques", "partenariat, plans de continuité")}
${quadrant(500, 40, "#fca5a5", "Critiques", "sécuriser, doubler les sources")}
${quadrant(100, 290, "#bbf7d0", "Leviers", "mise en concurrence, volumes")}
${quadrant(500, 290, "#bfdbfe", "Simples", "catalogues, automatisation")}
<line x1="80" y1="560" x2="880" y2="560" stroke="#1f2937" stroke-width="4"/>
<line x1="80" y1="560" x2="80" y2="20" stroke="#1f2937" stroke-width="4"/>
<text x="480" y="592" font-family="${FONT}" font-size="20" fill="#1f2937" text-anchor="middle">Risque fournisseur →</text>
<text x="40" y="300" font-family="${FONT}" font-size="20" fill="#1f2937" text-anchor="middle" transform="rotate(-90 40 300)">Impact financier →</text>
</svg>`;
}

/** A photo-like picture for a JPEG: a meeting-room table seen from above, in flat shapes. */
function workshopSvg(): string {
  const chairs = [0, 1, 2, 3, 4, 5]
    .flatMap((i) => [
      `<circle cx="${260 + i * 110}" cy="150" r="34" fill="#64748b"/>`,
      `<circle cx="${260 + i * 110}" cy="450" r="34" fill="#64748b"/>`,
    ])
    .join("");
  const papers = [0, 1, 2, 3, 4, 5]
    .flatMap((i) => [
      `<rect x="${235 + i * 110}" y="205" width="50" height="64" fill="#f8fafc" transform="rotate(${(i % 3) * 4 - 4} ${260 + i * 110} 237)"/>`,
      `<rect x="${235 + i * 110}" y="331" width="50" height="64" fill="#f8fafc" transform="rotate(${(i % 2) * 6 - 3} ${260 + i * 110} 363)"/>`,
    ])
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="600" viewBox="0 0 1000 600">
<defs><radialGradient id="l" cx="0.5" cy="0.45" r="0.7"><stop offset="0" stop-color="#e7e1d6"/><stop offset="1" stop-color="#b8ad9b"/></radialGradient></defs>
<rect width="1000" height="600" fill="url(#l)"/>${chairs}
<rect x="180" y="190" width="640" height="220" rx="110" fill="#8b5e3c"/>${papers}
<circle cx="500" cy="300" r="26" fill="#1e3a5f"/></svg>`;
}

async function render(svg: string, format: "png" | "jpeg"): Promise<Buffer> {
  const { default: sharp } = await import("sharp");
  const image = sharp(Buffer.from(svg));
  return format === "png" ? image.png({ compressionLevel: 9, palette: true }).toBuffer() : image.jpeg({ quality: 80, mozjpeg: true }).toBuffer();
}

/**
 * A one-page PDF of text lines in Helvetica (a standard font: nothing
 * embedded), with its cross-reference table computed, so any viewer opens it.
 * Text is encoded in WinAnsi, which covers French accents.
 */
export function textPdf(title: string, lines: string[]): Buffer {
  const escape = (s: string) => s.replace(/\\/g, "\\\\").replace(/\(/g, "\\(").replace(/\)/g, "\\)").replace(/’/g, "'").replace(/[«»]/g, '"').replace(/—/g, "-");
  const body = [
    "BT /F1 20 Tf 56 780 Td (" + escape(title) + ") Tj ET",
    ...lines.map((line, i) => `BT /F1 11 Tf 56 ${740 - i * 18} Td (${escape(line)}) Tj ET`),
  ].join("\n");
  const stream = Buffer.from(body, "latin1");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    null,
  ];
  const chunks: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  const offsets: number[] = [];
  let length = chunks[0].length;
  objects.forEach((object, i) => {
    offsets.push(length);
    const part =
      object === null
        ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n<< /Length ${stream.length} >>\nstream\n`, "latin1"), stream, Buffer.from("\nendstream\nendobj\n", "latin1")])
        : Buffer.from(`${i + 1} 0 obj\n${object}\nendobj\n`, "latin1");
    chunks.push(part);
    length += part.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n`, "0000000000 65535 f \n", ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)].join("");
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, "latin1"));
  return Buffer.concat(chunks);
}

export interface DemoAssets {
  covers: { negotiation: Buffer; sop: Buffer; responsible: Buffer; lyon: Buffer; hr: Buffer; upcoming: Buffer };
  kraljic: Buffer;
  workshopPhoto: Buffer;
}

export async function demoImages(): Promise<DemoAssets> {
  const [negotiation, sop, responsible, lyon, hr, upcoming, kraljic, workshopPhoto] = await Promise.all([
    render(coverSvg("#1e3a5f", "#3b82f6", "waves"), "jpeg"),
    render(coverSvg("#064e3b", "#10b981", "bars"), "jpeg"),
    render(coverSvg("#365314", "#a3e635", "circles"), "jpeg"),
    render(coverSvg("#7c2d12", "#f97316", "grid"), "jpeg"),
    render(coverSvg("#4c1d95", "#a78bfa", "circles"), "jpeg"),
    render(coverSvg("#0f172a", "#0ea5e9", "bars"), "jpeg"),
    render(kraljicSvg(), "png"),
    render(workshopSvg(), "jpeg"),
  ]);
  return { covers: { negotiation, sop, responsible, lyon, hr, upcoming }, kraljic, workshopPhoto };
}
