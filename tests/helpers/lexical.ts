/** Lexical documents as the editor posts them, built by hand for tests. */

export type LexicalNode = Record<string, unknown>;

export const ELEMENT = { direction: null, format: "", indent: 0, version: 1 };

export const text = (t: string, format = 0): LexicalNode => ({ type: "text", text: t, format, style: "", mode: "normal", detail: 0, version: 1 });

export const heading = (tag: "h1" | "h2" | "h3", t: string): LexicalNode => ({ type: "heading", tag, ...ELEMENT, children: [text(t)] });

export const paragraph = (...children: Array<LexicalNode | string>): LexicalNode => ({
  type: "paragraph",
  ...ELEMENT,
  textFormat: 0,
  textStyle: "",
  children: children.map((ch) => (typeof ch === "string" ? text(ch) : ch)),
});

export const pageLink = (pageId: string, label: string): LexicalNode => ({ type: "page-link", pageId, ...ELEMENT, children: [text(label)] });

export const link = (url: string, label: string): LexicalNode => ({
  type: "link",
  url,
  rel: null,
  target: null,
  title: null,
  ...ELEMENT,
  children: [text(label)],
});

/** A whole document (the JSON string a form posts) from its top-level blocks. */
export const doc = (...children: LexicalNode[]) => JSON.stringify({ root: { type: "root", ...ELEMENT, children } });

/** A document of one paragraph of plain text. */
export const textDoc = (t: string) => doc(paragraph(t));

/** A block image as the editor inserts it (a space file: src `/files/:id/inline`). */
export const image = (src: string, alt: string, size?: { width: number; height: number }): LexicalNode => ({
  type: "image",
  version: 1,
  src,
  altText: alt,
  ...(size ? { width: size.width, height: size.height } : {}),
});
