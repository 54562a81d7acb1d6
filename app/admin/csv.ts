/**
 * CSV as RFC 4180 writes it, for spreadsheets: every field quoted when it
 * holds a quote, a comma or a line break (quotes doubled), lines ending in
 * CRLF. A spreadsheet runs a cell that starts with = + - or @ as a formula
 * (and a tab or carriage return before one hides it): such a cell is
 * prefixed with a single quote, the OWASP advice, so a name typed as
 * `=HYPERLINK(…)` is read as the text it is. Pure: tests read it too.
 */

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark. */
export const UTF8_BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
