import { $isLinkNode, TOGGLE_LINK_COMMAND } from "@lexical/link";
import { AutoLinkPlugin, createLinkMatcherWithRegExp } from "@lexical/react/LexicalAutoLinkPlugin";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { mergeRegister } from "@lexical/utils";
import {
  $getSelection,
  $isRangeSelection,
  COMMAND_PRIORITY_HIGH,
  FORMAT_TEXT_COMMAND,
  KEY_DOWN_COMMAND,
  KEY_ENTER_COMMAND,
  SELECTION_CHANGE_COMMAND,
  COMMAND_PRIORITY_LOW,
  type TextFormatType,
} from "lexical";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useT } from "#app/i18n/react.tsx";
import { BoldIcon, CodeIcon, ItalicIcon, LinkIcon } from "./icons.tsx";
import { EditorFrame } from "./EditorFrame.tsx";
import { COMMENT_NODES } from "./nodes/comment-nodes.ts";
import { FormFieldPlugin } from "./plugins/FormFieldPlugin.tsx";
import { MentionPlugin } from "./plugins/MentionPlugin.tsx";
import { isSafeLinkUrl, normalizeLinkInput } from "./url.ts";

export type CommentEditorProps = {
  /** Name of the hidden input holding the comment as Lexical JSON. */
  name: string;
  /** The stored comment when editing, or null for a new one. Read once: remount (key) to start over. */
  initialJson: string | null;
  /** Space whose members the "@" picker lists; none: no "@" picker (a profile's bio). */
  spaceSlug?: string;
  /** The placeholder and hint, when not a comment's. */
  placeholder?: string;
  hint?: string;
  keysHint?: string;
  ariaLabel: string;
  /** Ctrl/Cmd+Enter. */
  onSubmit(): void;
  autoFocus?: boolean;
  ariaDescribedBy?: string;
  invalid?: boolean;
};

const URL_MATCHER = createLinkMatcherWithRegExp(/(?:https?:\/\/|www\.)[^\s<>"']+[^\s<>"'.,;:!?)\]]/i, (text) =>
  text.startsWith("www.") ? `https://${text}` : text,
);
const EMAIL_MATCHER = createLinkMatcherWithRegExp(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/, (text) => `mailto:${text}`);
const MATCHERS = [
  (text: string) => {
    const m = URL_MATCHER(text);
    return m && isSafeLinkUrl(m.url) ? m : null;
  },
  (text: string) => {
    const m = EMAIL_MATCHER(text);
    return m && isSafeLinkUrl(m.url) ? m : null;
  },
];

/**
 * The compact editor of comments: the comment node list (paragraphs, bold,
 * italic, strikethrough, inline code, links, "@" mentions), a four-button
 * toolbar (Alt+F10 reaches it), Enter for a new paragraph, Ctrl/Cmd+Enter to
 * post. Its content goes out through a hidden input named `name`; the server
 * checks everything again.
 */
export function CommentEditor({ name, initialJson, spaceSlug, ariaLabel, onSubmit, autoFocus, ariaDescribedBy, invalid, placeholder, hint, keysHint }: CommentEditorProps) {
  const t = useT();
  return (
    <EditorFrame
      namespace="cercle-comment"
      nodes={COMMENT_NODES}
      initialJson={initialJson}
      className="editor comment-editor"
      inputClassName="editor-input rich-text comment-input"
      toolbar={<CommentToolbar label={t("comments.toolbar")} />}
      ariaLabel={ariaLabel}
      ariaDescribedBy={ariaDescribedBy}
      invalid={invalid}
      placeholder={placeholder ?? t("comments.placeholder")}
      hint={hint ?? t("comments.hint")}
      keysHint={keysHint ?? t("comments.hintKeys")}
    >
      <LinkPlugin validateUrl={isSafeLinkUrl} />
      <AutoLinkPlugin matchers={MATCHERS} />
      {spaceSlug ? <MentionPlugin spaceSlug={spaceSlug} /> : null}
      <SubmitShortcutPlugin onSubmit={onSubmit} />
      {autoFocus ? <AutoFocus /> : null}
      <FormFieldPlugin name={name} initialValue={initialJson ?? ""} />
    </EditorFrame>
  );
}

/** Ctrl+Enter or Cmd+Enter posts; a plain Enter stays a new paragraph (the "@" menu takes it first when open). */
function SubmitShortcutPlugin({ onSubmit }: { onSubmit(): void }) {
  const [editor] = useLexicalComposerContext();
  const submit = useRef(onSubmit);
  submit.current = onSubmit;
  useEffect(
    () =>
      editor.registerCommand(
        KEY_ENTER_COMMAND,
        (event) => {
          if (!event || !(event.ctrlKey || event.metaKey)) return false;
          event.preventDefault();
          submit.current();
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
    [editor],
  );
  return null;
}

function AutoFocus() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    editor.focus(undefined, { defaultSelection: "rootEnd" });
  }, [editor]);
  return null;
}

const FORMATS: ReadonlyArray<{ format: TextFormatType; label: "editor.bold" | "editor.italic" | "editor.inlineCode"; icon: () => ReactNode }> = [
  { format: "bold", label: "editor.bold", icon: BoldIcon },
  { format: "italic", label: "editor.italic", icon: ItalicIcon },
  { format: "code", label: "editor.inlineCode", icon: CodeIcon },
];

/**
 * Bold, italic, code, link: a toolbar (role="toolbar", arrows move between
 * its buttons, one tab stop); Alt+F10 in the text goes to it, Escape back.
 */
function CommentToolbar({ label }: { label: string }) {
  const [editor] = useLexicalComposerContext();
  const t = useT();
  const [active, setActive] = useState<Record<string, boolean>>({});
  const [linkOpen, setLinkOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [urlInvalid, setUrlInvalid] = useState(false);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const linkInputId = useId();

  const refresh = useCallback(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return;
    const node = selection.anchor.getNode();
    const parent = node.getParent();
    setActive({
      bold: selection.hasFormat("bold"),
      italic: selection.hasFormat("italic"),
      code: selection.hasFormat("code"),
      link: $isLinkNode(parent) || $isLinkNode(node),
    });
  }, []);

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => editorState.read(refresh)),
        editor.registerCommand(
          SELECTION_CHANGE_COMMAND,
          () => {
            refresh();
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(
          KEY_DOWN_COMMAND,
          (event) => {
            if (event.altKey && event.key === "F10") {
              event.preventDefault();
              toolbarRef.current?.querySelectorAll<HTMLButtonElement>("button")[focusIndex]?.focus();
              return true;
            }
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, refresh, focusIndex],
  );

  const buttons = () => Array.from(toolbarRef.current?.querySelectorAll<HTMLButtonElement>(":scope > button") ?? []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = buttons();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    let next = index;
    if (event.key === "ArrowRight") next = (index + 1) % list.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + list.length) % list.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = list.length - 1;
    else if (event.key === "Escape") {
      event.preventDefault();
      editor.focus();
      return;
    } else return;
    event.preventDefault();
    setFocusIndex(next);
    list[next].focus();
  };

  const applyLink = () => {
    const normalized = normalizeLinkInput(url);
    if (!normalized) {
      setUrlInvalid(true);
      return;
    }
    editor.dispatchCommand(TOGGLE_LINK_COMMAND, normalized);
    setLinkOpen(false);
    setUrl("");
    setUrlInvalid(false);
    editor.focus();
  };

  return (
    <>
      <div ref={toolbarRef} role="toolbar" aria-label={label} className="editor-toolbar comment-toolbar" onKeyDown={onKeyDown}>
        {FORMATS.map(({ format, label: key, icon: Icon }, index) => (
          <button
            key={format}
            type="button"
            className="toolbar-button"
            aria-pressed={active[format] ?? false}
            aria-label={t(key)}
            title={t(key)}
            tabIndex={index === focusIndex ? 0 : -1}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, format)}
          >
            <Icon />
          </button>
        ))}
        <button
          type="button"
          className="toolbar-button"
          aria-pressed={active.link ?? false}
          aria-expanded={linkOpen}
          aria-label={t("editor.link")}
          title={t("editor.link")}
          tabIndex={focusIndex === FORMATS.length ? 0 : -1}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            if (active.link) {
              editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
              return;
            }
            setLinkOpen((open) => !open);
          }}
        >
          <LinkIcon />
        </button>
      </div>
      {linkOpen ? (
        <div className="comment-link-form">
          <label htmlFor={linkInputId} className="sr-only">
            {t("editor.link.url")}
          </label>
          <input
            id={linkInputId}
            type="text"
            inputMode="url"
            className="input input-small"
            placeholder="https://…"
            value={url}
            autoFocus
            aria-invalid={urlInvalid || undefined}
            aria-describedby={urlInvalid ? `${linkInputId}-error` : undefined}
            onChange={(event) => {
              setUrl(event.target.value);
              setUrlInvalid(false);
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter") {
                event.preventDefault();
                applyLink();
              } else if (event.key === "Escape") {
                event.preventDefault();
                setLinkOpen(false);
                editor.focus();
              }
            }}
          />
          <button type="button" className="btn btn-small" onClick={applyLink}>
            {t("editor.link.apply")}
          </button>
          {urlInvalid ? (
            <p id={`${linkInputId}-error`} className="field-error" role="alert">
              {t("editor.link.invalid")}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
