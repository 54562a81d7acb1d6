import { createHeadlessEditor } from "@lexical/headless";
import { $convertFromMarkdownString, $convertToMarkdownString } from "@lexical/markdown";
import { EDITOR_NODES } from "#app/editor/nodes/index.ts";
import { MARKDOWN_TRANSFORMERS } from "#app/editor/markdown.ts";

function headless() {
  return createHeadlessEditor({
    namespace: "cercle-markdown",
    nodes: [...EDITOR_NODES],
    onError: (error) => {
      throw error;
    },
  });
}

/** Markdown text → Lexical JSON (still to be checked by processContent before it is stored). */
export function markdownToJson(markdown: string): string {
  const editor = headless();
  editor.update(() => $convertFromMarkdownString(markdown.replace(/\r\n?/g, "\n"), MARKDOWN_TRANSFORMERS, undefined, false), { discrete: true });
  return JSON.stringify(editor.getEditorState().toJSON());
}

/** A page's stored Lexical JSON → Markdown, with its title as the first heading. */
export function pageToMarkdown(title: string, json: string): string {
  const editor = headless();
  editor.setEditorState(editor.parseEditorState(json));
  const body = editor.getEditorState().read(() => $convertToMarkdownString(MARKDOWN_TRANSFORMERS, undefined, false));
  return `# ${title}\n\n${body.trim()}\n`;
}
