import { createHeadlessEditor } from "@lexical/headless";
import { withDOM } from "@lexical/headless/dom";
import { $generateHtmlFromNodes } from "@lexical/html";
import { $getRoot } from "lexical";
import sanitizeHtml from "sanitize-html";
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
const editor = createHeadlessEditor({ namespace: "x", nodes: [...EDITOR_NODES], theme: EDITOR_THEME, onError: (e) => { throw e; } });
const acc: Record<string, number> = {};
const lap = (k: string, s: number) => { const n = performance.now(); acc[k] = (acc[k] ?? 0) + n - s; return n; };
const win = new Window();
for (let i = 0; i < 200; i++) {
  let s = performance.now();
  const parsed = JSON.parse(doc, (k, v) => v); s = lap("jsonparse", s);
  const state = editor.parseEditorState(parsed); s = lap("parseEditorState", s);
  editor.setEditorState(state); s = lap("setEditorState", s);
  const json = JSON.stringify(state.toJSON()); s = lap("toJSON", s);
  const html = withDOM(() => editor.read(() => { const a = $getRoot().getTextContent(); return $generateHtmlFromNodes(editor, null); })); s = lap("withDOM+html", s);
  const g = globalThis as any; g.window = win; g.document = win.document;
  editor.read(() => $generateHtmlFromNodes(editor, null)); s = lap("persistentWindow+html", s);
  delete g.window; delete g.document;
  sanitizeHtml(html, { allowedTags: ["p","span","a","strong","ul","li","h2","table","tbody","tr","td","th"], allowedAttributes: { a: ["href"], "*": ["class"] } }); s = lap("sanitize", s);
}
for (const [k, v] of Object.entries(acc)) console.log(k, (v / 200).toFixed(2));
