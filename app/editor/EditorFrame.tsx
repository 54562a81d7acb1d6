import { LexicalComposer, type InitialConfigType } from "@lexical/react/LexicalComposer";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { useId, useMemo, type ReactNode } from "react";
import { EDITOR_MAX_JSON_DEPTH, jsonDepthExceeds } from "./json-depth.ts";
import { EDITOR_THEME } from "./theme.ts";

/**
 * The JSON to start from: the stored document if it parses, otherwise an
 * empty one. A form sent back with an error carries the writer's document
 * before the server checked it: one nested deeper than any editor allows
 * would overflow the stack of Lexical's recursive import, during the
 * server's render as in the browser, so it is not loaded either.
 */
function initialState(json: string | null): string | undefined {
  if (!json || jsonDepthExceeds(json, EDITOR_MAX_JSON_DEPTH)) return undefined;
  try {
    const parsed = JSON.parse(json) as { root?: { type?: unknown } };
    return parsed?.root?.type === "root" ? json : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the page editor and the comment editor share: the composer on a node
 * list, a toolbar above the editable, the editable's accessible name,
 * placeholder and hint (its description, with an error's id when there is
 * one), undo history; each editor brings its own toolbar and plugins.
 * initialJson is read once, like LexicalComposer itself: remount (key) to
 * load another document.
 */
export function EditorFrame({
  namespace,
  nodes,
  initialJson,
  className,
  inputClassName,
  toolbar,
  ariaLabel,
  ariaDescribedBy,
  invalid,
  placeholder,
  hint,
  keysHint,
  children,
}: {
  namespace: string;
  nodes: InitialConfigType["nodes"];
  initialJson: string | null;
  className: string;
  inputClassName: string;
  toolbar: ReactNode;
  ariaLabel: string;
  ariaDescribedBy?: string;
  invalid?: boolean;
  placeholder: string;
  hint: string;
  /** Keyboard shortcuts, left out on touch screens (see editor.css). */
  keysHint: string;
  children: ReactNode;
}) {
  const hintId = `${useId()}-hint`;
  const initialConfig = useMemo<InitialConfigType>(
    () => ({
      namespace,
      nodes,
      theme: EDITOR_THEME,
      editorState: initialState(initialJson),
      onError: (error) => {
        // Keep editing possible; the server checks everything on save anyway.
        console.error(error);
      },
    }),
    [],
  );
  return (
    <div className={className}>
      <LexicalComposer initialConfig={initialConfig}>
        <div className="editor-frame" data-invalid={invalid || undefined}>
          {toolbar}
          <div className="editor-body">
            <RichTextPlugin
              contentEditable={
                <ContentEditable
                  className={inputClassName}
                  ariaLabel={ariaLabel}
                  ariaMultiline
                  ariaDescribedBy={ariaDescribedBy ? `${hintId} ${ariaDescribedBy}` : hintId}
                  ariaInvalid={invalid || undefined}
                  aria-placeholder={placeholder}
                  placeholder={<div className="editor-placeholder">{placeholder}</div>}
                />
              }
              ErrorBoundary={LexicalErrorBoundary}
            />
          </div>
        </div>
        <HistoryPlugin />
        {children}
      </LexicalComposer>
      <p id={hintId} className="editor-hint">
        <span className="hint-keys">{keysHint}</span> {hint}
      </p>
    </div>
  );
}
