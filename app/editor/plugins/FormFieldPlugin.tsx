import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { OnChangePlugin } from "@lexical/react/LexicalOnChangePlugin";
import type { EditorState } from "lexical";
import { useCallback, useEffect, useRef } from "react";

/**
 * Keeps a hidden <input name={name}> holding the document as Lexical JSON, so
 * a plain <Form method="post"> submits it, and reports whether it differs
 * from what the editor was opened with.
 */
export function FormFieldPlugin({
  name,
  initialValue,
  onDirtyChange,
}: {
  name: string;
  initialValue: string;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const [editor] = useLexicalComposerContext();
  const inputRef = useRef<HTMLInputElement>(null);
  const baseline = useRef<string | null>(null);
  const dirty = useRef(false);
  const onDirtyChangeRef = useRef(onDirtyChange);
  onDirtyChangeRef.current = onDirtyChange;

  useEffect(() => {
    // What the editor holds once loaded: the stored JSON, normalised by Lexical.
    const json = JSON.stringify(editor.getEditorState().toJSON());
    baseline.current = json;
    if (inputRef.current) inputRef.current.value = json;
  }, [editor]);

  const onChange = useCallback((editorState: EditorState) => {
    const json = JSON.stringify(editorState.toJSON());
    if (inputRef.current) inputRef.current.value = json;
    const next = baseline.current !== null && json !== baseline.current;
    if (next !== dirty.current) {
      dirty.current = next;
      onDirtyChangeRef.current?.(next);
    }
  }, []);

  // The value is the editor's to write, never React's: for a hidden input
  // defaultValue *is* the value, and React sets it back to its prop on every
  // re-render — the field went back to the document as first loaded while the
  // editor still showed the writer's text, and the save wrote the old text.
  // So the prop is given only to the server's HTML (a form posted before the
  // editor loads sends the stored document unchanged), never in the browser.
  const serverOnly = typeof document === "undefined" ? { defaultValue: initialValue } : {};
  return (
    <>
      <OnChangePlugin onChange={onChange} ignoreSelectionChange ignoreHistoryMergeTagChange />
      <input ref={inputRef} type="hidden" name={name} {...serverOnly} suppressHydrationWarning />
    </>
  );
}
