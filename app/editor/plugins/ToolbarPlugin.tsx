import { $createCodeNode, $isCodeNode } from "@lexical/code";
import { $createLinkNode, $isLinkNode, $toggleLink } from "@lexical/link";
import {
  $isListNode,
  INSERT_CHECK_LIST_COMMAND,
  INSERT_ORDERED_LIST_COMMAND,
  INSERT_UNORDERED_LIST_COMMAND,
  ListNode,
  REMOVE_LIST_COMMAND,
} from "@lexical/list";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { INSERT_HORIZONTAL_RULE_COMMAND } from "@lexical/react/LexicalHorizontalRuleNode";
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, $isQuoteNode } from "@lexical/rich-text";
import { $setBlocksType } from "@lexical/selection";
import { INSERT_TABLE_COMMAND } from "@lexical/table";
import { $findMatchingParent, $getNearestNodeOfType, mergeRegister } from "@lexical/utils";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import {
  $addUpdateTag,
  $createParagraphNode,
  $createRangeSelectionFromDom,
  $createTextNode,
  $getSelection,
  $isParagraphNode,
  $isRangeSelection,
  $isRootOrShadowRoot,
  $setSelection,
  type BaseSelection,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_CRITICAL,
  COMMAND_PRIORITY_NORMAL,
  FORMAT_TEXT_COMMAND,
  KEY_DOWN_COMMAND,
  REDO_COMMAND,
  SKIP_DOM_SELECTION_TAG,
  type TextFormatType,
  UNDO_COMMAND,
} from "lexical";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from "react";
import type { MessageKey } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";
import {
  BoldIcon,
  BulletListIcon,
  CheckListIcon,
  ChevronIcon,
  CodeIcon,
  FileIcon,
  ImageIcon,
  ItalicIcon,
  LinkIcon,
  NumberListIcon,
  RedoIcon,
  RuleIcon,
  StrikeIcon,
  TableIcon,
  UnderlineIcon,
  UndoIcon,
} from "../icons.tsx";
import { $isPageLinkNode } from "../nodes/PageLinkNode.ts";
import type { EditorFiles } from "../files.ts";
import { normalizeLinkInput } from "../url.ts";
import { FilePanel, ImagePanel } from "./FilePanels.tsx";
import { INSERT_IMAGE_COMMAND } from "./ImagePlugin.tsx";
import { landmark } from "#app/utils/landmark.ts";

const BLOCK_TYPES = ["paragraph", "h1", "h2", "h3", "quote", "code"] as const;
type BlockChoice = (typeof BLOCK_TYPES)[number];
type BlockType = BlockChoice | "bullet" | "number" | "check" | "other";

const BLOCK_LABELS: Record<BlockType, MessageKey> = {
  paragraph: "editor.block.paragraph",
  h1: "editor.block.h1",
  h2: "editor.block.h2",
  h3: "editor.block.h3",
  quote: "editor.block.quote",
  code: "editor.block.code",
  bullet: "editor.bulletList",
  number: "editor.numberList",
  check: "editor.checkList",
  other: "editor.block.paragraph",
};

type ToolbarState = {
  blockType: BlockType;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strikethrough: boolean;
  code: boolean;
  isLink: boolean;
  linkUrl: string;
  inPageLink: boolean;
};

const INITIAL_STATE: ToolbarState = {
  blockType: "paragraph",
  bold: false,
  italic: false,
  underline: false,
  strikethrough: false,
  code: false,
  isLink: false,
  linkUrl: "",
  inPageLink: false,
};

function $readToolbarState(): ToolbarState {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return INITIAL_STATE;
  const anchorNode = selection.anchor.getNode();
  let element =
    anchorNode.getKey() === "root"
      ? anchorNode
      : $findMatchingParent(anchorNode, (node) => {
          const parent = node.getParent();
          return parent !== null && $isRootOrShadowRoot(parent);
        });
  if (element === null) element = anchorNode.getTopLevelElementOrThrow();

  let blockType: BlockType = "other";
  if ($isListNode(element)) {
    const list = $getNearestNodeOfType<ListNode>(anchorNode, ListNode);
    blockType = (list ?? element).getListType();
  } else if ($isHeadingNode(element)) {
    const tag = element.getTag();
    blockType = tag === "h1" || tag === "h2" || tag === "h3" ? tag : "other";
  } else if ($isQuoteNode(element)) blockType = "quote";
  else if ($isCodeNode(element)) blockType = "code";
  else if ($isParagraphNode(element)) blockType = "paragraph";

  const link = $findMatchingParent(anchorNode, $isLinkNode) ?? $findMatchingParent(selection.focus.getNode(), $isLinkNode);
  return {
    blockType,
    bold: selection.hasFormat("bold"),
    italic: selection.hasFormat("italic"),
    underline: selection.hasFormat("underline"),
    strikethrough: selection.hasFormat("strikethrough"),
    code: selection.hasFormat("code"),
    isLink: link !== null,
    linkUrl: link ? link.getURL() : "",
    inPageLink: $findMatchingParent(anchorNode, $isPageLinkNode) !== null,
  };
}

function sameState(a: ToolbarState, b: ToolbarState) {
  return (Object.keys(a) as Array<keyof ToolbarState>).every((key) => a[key] === b[key]);
}

/** Inside editor.update: turns the selected blocks into `type`. */
function formatBlock(type: BlockChoice) {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return;
  switch (type) {
    case "paragraph":
      $setBlocksType(selection, () => $createParagraphNode());
      break;
    case "h1":
    case "h2":
    case "h3":
      $setBlocksType(selection, () => $createHeadingNode(type));
      break;
    case "quote":
      $setBlocksType(selection, () => $createQuoteNode());
      break;
    case "code":
      if (selection.isCollapsed()) {
        $setBlocksType(selection, () => $createCodeNode());
      } else {
        const text = selection.getTextContent();
        const code = $createCodeNode();
        selection.insertNodes([code]);
        const inner = $getSelection();
        if ($isRangeSelection(inner)) inner.insertRawText(text);
      }
      break;
  }
}

/**
 * The editor's toolbar: a WAI-ARIA toolbar (one tab stop, arrow keys,
 * Home/End move between controls; Escape goes back to the text; Alt+F10 from
 * the text comes here). Toggles say whether they are on with aria-pressed.
 * Link and image open a small panel below, never window.prompt.
 */
export function ToolbarPlugin({ files, editorLabel }: { files?: EditorFiles; editorLabel: string }) {
  const [editor] = useLexicalComposerContext();
  const t = useT();
  const [state, setState] = useState<ToolbarState>(INITIAL_STATE);
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  const [panel, setPanel] = useState<null | "link" | "image" | "file">(null);
  const [active, setActive] = useState(0);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const linkButtonRef = useRef<HTMLButtonElement>(null);
  const imageButtonRef = useRef<HTMLButtonElement>(null);
  const fileButtonRef = useRef<HTMLButtonElement>(null);
  /**
   * The text selection the toolbar acts on while it has the focus. Read from
   * the editor when the focus arrives from outside, and carried from one
   * keyboard action to the next: once the focus is here the browser's own
   * selection in the (re-rendered) text is no longer reliable.
   */
  const toolbarSelection = useRef<BaseSelection | null>(null);
  /** The selection a panel (link, image) applies to, kept while the panel has the focus. */
  const savedSelection = useRef<BaseSelection | null>(null);
  const menuByPointer = useRef(false);

  /**
   * The text's selection right now. The browser's selection is read directly
   * when it is in the text: Lexical learns of it from "selectionchange",
   * which can still be queued when a shortcut or the focus move arrives.
   */
  const readSelection = useCallback(
    () =>
      editor.getEditorState().read(
        () => {
          const dom = typeof window === "undefined" ? null : window.getSelection();
          if (dom && dom.rangeCount > 0 && editor.getRootElement()?.contains(dom.anchorNode)) {
            const fromDom = $createRangeSelectionFromDom(dom, editor);
            if (fromDom) return fromDom;
          }
          return $getSelection()?.clone() ?? null;
        },
        { editor },
      ),
    [editor],
  );
  const focusInToolbar = () => Boolean(toolbarRef.current?.contains(document.activeElement));

  const openPanel = useCallback(
    (which: "link" | "image" | "file") => {
      savedSelection.current = toolbarRef.current?.contains(document.activeElement) ? toolbarSelection.current : readSelection();
      setPanel(which);
    },
    [readSelection],
  );

  /** Back to the text, with the selection the toolbar was working on. */
  const returnToText = () => {
    const selection = toolbarSelection.current;
    editor.update(() => restoreSelection(selection));
    editor.focus();
  };

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => {
          const next = editorState.read($readToolbarState, { editor });
          setState((previous) => (sameState(previous, next) ? previous : next));
        }),
        editor.registerCommand(
          CAN_UNDO_COMMAND,
          (payload) => {
            setCanUndo(payload);
            return false;
          },
          COMMAND_PRIORITY_CRITICAL,
        ),
        editor.registerCommand(
          CAN_REDO_COMMAND,
          (payload) => {
            setCanRedo(payload);
            return false;
          },
          COMMAND_PRIORITY_CRITICAL,
        ),
        editor.registerCommand(
          KEY_DOWN_COMMAND,
          (event) => {
            if (event.altKey && event.key === "F10") {
              event.preventDefault();
              const items = toolbarItems(toolbarRef.current);
              (items.find((item) => item.tabIndex === 0) ?? items[0])?.focus();
              return true;
            }
            if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
              event.preventDefault();
              openPanel("link");
              return true;
            }
            return false;
          },
          COMMAND_PRIORITY_NORMAL,
        ),
      ),
    [editor, openPanel],
  );

  function onToolbarKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const items = toolbarItems(toolbarRef.current);
    const current = items.indexOf(document.activeElement as HTMLElement);
    if (current === -1) return;
    let next: number;
    switch (event.key) {
      case "ArrowRight":
        next = (current + 1) % items.length;
        break;
      case "ArrowLeft":
        next = (current - 1 + items.length) % items.length;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = items.length - 1;
        break;
      case "Escape":
        event.preventDefault();
        returnToText();
        return;
      default:
        return;
    }
    event.preventDefault();
    items[next].focus();
  }

  // Roving tabindex: the counter numbers the controls in render order.
  let counter = 0;
  const rove = () => {
    const index = counter++;
    return { tabIndex: index === active ? 0 : -1, "data-toolbar-item": "", onFocus: () => setActive(index) };
  };

  /**
   * Runs a toolbar action. When the toolbar has the focus (keyboard use), the
   * focus stays here, as a WAI-ARIA toolbar expects, and Escape goes back to
   * the text; a pointer click never takes the focus from the text.
   */
  const act = (action: () => void) => {
    if (!focusInToolbar()) {
      action();
      return;
    }
    editor.update(() => {
      // Chrome focuses an editable as soon as its DOM selection is set, so the
      // DOM selection is left alone; returnToText() puts it back.
      $addUpdateTag(SKIP_DOM_SELECTION_TAG);
      restoreSelection(toolbarSelection.current);
      action();
      toolbarSelection.current = $getSelection()?.clone() ?? null;
    });
  };
  const format = (type: TextFormatType) => () => act(() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, type));
  const toggleList = (type: "bullet" | "number" | "check") => () =>
    act(() => {
      if (state.blockType === type) editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
      else if (type === "bullet") editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined);
      else if (type === "number") editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined);
      else editor.dispatchCommand(INSERT_CHECK_LIST_COMMAND, undefined);
    });
  const command = (action: () => void) => () => act(action);

  const blockChoice: BlockChoice | "" = (BLOCK_TYPES as readonly string[]).includes(state.blockType) ? (state.blockType as BlockChoice) : "";
  const blockLabel = t(BLOCK_LABELS[state.blockType]);

  return (
    <>
      <div
        ref={toolbarRef}
        role="toolbar"
        aria-label={t("editor.toolbar", { editor: editorLabel })}
        aria-orientation="horizontal"
        className="editor-toolbar"
        onKeyDown={onToolbarKeyDown}
        onFocus={(event) => {
          // Arriving from the text (or from elsewhere on the page), not from a
          // control of the toolbar or its block-style menu.
          const from = event.relatedTarget as HTMLElement | null;
          if (!from || (!event.currentTarget.contains(from) && !from.closest?.("[data-editor-menu]"))) {
            toolbarSelection.current = readSelection();
            // Lexical follows the browser's selection even when the text is not
            // focused; toolbar actions re-render the text and would move it.
            // The selection lives on in toolbarSelection until Escape.
            if (editor.getRootElement()?.contains(window.getSelection()?.anchorNode ?? null)) window.getSelection()?.removeAllRanges();
          }
        }}
      >
        <DropdownMenu.Root modal={false}>
          <DropdownMenu.Trigger
            type="button"
            className="toolbar-select"
            aria-label={t("editor.blockType", { type: blockLabel })}
            onPointerDown={() => {
              // Remember the text selection before the menu takes the focus.
              menuByPointer.current = !focusInToolbar();
              if (menuByPointer.current) toolbarSelection.current = readSelection();
            }}
            onKeyDown={(event) => {
              if (event.key === "Enter" || event.key === " " || event.key === "ArrowDown") menuByPointer.current = false;
            }}
            {...rove()}
          >
            <span className="toolbar-select-label">{blockLabel}</span>
            <ChevronIcon />
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal container={landmark("main")}>
            <DropdownMenu.Content
              data-editor-menu=""
              className="menu editor-menu"
              align="start"
              sideOffset={4}
              onCloseAutoFocus={(event) => {
                // Opened by pointer: back to the text. By keyboard: back to the trigger (Radix's default).
                if (menuByPointer.current) {
                  event.preventDefault();
                  editor.focus();
                }
              }}
            >
              <DropdownMenu.RadioGroup
                value={blockChoice}
                onValueChange={(value) => {
                  const keepFocus = !menuByPointer.current;
                  editor.update(() => {
                    if (keepFocus) $addUpdateTag(SKIP_DOM_SELECTION_TAG);
                    restoreSelection(toolbarSelection.current);
                    formatBlock(value as BlockChoice);
                    toolbarSelection.current = $getSelection()?.clone() ?? null;
                  });
                }}
              >
                {BLOCK_TYPES.map((type) => (
                  <DropdownMenu.RadioItem key={type} value={type} className={`menu-item editor-menu-item editor-menu-${type}`}>
                    <DropdownMenu.ItemIndicator className="editor-menu-check">✓</DropdownMenu.ItemIndicator>
                    {t(BLOCK_LABELS[type])}
                  </DropdownMenu.RadioItem>
                ))}
              </DropdownMenu.RadioGroup>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>

        <span className="toolbar-divider" aria-hidden="true" />
        <ToolButton label={t("editor.bold")} shortcut="Ctrl+B" pressed={state.bold} onClick={format("bold")} rove={rove()}>
          <BoldIcon />
        </ToolButton>
        <ToolButton label={t("editor.italic")} shortcut="Ctrl+I" pressed={state.italic} onClick={format("italic")} rove={rove()}>
          <ItalicIcon />
        </ToolButton>
        <ToolButton label={t("editor.underline")} shortcut="Ctrl+U" pressed={state.underline} onClick={format("underline")} rove={rove()}>
          <UnderlineIcon />
        </ToolButton>
        <ToolButton label={t("editor.strikethrough")} pressed={state.strikethrough} onClick={format("strikethrough")} rove={rove()}>
          <StrikeIcon />
        </ToolButton>
        <ToolButton label={t("editor.inlineCode")} pressed={state.code} onClick={format("code")} rove={rove()}>
          <CodeIcon />
        </ToolButton>

        <span className="toolbar-divider" aria-hidden="true" />
        <ToolButton label={t("editor.bulletList")} pressed={state.blockType === "bullet"} onClick={toggleList("bullet")} rove={rove()}>
          <BulletListIcon />
        </ToolButton>
        <ToolButton label={t("editor.numberList")} pressed={state.blockType === "number"} onClick={toggleList("number")} rove={rove()}>
          <NumberListIcon />
        </ToolButton>
        <ToolButton label={t("editor.checkList")} pressed={state.blockType === "check"} onClick={toggleList("check")} rove={rove()}>
          <CheckListIcon />
        </ToolButton>

        <span className="toolbar-divider" aria-hidden="true" />
        <ToolButton
          buttonRef={linkButtonRef}
          label={t("editor.link")}
          shortcut="Ctrl+K"
          pressed={state.isLink}
          disabled={state.inPageLink}
          expanded={panel === "link"}
          onClick={() => (panel === "link" ? setPanel(null) : openPanel("link"))}
          rove={rove()}
        >
          <LinkIcon />
        </ToolButton>
        {files ? (
          <>
            <ToolButton
              buttonRef={imageButtonRef}
              label={t("editor.image")}
              expanded={panel === "image"}
              onClick={() => (panel === "image" ? setPanel(null) : openPanel("image"))}
              rove={rove()}
            >
              <ImageIcon />
            </ToolButton>
            <ToolButton
              buttonRef={fileButtonRef}
              label={t("editor.file")}
              disabled={state.inPageLink}
              expanded={panel === "file"}
              onClick={() => (panel === "file" ? setPanel(null) : openPanel("file"))}
              rove={rove()}
            >
              <FileIcon />
            </ToolButton>
          </>
        ) : null}
        <ToolButton
          label={t("editor.table")}
          onClick={command(() => editor.dispatchCommand(INSERT_TABLE_COMMAND, { columns: "3", rows: "3", includeHeaders: { rows: true, columns: false } }))}
          rove={rove()}
        >
          <TableIcon />
        </ToolButton>
        <ToolButton label={t("editor.hr")} onClick={command(() => editor.dispatchCommand(INSERT_HORIZONTAL_RULE_COMMAND, undefined))} rove={rove()}>
          <RuleIcon />
        </ToolButton>

        <span className="toolbar-divider" aria-hidden="true" />
        <ToolButton label={t("editor.undo")} shortcut="Ctrl+Z" disabled={!canUndo} onClick={command(() => editor.dispatchCommand(UNDO_COMMAND, undefined))} rove={rove()}>
          <UndoIcon />
        </ToolButton>
        <ToolButton label={t("editor.redo")} shortcut="Ctrl+Y" disabled={!canRedo} onClick={command(() => editor.dispatchCommand(REDO_COMMAND, undefined))} rove={rove()}>
          <RedoIcon />
        </ToolButton>
      </div>

      {panel === "link" ? (
        <LinkPanel
          initialUrl={state.linkUrl}
          isLink={state.isLink}
          onApply={(url) => {
            editor.update(() => {
              restoreSelection(savedSelection.current);
              $applyLink(url, url);
            });
            setPanel(null);
            editor.focus();
          }}
          onRemove={() => {
            editor.update(() => {
              restoreSelection(savedSelection.current);
              $toggleLink(null);
            });
            setPanel(null);
            editor.focus();
          }}
          onCancel={() => {
            setPanel(null);
            linkButtonRef.current?.focus();
          }}
        />
      ) : null}
      {panel === "image" && files ? (
        <ImagePanel
          files={files}
          onInsert={(image) => {
            editor.update(() => {
              restoreSelection(savedSelection.current);
              editor.dispatchCommand(INSERT_IMAGE_COMMAND, image);
            });
            setPanel(null);
            editor.focus();
          }}
          onCancel={() => {
            setPanel(null);
            imageButtonRef.current?.focus();
          }}
        />
      ) : null}
      {panel === "file" && files ? (
        <FilePanel
          files={files}
          onInsert={(file) => {
            editor.update(() => {
              restoreSelection(savedSelection.current);
              $applyLink(file.href, file.name);
            });
            setPanel(null);
            editor.focus();
          }}
          onCancel={() => {
            setPanel(null);
            fileButtonRef.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

/** A link on the selected text, or, with nothing selected, a new link reading `text` at the caret. */
function $applyLink(url: string, text: string) {
  const selection = $getSelection();
  if ($isRangeSelection(selection) && selection.isCollapsed() && !$findMatchingParent(selection.anchor.getNode(), $isLinkNode)) {
    const link = $createLinkNode(url);
    link.append($createTextNode(text));
    selection.insertNodes([link]);
  } else {
    $toggleLink(url);
  }
}

function restoreSelection(selection: BaseSelection | null) {
  if (selection) $setSelection(selection.clone());
}

function toolbarItems(toolbar: HTMLElement | null): HTMLElement[] {
  return toolbar ? Array.from(toolbar.querySelectorAll<HTMLElement>("[data-toolbar-item]")) : [];
}

function ToolButton({
  label,
  shortcut,
  pressed,
  disabled,
  expanded,
  onClick,
  rove,
  buttonRef,
  children,
}: {
  label: string;
  shortcut?: string;
  pressed?: boolean;
  disabled?: boolean;
  expanded?: boolean;
  onClick: () => void;
  rove: { tabIndex: number; "data-toolbar-item": string; onFocus: () => void };
  buttonRef?: Ref<HTMLButtonElement>;
  children: ReactNode;
}) {
  return (
    <button
      ref={buttonRef}
      type="button"
      className="toolbar-button"
      aria-label={label}
      title={shortcut ? `${label} (${shortcut})` : label}
      aria-pressed={pressed === undefined ? undefined : pressed}
      aria-expanded={expanded === undefined ? undefined : expanded}
      // Disabled controls stay focusable in a toolbar, so arrow keys do not skip them.
      aria-disabled={disabled ? true : undefined}
      // A pointer click keeps the focus, and the selection, in the text.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => {
        if (!disabled) onClick();
      }}
      {...rove}
    >
      {children}
    </button>
  );
}

function LinkPanel({
  initialUrl,
  isLink,
  onApply,
  onRemove,
  onCancel,
}: {
  initialUrl: string;
  isLink: boolean;
  onApply: (url: string) => void;
  onRemove: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  const id = useId();
  const [value, setValue] = useState(initialUrl);
  const [invalid, setInvalid] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  const apply = () => {
    const url = normalizeLinkInput(value);
    if (url === null) {
      setInvalid(true);
      inputRef.current?.focus();
      return;
    }
    onApply(url);
  };

  return (
    <div className="editor-panel" role="group" aria-labelledby={`${id}-label`} onKeyDown={(event) => event.key === "Escape" && (event.preventDefault(), onCancel())}>
      <label id={`${id}-label`} htmlFor={`${id}-url`} className="editor-panel-label">
        {t("editor.link.url")}
      </label>
      <div className="editor-panel-row">
        <input
          ref={inputRef}
          id={`${id}-url`}
          type="text"
          inputMode="url"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          placeholder="https://"
          value={value}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : `${id}-hint`}
          onChange={(event) => {
            setValue(event.target.value);
            setInvalid(false);
          }}
          onKeyDown={(event) => {
            // The editor sits inside the page's <form>: Enter must not submit it.
            if (event.key === "Enter") {
              event.preventDefault();
              apply();
            }
          }}
        />
        <button type="button" className="btn btn-primary btn-small" onClick={apply}>
          {t("editor.link.apply")}
        </button>
        {isLink ? (
          <button type="button" className="btn btn-small" onClick={onRemove}>
            {t("editor.link.remove")}
          </button>
        ) : null}
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
      {invalid ? (
        <p id={`${id}-error`} className="editor-panel-error" role="alert">
          {t("editor.link.invalid")}
        </p>
      ) : (
        <p id={`${id}-hint`} className="field-hint">
          {t("editor.link.hint")}
        </p>
      )}
    </div>
  );
}

