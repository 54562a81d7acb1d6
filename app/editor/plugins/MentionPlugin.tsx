import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { LexicalTypeaheadMenuPlugin, MenuOption, type MenuTextMatch } from "@lexical/react/LexicalTypeaheadMenuPlugin";
import { $createTextNode, type TextNode } from "lexical";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import { createPortal } from "react-dom";
import { useT } from "#app/i18n/react.tsx";
import { $createMentionNode, isUserId } from "../nodes/MentionNode.ts";

export type MemberSuggestion = { id: string; name: string };

class MemberOption extends MenuOption {
  constructor(readonly member: MemberSuggestion) {
    super(member.id);
  }
}

const MAX_WORD = 30;
const MAX_RESULTS = 8;

/**
 * "@" at the start or after a space or "(", followed by up to two words,
 * right before the caret, opens the picker; the text after "@" is the query.
 */
export function matchMentionTrigger(text: string): MenuTextMatch | null {
  const match = new RegExp(`(^|[\\s(])@([^\\s@]{0,${MAX_WORD}}(?: [^\\s@]{0,${MAX_WORD}})?)$`).exec(text);
  if (!match) return null;
  return { leadOffset: match.index + match[1].length, matchingString: match[2], replaceableString: `@${match[2]}` };
}

/** Keeps only well-formed suggestions from the members endpoint's answer. */
export function parseMembers(data: unknown): MemberSuggestion[] {
  const members = (data as { members?: unknown } | null)?.members;
  if (!Array.isArray(members)) return [];
  return members
    .filter(
      (m): m is MemberSuggestion =>
        typeof m === "object" && m !== null && isUserId((m as MemberSuggestion).id) && typeof (m as MemberSuggestion).name === "string" && (m as MemberSuggestion).name.trim() !== "",
    )
    .slice(0, MAX_RESULTS)
    .map((m) => ({ id: m.id, name: m.name.trim() }));
}

type Status = "idle" | "loading" | "error";

const LABEL_ID = "mention-menu-label";

/**
 * Typing "@" opens a list of the space's members, searched by name as one
 * types (GET /spaces/<slug>/members/mentions?q=…); choosing one inserts a
 * MentionNode "@Name" and a space. Keyboard: arrows move, Enter or Tab
 * choose, Escape closes; the editable announces the highlighted option
 * through aria-activedescendant and a live region reads the number found.
 */
export function MentionPlugin({ spaceSlug }: { spaceSlug: string }) {
  const [editor] = useLexicalComposerContext();
  const t = useT();
  const [query, setQuery] = useState<string | null>(null);
  const [members, setMembers] = useState<MemberSuggestion[]>([]);
  const [status, setStatus] = useState<Status>("idle");

  useEffect(() => {
    if (query === null) return;
    setStatus("loading");
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/spaces/${encodeURIComponent(spaceSlug)}/members/mentions?q=${encodeURIComponent(query)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(String(response.status));
        setMembers(parseMembers(await response.json()));
        setStatus("idle");
      } catch {
        if (!controller.signal.aborted) {
          setMembers([]);
          setStatus("error");
        }
      }
    }, 120);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, spaceSlug]);

  const options = useMemo(() => members.map((m) => new MemberOption(m)), [members]);

  const onSelectOption = useCallback((option: MemberOption, nodeToReplace: TextNode | null, closeMenu: () => void) => {
    // Already inside editor.update (LexicalMenu calls this from one).
    const mention = $createMentionNode(option.member.id, option.member.name);
    if (nodeToReplace) nodeToReplace.replace(mention);
    const space = $createTextNode(" ");
    mention.insertAfter(space);
    space.select(1, 1);
    closeMenu();
  }, []);

  const onClose = useCallback(() => {
    setQuery(null);
    setMembers([]);
    setStatus("idle");
  }, []);

  const announcement =
    query === null ? "" : status === "loading" ? t("mentions.loading") : status === "error" ? t("mentions.error") : t("mentions.results", { count: options.length });

  return (
    <>
      <LexicalTypeaheadMenuPlugin<MemberOption>
        options={options}
        onQueryChange={setQuery}
        onSelectOption={onSelectOption}
        onClose={onClose}
        triggerFn={matchMentionTrigger}
        anchorClassName="typeahead-anchor"
        menuRenderFn={(anchorElementRef, { selectedIndex, selectOptionAndCleanUp, setHighlightedIndex }) =>
          // Two words and nothing found: the "@" was not a mention after all.
          anchorElementRef.current && !(options.length === 0 && status === "idle" && query?.includes(" "))
            ? createPortal(
                <MemberMenu
                  anchorRef={anchorElementRef}
                  label={t("mentions.menu")}
                  options={options}
                  selectedIndex={selectedIndex}
                  status={status}
                  emptyText={query ? t("mentions.empty") : t("mentions.typeToSearch")}
                  errorText={t("mentions.error")}
                  loadingText={t("mentions.loading")}
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

function MemberMenu({
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
  options: MemberOption[];
  selectedIndex: number | null;
  status: Status;
  emptyText: string;
  errorText: string;
  loadingText: string;
  onChoose: (option: MemberOption) => void;
  onHighlight: (index: number) => void;
  editorRoot: () => HTMLElement | null;
}) {
  const listRef = useRef<HTMLUListElement>(null);

  // As in PageLinkPlugin: the listbox is Lexical's anchor; its name comes through aria-labelledby.
  useLayoutEffect(() => {
    anchorRef.current?.setAttribute("aria-labelledby", LABEL_ID);
  }, [anchorRef]);

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
    <div className="typeahead mention-menu">
      <span id={LABEL_ID} className="sr-only">
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
              <span className="mention-avatar" aria-hidden="true">
                {option.member.name.slice(0, 1).toUpperCase()}
              </span>
              <span>{option.member.name}</span>
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
