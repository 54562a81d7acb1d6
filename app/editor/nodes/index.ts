import { CodeHighlightNode, CodeNode } from "@lexical/code";
import { AutoLinkNode, LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { HorizontalRuleNode } from "@lexical/react/LexicalHorizontalRuleNode";
import { HeadingNode, QuoteNode } from "@lexical/rich-text";
import { TableCellNode, TableNode, TableRowNode } from "@lexical/table";
import type { Klass, LexicalNode } from "lexical";
import { ImageNode } from "./ImageNode.tsx";
import { PageLinkNode } from "./PageLinkNode.ts";

/**
 * The one node list, used by the browser editor and by the server's headless
 * editor alike: a node type missing here is refused on save.
 *
 * HorizontalRuleNode comes from @lexical/react (a subclass of the pure one in
 * @lexical/extension, same "horizontalrule" type) because it pairs with
 * HorizontalRulePlugin and highlights when selected; the server never calls
 * its React decorate().
 */
export const EDITOR_NODES: ReadonlyArray<Klass<LexicalNode>> = [
  HeadingNode,
  QuoteNode,
  ListNode,
  ListItemNode,
  CodeNode,
  CodeHighlightNode,
  LinkNode,
  AutoLinkNode,
  TableNode,
  TableRowNode,
  TableCellNode,
  HorizontalRuleNode,
  PageLinkNode,
  ImageNode,
];

export { HorizontalRuleNode, ImageNode, PageLinkNode };
export { $createImageNode, $isImageNode, type ImagePayload, type SerializedImageNode } from "./ImageNode.tsx";
export { $createPageLinkNode, $isPageLinkNode, PAGE_LINK_CLASS, type SerializedPageLinkNode } from "./PageLinkNode.ts";
