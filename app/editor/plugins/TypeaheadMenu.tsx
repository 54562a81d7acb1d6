import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { LexicalTypeaheadMenuPlugin, MenuOption, type MenuTextMatch } from "@lexical/react/LexicalTypeaheadMenuPlugin";
import type { TextNode } from "lexical";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from "react";
import { createPortal } from "react-dom";
import type { MessageKey } from "#app/i18n/index.ts";
import { useT } from "#app/i18n/react.tsx";

export type TypeaheadStatus = "idle" | "loading" | "error";

type MessageSuffix = "menu" | "loading" | "error" | "results" | "empty" | "typeToSearch";

/** A catalogue prefix ("mentions", "editor.pageLink") under which all six texts of a menu exist. */
export type TypeaheadMessages = {
  [K in MessageKey]: K extends `${infer P}.typeToSearch` ? (`${P}.${MessageSuffix}` extends MessageKey ? P : never) : never;
}[MessageKey];

class TypeaheadOption<T extends { id: string }> extends MenuOption {
  constructor(readonly item: T) {
    super(item.id);
  }
}

/**
 * A picker opened by a trigger typed in the editor: it searches `endpoint?q=…`
 * as one types (debounced, the previous request aborted), lists what `parse`
 * keeps, and hands the chosen item to `onSelect`. Keyboard: arrows move, Enter
 * or Tab choose, Escape closes. The editable announces the highlighted option
 * through aria-activedescendant (set by Lexical's menu), and a live region
 * reads out the number of results.
 */
export function TypeaheadMenuPlugin<T extends { id: string }>({
  endpoint,
  parse,
  debounceMs,
  triggerFn,
  onSelect,
  messages,
  className,
  renderItem,
  hideWhen,
}: {
  endpoint: string;
  /** Stable (module-level): the search effect depends on it. */
  parse: (data: unknown) => T[];
  debounceMs: number;
  triggerFn: (text: string) => MenuTextMatch | null;
  /** Runs inside editor.update (LexicalMenu calls it from one); the menu closes afterwards. */
  onSelect: (item: T, nodeToReplace: TextNode | null) => void;
  messages: TypeaheadMessages;
  className: string;
  renderItem: (item: T) => ReactNode;
  hideWhen?: (state: { query: string | null; status: TypeaheadStatus; count: number }) => boolean;
}) {
  const [editor] = useLexicalComposerContext();
  const t = useT();
  const [query, setQuery] = useState<string | null>(null);
  const [items, setItems] = useState<T[]>([]);
  const [status, setStatus] = useState<TypeaheadStatus>("idle");
  // Lexical appends its menu to <body>, outside every landmark, where a
  // screen reader's user moving by region never meets it; it goes into the
  // page's <main> instead (not positioned, so Lexical's document coordinates
  // still hold). Found once the editable is mounted, hence state.
  const [menuParent, setMenuParent] = useState<HTMLElement | undefined>(undefined);
  useEffect(() => editor.registerRootListener((root) => setMenuParent(root?.closest("main") ?? undefined)), [editor]);

  useEffect(() => {
    if (query === null) return;
    setStatus("loading");
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`${endpoint}?q=${encodeURIComponent(query)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(String(response.status));
        setItems(parse(await response.json()));
        setStatus("idle");
      } catch {
        if (!controller.signal.aborted) {
          setItems([]);
          setStatus("error");
        }
      }
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, endpoint, parse, debounceMs]);

  const options = useMemo(() => items.map((item) => new TypeaheadOption(item)), [items]);

  const onSelectOption = useCallback(
    (option: TypeaheadOption<T>, nodeToReplace: TextNode | null, closeMenu: () => void) => {
      onSelect(option.item, nodeToReplace);
      closeMenu();
    },
    [onSelect],
  );

  const onClose = useCallback(() => {
    setQuery(null);
    setItems([]);
    setStatus("idle");
  }, []);

  const announcement =
    query === null
      ? ""
      : status === "loading"
        ? t(`${messages}.loading`)
        : status === "error"
          ? t(`${messages}.error`)
          : t(`${messages}.results`, { count: options.length });

  return (
    <>
      <LexicalTypeaheadMenuPlugin<TypeaheadOption<T>>
        options={options}
        onQueryChange={setQuery}
        onSelectOption={onSelectOption}
        onClose={onClose}
        triggerFn={triggerFn}
        parent={menuParent}
        anchorClassName="typeahead-anchor"
        menuRenderFn={(anchorElementRef, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) =>
          anchorElementRef.current && !hideWhen?.({ query, status, count: options.length })
            ? createPortal(
                <TypeaheadList
                  anchorRef={anchorElementRef}
                  className={className}
                  label={t(`${messages}.menu`)}
                  options={options}
                  selectedIndex={selectedIndex}
                  status={status}
                  emptyText={query ? t(`${messages}.empty`) : t(`${messages}.typeToSearch`)}
                  errorText={t(`${messages}.error`)}
                  loadingText={t(`${messages}.loading`)}
                  renderItem={renderItem}
                  onChoose={(option) => selectOptionAndCleanUp(option)}
                  onHighlight={setHighlightedIndex}
                  editorRoot={() => editor.getRootElement()}
                />,
                anchorElementRef.current,
              )
            : null
        }
      />
      <div className="sr-only" role="status" aria-live="polite">
        {announcement}
      </div>
    </>
  );
}

function TypeaheadList<T extends { id: string }>({
  anchorRef,
  className,
  label,
  options,
  selectedIndex,
  status,
  emptyText,
  errorText,
  loadingText,
  renderItem,
  onChoose,
  onHighlight,
  editorRoot,
}: {
  anchorRef: RefObject<HTMLElement | null>;
  className: string;
  label: string;
  options: TypeaheadOption<T>[];
  selectedIndex: number | null;
  status: TypeaheadStatus;
  emptyText: string;
  errorText: string;
  loadingText: string;
  renderItem: (item: T) => ReactNode;
  onChoose: (option: TypeaheadOption<T>) => void;
  onHighlight: (index: number) => void;
  editorRoot: () => HTMLElement | null;
}) {
  const listRef = useRef<HTMLUListElement>(null);

  // Lexical's anchor <div> is the listbox (id "typeahead-menu", which the
  // editable's aria-controls names), and Lexical labels it "Typeahead menu",
  // in English, each time it attaches it: after our effects have run. So the
  // catalogue's name is put back whenever Lexical writes its own (a
  // microtask later, before the browser paints or announces anything).
  useLayoutEffect(() => {
    const anchor = anchorRef.current;
    if (!anchor) return;
    const name = () => {
      if (anchor.getAttribute("aria-label") !== label) anchor.setAttribute("aria-label", label);
    };
    name();
    const observer = new MutationObserver(name);
    observer.observe(anchor, { attributes: true, attributeFilter: ["aria-label"] });
    return () => observer.disconnect();
  }, [anchorRef, label]);

  // Lexical sets aria-activedescendant on arrow keys; keep it right when the
  // highlight moves by pointer or the list changes, and clear it when empty.
  useLayoutEffect(() => {
    const root = editorRoot();
    if (!root) return;
    if (selectedIndex !== null && options[selectedIndex]) root.setAttribute("aria-activedescendant", `typeahead-item-${selectedIndex}`);
    else root.removeAttribute("aria-activedescendant");
  }, [editorRoot, options, selectedIndex]);

  useEffect(() => {
    if (selectedIndex === null) return;
    listRef.current?.querySelector(`#typeahead-item-${selectedIndex}`)?.scrollIntoView({ block: "nearest" });
  }, [selectedIndex]);

  const message = status === "loading" && options.length === 0 ? loadingText : status === "error" ? errorText : options.length === 0 ? emptyText : null;

  return (
    <div className={className}>
      {options.length > 0 ? (
        <ul ref={listRef} role="presentation" className="typeahead-list">
          {options.map((option, index) => (
            <li
              key={option.key}
              id={`typeahead-item-${index}`}
              ref={option.setRefElement}
              role="option"
              aria-selected={selectedIndex === index}
              tabIndex={-1}
              className={selectedIndex === index ? "typeahead-option selected" : "typeahead-option"}
              onMouseEnter={() => onHighlight(index)}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => {
                onHighlight(index);
                onChoose(option);
              }}
            >
              {renderItem(option.item)}
            </li>
          ))}
        </ul>
      ) : null}
      {message ? (
        <p className="typeahead-message" aria-hidden="true">
          {message}
        </p>
      ) : null}
    </div>
  );
}
