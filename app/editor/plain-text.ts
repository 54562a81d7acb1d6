/**
 * Plain text (a reply by mail) as a Lexical document of the comment node
 * list: a paragraph per block of lines, a line break between its lines.
 * Text only — no markup is read from it — and the result still goes through
 * checkCommentContent like anything a member writes.
 */
const ELEMENT = { direction: null, format: "", indent: 0, version: 1 };

export function plainTextDoc(text: string): string {
  const blocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((block) => block.replace(/^\n+|\n+$/g, ""))
    .filter((block) => block.trim() !== "");
  const paragraphs = blocks.map((block) => ({
    type: "paragraph",
    ...ELEMENT,
    textFormat: 0,
    textStyle: "",
    children: block.split("\n").flatMap((line, i) => [
      ...(i > 0 ? [{ type: "linebreak", version: 1 }] : []),
      ...(line === "" ? [] : [{ type: "text", text: line, format: 0, style: "", mode: "normal", detail: 0, version: 1 }]),
    ]),
  }));
  return JSON.stringify({ root: { type: "root", ...ELEMENT, children: paragraphs } });
}
