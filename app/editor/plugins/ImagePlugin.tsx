import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $insertNodeToNearestRoot } from "@lexical/utils";
import { COMMAND_PRIORITY_EDITOR, createCommand, type LexicalCommand } from "lexical";
import { useEffect } from "react";
import { $createImageNode, type ImagePayload } from "../nodes/ImageNode.tsx";
import { isSafeImageSrc } from "../url.ts";

export const INSERT_IMAGE_COMMAND: LexicalCommand<ImagePayload> = createCommand("INSERT_IMAGE_COMMAND");

/** Inserts an ImageNode at the selection, as a block; refuses sources the server would refuse. */
export function ImagePlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        INSERT_IMAGE_COMMAND,
        (payload) => {
          if (!isSafeImageSrc(payload.src)) return false;
          $insertNodeToNearestRoot($createImageNode(payload));
          return true;
        },
        COMMAND_PRIORITY_EDITOR,
      ),
    [editor],
  );
  return null;
}
