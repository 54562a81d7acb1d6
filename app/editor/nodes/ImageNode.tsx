import {
  $applyNodeReplacement,
  $getDocument,
  type DOMConversionMap,
  type DOMConversionOutput,
  type DOMExportOutput,
  DecoratorNode,
  type EditorConfig,
  type LexicalNode,
  type NodeKey,
  nodeSchema,
  numberValue,
  optional,
  type SerializedLexicalNode,
  type Spread,
  stringValue,
  withField,
} from "lexical";
import type { JSX } from "react";
import { isSafeImageSrc } from "../url.ts";

export type SerializedImageNode = Spread<
  { src: string; altText: string; width?: number; height?: number },
  SerializedLexicalNode
>;

export type ImagePayload = { src: string; altText: string; width?: number; height?: number };

const dimension = () => optional(numberValue(0, { min: 1, max: 20_000, integer: true }), { omitDefault: true });

const imageSchema = nodeSchema<ImageNode>()({
  src: withField(stringValue(), { field: "__src" }),
  altText: withField(stringValue(), { field: "__altText" }),
  width: withField(dimension(), { field: "__width" }),
  height: withField(dimension(), { field: "__height" }),
});

/**
 * An image stored on this site (src is a same-origin path, checked by the
 * server). Block-level; rendered as a plain <img> both in the editor and in
 * the server's HTML.
 */
export class ImageNode extends DecoratorNode<JSX.Element> {
  /** @internal */
  __src: string;
  /** @internal */
  __altText: string;
  /** @internal */
  __width: number | undefined;
  /** @internal */
  __height: number | undefined;

  $config() {
    return this.config("image", {
      extends: DecoratorNode,
      json: imageSchema,
      importDOM: {
        img: (node: Node) =>
          isSafeImageSrc((node as HTMLElement).getAttribute?.("src"))
            ? { conversion: $convertImageElement, priority: 0 }
            : null,
      } satisfies DOMConversionMap,
    });
  }

  constructor(src: string = "", altText: string = "", width?: number, height?: number, key?: NodeKey) {
    super(key);
    this.__src = src;
    this.__altText = altText;
    this.__width = width;
    this.__height = height;
  }

  getSrc(): string {
    return this.getLatest().__src;
  }

  getAltText(): string {
    return this.getLatest().__altText;
  }

  setAltText(altText: string): this {
    const writable = this.getWritable();
    writable.__altText = altText;
    return writable;
  }

  getWidth(): number | undefined {
    return this.getLatest().__width;
  }

  getHeight(): number | undefined {
    return this.getLatest().__height;
  }

  exportDOM(): DOMExportOutput {
    const img = $getDocument().createElement("img");
    img.setAttribute("src", this.__src);
    img.setAttribute("alt", this.__altText);
    img.setAttribute("loading", "lazy");
    if (this.__width !== undefined) img.setAttribute("width", String(this.__width));
    if (this.__height !== undefined) img.setAttribute("height", String(this.__height));
    img.setAttribute("class", "rt-image");
    return { element: img };
  }

  createDOM(config: EditorConfig): HTMLElement {
    const div = $getDocument().createElement("div");
    div.className = config.theme.image ?? "rt-image-block";
    return div;
  }

  updateDOM(): false {
    return false;
  }

  getTextContent(): string {
    return this.__altText ? `\n${this.__altText}\n` : "\n";
  }

  isInline(): false {
    return false;
  }

  decorate(): JSX.Element {
    return (
      <img
        src={this.__src}
        alt={this.__altText}
        width={this.__width}
        height={this.__height}
        loading="lazy"
        draggable={false}
      />
    );
  }
}

function $convertImageElement(domNode: Node): DOMConversionOutput {
  const img = domNode as HTMLImageElement;
  const src = img.getAttribute("src");
  if (!isSafeImageSrc(src)) return { node: null };
  const width = Number(img.getAttribute("width")) || undefined;
  const height = Number(img.getAttribute("height")) || undefined;
  return { node: $createImageNode({ src, altText: img.getAttribute("alt") ?? "", width, height }) };
}

export function $createImageNode({ src, altText, width, height }: ImagePayload): ImageNode {
  return $applyNodeReplacement(new ImageNode(src, altText, width, height));
}

export function $isImageNode(node: LexicalNode | null | undefined): node is ImageNode {
  return node instanceof ImageNode;
}
