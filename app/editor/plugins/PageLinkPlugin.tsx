import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import {
  LexicalTypeaheadMenuPlugin,
  MenuOption,
  type MenuTextMatch,
} from "@lexical/react/LexicalTypeaheadMenuPlugin";
import { $createTextNode, $insertNodes, type TextNode } from "lexical";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import { createPortal } from "react-dom";
import { useT } from "#app/i18n/react.tsx";
import { PageIcon } from "../icons.tsx";
import { $createPageLinkNode } from "../nodes/PageLinkNode.ts";
import { isPageId } from "../url.ts";

export type PageSuggestion = { id: string; title: string };

class PageOption extends MenuOption {
  constructor(readonly page: PageSuggestion) {
    super(page.id);
  }
}

const MAX_QUERY = 80;
const MAX_RESULTS = 10;

/**
 * "[[" followed by anything but brackets and line breaks, right before the
 * caret, opens the picker; the text after "[[" is the query.
 */
export function matchPageLinkTrigger(text: string): MenuTextMatch | null {
  const match = /(^|[^[])\[\[([^[\]\n]*)$/.exec(text);
  if (!match || match[2].length > MAX_QUERY) return null;
  return { leadOffset: match.index + match[1].length, matchingString: match[2], replaceableString: `[[${match[2]}` };
}

/** Keeps only well-formed suggestions from the search endpoint's answer. */
export function parseSuggestions(data: unknown): PageSuggestion[] {
  const pages = (data as { pages?: unknown } | null)?.pages;
  if (!Array.isArray(pages)) return [];
  return pages
    .filter(
      (page): page is PageSuggestion =>
        typeof page === "object" && page !== null && isPageId((page as PageSuggestion).id) && typeof (page as PageSuggestion).title === "string",
    )
    .slice(0, MAX_RESULTS)
    .map((page) => ({ id: page.id, title: page.title.trim() || page.id }));
}

type Status = "idle" | "loading" | "error";

/**
 * Typing "[[" opens a list of the space's pages, searched by title as one
 * types (GET /spaces/<slug>/wiki/search?q=…, answering {pages: [{id, title}]});
 * choosing one inserts a PageLinkNode titled like the page. Keyboard: arrows
 * move, Enter or Tab choose, Escape closes. The editable announces the
 * highlighted option through aria-activedescendant (set by Lexical's menu),
 * and a live region reads out the number of results.
 */
export function PageLinkPlugin({ spaceSlug }: { spaceSlug: string }) {
  const [editor] = useLexicalComposerContext();
  const t = useT();
  const [query, setQuery] = useState<string | null>(null);
  const [pages, setPages] = useState<PageSuggestion[]>([]);
  const [status, setStatus] = useState<Status>("idle");

  useEffect(() => {
    if (query === null) return;
    setStatus("loading");
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/spaces/${encodeURIComponent(spaceSlug)}/wiki/search?q=${encodeURIComponent(query)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(String(response.status));
        setPages(parseSuggestions(await response.json()));
        setStatus("idle");
      } catch {
        if (!controller.signal.aborted) {
          setPages([]);
          setStatus("error");
        }
      }
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, spaceSlug]);

  const options = useMemo(() => pages.map((page) => new PageOption(page)), [pages]);

  const onSelectOption = useCallback(
    (option: PageOption, nodeToReplace: TextNode | null, closeMenu: () => void) => {
      // Already inside editor.update (LexicalMenu calls this from one).
      const link = $createPageLinkNode(option.page.id);
      link.append($createTextNode(option.page.title));
      if (nodeToReplace) nodeToReplace.replace(link);
      else $insertNodes([link]);
      link.selectNext();
      closeMenu();
    },
    [],
  );

  const onClose = useCallback(() => {
    setQuery(null);
    setPages([]);
    setStatus("idle");
  }, []);

  const announcement =
    query === null
      ? ""
      : status === "loading"
        ? t("editor.pageLink.loading")
        : status === "error"
          ? t("editor.pageLink.error")
          : t("editor.pageLink.results", { count: options.length });

  return (
    <>
      <LexicalTypeaheadMenuPlugin<PageOption>
        options={options}
        onQueryChange={setQuery}
        onSelectOption={onSelectOption}
        onClose={onClose}
        triggerFn={matchPageLinkTrigger}
        anchorClassName="typeahead-anchor"
        menuRenderFn={(anchorElementRef, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) =>
          anchorElementRef.current
            ? createPortal(
                <PageMenu
                  anchorRef={anchorElementRef}
                  label={t("editor.pageLink.menu")}
                  options={options}
                  selectedIndex={selectedIndex}
                  status={status}
                  emptyText={query ? t("editor.pageLink.empty") : t("editor.pageLink.typeToSearch")}
                  errorText={t("editor.pageLink.error")}
                  loadingText={t("editor.pageLink.loading")}
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

const PAGE_MENU_LABEL_ID = "page-menu-label";

function PageMenu({
  anchorRef,
  label,
  options,
  selectedIndex,
  status,
  emptyText,
  errorText,
  loadingText,
  onChoose,
  onHighlight,
  editorRoot,
}: {
  anchorRef: RefObject<HTMLElement | null>;
  label: string;
  options: PageOption[];
  selectedIndex: number | null;
  status: Status;
  emptyText: string;
  errorText: string;
  loadingText: string;
  onChoose: (option: PageOption) => void;
  onHighlight: (index: number) => void;
  editorRoot: () => HTMLElement | null;
}) {
  const listRef = useRef<HTMLUListElement>(null);

  // Lexical's anchor <div> is the listbox (id "typeahead-menu", which the
  // editable's aria-controls names). Lexical rewrites its English aria-label
  // after our effects run, so the name comes through aria-labelledby, which
  // wins over aria-label and which Lexical leaves alone.
  useLayoutEffect(() => {
    anchorRef.current?.setAttribute("aria-labelledby", PAGE_MENU_LABEL_ID);
  }, [anchorRef]);

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
    <div className="typeahead">
      <span id={PAGE_MENU_LABEL_ID} className="sr-only">
        {label}
      </span>
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
              <PageIcon />
              <span>{option.page.title}</span>
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
