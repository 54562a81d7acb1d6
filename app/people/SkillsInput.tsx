import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { skillKey } from "#db/text.ts";
import { useT } from "#app/i18n/react.tsx";
import { skillSuggestionsUrl } from "#app/urls.ts";

type Suggestion = { label: string; count: number };

/**
 * The skills as tags, with suggestions from the skills already used in the
 * network (an ARIA combobox: arrows move, Enter or a comma adds, Backspace
 * on an empty box removes the last tag). Each tag is a hidden input
 * `skills`. Before the script runs (or without it) it is one text box,
 * `skillsText`, comma-separated: the server merges both.
 */
export function SkillsInput({ initial, label, hint, max, invalid, errorId }: { initial: string[]; label: string; hint: string; max: number; invalid?: boolean; errorId?: string }) {
  const t = useT();
  const id = useId();
  const [hydrated, setHydrated] = useState(false);
  const [skills, setSkills] = useState(initial);
  const [draft, setDraft] = useState("");
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [announce, setAnnounce] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setHydrated(true), []);

  const chosen = new Set(skills.map(skillKey));
  const shown = suggestions.filter((s) => !chosen.has(skillKey(s.label)));
  const open = shown.length > 0 && draft.trim() !== "";

  useEffect(() => {
    const prefix = draft.trim();
    if (!hydrated || prefix === "") {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(skillSuggestionsUrl(prefix), { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<{ skills: Suggestion[] }>) : { skills: [] }))
        .then((body) => {
          setSuggestions(body.skills);
          setActive(-1);
        })
        .catch(() => undefined);
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [draft, hydrated]);

  const add = (raw: string) => {
    const label = raw.trim().replace(/\s+/g, " ").slice(0, 60);
    const key = skillKey(label);
    setDraft("");
    setSuggestions([]);
    if (!key || chosen.has(key) || skills.length >= max) return;
    setSkills([...skills, label]);
    setAnnounce(label);
  };
  const remove = (index: number) => {
    setSkills(skills.filter((_, i) => i !== index));
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      setActive((a) => (a + 1) % shown.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      setActive((a) => (a <= 0 ? shown.length - 1 : a - 1));
    } else if (event.key === "Enter" || event.key === ",") {
      if (event.key === "Enter" && draft.trim() === "") return; // Enter on an empty box submits the form, as anywhere else.
      event.preventDefault();
      add(open && active >= 0 ? shown[active]!.label : draft);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setSuggestions([]);
    } else if (event.key === "Backspace" && draft === "" && skills.length > 0) {
      setSkills(skills.slice(0, -1));
    }
  };

  if (!hydrated) {
    return (
      <div className="field">
        <label htmlFor={`${id}-text`}>{label}</label>
        <input id={`${id}-text`} name="skillsText" defaultValue={initial.join(", ")} aria-describedby={`${id}-hint`} />
        <p id={`${id}-hint`} className="field-hint">
          {t("profile.skillsHint")}
        </p>
      </div>
    );
  }

  return (
    <div className={`field skills-input${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={`${id}-input`}>{label}</label>
      {skills.length > 0 ? (
        <ul className="tag-list list-reset skills-chosen" aria-label={t("profile.skillsList")}>
          {skills.map((s, i) => (
            <li key={skillKey(s)} className="tag tag-removable">
              {s}
              <input type="hidden" name="skills" value={s} />
              <button type="button" onClick={() => remove(i)} aria-label={t("profile.skillRemove", { skill: s })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="combobox">
        <input
          ref={input}
          id={`${id}-input`}
          role="combobox"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? `${id}-opt-${active}` : undefined}
          aria-describedby={[`${id}-hint`, invalid ? errorId : undefined].filter(Boolean).join(" ")}
          aria-invalid={invalid || undefined}
          placeholder={t("profile.skillsInput")}
          value={draft}
          maxLength={60}
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value.replace(",", ""))}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setSuggestions([]), 150)}
          disabled={skills.length >= max}
        />
        {/* What is being typed counts too when the form is sent. */}
        {draft.trim() ? <input type="hidden" name="skills" value={draft.trim()} /> : null}
        <ul id={`${id}-list`} role="listbox" aria-label={t("profile.skillSuggestions")} className="combobox-list list-reset" hidden={!open}>
          {shown.map((s, i) => (
            <li
              key={s.label}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                add(s.label);
              }}
            >
              <span>{s.label}</span>
              <span className="muted small">{t("profile.skillUsedBy", { count: s.count })}</span>
            </li>
          ))}
        </ul>
      </div>
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
      <p className="sr-only" aria-live="polite">
        {announce}
      </p>
    </div>
  );
}
