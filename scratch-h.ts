import { createHeadlessEditor } from "@lexical/headless";
import { $generateHtmlFromNodes } from "@lexical/html";
import { CodeHighlightNode } from "@lexical/code";
import { TextNode, $getDocument, type DOMExportOutput, type LexicalNode } from "lexical";
import { EDITOR_NODES } from "#app/editor/nodes/index.ts";
import { EDITOR_THEME } from "#app/editor/theme.ts";
import { Window } from "happy-dom";
const t = (text: string, format = 0) => ({ type: "text", text, format, detail: 0, mode: "normal", style: "", version: 1 });
const p = (...children: any[]) => ({ type: "paragraph", version: 1, direction: "ltr", format: "", indent: 0, textFormat: 0, textStyle: "", children });
const words = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua".split(" ");
const sentence = (n: number) => Array.from({ length: n }, (_, i) => words[(i * 7 + n) % words.length]).join(" ") + ". ";
const children: any[] = [];
for (let s = 0; s < 4; s++) {
  children.push({ type: "heading", tag: "h2", version: 1, children: [t("Section " + s)] });
  for (let i = 0; i < 4; i++) children.push(p(t(sentence(40)), t("bold bit", 1), t(sentence(20)), { type: "link", url: "https://example.org/" + i, version: 1, children: [t("a link")] }, t(sentence(10))));
  children.push({ type: "list", listType: "bullet", tag: "ul", start: 1, version: 1, children: [1, 2, 3, 4].map((v) => ({ type: "listitem", value: v, version: 1, children: [t(sentence(12))] })) });
}
const cell = (x: string, h = 0) => ({ type: "tablecell", headerState: h, version: 1, children: [p(t(x))] });
children.push({ type: "table", version: 1, children: [0, 1, 2, 3].map((r) => ({ type: "tablerow", version: 1, children: [0, 1, 2].map((c) => cell(`r${r}c${c}`, r === 0 ? 1 : 0)) })) });
const doc = JSON.stringify({ root: { type: "root", version: 1, direction: "ltr", format: "", indent: 0, children } });
const FORMATS: Array<[number, string, string]> = [[16, "code", "rt-text-code"], [4, "s", "rt-text-strikethrough"], [8, "u", "rt-text-underline"], [2, "em", "rt-text-italic"], [1, "strong", "rt-text-bold"]];
function exportText(_e: unknown, node: LexicalNode): DOMExportOutput {
  const t = node as TextNode; const doc = $getDocument();
  let el: HTMLElement | Text = doc.createTextNode(t.getTextContent());
  const f = t.getFormat();
  for (const [bit, tag, cls] of FORMATS) if (f & bit) { const w = doc.createElement(tag); w.className = cls; w.append(el); el = w; }
  return { element: el };
}
const html = { export: new Map<any, any>([[TextNode, exportText], [CodeHighlightNode, exportText]]) };
const editor = createHeadlessEditor({ namespace: "x", nodes: [...EDITOR_NODES], theme: EDITOR_THEME, html, onError: (e) => { throw e; } });
editor.setEditorState(editor.parseEditorState(JSON.parse(doc)));
const win = new Window(); const g = globalThis as any; g.window = win; g.document = win.document;
console.log(editor.read(() => $generateHtmlFromNodes(editor, null)).slice(0, 600));
const s = performance.now();
for (let i = 0; i < 200; i++) editor.read(() => $generateHtmlFromNodes(editor, null));
console.log((performance.now() - s) / 200);
