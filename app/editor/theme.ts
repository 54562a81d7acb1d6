import type { EditorThemeClasses } from "lexical";

/**
 * The one theme shared by the editor and by the HTML the server derives from
 * stored content (content.server.ts), so the read view and the editor look the
 * same. Every class is prefixed "rt-" and styled in app/styles/editor.css.
 * The sanitizer keeps only these classes (see THEME_CLASS_NAMES).
 */
export const EDITOR_THEME = {
  paragraph: "rt-p",
  heading: { h1: "rt-h1", h2: "rt-h2", h3: "rt-h3", h4: "rt-h4", h5: "rt-h5", h6: "rt-h6" },
  quote: "rt-quote",
  list: {
    ul: "rt-list-ul",
    ol: "rt-list-ol",
    checklist: "rt-checklist",
    listitem: "rt-listitem",
    listitemChecked: "rt-listitem-checked",
    listitemUnchecked: "rt-listitem-unchecked",
    nested: { listitem: "rt-nested-listitem" },
  },
  code: "rt-code",
  link: "rt-link",
  text: {
    bold: "rt-text-bold",
    italic: "rt-text-italic",
    underline: "rt-text-underline",
    strikethrough: "rt-text-strikethrough",
    underlineStrikethrough: "rt-text-underline-strikethrough",
    code: "rt-text-code",
  },
  table: "rt-table",
  tableRow: "rt-table-row",
  tableCell: "rt-table-cell",
  tableCellHeader: "rt-table-cell-header",
  tableCellSelected: "rt-table-cell-selected",
  tableSelection: "rt-table-selection",
  tableScrollableWrapper: "rt-table-wrap",
  hr: "rt-hr",
  hrSelected: "rt-hr-selected",
  image: "rt-image",
  pageLink: "rt-page-link",
  ltr: "rt-ltr",
  rtl: "rt-rtl",
} satisfies EditorThemeClasses;

/** Every class name the theme can put in HTML, plus the page link's marker class. */
export const THEME_CLASS_NAMES: readonly string[] = Array.from(
  new Set([...collect(EDITOR_THEME), "page-link"]),
);

function collect(value: unknown): string[] {
  if (typeof value === "string") return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap(collect);
  if (value && typeof value === "object") return Object.values(value).flatMap(collect);
  return [];
}
