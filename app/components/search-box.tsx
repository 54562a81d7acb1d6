import { useLocation, useNavigate } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { useT } from "#app/i18n/react.tsx";
import type { Suggestion } from "#app/search/load.server.ts";
import { useHydrated } from "#app/utils/hydrated.ts";

/** How long typing pauses before suggestions are asked for: one request per pause, not per key. */
const PAUSE_MS = 120;

/** Whether a key press is meant for a field being typed in, not for the page. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT";
}

/**
 * The search box of the header, on every page. A GET form to /search, so it
 * works without JavaScript. With it: suggestions as one types (titles and
 * people the viewer may see), as the WAI-ARIA combobox pattern has them —
 * arrows move through them, Enter opens one (or searches, when none is
 * chosen), Escape closes them, and a live region says how many there are;
 * `/` or Ctrl+K (⌘K) focuses the box from anywhere on the page. On a narrow
 * screen the box folds into a button that opens it under the bar.
 */
export function SearchBox() {
  const t = useT();
  const id = useId();
  const navigate = useNavigate();
  const location = useLocation();
  const input = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [active, setActive] = useState(-1);
  const [focused, setFocused] = useState(false);
  const hydrated = useHydrated();
  const listId = `${id}-list`;

  // Another page: the box starts over, folded, with the page's own search if it is the results page.
  useEffect(() => {
    setOpen(false);
    setSuggestions(null);
    setActive(-1);
    setValue(location.pathname === "/search" ? (new URLSearchParams(location.search).get("q") ?? "") : "");
  }, [location.pathname, location.search]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typingIn(event.target);
      const k = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k";
      if (!slash && !k) return;
      event.preventDefault();
      setOpen(true);
      // After the folded box has been shown.
      requestAnimationFrame(() => {
        input.current?.focus();
        input.current?.select();
      });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    const q = value.trim();
    if (q.length < 2) {
      setSuggestions(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/search/suggest?q=${encodeURIComponent(value)}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? (response.json() as Promise<{ suggestions: Suggestion[] }>) : { suggestions: [] }))
        .then((body) => {
          setSuggestions(body.suggestions);
          setActive(-1);
        })
        .catch(() => {
          // Aborted by the next key, or offline: the form still searches.
        });
    }, PAUSE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value]);

  const shown = focused && suggestions !== null;
  const expanded = shown && suggestions.length > 0;

  const go = (s: Suggestion) => {
    setSuggestions(null);
    navigate(s.url);
  };

  return (
    <div className={`search-box${open ? " is-open" : ""}`}>
      {/* Before hydration (or without JavaScript) a link to the search page; then a button that unfolds the box. */}
      {hydrated ? (
        <button
          type="button"
          className="bell search-toggle"
          aria-label={t("search.open")}
          aria-expanded={open}
          onClick={() => {
            setOpen((was) => !was);
            requestAnimationFrame(() => input.current?.focus());
          }}
        >
          <MagnifierIcon />
        </button>
      ) : (
        <a href="/search" className="bell search-toggle" aria-label={t("search.open")}>
          <MagnifierIcon />
        </a>
      )}
      <form method="get" action="/search" role="search" className="search-form" aria-label={t("search.label")}
        onSubmit={(event) => {
          if (active >= 0 && suggestions?.[active]) {
            event.preventDefault();
            go(suggestions[active]);
          }
        }}
      >
        <label htmlFor={`${id}-q`} className="sr-only">
          {t("search.label")}
        </label>
        <span className="search-icon" aria-hidden="true">
          <MagnifierIcon />
        </span>
        <input
          ref={input}
          id={`${id}-q`}
          type="search"
          name="q"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder={t("search.headerPlaceholder")}
          maxLength={200}
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
          onKeyDown={(event) => {
            const count = suggestions?.length ?? 0;
            if (event.key === "ArrowDown" && count) {
              event.preventDefault();
              setActive((a) => (a + 1) % count);
            } else if (event.key === "ArrowUp" && count) {
              event.preventDefault();
              setActive((a) => (a <= 0 ? count - 1 : a - 1));
            } else if (event.key === "Escape") {
              if (expanded) setSuggestions(null);
              else {
                setValue("");
                setOpen(false);
                input.current?.blur();
              }
            }
          }}
          onBlur={() => setFocused(false)}
          onFocus={() => {
            setFocused(true);
            setOpen(true);
          }}
        />
        <kbd className="search-kbd" aria-hidden="true">
          /
        </kbd>
        <ul id={listId} role="listbox" className="search-suggestions" aria-label={t("search.suggestions")} hidden={!expanded}>
          {suggestions?.map((s, i) => (
            <li
              key={`${s.kind}:${s.url}`}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "is-active" : undefined}
              onMouseDown={(event) => {
                // Before the input's blur closes the list.
                event.preventDefault();
                go(s);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="search-suggestion-kind">{t(`search.kind.${s.kind}`)}</span>
              <span className="search-suggestion-label">{s.label}</span>
              {s.detail ? <span className="search-suggestion-detail">{s.detail}</span> : null}
            </li>
          ))}
        </ul>
        <span role="status" className="sr-only">
          {shown ? (suggestions.length ? t("search.suggestionCount", { count: suggestions.length }) : t("search.noSuggestion")) : ""}
        </span>
      </form>
    </div>
  );
}

function MagnifierIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <circle cx="11" cy="11" r="7" />
      <path d="m20 20-3.5-3.5" />
    </svg>
  );
}
