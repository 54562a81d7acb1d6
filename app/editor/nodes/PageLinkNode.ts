import {
  $applyNodeReplacement,
  $getDocument,
  $isRangeSelection,
  type BaseSelection,
  type DOMConversionMap,
  type DOMConversionOutput,
  type DOMExportOutput,
  type EditorConfig,
  ElementNode,
  type LexicalNode,
  type NodeKey,
  nodeSchema,
  type SerializedElementNode,
  type Spread,
  stringValue,
  withField,
} from "lexical";
import { isPageId, pageLinkHref } from "../url.ts";

/** Serialized as {type:"page-link", version:1, pageId, children:[text…]} plus the element fields Lexical writes. */
export type SerializedPageLinkNode = Spread<{ pageId: string }, SerializedElementNode>;

export const PAGE_LINK_CLASS = "page-link";

const pageLinkSchema = nodeSchema<PageLinkNode>()({
  pageId: withField(stringValue(), { field: "__pageId" }),
});

/**
 * An internal link to another wiki page, by id, so renames and moves never
 * break it: it points at /pages/<id>, which redirects to the page's current URL.
 * Its text is the page title at the time it was inserted, editable afterwards.
 */
export class PageLinkNode extends ElementNode {
  /** @internal */
  __pageId: string;

  $config() {
    return this.config("page-link", {
      extends: ElementNode,
      json: pageLinkSchema,
      importDOM: {
        a: (node: Node) =>
          isPageId((node as HTMLElement).getAttribute?.("data-page-id"))
            ? { conversion: $convertPageLinkElement, priority: 2 }
            : null,
      } satisfies DOMConversionMap,
    });
  }

  constructor(pageId: string = "", key?: NodeKey) {
    super(key);
    this.__pageId = pageId;
  }

  getPageId(): string {
    return this.getLatest().__pageId;
  }

  setPageId(pageId: string): this {
    const writable = this.getWritable();
    writable.__pageId = pageId;
    return writable;
  }

  createDOM(config: EditorConfig): HTMLElement {
    const a = $getDocument().createElement("a");
    a.setAttribute("href", pageLinkHref(this.__pageId));
    a.setAttribute("data-page-id", this.__pageId);
    a.className = [PAGE_LINK_CLASS, config.theme.link].filter(Boolean).join(" ");
    return a;
  }

  updateDOM(prevNode: this, dom: HTMLElement): boolean {
    if (prevNode.__pageId !== this.__pageId) {
      dom.setAttribute("href", pageLinkHref(this.__pageId));
      dom.setAttribute("data-page-id", this.__pageId);
    }
    return false;
  }

  exportDOM(): DOMExportOutput {
    const a = $getDocument().createElement("a");
    a.setAttribute("href", pageLinkHref(this.__pageId));
    a.setAttribute("data-page-id", this.__pageId);
    a.setAttribute("class", PAGE_LINK_CLASS);
    return { element: a };
  }

  isInline(): true {
    return true;
  }

  canBeEmpty(): false {
    return false;
  }

  canInsertTextBefore(): false {
    return false;
  }

  canInsertTextAfter(): false {
    return false;
  }

  extractWithChild(_child: LexicalNode, selection: BaseSelection): boolean {
    if (!$isRangeSelection(selection)) return false;
    const anchor = selection.anchor.getNode();
    const focus = selection.focus.getNode();
    return (
      (this.is(anchor) || this.isParentOf(anchor)) &&
      (this.is(focus) || this.isParentOf(focus)) &&
      selection.getTextContent().length > 0
    );
  }
}

function $convertPageLinkElement(domNode: Node): DOMConversionOutput {
  const pageId = (domNode as HTMLElement).getAttribute("data-page-id");
  return { node: isPageId(pageId) && domNode.textContent ? $createPageLinkNode(pageId) : null };
}

export function $createPageLinkNode(pageId: string): PageLinkNode {
  return $applyNodeReplacement(new PageLinkNode(pageId));
}

export function $isPageLinkNode(node: LexicalNode | null | undefined): node is PageLinkNode {
  return node instanceof PageLinkNode;
}
