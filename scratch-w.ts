import { processContent } from "#app/editor/content.server.ts";
const paras = Array.from({ length: 1900 }, () => ({ type: "paragraph", children: Array.from({ length: 19 }, (_, i) => i % 2 ? { type: "text", text: "a", format: 1 } : { type: "tab" }) }));
const s = JSON.stringify({ root: { type: "root", children: paras } });
console.log("bytes", s.length);
for (let i = 0; i < 3; i++) { const t = performance.now(); const r = processContent(s); console.log(r.ok || r, (performance.now() - t).toFixed(0), "ms"); }
