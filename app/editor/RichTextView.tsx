/**
 * Shows stored content. The HTML must come from processContent
 * (content.server.ts), which derived it from the JSON and sanitized it; never
 * pass HTML that came from a browser. Importing this module does not pull the
 * Lexical editor into the bundle.
 */
export function RichTextView({ html, className }: { html: string; className?: string }) {
  return <div className={className ? `rich-text ${className}` : "rich-text"} dangerouslySetInnerHTML={{ __html: html }} />;
}
