import { CodeHighlightNode } from "@lexical/code";
import { createHeadlessEditor } from "@lexical/headless";
import { $generateHtmlFromNodes } from "@lexical/html";
import { TableCellHeaderStates, TableCellNode, TableNode, TableRowNode } from "@lexical/table";
import { Window as HappyDOMWindow } from "happy-dom";
import {
  $getDocument,
  $getRoot,
  type DOMExportOutput,
  type DOMExportOutputMap,
  type Klass,
  type LexicalEditor,
  type LexicalNode,
  type SerializedEditorState,
  TextNode,
} from "lexical";
import sanitizeHtml from "sanitize-html";
import { EDITOR_NODES, HorizontalRuleNode } from "./nodes/index.ts";
import { COMMENT_NODES, COMMENT_TEXT_FORMATS, isUserId, MENTION_CLASS, MentionNode } from "./nodes/comment-nodes.ts";
import { inputText } from "./input.ts";
import { jsonDepthExceeds, lexicalJsonDepth } from "./json-depth.ts";
import { THEME_CLASS_NAMES, EDITOR_THEME } from "./theme.ts";
import { fileIdOf, isPageId, isSafeImageSrc, isSafeLinkUrl, isSameOriginPath } from "./url.ts";

/**
 * Content posted by the editor is Lexical JSON, and nothing the browser sends
 * is trusted: the raw tree is checked first (size, depth, node types, URLs),
 * then parsed by a headless editor that knows only EDITOR_NODES, and the HTML
 * and text the site shows are derived here, never taken from the client.
 */

export type ContentError = "malformed" | "too_large" | "too_deep" | "too_complex" | "unknown_node" | "bad_url" | "empty";

export type ContentResult =
  | {
      ok: true;
      /** The document re-serialised from the parsed editor state: store this. */
      json: string;
      /** Sanitized HTML for the read view (RichTextView). */
      html: string;
      /** Plain text, for search and diffs. */
      text: string;
      /** Distinct ids of the pages this document links to, in order of first appearance. */
      pageIds: string[];
      /** Distinct ids of the space files it shows (images) or links to, by their /files/:id addresses. */
      fileIds: string[];
    }
  | { ok: false; error: ContentError; detail?: string };

export const CONTENT_LIMITS = {
  /** Bytes of the posted JSON (UTF-8). */
  maxBytes: 1024 * 1024,
  /** Depth of a node below the root (the root's children are at depth 1). */
  maxDepth: 40,
  /** Nodes in the whole tree, root included. */
  maxNodes: 50_000,
} as const;

/**
 * Comments (on articles and wiki pages) are Lexical JSON too, with a light
 * node list (COMMENT_NODES) and smaller limits, checked by a second headless
 * editor the same way.
 */
export const COMMENT_LIMITS = {
  maxBytes: 20_000,
  maxDepth: 12,
  maxNodes: 2_000,
} as const;

export type CommentContentResult =
  | {
      ok: true;
      json: string;
      html: string;
      text: string;
      /** Distinct ids of the people the comment mentions (as posted: the server decides who hears of it). */
      mentionIds: string[];
    }
  | { ok: false; error: ContentError; detail?: string };

type Limits = { readonly maxBytes: number; readonly maxDepth: number; readonly maxNodes: number };

interface Profile {
  namespace: string;
  nodes: ReadonlyArray<Klass<LexicalNode>>;
  limits: Limits;
  exportMap: DOMExportOutputMap;
  sanitize: (html: string) => string;
  /** Bits of a text node's format kept; undefined: all. */
  textFormats?: number;
}

interface Found {
  pageIds: string[];
  fileIds: string[];
  mentionIds: string[];
}

/** Types every Lexical editor registers, on top of EDITOR_NODES. ("artificial" is internal and refused.) */
const BASE_TYPES = ["root", "paragraph", "text", "linebreak", "tab"] as const;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

class Refusal extends Error {
  constructor(
    readonly code: ContentError,
    readonly detail?: string,
  ) {
    super(detail ?? code);
  }
}

const editors = new Map<Profile, { editor: LexicalEditor; types: ReadonlySet<string> }>();

/** One headless editor per profile for the process: parsing replaces its whole state each time. */
function getEditor(profile: Profile) {
  let shared = editors.get(profile);
  if (!shared) {
    const editor = createHeadlessEditor({
      namespace: profile.namespace,
      nodes: [...profile.nodes],
      theme: EDITOR_THEME,
      html: { export: profile.exportMap },
      onError: (error) => {
        throw error;
      },
    });
    const types = new Set<string>([...BASE_TYPES, ...profile.nodes.map((klass) => klass.getType())]);
    shared = { editor, types };
    editors.set(profile, shared);
  }
  return shared;
}

function refusalOf(error: unknown): { ok: false; error: ContentError; detail?: string } {
  if (error instanceof Refusal) {
    return error.detail === undefined ? { ok: false, error: error.code } : { ok: false, error: error.code, detail: error.detail };
  }
  return { ok: false, error: "malformed", detail: error instanceof Error ? error.message.slice(0, 200) : undefined };
}

export function processContent(raw: unknown): ContentResult {
  try {
    const { json, html, text, found } = run(raw, WIKI_PROFILE);
    return { ok: true, json, html, text, pageIds: found.pageIds, fileIds: found.fileIds };
  } catch (error) {
    return refusalOf(error);
  }
}

/**
 * A comment: the same checks with the comment node list and limits. Refused
 * as "empty" when it holds no text. Mentions are only collected here: whether
 * anyone is told is the comment command's decision (members who may read).
 */
export function processCommentContent(raw: unknown): CommentContentResult {
  try {
    const { json, html, text, found } = run(raw, COMMENT_PROFILE);
    if (text.trim() === "") return { ok: false, error: "empty" };
    return { ok: true, json, html, text, mentionIds: found.mentionIds };
  } catch (error) {
    return refusalOf(error);
  }
}

function run(raw: unknown, profile: Profile): { json: string; html: string; text: string; found: Found } {
  const source = toSource(raw, profile.limits);
  const parsed = parse(source);
  const found = checkTree(parsed, profile);

  const { editor } = getEditor(profile);
  let state;
  try {
    state = editor.parseEditorState(parsed as unknown as SerializedEditorState);
    editor.setEditorState(state);
  } catch (error) {
    throw new Refusal("malformed", error instanceof Error ? error.message.slice(0, 200) : undefined);
  }

  const json = JSON.stringify(state.toJSON());
  if (Buffer.byteLength(json, "utf8") > profile.limits.maxBytes) throw new Refusal("too_large");
  const { text, html } = withServerDOM(() => {
    return editor.read(() => ({ text: $getRoot().getTextContent(), html: $generateHtmlFromNodes(editor, null) }));
  });
  return { json, html: profile.sanitize(html), text, found };
}

function toSource(raw: unknown, limits: Limits): string {
  // An already parsed object goes through the same checks as a posted string.
  const text = inputText(raw);
  if (typeof text !== "string") throw new Refusal(text.error, text.detail);
  if (text.length > limits.maxBytes || Buffer.byteLength(text, "utf8") > limits.maxBytes) {
    throw new Refusal("too_large");
  }
  if (text.trim() === "") throw new Refusal("empty");
  // Before JSON.parse: its reviver below recurses, and a 100,000-deep text overflowed the stack.
  if (jsonDepthExceeds(text, lexicalJsonDepth(limits.maxDepth))) throw new Refusal("too_deep");
  return text;
}

function parse(source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) throw new Refusal("malformed", `forbidden key ${key}`);
      // U+0000 is no character anyone types, and PostgreSQL's text cannot hold it: hostile text loses it here.
      if (typeof value === "string" && value.includes("\u0000")) return value.replaceAll("\u0000", "");
      return value;
    });
  } catch (error) {
    if (error instanceof Refusal) throw error;
    throw new Refusal("malformed", "invalid JSON");
  }
  if (!isObject(parsed) || !isObject(parsed.root) || parsed.root.type !== "root") {
    throw new Refusal("malformed", "expected {root: {type: \"root\", …}}");
  }
  return parsed;
}

/**
 * Walks the raw tree before Lexical sees it: counts and depth, node types,
 * URLs and ids. Also drops what we never render and would otherwise store:
 * inline styles (text `style`, paragraph `textStyle`, cell `backgroundColor`),
 * NodeState (`$`). Returns the distinct page, file and mentioned user ids it refers to.
 */
function checkTree(document: Record<string, unknown>, profile: Profile): Found {
  const { types } = getEditor(profile);
  const limits = profile.limits;
  const pageIds = new Set<string>();
  const fileIds = new Set<string>();
  const mentionIds = new Set<string>();
  const stack: Array<{ node: unknown; depth: number }> = [{ node: document.root, depth: 0 }];
  let count = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > limits.maxDepth) throw new Refusal("too_deep");
    if (++count > limits.maxNodes) throw new Refusal("too_large");
    if (!isObject(node)) throw new Refusal("malformed", "a node is not an object");
    const type = node.type;
    if (typeof type !== "string") throw new Refusal("malformed", "a node has no type");
    if (!types.has(type)) throw new Refusal("unknown_node", type.slice(0, 100));
    if (type === "root" && depth !== 0) throw new Refusal("malformed", "nested root");
    if ("$slots" in node) throw new Refusal("malformed", "slots are not supported");

    delete node.$;
    if (typeof node.style === "string") node.style = "";
    if (typeof node.textStyle === "string") node.textStyle = "";
    if ("backgroundColor" in node) node.backgroundColor = null;
    if (profile.textFormats !== undefined) {
      if (typeof node.format === "number") node.format &= profile.textFormats;
      if (typeof node.textFormat === "number") node.textFormat &= profile.textFormats;
    }

    switch (type) {
      case "link":
      case "autolink":
        if (!isSafeLinkUrl(node.url)) throw new Refusal("bad_url", describe(node.url));
        // target: only a new tab; rel is decided by the sanitizer.
        if (node.target !== undefined && node.target !== null && node.target !== "_blank") node.target = null;
        if (node.rel !== undefined) node.rel = null;
        if (fileIdOf(node.url)) fileIds.add(fileIdOf(node.url)!);
        break;
      case "page-link":
        if (!isPageId(node.pageId)) throw new Refusal("bad_url", describe(node.pageId));
        pageIds.add(node.pageId);
        break;
      case "image":
        if (!isSafeImageSrc(node.src)) throw new Refusal("bad_url", describe(node.src));
        if (node.altText !== undefined && typeof node.altText !== "string") throw new Refusal("malformed", "altText");
        if (fileIdOf(node.src)) fileIds.add(fileIdOf(node.src)!);
        break;
      case "mention":
        if (!isUserId(node.userId)) throw new Refusal("malformed", `mention ${describe(node.userId)}`);
        if (typeof node.text !== "string" || node.text.length === 0 || node.text.length > 200) throw new Refusal("malformed", "mention text");
        mentionIds.add(node.userId);
        break;
    }

    const children = node.children;
    if (children !== undefined) {
      if (!Array.isArray(children)) throw new Refusal("malformed", "children is not an array");
      if (count + stack.length + children.length > limits.maxNodes) throw new Refusal("too_large");
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
    }
  }
  return { pageIds: [...pageIds], fileIds: [...fileIds], mentionIds: [...mentionIds] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === "string" ? value.slice(0, 200) : typeof value;
}

type Globals = Pick<typeof globalThis, "window" | "document" | "MutationObserver" | "DOMParser" | "getComputedStyle">;
let cachedWindow: HappyDOMWindow | null = null;

/**
 * What withDOM from @lexical/headless/dom does, with one happy-dom Window kept
 * for the process instead of one built and torn down per call (withDOM cost
 * 1–2.5 ms a save on its own, a fifth of the whole). Like withDOM, it sets the DOM globals only for the synchronous
 * duration of the callback, so nothing else on the server ever sees a
 * `window`; and like withDOM it uses the real one when there is one.
 */
function withServerDOM<T>(f: () => T): T {
  if (typeof globalThis.window !== "undefined") return f();
  cachedWindow ??= new HappyDOMWindow();
  const window = cachedWindow as unknown as Window & typeof globalThis;
  const g = globalThis as unknown as Globals;
  const previous: Globals = {
    window: g.window,
    document: g.document,
    MutationObserver: g.MutationObserver,
    DOMParser: g.DOMParser,
    getComputedStyle: g.getComputedStyle,
  };
  g.window = window;
  g.document = window.document;
  g.MutationObserver = window.MutationObserver;
  g.DOMParser = window.DOMParser;
  g.getComputedStyle = window.getComputedStyle;
  try {
    patchReplaceWith(window);
    return f();
  } finally {
    Object.assign(g, previous);
  }
}

/**
 * happy-dom 20 removes an element when it is replaced with itself
 * (`el.replaceWith(el)`), which is what TableNode's HTML export does: every
 * table vanished from the output. The DOM standard keeps the node in place.
 */
const PATCHED = Symbol.for("cercle.replaceWithPatched");
function patchReplaceWith(window: Window) {
  const proto = (window as unknown as { Element: typeof Element }).Element.prototype as Element & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const original = proto.replaceWith;
  proto.replaceWith = function replaceWith(this: Element, ...nodes: Array<Node | string>) {
    const index = nodes.indexOf(this);
    if (index === -1) return original.apply(this, nodes);
    this.before(...nodes.slice(0, index));
    this.after(...nodes.slice(index + 1));
  };
  proto[PATCHED] = true;
}

/**
 * Text is exported without Lexical's <span style="white-space: pre-wrap"> and
 * <b>/<i> wrappers: a bare text node inside the format tags, each with its
 * theme class (the read view sets white-space: pre-wrap once, in CSS). Same
 * meaning, half the DOM work in happy-dom, and nothing for the sanitizer to
 * strip. Formats we do not offer (highlight, sub/superscript) export as text.
 */
const TEXT_FORMATS: ReadonlyArray<readonly [bit: number, tag: string, className: string]> = [
  [16, "code", EDITOR_THEME.text.code],
  [4, "s", EDITOR_THEME.text.strikethrough],
  [8, "u", EDITOR_THEME.text.underline],
  [2, "em", EDITOR_THEME.text.italic],
  [1, "strong", EDITOR_THEME.text.bold],
];

function exportText(_editor: LexicalEditor, node: LexicalNode): DOMExportOutput {
  const document = $getDocument();
  const text = node as TextNode;
  let element: HTMLElement | Text = document.createTextNode(text.getTextContent());
  const format = text.getFormat();
  for (const [bit, tag, className] of TEXT_FORMATS) {
    if ((format & bit) === 0) continue;
    const wrapper = document.createElement(tag);
    wrapper.className = className;
    wrapper.append(element);
    element = wrapper;
  }
  return { element };
}

/**
 * Tables likewise: Lexical's own export writes inline border, width and
 * alignment styles on every cell (which the sanitizer would strip anyway) and
 * that CSS parsing was two thirds of the whole save. Header cells get a scope;
 * an empty one is a plain cell.
 */
function exportTable(): DOMExportOutput {
  const table = $getDocument().createElement("table");
  table.className = EDITOR_THEME.table;
  const body = $getDocument().createElement("tbody");
  table.append(body);
  return { element: table, append: (child) => body.append(child) };
}

function exportTableRow(): DOMExportOutput {
  const row = $getDocument().createElement("tr");
  row.className = EDITOR_THEME.tableRow;
  return { element: row };
}

function exportTableCell(_editor: LexicalEditor, node: LexicalNode): DOMExportOutput {
  const cell = node as TableCellNode;
  // An empty header cell heads nothing: it is written as a plain cell, so
  // screen readers do not announce its column as headed by silence.
  const header = cell.getTextContent().trim() === "" ? TableCellHeaderStates.NO_STATUS : cell.getHeaderStyles();
  const element = $getDocument().createElement(header === TableCellHeaderStates.NO_STATUS ? "td" : "th");
  element.className =
    header === TableCellHeaderStates.NO_STATUS ? EDITOR_THEME.tableCell : `${EDITOR_THEME.tableCell} ${EDITOR_THEME.tableCellHeader}`;
  if (header !== TableCellHeaderStates.NO_STATUS) {
    element.setAttribute("scope", header & TableCellHeaderStates.ROW ? "col" : "row");
  }
  if (cell.getColSpan() > 1) element.setAttribute("colspan", String(cell.getColSpan()));
  if (cell.getRowSpan() > 1) element.setAttribute("rowspan", String(cell.getRowSpan()));
  return { element };
}

function exportHorizontalRule(): DOMExportOutput {
  const hr = $getDocument().createElement("hr");
  hr.className = EDITOR_THEME.hr;
  return { element: hr };
}

const LEAN_EXPORT: DOMExportOutputMap = new Map<Klass<LexicalNode>, (editor: LexicalEditor, node: LexicalNode) => DOMExportOutput>([
  [TextNode, exportText],
  [CodeHighlightNode, exportText],
  [TableNode, exportTable],
  [TableRowNode, exportTableRow],
  [TableCellNode, exportTableCell],
  [HorizontalRuleNode, exportHorizontalRule],
]);

const EXTERNAL_REL = "noopener noreferrer nofollow";

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "u", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "img", "span",
  ],
  allowedAttributes: {
    a: ["href", "data-page-id", "class", "target", "rel"],
    img: ["src", "alt", "width", "height", "loading", "class"],
    ol: ["start"],
    li: [
      "value",
      // Check list items: announced as checked or not in the read view.
      { name: "role", multiple: false, values: ["checkbox"] },
      { name: "aria-checked", multiple: false, values: ["true", "false"] },
    ],
    th: ["colspan", "rowspan", { name: "scope", multiple: false, values: ["col", "row"] }],
    td: ["colspan", "rowspan"],
    "*": ["class", { name: "dir", multiple: false, values: ["ltr", "rtl"] }],
  },
  allowedClasses: { "*": [...THEME_CLASS_NAMES] },
  allowedStyles: {},
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: [] },
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? "";
      const internal = isSameOriginPath(href);
      const out: Record<string, string> = { ...attribs };
      if (out.target !== undefined && out.target !== "_blank") delete out.target;
      if (internal) delete out.rel;
      else out.rel = EXTERNAL_REL;
      if (!attribs["data-page-id"] || !isPageId(attribs["data-page-id"])) delete out["data-page-id"];
      return { tagName, attribs: out };
    },
  },
};

/**
 * Lexical keeps an empty paragraph after a table or a rule at the end so the
 * caret can go below it; readers would only see a blank gap. Trailing empty
 * paragraphs leave the read view (the stored JSON keeps them for the editor).
 */
const TRAILING_EMPTY_PARAGRAPHS = /(?:<p class="rt-p">(?:<br \/>)?<\/p>)+$/;

function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS).replace(TRAILING_EMPTY_PARAGRAPHS, "");
}

/**
 * Comments: the same rules narrowed to what a comment holds, plus exactly one
 * addition, the mention: <span class="mention" data-user-id="<id>">.
 */
const COMMENT_SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  ...SANITIZE_OPTIONS,
  allowedTags: ["p", "br", "strong", "em", "s", "code", "a", "span"],
  allowedAttributes: {
    a: ["href", "class", "target", "rel"],
    span: ["class", "data-user-id"],
    "*": ["class", { name: "dir", multiple: false, values: ["ltr", "rtl"] }],
  },
  allowedClasses: { "*": [...THEME_CLASS_NAMES.filter((c) => c !== "page-link"), MENTION_CLASS] },
  transformTags: {
    ...SANITIZE_OPTIONS.transformTags,
    span: (tagName, attribs) => {
      const out: Record<string, string> = { ...attribs };
      if (!isUserId(out["data-user-id"])) delete out["data-user-id"];
      return { tagName, attribs: out };
    },
  },
};

function sanitizeComment(html: string): string {
  return sanitizeHtml(html, COMMENT_SANITIZE_OPTIONS).replace(TRAILING_EMPTY_PARAGRAPHS, "");
}

function exportMention(_editor: LexicalEditor, node: LexicalNode): DOMExportOutput {
  return (node as MentionNode).exportDOM();
}

const COMMENT_EXPORT: DOMExportOutputMap = new Map<Klass<LexicalNode>, (editor: LexicalEditor, node: LexicalNode) => DOMExportOutput>([
  [TextNode, exportText],
  [MentionNode, exportMention],
]);

const WIKI_PROFILE: Profile = {
  namespace: "cercle-content",
  nodes: EDITOR_NODES,
  limits: CONTENT_LIMITS,
  exportMap: LEAN_EXPORT,
  sanitize,
};

const COMMENT_PROFILE: Profile = {
  namespace: "cercle-comment",
  nodes: COMMENT_NODES,
  limits: COMMENT_LIMITS,
  exportMap: COMMENT_EXPORT,
  sanitize: sanitizeComment,
  textFormats: COMMENT_TEXT_FORMATS,
};
