import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { useEffect } from "react";

/**
 * A header cell nobody has written in yet heads nothing: in the editor it is
 * announced as a plain cell (role="cell") until it has text, as the page
 * view renders it (a <td>, content.server.ts). Screen readers would otherwise
 * read every cell of its column as headed by nothing (axe: empty-table-header).
 * Lexical owns the cells' tags but not this attribute, and its DOM observer
 * watches children and text only, so setting it after each update is safe.
 */
export function EmptyHeaderCellPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const mark = (root: HTMLElement | null) => {
      if (!root) return;
      for (const cell of root.querySelectorAll("th")) {
        if ((cell.textContent ?? "").trim() === "") cell.setAttribute("role", "cell");
        else cell.removeAttribute("role");
      }
    };
    mark(editor.getRootElement());
    const stopUpdates = editor.registerUpdateListener(() => mark(editor.getRootElement()));
    const stopRoot = editor.registerRootListener((root) => mark(root));
    return () => {
      stopUpdates();
      stopRoot();
    };
  }, [editor]);
  return null;
}
