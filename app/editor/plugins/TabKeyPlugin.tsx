import { $isCodeNode } from "@lexical/code";
import { $isListItemNode } from "@lexical/list";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $findMatchingParent } from "@lexical/utils";
import {
  $getSelection,
  $isRangeSelection,
  COMMAND_PRIORITY_EDITOR,
  INDENT_CONTENT_COMMAND,
  INSERT_TAB_COMMAND,
  KEY_TAB_COMMAND,
  OUTDENT_CONTENT_COMMAND,
} from "lexical";
import { useEffect } from "react";

/**
 * Tab where it means something — indent/outdent a list item, a tab in a code
 * block (tables handle Tab themselves, between cells) — and nowhere else, so
 * that Tab still leaves the editor for the next field. Never a keyboard trap.
 */
export function TabKeyPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        KEY_TAB_COMMAND,
        (event) => {
          const selection = $getSelection();
          if (!$isRangeSelection(selection)) return false;
          const node = selection.anchor.getNode();
          if ($findMatchingParent(node, $isListItemNode)) {
            event.preventDefault();
            return editor.dispatchCommand(event.shiftKey ? OUTDENT_CONTENT_COMMAND : INDENT_CONTENT_COMMAND, undefined);
          }
          if (!event.shiftKey && $findMatchingParent(node, $isCodeNode)) {
            event.preventDefault();
            return editor.dispatchCommand(INSERT_TAB_COMMAND, undefined);
          }
          return false;
        },
        COMMAND_PRIORITY_EDITOR,
      ),
    [editor],
  );
  return null;
}
