import { describe, expect, it } from "vitest";
import { CONTENT_LIMITS, processContent, type ContentResult } from "#app/editor/content.server.ts";
import { EDITOR_NODES } from "#app/editor/nodes/index.ts";

// Builders for serialized Lexical nodes, written the way the editor posts them.
type Json = Record<string, unknown>;
const text = (value: string, format = 0, extra: Json = {}): Json => ({
  type: "text",
  version: 1,
  text: value,
  format,
  detail: 0,
  mode: "normal",
  style: "",
  ...extra,
});
const element = (type: string, children: Json[], extra: Json = {}): Json => ({
  type,
  version: 1,
  direction: null,
  format: "",
  indent: 0,
  children,
  ...extra,
});
const paragraph = (...children: Json[]) => element("paragraph", children, { textFormat: 0, textStyle: "" });
const link = (url: unknown, label = "link", extra: Json = {}) => element("link", [text(label)], { url, rel: null, target: null, title: null, ...extra });
const pageLink = (pageId: unknown, label = "Other page") => element("page-link", [text(label)], { pageId });
const image = (src: unknown, extra: Json = {}) => ({ type: "image", version: 1, src, altText: "A diagram", ...extra });
const cell = (value: string, headerState: number) => element("tablecell", [paragraph(text(value))], { headerState, colSpan: 1, rowSpan: 1 });
const doc = (...children: Json[]) => JSON.stringify({ root: element("root", children) });

const PAGE_A = "abcdefghij0123456789";
const PAGE_B = "zyxwvutsrq9876543210";

function ok(result: ContentResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.error} ${result.detail ?? ""}`);
  return result;
}

/** A document using every node type in EDITOR_NODES, plus the base ones. */
function everyNodeDocument() {
  return doc(
    element("heading", [text("Workshop notes", 1)], { tag: "h2" }),
    paragraph(
      text("Plain, "),
      text("bold", 1),
      text(" "),
      text("italic", 2),
      text(" "),
      text("struck", 4),
      text(" "),
      text("under", 8),
      text(" "),
      text("code", 16),
      { type: "linebreak", version: 1 },
      { type: "tab", version: 1, text: "\t", format: 0, detail: 2, mode: "normal", style: "" },
      link("https://example.org/guide", "guide"),
      text(" "),
      element("autolink", [text("https://example.com")], { url: "https://example.com", rel: null, target: null, title: null, isUnlinked: false }),
      text(" "),
      pageLink(PAGE_A, "Budget"),
    ),
    element("quote", [text("A quote")]),
    element("list", [element("listitem", [text("one")], { value: 1 }), element("listitem", [text("two")], { value: 2 })], { listType: "bullet", start: 1, tag: "ul" }),
    element("list", [element("listitem", [text("first")], { value: 1 })], { listType: "number", start: 1, tag: "ol" }),
    element(
      "list",
      [element("listitem", [text("done")], { value: 1, checked: true }), element("listitem", [text("to do")], { value: 2, checked: false })],
      { listType: "check", start: 1, tag: "ul" },
    ),
    element("code", [{ ...text("const a = 1;"), type: "code-highlight" }, { type: "linebreak", version: 1 }, text("a++")], { language: "javascript" }),
    { type: "horizontalrule", version: 1 },
    image("/files/diagram.png", { width: 640, height: 480 }),
    element("table", [
      element("tablerow", [cell("Name", 1), cell("Role", 1)]),
      element("tablerow", [cell("Ada", 0), cell("Host", 0)]),
    ]),
  );
}

describe("processContent: a valid document", () => {
  it("accepts every node kind and derives HTML with the theme classes", () => {
    const result = ok(processContent(everyNodeDocument()));
    const { html } = result;
    expect(html).toContain('<h2 class="rt-h2"><strong class="rt-text-bold">Workshop notes</strong></h2>');
    expect(html).toContain('<strong class="rt-text-bold">bold</strong>');
    expect(html).toContain('<em class="rt-text-italic">italic</em>');
    expect(html).toContain('<s class="rt-text-strikethrough">struck</s>');
    expect(html).toContain('<u class="rt-text-underline">under</u>');
    expect(html).toContain('<code class="rt-text-code">code</code>');
    expect(html).toContain("<br />");
    expect(html).toContain('<a href="https://example.org/guide" class="rt-link" rel="noopener noreferrer nofollow">guide</a>');
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('<a href="/pages/abcdefghij0123456789" data-page-id="abcdefghij0123456789" class="page-link">Budget</a>');
    expect(html).toContain('<blockquote class="rt-quote">A quote</blockquote>');
    expect(html).toMatch(/<ul class="rt-list-ul"><li value="1" class="rt-listitem">one<\/li><li value="2" class="rt-listitem">two<\/li><\/ul>/);
    expect(html).toContain('<ol class="rt-list-ol">');
    expect(html).toContain('<ul class="rt-list-ul rt-checklist">');
    expect(html).toContain('role="checkbox" aria-checked="true" value="1" class="rt-listitem rt-listitem-checked">done</li>');
    expect(html).toContain('aria-checked="false" value="2" class="rt-listitem rt-listitem-unchecked">to do</li>');
    expect(html).toContain('<pre class="rt-code">const a = 1;<br />a++</pre>');
    expect(html).toContain('<hr class="rt-hr" />');
    expect(html).toContain('<img src="/files/diagram.png" alt="A diagram" loading="lazy" width="640" height="480" class="rt-image" />');
    expect(html).toContain('<table class="rt-table"><tbody><tr class="rt-table-row"><th class="rt-table-cell rt-table-cell-header" scope="col"><p class="rt-p">Name</p></th>');
    expect(html).toContain('<td class="rt-table-cell"><p class="rt-p">Ada</p></td>');
    expect(html).not.toMatch(/<script|style=|on\w+=/i);

    expect(result.text).toContain("Workshop notes");
    expect(result.text).toContain("Plain, bold italic struck under code");
    expect(result.text).toContain("Budget");
    expect(result.text).toContain("const a = 1;\na++");
    expect(result.pageIds).toEqual([PAGE_A]);
  });

  it("writes an empty header cell as a plain cell: it heads nothing", () => {
    const emptyHeader = element("tablecell", [paragraph()], { headerState: 1, colSpan: 1, rowSpan: 1 });
    const { html } = ok(processContent(doc(element("table", [element("tablerow", [cell("Name", 1), emptyHeader]), element("tablerow", [cell("Ada", 0), cell("Host", 0)])]))));
    expect(html).toContain('<th class="rt-table-cell rt-table-cell-header" scope="col"><p class="rt-p">Name</p></th><td class="rt-table-cell">');
    expect(html.match(/<th\b/g)).toHaveLength(1);
  });

  it("accepts an already parsed object the same as the posted string", () => {
    const fromString = ok(processContent(everyNodeDocument()));
    const fromObject = ok(processContent(JSON.parse(everyNodeDocument())));
    expect(fromObject).toEqual(fromString);
  });

  it("accepts an empty document (one empty paragraph)", () => {
    const result = ok(processContent(doc(paragraph())));
    expect(result.text).toBe("");
    // Nothing to read: trailing empty paragraphs leave the read view.
    expect(result.html).toBe("");
    expect(result.pageIds).toEqual([]);
  });

  it("drops empty paragraphs at the end of the read view only, keeping those between blocks", () => {
    const { html, json } = ok(processContent(doc(paragraph(text("a")), paragraph(), paragraph(text("b")), paragraph(), paragraph())));
    expect(html).toBe('<p class="rt-p">a</p><p class="rt-p"><br /></p><p class="rt-p">b</p>');
    // The editor's document keeps them, so the caret can still go there.
    expect((JSON.parse(json) as { root: { children: unknown[] } }).root.children).toHaveLength(5);
  });

  it("marks external links nofollow and leaves site paths alone", () => {
    const { html } = ok(processContent(doc(paragraph(link("/spaces/club/wiki/home", "home"), link("mailto:ada@example.org", "mail"), link("tel:+33123456789", "call")))));
    expect(html).toContain('<a href="/spaces/club/wiki/home" class="rt-link">home</a>');
    expect(html).toContain('<a href="mailto:ada@example.org" class="rt-link" rel="noopener noreferrer nofollow">mail</a>');
    expect(html).toContain('<a href="tel:+33123456789" class="rt-link" rel="noopener noreferrer nofollow">call</a>');
  });

  it("keeps target only when it is _blank, and never trusts the posted rel", () => {
    const { html, json } = ok(
      processContent(doc(paragraph(link("https://a.example", "a", { target: "_blank", rel: "opener" }), link("https://b.example", "b", { target: "_parent" })))),
    );
    expect(html).toContain('<a href="https://a.example" target="_blank" class="rt-link" rel="noopener noreferrer nofollow">a</a>');
    expect(html).toContain('<a href="https://b.example" class="rt-link" rel="noopener noreferrer nofollow">b</a>');
    expect(json).not.toContain("opener\"");
    expect(json).not.toContain("_parent");
  });

  it("extracts page ids for backlinks, without duplicates, in order", () => {
    const result = ok(processContent(doc(paragraph(pageLink(PAGE_B, "B"), text(" and "), pageLink(PAGE_A, "A")), paragraph(pageLink(PAGE_B, "B again")))));
    expect(result.pageIds).toEqual([PAGE_B, PAGE_A]);
  });
});

describe("processContent: hostile text", () => {
  it("escapes markup typed as text", () => {
    const result = ok(processContent(doc(paragraph(text("<script>alert(1)</script> and <img src=x onerror=alert(1)>")))));
    expect(result.html).toBe('<p class="rt-p">&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;</p>');
    expect(result.text).toBe("<script>alert(1)</script> and <img src=x onerror=alert(1)>");
  });

  it("drops inline styles from text, paragraphs and cells, in the HTML and the stored JSON", () => {
    const evil = "color:red;background:url(javascript:alert(1));behavior:url(x.htc)";
    const result = ok(
      processContent(
        doc(
          element("paragraph", [text("styled", 1 | 2, { style: evil })], { textFormat: 3, textStyle: evil }),
          element("table", [element("tablerow", [element("tablecell", [paragraph(text("x"))], { headerState: 0, backgroundColor: "red;background:url(javascript:alert(1))" })])]),
        ),
      ),
    );
    expect(result.html).not.toMatch(/style=|javascript|url\(/i);
    expect(result.html).toContain('<p class="rt-p"><strong class="rt-text-bold"><em class="rt-text-italic">styled</em></strong></p>');
    expect(result.json).not.toMatch(/javascript|url\(|color:red/);
    const stored = JSON.parse(result.json);
    expect(stored.root.children[0].children[0].style).toBe("");
    expect(stored.root.children[0].textStyle).toBe("");
  });

  it("does not let format bits we do not offer add tags", () => {
    // 32 subscript, 64 superscript, 128 highlight
    const { html } = ok(processContent(doc(paragraph(text("odd", 32 | 64 | 128)))));
    expect(html).toBe('<p class="rt-p">odd</p>');
  });

  it("refuses forged __proto__ / constructor keys without polluting prototypes", () => {
    const attempts = [
      '{"root":{"type":"root","version":1,"children":[{"type":"paragraph","version":1,"__proto__":{"polluted":"yes"},"children":[]}]}}',
      '{"root":{"type":"root","version":1,"children":[{"type":"paragraph","version":1,"constructor":{"prototype":{"polluted":"yes"}},"children":[]}]}}',
      '{"root":{"type":"root","version":1,"children":[{"type":"paragraph","version":1,"$":{"__proto__":{"polluted":"yes"}},"children":[]}]}}',
      '{"__proto__":{"polluted":"yes"},"root":{"type":"root","version":1,"children":[]}}',
    ];
    for (const attempt of attempts) {
      expect(processContent(attempt)).toMatchObject({ ok: false, error: "malformed" });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("processContent: URLs", () => {
  const badLinks = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\u0000javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example\\x",
    "http://",
    "https:// example.org",
    "https://user:secret@example.org/",
    "example.org",
    "#top",
    "not a url",
    "",
  ];

  it.each(badLinks)("refuses the link %j", (url) => {
    expect(processContent(doc(paragraph(link(url))))).toMatchObject({ ok: false, error: "bad_url" });
    expect(processContent(doc(paragraph(element("autolink", [text("x")], { url, isUnlinked: false }))))).toMatchObject({ ok: false, error: "bad_url" });
  });

  it("refuses a link whose url is not a string", () => {
    expect(processContent(doc(paragraph(link(42))))).toMatchObject({ ok: false, error: "bad_url" });
    expect(processContent(doc(paragraph(link(undefined))))).toMatchObject({ ok: false, error: "bad_url" });
  });

  it.each(["https://example.org/a?b=c#d", "http://example.org", "HTTPS://EXAMPLE.ORG/", "mailto:ada@example.org", "tel:+33123456789", "/spaces/club/wiki/home"])(
    "accepts the link %j",
    (url) => {
      expect(processContent(doc(paragraph(link(url)))).ok).toBe(true);
    },
  );

  it.each(["//evil.example/x.png", "https://evil.example/x.png", "/\\evil.example/x.png", "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)", "files/x.png", ""])(
    "refuses the image source %j",
    (src) => {
      expect(processContent(doc(image(src)))).toMatchObject({ ok: false, error: "bad_url" });
    },
  );

  it.each(["ABCDEFGHIJKL", "short", "../../admin", "abcdefghij/x", "a".repeat(41), 12345678901])("refuses the page id %j", (pageId) => {
    expect(processContent(doc(paragraph(pageLink(pageId))))).toMatchObject({ ok: false, error: "bad_url" });
  });
});

describe("processContent: structure and size", () => {
  it.each(["html", "iframe", "script", "mark", "artificial", "embed"])("refuses the unknown node type %j", (type) => {
    expect(processContent(doc(paragraph(text("x")), { type, version: 1, children: [] }))).toEqual({ ok: false, error: "unknown_node", detail: type });
  });

  it("refuses an unknown type hidden deep in the tree", () => {
    const hidden = element("list", [element("listitem", [{ type: "iframe", version: 1, src: "https://evil.example" }])], { listType: "bullet", tag: "ul" });
    expect(processContent(doc(hidden))).toEqual({ ok: false, error: "unknown_node", detail: "iframe" });
  });

  /** Lists nested `levels` deep: the innermost text sits at depth 2 × levels + 1. */
  function nestedLists(levels: number): Json {
    let inner: Json = text("deep");
    for (let i = 0; i < levels; i++) inner = element("list", [element("listitem", [inner], { value: 1 })], { listType: "bullet", start: 1, tag: "ul" });
    return inner;
  }

  it("refuses 50 levels of nesting", () => {
    expect(processContent(doc(nestedLists(50)))).toEqual({ ok: false, error: "too_deep" });
  });

  it("accepts depth 39, refuses depth 41", () => {
    expect(processContent(doc(nestedLists(19))).ok).toBe(true);
    expect(processContent(doc(nestedLists(20)))).toEqual({ ok: false, error: "too_deep" });
  });

  it("refuses more than 1 MB", () => {
    const huge = doc(paragraph(text("x".repeat(2 * 1024 * 1024))));
    expect(processContent(huge)).toEqual({ ok: false, error: "too_large" });
    expect(processContent("x".repeat(2 * 1024 * 1024))).toEqual({ ok: false, error: "too_large" });
  });

  it("counts bytes, not characters", () => {
    // 400,000 three-byte characters: 1.2 MB of UTF-8 in a 0.4 M-character string.
    const wide = doc(paragraph(text("€".repeat(400_000))));
    expect(wide.length).toBeLessThan(CONTENT_LIMITS.maxBytes);
    expect(processContent(wide)).toEqual({ ok: false, error: "too_large" });
  });

  it("refuses more than 50,000 nodes even under 1 MB", () => {
    const breaks = Array.from({ length: 50_001 }, () => ({ type: "tab" }));
    const source = JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: breaks }] } });
    expect(source.length).toBeLessThan(CONTENT_LIMITS.maxBytes);
    expect(processContent(source)).toEqual({ ok: false, error: "too_large" });
  });

  it.each([
    ["not JSON", "{root:"],
    ["a bare string", '"hello"'],
    ["null", "null"],
    ["an array", "[]"],
    ["no root", '{"editorState":{}}'],
    ["a root of the wrong type", '{"root":{"type":"paragraph","children":[]}}'],
    ["children that are not an array", '{"root":{"type":"root","children":{"0":{"type":"text"}}}}'],
    ["a node that is not an object", '{"root":{"type":"root","children":["<p>hi</p>"]}}'],
    ["a node without a type", '{"root":{"type":"root","children":[{"children":[]}]}}'],
    ["a nested root", '{"root":{"type":"root","children":[{"type":"root","children":[]}]}}'],
    ["named slots", '{"root":{"type":"root","children":[{"type":"paragraph","children":[],"$slots":{"x":{"type":"text","text":"x"}}}]}}'],
  ])("refuses %s as malformed", (_label, source) => {
    expect(processContent(source)).toMatchObject({ ok: false, error: "malformed" });
  });

  it("refuses a number or boolean as malformed", () => {
    expect(processContent(42)).toMatchObject({ ok: false, error: "malformed" });
    expect(processContent(true)).toMatchObject({ ok: false, error: "malformed" });
  });

  it.each([[null], [undefined], [""], ["   \n"]])("calls %j empty", (raw) => {
    expect(processContent(raw)).toEqual({ ok: false, error: "empty" });
  });
});

describe("processContent: JSON round trip", () => {
  /** What a stored document means: types, text and the attributes that matter, without Lexical's bookkeeping. */
  function meaning(node: Json): unknown {
    const keep = ["type", "text", "format", "tag", "listType", "checked", "url", "pageId", "src", "altText", "width", "height", "headerState", "language"];
    const out: Json = {};
    for (const key of keep) if (node[key] !== undefined && node[key] !== null) out[key] = node[key];
    // An element's `format` is its alignment (""), a text node's is its bit set.
    if (Array.isArray(node.children) && out.format === "") delete out.format;
    if (Array.isArray(node.children)) out.children = (node.children as Json[]).map(meaning);
    return out;
  }

  it("keeps the meaning of every node type, and a second pass changes nothing", () => {
    const first = ok(processContent(everyNodeDocument()));
    const second = ok(processContent(first.json));
    expect(second.json).toBe(first.json);
    expect(second.html).toBe(first.html);

    const t = (value: string, format = 0) => ({ type: "text", text: value, format });
    const cellMeaning = (value: string, headerState: number) => ({ type: "tablecell", headerState, children: [{ type: "paragraph", children: [t(value)] }] });
    expect(meaning(JSON.parse(first.json).root)).toEqual({
      type: "root",
      children: [
        { type: "heading", tag: "h2", children: [t("Workshop notes", 1)] },
        {
          type: "paragraph",
          children: [
            t("Plain, "),
            t("bold", 1),
            t(" "),
            t("italic", 2),
            t(" "),
            t("struck", 4),
            t(" "),
            t("under", 8),
            t(" "),
            t("code", 16),
            { type: "linebreak" },
            { type: "tab", text: "\t", format: 0 },
            { type: "link", url: "https://example.org/guide", children: [t("guide")] },
            t(" "),
            { type: "autolink", url: "https://example.com", children: [t("https://example.com")] },
            t(" "),
            { type: "page-link", pageId: PAGE_A, children: [t("Budget")] },
          ],
        },
        { type: "quote", children: [t("A quote")] },
        { type: "list", tag: "ul", listType: "bullet", children: [{ type: "listitem", children: [t("one")] }, { type: "listitem", children: [t("two")] }] },
        { type: "list", tag: "ol", listType: "number", children: [{ type: "listitem", children: [t("first")] }] },
        {
          type: "list",
          tag: "ul",
          listType: "check",
          children: [
            { type: "listitem", checked: true, children: [t("done")] },
            { type: "listitem", checked: false, children: [t("to do")] },
          ],
        },
        { type: "code", language: "javascript", children: [{ type: "code-highlight", text: "const a = 1;", format: 0 }, { type: "linebreak" }, t("a++")] },
        { type: "horizontalrule" },
        { type: "image", src: "/files/diagram.png", altText: "A diagram", width: 640, height: 480 },
        {
          type: "table",
          children: [
            { type: "tablerow", children: [cellMeaning("Name", 1), cellMeaning("Role", 1)] },
            { type: "tablerow", children: [cellMeaning("Ada", 0), cellMeaning("Host", 0)] },
          ],
        },
      ],
    });
  });

  it("covers every type in EDITOR_NODES", () => {
    const used = new Set<string>();
    const walk = (node: Json) => {
      used.add(node.type as string);
      if (Array.isArray(node.children)) (node.children as Json[]).forEach(walk);
    };
    walk(JSON.parse(ok(processContent(everyNodeDocument())).json).root);
    for (const klass of EDITOR_NODES) expect(used).toContain(klass.getType());
  });

  it("writes page links as {type, version, pageId, children}", () => {
    const stored = JSON.parse(ok(processContent(doc(paragraph(pageLink(PAGE_A, "Budget"))))).json);
    expect(stored.root.children[0].children[0]).toMatchObject({ type: "page-link", version: 1, pageId: PAGE_A, children: [{ type: "text", text: "Budget" }] });
  });
});

describe("processContent: files of the space a document names (fileIds)", () => {
  const FILE_A = "k3j4h5g6f7d8s9a0q1w2e3r4";
  const FILE_B = "p0o9i8u7y6t5r4e3w2q1a2s3";
  const FILE_C = "z1x2c3v4b5n6m7l8k9j0h1g2";
  const FILE_D = "d4d4d4d4d4e5e5e5e5e5f6f6";
  const list = (...items: Json[]) => element("list", items.map((item, i) => element("listitem", [item], { value: i + 1 })), { listType: "bullet", start: 1, tag: "ul" });

  it("collects images by /files/<id>/inline and links by /files/<id>: distinct, in order of first appearance", () => {
    const result = ok(
      processContent(
        doc(
          paragraph(text("See "), link(`/files/${FILE_B}`, "the minutes")),
          image(`/files/${FILE_A}/inline`),
          paragraph(link(`/files/${FILE_A}`, "the same diagram, as a link")),
          list(link(`/files/${FILE_C}`, "in a list")),
          image(`/files/${FILE_B}/inline`),
          paragraph(element("autolink", [text("again")], { url: `/files/${FILE_C}`, rel: null, target: null, title: null, isUnlinked: false })),
          image(`/files/${FILE_D}/inline`),
        ),
      ),
    );
    expect(result.fileIds).toEqual([FILE_B, FILE_A, FILE_C, FILE_D]);
    // Files are not pages.
    expect(result.pageIds).toEqual([]);
    expect(result.html).toContain(`<img src="/files/${FILE_A}/inline" alt="A diagram" loading="lazy" class="rt-image" />`);
    expect(result.html).toContain(`<a href="/files/${FILE_B}" class="rt-link">the minutes</a>`);
  });

  it("collects an image named by nothing else, and a link named by nothing else", () => {
    expect(ok(processContent(doc(image(`/files/${FILE_A}/inline`)))).fileIds).toEqual([FILE_A]);
    expect(ok(processContent(doc(paragraph(link(`/files/${FILE_B}`, "minutes"))))).fileIds).toEqual([FILE_B]);
  });

  it("collects them inside tables and beside page links, which keep their own list", () => {
    const result = ok(
      processContent(
        doc(
          element("table", [element("tablerow", [element("tablecell", [paragraph(link(`/files/${FILE_C}`, "cell"))], { headerState: 0, colSpan: 1, rowSpan: 1 })])]),
          paragraph(pageLink(PAGE_A, "Budget"), link(`/files/${FILE_A}`, "file")),
        ),
      ),
    );
    expect(result.fileIds).toEqual([FILE_C, FILE_A]);
    expect(result.pageIds).toEqual([PAGE_A]);
  });

  it.each([
    ["a download address", `/files/${FILE_A}/download`],
    ["the file's address in its space", `/spaces/club/files/${FILE_A}`],
    ["its download in its space", `/spaces/club/files/${FILE_A}/download`],
    ["something that is not an id (capitals)", "/files/NOTANIDATALL"],
    ["an id too short", "/files/abc123"],
    ["another word after the id", `/files/${FILE_A}/thumbnail`],
    ["another site's /files/", `https://example.org/files/${FILE_A}`],
    ["another site's /files/…/inline", `https://example.org/files/${FILE_A}/inline`],
  ])("does not take a link to %s (%s) for a file", (_label, url) => {
    const result = ok(processContent(doc(paragraph(link(url, "elsewhere")))));
    expect(result.fileIds).toEqual([]);
  });

  it.each([
    ["a download address", `/files/${FILE_A}/download`],
    ["the file's thumbnail in its space", `/spaces/club/files/${FILE_A}/thumbnail`],
    ["something that is not an id", "/files/NOTANIDATALL/inline"],
  ])("does not take an image at %s (%s) for a file", (_label, src) => {
    const result = ok(processContent(doc(image(src))));
    expect(result.fileIds).toEqual([]);
  });

  it("still accepts the images of pages written before files (/spaces/<slug>/wiki/images/<id>), naming no file", () => {
    const src = `/spaces/club-achats/wiki/images/${FILE_A}`;
    const result = ok(processContent(doc(paragraph(text("Old page")), image(src, { altText: "Old diagram" }))));
    expect(result.fileIds).toEqual([]);
    expect(result.html).toContain(`<img src="${src}" alt="Old diagram" loading="lazy" class="rt-image" />`);
    expect(JSON.parse(result.json).root.children[1]).toMatchObject({ type: "image", src, altText: "Old diagram" });
  });

  it("keeps every file image and link in the stored JSON as posted", () => {
    const result = ok(processContent(doc(image(`/files/${FILE_A}/inline`), paragraph(link(`/files/${FILE_B}`, "doc")))));
    const stored = JSON.parse(result.json);
    expect(stored.root.children[0]).toMatchObject({ type: "image", src: `/files/${FILE_A}/inline` });
    expect(stored.root.children[1].children[0]).toMatchObject({ type: "link", url: `/files/${FILE_B}` });
  });
});
