/**
 * Markdown files of the wiki. The transformers themselves live with the
 * editor (app/editor/markdown.ts), shared by its shortcuts and by import/export.
 */

/** A leading "# Title" line, if the document starts with one. */
export function splitTitle(markdown: string): { title: string | null; body: string } {
  const match = markdown.match(/^\uFEFF?\s*#[ \t]+(.+?)[ \t]*#*[ \t]*(?:\r?\n|$)/);
  if (!match) return { title: null, body: markdown };
  return { title: match[1].trim(), body: markdown.slice(match[0].length) };
}
