import {
  CHECK_LIST,
  TRANSFORMERS,
  type ElementTransformer,
  type TextMatchTransformer,
  type Transformer,
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
import { $createParagraphNode, $createTextNode } from "lexical";
import { $createImageNode, $createPageLinkNode, $isImageNode, $isPageLinkNode, ImageNode, PageLinkNode } from "#app/editor/nodes/index.ts";

/**
 * Markdown for the wiki's import and export: @lexical/markdown's transformers
 * plus what our node list adds — horizontal rules, GFM tables, images from the
 * space, and internal page links written as [title](/pages/<id>).
 */

const HR: ElementTransformer = {
  dependencies: [HorizontalRuleNode],
  export: (node) => ($isHorizontalRuleNode(node) ? "***" : null),
  regExp: /^(---|\*\*\*|___)\s?$/,
  replace: (parent, _children, _match, isImport) => {
    const line = $createHorizontalRuleNode();
    if (isImport || parent.getNextSibling() != null) parent.replace(line);
    else parent.insertBefore(line);
    line.selectNext();
  },
  type: "element",
};

const PAGE_LINK: TextMatchTransformer = {
  dependencies: [PageLinkNode],
  export: (node, exportChildren) => ($isPageLinkNode(node) ? `[${exportChildren(node)}](/pages/${node.getPageId()})` : null),
  importRegExp: /\[([^[\]]+)\]\(\/pages\/([a-z0-9]{10,40})\)/,
  regExp: /\[([^[\]]+)\]\(\/pages\/([a-z0-9]{10,40})\)$/,
  replace: (textNode, match) => {
    const link = $createPageLinkNode(match[2]);
    link.append($createTextNode(match[1]));
    textNode.replace(link);
  },
  trigger: ")",
  type: "text-match",
};

const IMAGE: TextMatchTransformer = {
  dependencies: [ImageNode],
  export: (node) => ($isImageNode(node) ? `![${node.getAltText()}](${node.getSrc()})` : null),
  // Only images served by Cercle itself (same-origin paths); others stay plain text.
  importRegExp: /!\[([^\]]*)\]\((\/(?!\/)[^()\s]+)\)/,
  regExp: /!\[([^\]]*)\]\((\/(?!\/)[^()\s]+)\)$/,
  replace: (textNode, match) => {
    textNode.replace($createImageNode({ src: match[2], altText: match[1] }));
  },
  trigger: ")",
  type: "text-match",
};

const ROW = /^\|(.+)\|\s?$/;
const DIVIDER = /^(\|\s?:?-+:?\s?)+\|\s?$/;

function cellsOf(line: string): string[] {
  return (line.match(ROW)?.[1] ?? "").split("|").map((c) => c.trim());
}

/** GFM tables: consecutive "| a | b |" lines; the line of dashes marks the header row. */
const TABLE: ElementTransformer = {
  dependencies: [TableNode, TableRowNode, TableCellNode],
  export: (node) => {
    if (!$isTableNode(node)) return null;
    const lines: string[] = [];
    for (const [index, row] of node.getChildren().entries()) {
      if (!$isTableRowNode(row)) continue;
      const cells = row.getChildren().filter($isTableCellNode).map((cell) => cell.getTextContent().replace(/\|/g, "\\|").replace(/\n/g, " "));
      lines.push(`| ${cells.join(" | ")} |`);
      if (index === 0) lines.push(`| ${cells.map(() => "---").join(" | ")} |`);
    }
    return lines.join("\n");
  },
  regExp: ROW,
  replace: (parent, _children, match) => {
    const line = match[0];
    const previous = parent.getPreviousSibling();
    if (DIVIDER.test(line)) {
      // The header divider: turn the table's first row into header cells.
      if ($isTableNode(previous)) {
        const first = previous.getFirstChild();
        if ($isTableRowNode(first)) {
          for (const cell of first.getChildren()) if ($isTableCellNode(cell)) cell.setHeaderStyles(TableCellHeaderStates.ROW);
        }
        parent.remove();
        return;
      }
    }
    const row = $createTableRowNode();
    for (const text of cellsOf(line)) {
      const cell = $createTableCellNode(TableCellHeaderStates.NO_STATUS);
      const paragraph = $createParagraphNode();
      if (text) paragraph.append($createTextNode(text));
      cell.append(paragraph);
      row.append(cell);
    }
    if ($isTableNode(previous)) {
      previous.append(row);
      parent.remove();
    } else {
      const table = $createTableNode();
      table.append(row);
      parent.replace(table);
    }
  },
  type: "element",
};

/** Order matters: our page links and images before the generic link transformer. */
export const WIKI_TRANSFORMERS: Transformer[] = [TABLE, HR, CHECK_LIST, IMAGE, PAGE_LINK, ...TRANSFORMERS];

/** A leading "# Title" line, if the document starts with one. */
export function splitTitle(markdown: string): { title: string | null; body: string } {
  const match = markdown.match(/^\uFEFF?\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\r?\n|$)/);
  if (!match) return { title: null, body: markdown };
  return { title: match[1].trim(), body: markdown.slice(match[0].length) };
}
