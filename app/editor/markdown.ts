import { $isLinkNode } from "@lexical/link";
import {
  $convertFromMarkdownString,
  $convertToMarkdownString,
  BOLD_ITALIC_STAR,
  BOLD_ITALIC_UNDERSCORE,
  BOLD_STAR,
  BOLD_UNDERSCORE,
  CHECK_LIST,
  CODE,
  type ElementTransformer,
  HEADING,
  INLINE_CODE,
  ITALIC_STAR,
  ITALIC_UNDERSCORE,
  LINK,
  ORDERED_LIST,
  QUOTE,
  STRIKETHROUGH,
  type TextMatchTransformer,
  type Transformer,
  UNORDERED_LIST,
} from "@lexical/markdown";
import { $createHorizontalRuleNode, $isHorizontalRuleNode, HorizontalRuleNode } from "@lexical/react/LexicalHorizontalRuleNode";
import {
  $createTableCellNode,
  $createTableNode,
  $createTableRowNode,
  $isTableCellNode,
  $isTableNode,
  $isTableRowNode,
  TableCellHeaderStates,
  TableCellNode,
  TableNode,
  TableRowNode,
} from "@lexical/table";
import { $createTextNode, $isParagraphNode, $isTextNode, type LexicalNode } from "lexical";
import { $createImageNode, $isImageNode, ImageNode } from "./nodes/ImageNode.tsx";
import { $createPageLinkNode, $isPageLinkNode, PageLinkNode } from "./nodes/PageLinkNode.ts";
import { isSafeImageSrc, isSafeLinkUrl, PAGE_ID_PATTERN, pageLinkHref } from "./url.ts";

/**
 * Markdown transformers for our node list: the editor's shortcuts
 * (MarkdownShortcutPlugin) and Markdown import/export
 * ($convertFromMarkdownString / $convertToMarkdownString with a headless
 * editor built on EDITOR_NODES) use the same list.
 *
 * Left out on purpose: HIGHLIGHT (==x==), which makes a format we neither
 * offer nor render.
 */

/** `---`, `***` or `___` on a line of its own. */
export const HR: ElementTransformer = {
  dependencies: [HorizontalRuleNode],
  export: (node) => ($isHorizontalRuleNode(node) ? "---" : null),
  regExp: /^(---|\*\*\*|___)\s?$/,
  replace: (parentNode, _children, _match, isImport) => {
    const line = $createHorizontalRuleNode();
    if (isImport || parentNode.getNextSibling() != null) parentNode.replace(line);
    else parentNode.insertBefore(line);
    line.selectNext();
  },
  triggerOnEnter: true,
  type: "element",
};

/**
 * Markdown links, except that a URL we would refuse on save stays plain text.
 * (Returning nothing tells the importer not to look inside that text again.)
 */
export const SAFE_LINK: TextMatchTransformer = {
  ...LINK,
  replace: (textNode, match) => {
    const replaced = LINK.replace?.(textNode, match);
    const link = replaced ? replaced.getParent() : null;
    if ($isLinkNode(link) && !isSafeLinkUrl(link.getURL())) {
      const plain = $createTextNode(match[0]).setFormat(textNode.getFormat());
      link.replace(plain);
      return;
    }
    return replaced;
  },
};

/** `[Title](/pages/<id>)`: a link to another wiki page, kept by id. Must come before SAFE_LINK. */
export const PAGE_LINK: TextMatchTransformer = {
  dependencies: [PageLinkNode],
  export: (node, exportChildren) => {
    if (!$isPageLinkNode(node)) return null;
    return `[${exportChildren(node)}](${pageLinkHref(node.getPageId())})`;
  },
  importRegExp: /\[([^[\]\n]+)\]\(\/pages\/([a-z0-9]{10,40})\)/,
  regExp: /\[([^[\]\n]+)\]\(\/pages\/([a-z0-9]{10,40})\)$/,
  replace: (textNode, match) => {
    const [, title, pageId] = match;
    if (!PAGE_ID_PATTERN.test(pageId)) return;
    const link = $createPageLinkNode(pageId);
    const text = $createTextNode(title);
    text.setFormat(textNode.getFormat());
    link.append(text);
    textNode.replace(link);
    return text;
  },
  trigger: ")",
  type: "text-match",
};

/** `![alt](/path.png)`: only images stored on this site. */
export const IMAGE: TextMatchTransformer = {
  dependencies: [ImageNode],
  export: (node) => {
    if (!$isImageNode(node)) return null;
    return `![${node.getAltText().replace(/[[\]\n]/g, " ")}](${node.getSrc()})`;
  },
  importRegExp: /!\[([^[\]\n]*)\]\(([^()\s]+)\)/,
  regExp: /!\[([^[\]\n]*)\]\(([^()\s]+)\)$/,
  replace: (textNode, match) => {
    const [, altText, src] = match;
    if (!isSafeImageSrc(src)) return;
    const image = $createImageNode({ src, altText });
    const parent = textNode.getParent();
    // An image alone on its line becomes a block of its own, not an image inside a paragraph.
    if ($isParagraphNode(parent) && parent.getChildrenSize() === 1) parent.replace(image);
    else textNode.replace(image);
  },
  trigger: ")",
  type: "text-match",
};

/** Export only: an image that is a block of its own (the import side is IMAGE). */
export const IMAGE_BLOCK: ElementTransformer = {
  dependencies: [ImageNode],
  export: (node) => (IMAGE.export ? IMAGE.export(node, () => "", (_node, text) => text) : null),
  regExp: /(?!)/,
  replace: () => false,
  type: "element",
};

const TABLE_ROW = /^\|(.+)\|\s?$/;
const TABLE_DIVIDER = /^(\| ?:?-*:? ?)+\|\s?$/;

function cellsOf(line: string): string[] | null {
  const match = TABLE_ROW.exec(line);
  if (!match) return null;
  return match[1].split("|").map((cell) => cell.trim());
}

function $createCell(markdown: string): TableCellNode {
  const cell = $createTableCellNode(TableCellHeaderStates.NO_STATUS);
  $convertFromMarkdownString(markdown.replace(/\\n/g, "\n"), CELL_TRANSFORMERS, cell);
  return cell;
}

function columnsOf(table: TableNode): number {
  const first = table.getFirstChild();
  return $isTableRowNode(first) ? first.getChildrenSize() : 0;
}

/**
 * GitHub-style tables: `| a | b |` rows, with a `| --- | --- |` divider
 * making the row above it a header row. Typing a row and a space makes (or
 * extends) a table; on export a header divider follows the first row when it
 * is a header row.
 */
export const TABLE: ElementTransformer = {
  dependencies: [TableNode, TableRowNode, TableCellNode],
  export: (node: LexicalNode) => {
    if (!$isTableNode(node)) return null;
    const lines: string[] = [];
    node.getChildren().forEach((row, index) => {
      if (!$isTableRowNode(row)) return;
      const cells = row.getChildren().filter($isTableCellNode);
      const texts = cells.map((cell) =>
        $convertToMarkdownString(CELL_TRANSFORMERS, cell).replace(/\n/g, "\\n").replace(/\|/g, "\\|").trim(),
      );
      lines.push(`| ${texts.join(" | ")} |`);
      if (index === 0 && cells.length > 0 && cells.every((cell) => cell.hasHeaderState(TableCellHeaderStates.ROW))) {
        lines.push(`| ${cells.map(() => "---").join(" | ")} |`);
      }
    });
    return lines.join("\n");
  },
  regExp: TABLE_ROW,
  replace: (parentNode, _children, match) => {
    if (TABLE_DIVIDER.test(match[0])) {
      const table = parentNode.getPreviousSibling();
      if (!$isTableNode(table)) return false;
      const last = table.getLastChild();
      if (!$isTableRowNode(last)) return false;
      for (const cell of last.getChildren()) {
        if ($isTableCellNode(cell)) cell.setHeaderStyles(TableCellHeaderStates.ROW, TableCellHeaderStates.ROW);
      }
      parentNode.remove();
      return;
    }
    const cells = cellsOf(match[0]);
    if (!cells) return false;
    const rows = [cells];
    let width = cells.length;
    let sibling = parentNode.getPreviousSibling();
    while (sibling && $isParagraphNode(sibling) && sibling.getChildrenSize() === 1) {
      const only = sibling.getFirstChild();
      const previousCells = $isTextNode(only) ? cellsOf(only.getTextContent()) : null;
      if (!previousCells) break;
      width = Math.max(width, previousCells.length);
      rows.unshift(previousCells);
      const before = sibling.getPreviousSibling();
      sibling.remove();
      sibling = before;
    }
    const table = $createTableNode();
    for (const rowCells of rows) {
      const row = $createTableRowNode();
      for (let i = 0; i < width; i++) row.append($createCell(rowCells[i] ?? ""));
      table.append(row);
    }
    const previous = parentNode.getPreviousSibling();
    if ($isTableNode(previous) && columnsOf(previous) === width) {
      previous.append(...table.getChildren());
      parentNode.remove();
      previous.selectEnd();
    } else {
      parentNode.replace(table);
      table.selectEnd();
    }
  },
  type: "element",
};

const TEXT_TRANSFORMERS: Transformer[] = [
  INLINE_CODE,
  BOLD_ITALIC_STAR,
  BOLD_ITALIC_UNDERSCORE,
  BOLD_STAR,
  BOLD_UNDERSCORE,
  ITALIC_STAR,
  ITALIC_UNDERSCORE,
  STRIKETHROUGH,
  IMAGE,
  PAGE_LINK,
  SAFE_LINK,
];

/** Inside a table cell: inline formats and links only. */
const CELL_TRANSFORMERS: Transformer[] = TEXT_TRANSFORMERS;

const BLOCK_TRANSFORMERS: Transformer[] = [HR, IMAGE_BLOCK, HEADING, QUOTE, CHECK_LIST, UNORDERED_LIST, ORDERED_LIST, CODE];

/**
 * For Markdown import and export. Order matters: tables and rules before the
 * rest, check lists before bulleted lists, images and page links before
 * ordinary links.
 */
export const MARKDOWN_TRANSFORMERS: Transformer[] = [TABLE, ...BLOCK_TRANSFORMERS, ...TEXT_TRANSFORMERS];

/**
 * For typing: the same, except that a table row becomes a table on Enter
 * only — on space, "| Name |" would turn into a one-column table before the
 * second column is typed.
 */
export const SHORTCUT_TRANSFORMERS: Transformer[] = [
  { ...TABLE, regExp: /^\|(.+)\|$/, triggerOnEnter: true },
  ...BLOCK_TRANSFORMERS,
  ...TEXT_TRANSFORMERS,
];
