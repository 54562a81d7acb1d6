import { withDOM } from "@lexical/headless/dom";
import { Window } from "happy-dom";
import sanitizeHtml from "sanitize-html";
for (let i = 0; i < 5; i++) { const t = performance.now(); withDOM(() => 1); console.log("withDOM", (performance.now() - t).toFixed(2)); }
for (let i = 0; i < 3; i++) { const t = performance.now(); const w = new Window(); console.log("new Window", (performance.now() - t).toFixed(2)); const t2 = performance.now(); w.happyDOM.close(); console.log("close", (performance.now() - t2).toFixed(2)); }
const html = "<p>".repeat(1) + "x".repeat(100) + "</p>";
for (let i = 0; i < 3; i++) { const t = performance.now(); sanitizeHtml(html.repeat(50)); console.log("sanitize", (performance.now() - t).toFixed(2)); }
